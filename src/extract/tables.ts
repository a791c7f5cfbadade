/**
 * Reading a table of claims someone already keeps (a spreadsheet saved as CSV, an export edited by
 * hand): which delimiter it uses, which of its columns Claimgrid knows, and the cells an export
 * protected against formulas given back. Pure: text in, plain data out; the parsing of the file
 * itself is streamed by src/actions/import-files.ts.
 */

/**
 * The columns an import reads, by their name in Claimgrid's own export (the minimal file's
 * `incident` and `source` among them), with the other names a spreadsheet may give them.
 */
export const IMPORT_COLUMNS = {
  // Not "id": a spreadsheet's own row numbers would then name claims to overwrite.
  claim_id: [],
  incident_id: [],
  incident_slug: ['slug'],
  incident_title: [],
  incident: [],
  facet: [],
  source_id: [],
  source: ['source_name'],
  source_kind: [],
  source_affiliation: ['affiliation'],
  via_source_id: [],
  via: ['via_name', 'outlet'],
  statement: ['text', 'claim'],
  quote: [],
  value: [],
  published_at: ['published'],
  url: ['link'],
  archive_url: ['archive'],
  document_id: [],
  span_start: [],
  span_end: [],
  created_at: [],
} as const satisfies Record<string, readonly string[]>;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;

/**
 * Columns of the export that describe something else than the claim (the value as an interval, the
 * facet's assessment, the document's address): an import reads past them, since they are made from
 * what it does read.
 */
export const DERIVED_COLUMNS = [
  'value_low', 'value_high', 'updated_at', 'document_url', 'assessment_value', 'assessment_grade', 'assessment_reason', 'facet_canonical',
] as const;

/** "Source Kind", "source-kind", " SOURCE_KIND " all name source_kind. */
export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s\-_.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const COLUMN_BY_NAME = new Map<string, ImportColumn>(
  (Object.entries(IMPORT_COLUMNS) as [ImportColumn, readonly string[]][]).flatMap(([column, aliases]) => [
    [column, column] as const,
    ...aliases.map((alias) => [alias, column] as const),
  ]),
);

export interface Header {
  /** Each of the file's columns, in order: the column it is, or undefined when it is none an import reads. */
  columns: (ImportColumn | undefined)[];
  /** Each known column's name as the file writes it, for messages ("Statement", not "statement"). */
  labels: Partial<Record<ImportColumn, string>>;
  /** Names the import does not know, shown so that a misspelt column is not quietly lost. */
  ignored: string[];
  /** Known columns named twice: which one would count is anyone's guess. */
  repeated: string[];
}

/** The file's header read: its columns matched by name, regardless of case, spaces and order. */
export function readHeader(cells: readonly string[]): Header {
  const columns: (ImportColumn | undefined)[] = [];
  const labels: Partial<Record<ImportColumn, string>> = {};
  const ignored: string[] = [];
  const repeated: string[] = [];
  const derived = new Set<string>(DERIVED_COLUMNS);
  for (const cell of cells) {
    const name = normaliseHeader(cell);
    const column = COLUMN_BY_NAME.get(name);
    if (column === undefined) {
      columns.push(undefined);
      if (name !== '' && !derived.has(name)) ignored.push(cell.trim());
    } else if (labels[column] !== undefined) {
      columns.push(undefined);
      repeated.push(cell.trim());
    } else {
      columns.push(column);
      labels[column] = cell.replace(/^\uFEFF/, '').trim();
    }
  }
  return { columns, labels, ignored, repeated };
}

/** What a file must have, one of each group, for its rows to be claims. */
export const REQUIRED_COLUMNS: readonly { anyOf: readonly ImportColumn[]; name: string }[] = [
  { anyOf: ['incident_id', 'incident_slug', 'incident', 'incident_title'], name: 'incident (or incident_slug, incident_id)' },
  { anyOf: ['source_id', 'source'], name: 'source (or source_id)' },
  { anyOf: ['facet'], name: 'facet' },
  { anyOf: ['statement'], name: 'statement' },
];

/** The required columns a header lacks, named for a message; empty when it has them all. */
export function missingColumns(header: Header): string[] {
  return REQUIRED_COLUMNS.filter(({ anyOf }) => !anyOf.some((column) => header.labels[column] !== undefined)).map(({ name }) => name);
}

export type Delimiter = ',' | ';' | '\t';

/**
 * The delimiter of a CSV file, from its first line: the one of comma, semicolon and tab found most
 * often outside quotes. A spreadsheet in a language that writes decimals with a comma saves with
 * semicolons; one copied from a spreadsheet arrives with tabs.
 */
export function detectDelimiter(firstLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const character of firstLine) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === ',' || character === ';' || character === '\t')) counts[character] += 1;
  }
  const best = (Object.entries(counts) as [Delimiter, number][]).reduce((most, entry) => (entry[1] > most[1] ? entry : most));
  return best[1] === 0 ? ',' : best[0];
}

/**
 * A cell as it was before the CSV export protected it from spreadsheets: the export writes an
 * apostrophe before text that starts like a formula (=, +, -, @, tab, carriage return) or with an
 * apostrophe itself, and this takes that one apostrophe away again, so every text comes back as it was.
 */
export function restoreFormula(cell: string): string {
  return /^'['=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/** Whether the start of a file looks like JSON (an array or an object) rather than a table. */
export function looksLikeJson(start: string): boolean {
  return /^[\uFEFF\s]*[[{]/.test(start);
}
