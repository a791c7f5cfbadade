/**
 * The claims export, as CSV or JSON text a chunk at a time, for the web (web/exports.ts, which
 * streams it to the client) and the `claimgrid export` command (which writes it to a file). Its
 * columns are what an import reads back (actions/imports.ts).
 */
import { facetKey } from '../compare/comparison.js';
import { parseValue } from '../compare/values.js';
import { getAssessment } from '../db/assessments.js';
import { claimNames, type ExportedClaim, exportClaimBatches, getFacetSpelling } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { getDocumentHeading } from '../db/documents.js';
import { getIncidentIncludingDeleted } from '../db/incidents.js';
import { getSource } from '../db/sources.js';
import { memo } from '../memo.js';
import { ownTurn } from '../slices.js';

/** How the batches of rows are read: as they come (the command), or each once what it shows is on disk (the web's `committedBatches`). */
export type BatchReader = (batches: Generator<ExportedClaim[]>) => AsyncIterable<ExportedClaim[]>;

async function* asTheyCome(batches: Generator<ExportedClaim[]>): AsyncGenerator<ExportedClaim[]> {
  yield* batches;
}

/** The export's columns, the same in this order for CSV and JSON. */
export const EXPORT_COLUMNS = [
  'claim_id', 'incident_id', 'incident_slug', 'incident_title', 'facet', 'source_id', 'source', 'source_kind',
  'source_affiliation', 'via_source_id', 'via', 'statement', 'quote', 'value', 'value_low', 'value_high',
  'published_at', 'url', 'archive_url', 'created_at', 'updated_at', 'document_id', 'document_url', 'span_start', 'span_end',
  'assessment_value', 'assessment_grade', 'assessment_reason', 'facet_canonical',
] as const;

/**
 * What the export writes about each claim's facet (its spelling on the grid, the analyst's
 * assessment), read once per facet (facets are kept under their folded spelling), then found by
 * incident and spelling without building a key per row: the export writes hundreds of thousands of
 * rows a second.
 */
function perFacet<T>(read: (incidentId: number, key: string) => T): (incidentId: number, facet: string) => T {
  const byIncident = new Map<number, Map<string, T>>();
  return (incidentId, facet) => {
    let byFacet = byIncident.get(incidentId);
    if (byFacet === undefined) byIncident.set(incidentId, (byFacet = new Map()));
    let found = byFacet.get(facet);
    if (found === undefined && !byFacet.has(facet)) byFacet.set(facet, (found = read(incidentId, facetKey(facet))));
    return found as T;
  };
}

// Rows read per query, and written per chunk (about 100 KB of CSV, under V8's large-object size):
// both measured, see docs/decisions/003-hand-written-csv-writer.md.
const BATCH_SIZE = 1_000;
export const ROWS_PER_CHUNK = 200;

/** The export's claim rows, ROWS_PER_CHUNK at a time, each chunk in a turn of its own. */
async function* exportedRows(db: Database, incidentId: number | undefined, read: BatchReader): AsyncGenerator<ExportedClaim[]> {
  for await (const batch of read(exportClaimBatches(db, incidentId, BATCH_SIZE))) {
    for (let start = 0; start < batch.length; start += ROWS_PER_CHUNK) {
      if (start > 0) await ownTurn();
      yield batch.slice(start, start + ROWS_PER_CHUNK);
    }
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field per RFC 4180, formulas neutralised. Written here rather than with a library (see
 * docs/decisions/003-hand-written-csv-writer.md); test/exports.test.ts parses it back.
 */
export function csvField(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  const text = String(neutraliseFormula(cell));
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV text ROWS_PER_CHUNK rows at a time (not one stream event per row), each row in
 * EXPORT_COLUMNS order. The fields for an incident, a source or a value phrase are written once per
 * export. The first chunk carries the byte-order mark (so spreadsheet programs read Arabic, Persian
 * and other non-Latin text as UTF-8) and the header.
 */
async function* csvChunks(db: Database, incidentId: number | undefined, read: BatchReader): AsyncGenerator<string> {
  // Each incident's, source's and value phrase's fields are written once per export, not per row.
  const incidentFields = memo((id: number) => {
    const incident = getIncidentIncludingDeleted(db, id);
    return `${id},${csvField(incident?.slug)},${csvField(incident?.title)}`;
  });
  const sourceFields = memo((id: number) => {
    const source = getSource(db, id);
    return `${id},${csvField(source?.name)},${csvField(source?.kind)},${csvField(source?.affiliation)}`;
  });
  const viaFields = memo((id: number | null) => (id === null ? ',' : `${id},${csvField(getSource(db, id)?.name)}`));
  const documentFields = memo((id: number | null) => (id === null ? ',' : `${id},${csvField(getDocumentHeading(db, id)?.url)}`));
  const assessmentFields = perFacet((incident, key) => {
    const assessment = getAssessment(db, incident, key);
    return assessment ? `${csvField(assessment.value)},${csvField(assessment.grade)},${csvField(assessment.reason)}` : ',,';
  });
  const canonicalField = perFacet((incident, key) => csvField(getFacetSpelling(db, incident, key)));
  const valueFields = memo((phrase: string | null) => {
    const value = parseValue(phrase);
    return `${csvField(phrase)},${csvField(value?.low)},${csvField(value?.high)}`;
  });
  yield `\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`;
  for await (const batch of exportedRows(db, incidentId, read)) {
    let chunk = '';
    for (const [id, incident, facet, source, via, text, quote, phrase, published, url, archive, created, updated, document, spanStart, spanEnd] of batch) {
      chunk += `${id},${incidentFields(incident)},${csvField(facet)},${sourceFields(source)},${viaFields(via)},${csvField(text)},${csvField(quote)},${valueFields(phrase)},${csvField(published)},${csvField(url)},${csvField(archive)},${csvField(created)},${csvField(updated)},${documentFields(document)},${csvField(spanStart)},${csvField(spanEnd)},${assessmentFields(incident, facet)},${canonicalField(incident, facet)}\r\n`;
    }
    yield chunk;
  }
}

/** A JSON array of objects keyed by EXPORT_COLUMNS, ROWS_PER_CHUNK at a time. */
async function* jsonChunks(db: Database, incidentId: number | undefined, read: BatchReader): AsyncGenerator<string> {
  const names = claimNames(db);
  const reading = memo((phrase: string | null) => parseValue(phrase));
  const assessmentOf = perFacet((incident, key) => getAssessment(db, incident, key));
  const canonicalOf = perFacet((incident, key) => getFacetSpelling(db, incident, key) ?? null);
  let first = true;
  for await (const batch of exportedRows(db, incidentId, read)) {
    const objects = batch.map(([id, incident, facet, source, via, text, quote, phrase, published, url, archive, created, updated, document, spanStart, spanEnd]) => {
      const { slug, title } = names.incident(incident);
      const { name, kind, affiliation } = names.source(source);
      const value = reading(phrase);
      const assessment = assessmentOf(incident, facet);
      return JSON.stringify({
        claim_id: id, incident_id: incident, incident_slug: slug, incident_title: title, facet,
        source_id: source, source: name, source_kind: kind, source_affiliation: affiliation,
        via_source_id: via, via: via === null ? null : names.source(via).name,
        statement: text, quote, value: phrase, value_low: value?.low ?? null, value_high: value?.high ?? null,
        published_at: published, url, archive_url: archive, created_at: created, updated_at: updated,
        document_id: document, document_url: document === null ? null : (names.document(document)?.url ?? null),
        span_start: spanStart, span_end: spanEnd,
        assessment_value: assessment?.value ?? null, assessment_grade: assessment?.grade ?? null, assessment_reason: assessment?.reason ?? null,
        facet_canonical: canonicalOf(incident, facet),
      } satisfies Record<(typeof EXPORT_COLUMNS)[number], unknown>);
    });
    yield (first ? '[\n' : ',\n') + objects.join(',\n');
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

/**
 * A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or carriage return before one) as
 * a formula: a claim quoting "=HYPERLINK(…)" must not become a live link in an analyst's Excel. Such
 * text cells get a leading apostrophe, which spreadsheets show as text; numbers and JSON are untouched.
 */
export function neutraliseFormula(cell: unknown): unknown {
  // A text that begins with an apostrophe gets one more, so that an import can take exactly one away (extract/tables.ts).
  return typeof cell === 'string' && /^['=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}


/** The live claims of one incident (or every incident) as CSV or JSON text, a chunk at a time. */
export function claimExportChunks(db: Database, incidentId: number | undefined, format: 'csv' | 'json', read: BatchReader = asTheyCome): AsyncGenerator<string> {
  return format === 'csv' ? csvChunks(db, incidentId, read) : jsonChunks(db, incidentId, read);
}
