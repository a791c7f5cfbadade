/**
 * Importing claims from a file (src/actions/import-files.ts reads it): a preview says what would
 * happen without writing (claims to create, claims to update with what changes, rows unchanged, new
 * incidents and sources, every bad row); applying does exactly that, all or nothing, in one
 * transaction, each change in the history as the importing user's.
 *
 * A row with a `claim_id` updates that claim (only the columns the file has); a row without one is
 * a new claim, unless a live claim of its incident already says exactly the same, which it then is:
 * so importing the same file twice changes nothing. The preview's digest covers every decision and
 * the version of every claim it would touch; applying refuses (Conflict) when it comes out different.
 */
import { createHash, type Hash } from 'node:crypto';
import { type ClaimFields, createClaim, getClaimIncludingDeleted, updateClaim } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { prepared } from '../db/database.js';
import { getDocument } from '../db/documents.js';
import { createIncident, getIncidentBySlugIncludingDeleted, getIncidentIncludingDeleted, type Incident, slugify } from '../db/incidents.js';
import { createSource, getSource, getSourceByName, SOURCE_KINDS, type SourceKind, sourceNameKey } from '../db/sources.js';
import { Conflict, type FieldIssue, Invalid, TooBusy } from '../errors.js';
import { asOnlyWriter, joinWriteBatchIfBatching } from '../db/commits.js';
import { announceChange } from '../db/history.js';
import { forgetSummary } from '../db/summaries.js';
import { ImportBusy, importOffThread, ImportTooSlow } from '../threads/imports.js';
import type { ImportColumn } from '../extract/tables.js';
import { memo } from '../memo.js';
import { ownTurn } from '../slices.js';
import { type Cell, type ImportFormat, type ImportRecord, type ImportTable, openImportFile } from './import-files.js';
import { cleanName, fieldIssues, ImportRow } from './schemas.js';

/** How many of each kind of change, and of bad rows, a report lists; its counts are always whole. */
export const LISTED_PER_KIND = 200;

export interface RowPlace {
  /** The row's number among the file's rows. */
  row: number;
  /** The CSV line it starts on. */
  line?: number;
}

export interface RowIssue extends RowPlace {
  /** The column as the file names it, or "(row)" for the row as a whole. */
  column: string;
  message: string;
}

export interface CreatedClaim extends RowPlace {
  incident: string;
  source: string;
  facet: string;
  statement: string;
  value: string | null;
}

export interface ChangedField {
  field: string;
  from: string | number | null;
  to: string | number | null;
}

export interface UpdatedClaim extends RowPlace {
  claim_id: number;
  incident: string;
  changes: ChangedField[];
}

export interface ImportReport {
  format: ImportFormat;
  delimiter?: string;
  dry_run: boolean;
  applied: boolean;
  /** Rows read, blank lines aside. */
  rows: number;
  counts: { created: number; updated: number; unchanged: number; invalid: number; new_incidents: number; new_sources: number; warnings: number };
  created: CreatedClaim[];
  updated: UpdatedClaim[];
  new_incidents: (RowPlace & { title: string })[];
  new_sources: (RowPlace & { name: string; kind: SourceKind; affiliation: string | null; outlet: boolean })[];
  errors: RowIssue[];
  /** What the file says that the import leaves as it is (an existing source's kind, say). */
  warnings: RowIssue[];
  /** Column names the import does not know and read past. */
  ignored_columns: string[];
  /** The incidents the rows are about, by slug (new ones by title), at most LISTED_PER_KIND. */
  incidents: { slug: string | null; title: string }[];
  /** Of every decision the preview made and every stored version it read: what `expect` is checked against. */
  digest: string;
}

export interface ImportOptions {
  actor: number | null;
  dryRun: boolean;
  /** The digest of the preview the user saw: the import is refused if it comes out otherwise. */
  expect?: string;
  /** Told the rows read so far, every PROGRESS_EVERY rows. */
  onProgress?: (rows: number) => void;
}

export const PROGRESS_EVERY = 5_000;

/** What an import came to, as a thread hands it back: its report, or the named error that refused it. */
export type ImportOutcome =
  | { report: ImportReport; touched: number[] }
  | { refused: { name: 'Invalid' | 'Conflict'; message: string; issues: FieldIssue[] } };

/** For the import thread: a refusal as plain data that crosses to the server's thread; any other error is thrown on. */
export function refusedOutcome(error: unknown): ImportOutcome {
  if (error instanceof Invalid) return { refused: { name: 'Invalid', message: error.message, issues: error.issues } };
  if (error instanceof Conflict) return { refused: { name: 'Conflict', message: error.message, issues: error.issues } };
  throw error;
}

/** The report of an outcome, or its refusal thrown as the named error it was. */
export function reportOf(outcome: ImportOutcome): ImportReport {
  if ('report' in outcome) return outcome.report;
  const { name, message, issues } = outcome.refused;
  throw name === 'Invalid' ? new Invalid(message, issues) : new Conflict(message, { issues });
}

/** An incident a row names: one that exists, or one the import makes (the first row naming it says so). */
interface IncidentRef {
  key: string;
  existing?: Incident;
  title: string;
  /** Set once made, when applying. */
  id?: number;
  slug?: string;
}

interface SourceRef {
  key: string;
  id?: number;
  name: string;
  kind: SourceKind;
  affiliation: string | null;
  isNew: boolean;
}

const EDITABLE: readonly (keyof ClaimFields)[] = [
  'source_id', 'via_source_id', 'facet', 'text', 'quote', 'value', 'published_at', 'url', 'archive_url', 'document_id', 'span_start', 'span_end',
];

/** The column a claim field is read from, as the export names it. */
const COLUMN_OF: Record<string, ImportColumn> = { text: 'statement', source_id: 'source', via_source_id: 'via' };

/** The import's text columns: a number in one (a value of 10) is read as its digits. */
const TEXT_COLUMNS = new Set<ImportColumn>(['incident_slug', 'incident_title', 'incident', 'source', 'via', 'facet', 'statement', 'quote', 'value', 'published_at', 'url', 'archive_url', 'created_at']);

/** A date a spreadsheet program rewrote in its own way (24/03/2023, 3.24.23) is the likeliest cause: said so. */
function withDateHint(message: string, cell: Cell | undefined): string {
  return typeof cell === 'string' && /^\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b/.test(cell) && !/^\s*\d{4}-\d{2}-\d{2}/.test(cell)
    ? `${message}; "${cell.trim()}" looks rewritten by a spreadsheet program: format the column as text, or as YYYY-MM-DD`
    : message;
}

function blank(cell: Cell | undefined): boolean {
  return cell === undefined || cell === null || (typeof cell === 'string' && cell.trim() === '');
}

function cellInput(column: ImportColumn, cell: Cell | undefined): unknown {
  return typeof cell === 'number' && TEXT_COLUMNS.has(column) ? String(cell) : cell;
}

/**
 * One import, a row at a time: `add` decides what each row means (and, when applying, writes it),
 * `report` sums up. Rows are forgotten once decided, so a file of any length is held in memory only
 * as its counts, the first LISTED_PER_KIND of each list, and the claim ids it has named.
 */
class ImportRun {
  private readonly hash: Hash = createHash('sha256');
  private readonly report: ImportReport;
  private readonly claimIdsSeen = new Map<number, RowPlace>();
  /** Live claims matched by content to a row without an id: each matches one row at most. */
  private readonly matched = new Set<number>();
  private readonly newIncidents = new Map<string, IncidentRef>();
  private readonly newIncidentsBySlug = new Map<string, IncidentRef>();
  private readonly newSources = new Map<string, SourceRef>();
  private readonly sourcesWithoutKind = new Map<string, RowPlace>();
  private readonly incidentsNamed = new Map<string, IncidentRef>();
  /** The incidents that were there before and were written to, for the server to forget what it had made of them. */
  readonly touched = new Set<number>();
  /** Where the row being decided is, for what is noted on the way (a new incident, a warning). */
  private pendingPlace: RowPlace = { row: 0 };

  /**
   * The highest ids when the run began. A preview writes nothing, so what the run itself makes
   * (incidents, sources, claims) must not be found where it looks up what was there, or applying
   * would decide otherwise than the preview did.
   */
  private readonly before: { incident: number; source: number; claim: number };

  constructor(
    private readonly db: Database,
    private readonly options: ImportOptions,
    private readonly table: Pick<ImportTable, 'format' | 'delimiter' | 'ignored'>,
    /** The claims the file names by claim_id: never matched by content to another row, which would then vanish into them. */
    private readonly claimsNamed: ReadonlySet<number>,
  ) {
    const highest = (sql: string) => (prepared(db, sql).pluck().get() as number | null) ?? 0;
    this.before = {
      incident: highest('SELECT max(id) FROM incidents'),
      source: highest('SELECT max(id) FROM sources'),
      claim: highest('SELECT max(id) FROM claims'),
    };
    this.report = {
      format: table.format,
      ...(table.delimiter === undefined ? {} : { delimiter: table.delimiter }),
      dry_run: options.dryRun,
      applied: false,
      rows: 0,
      counts: { created: 0, updated: 0, unchanged: 0, invalid: 0, new_incidents: 0, new_sources: 0, warnings: 0 },
      created: [],
      updated: [],
      new_incidents: [],
      new_sources: [],
      errors: [],
      warnings: [],
      ignored_columns: [],
      incidents: [],
      digest: '',
    };
  }

  /** Writes only while every row so far is good: after a bad row the rest are checked, and all is undone. */
  private get writing(): boolean {
    return !this.options.dryRun && this.report.counts.invalid === 0;
  }

  private readonly incidentBySlug = memo((slug: string) => {
    const incident = getIncidentBySlugIncludingDeleted(this.db, slug);
    return incident && incident.id <= this.before.incident ? incident : undefined;
  });
  private titles: Map<string, Incident[]> | undefined;

  /** Every incident there was, by its title folded (case in any script, spacing): read once, when a row first names one by title. */
  private incidentsTitled(title: string): Incident[] {
    if (!this.titles) {
      this.titles = new Map();
      const rows = prepared(this.db, 'SELECT * FROM incidents WHERE id <= ? ORDER BY deleted_at IS NOT NULL, id').iterate(this.before.incident) as Iterable<Incident>;
      for (const incident of rows) {
        const key = titleKey(incident.title);
        const same = this.titles.get(key);
        if (same) same.push(incident);
        else this.titles.set(key, [incident]);
      }
    }
    return this.titles.get(titleKey(title)) ?? [];
  }
  private readonly sourceById = memo((id: number) => (id <= this.before.source ? getSource(this.db, id) : undefined));
  private readonly sourceByName = memo((nameKey: string) => {
    const source = getSourceByName(this.db, nameKey);
    return source && source.id <= this.before.source ? source : undefined;
  });
  private readonly documentOf = memo((id: number) => {
    const document = getDocument(this.db, id);
    return document && { incidentId: document.incident_id, length: document.text.length };
  });
  /**
   * The live claims of an incident by what they say, read the first time a row needs them. Left out:
   * claims the run made, and claims the file names by id (the only ones it changes), so that what is
   * read is the same whether the run has written yet or not.
   */
  private readonly claimsByContent = memo((incidentId: number) => {
    const byContent = new Map<string, number[]>();
    const rows = prepared(this.db, 'SELECT * FROM claims WHERE incident_id = ? AND deleted_at IS NULL AND id <= ? ORDER BY id').iterate(incidentId, this.before.claim) as Iterable<ClaimFields & { id: number }>;
    for (const claim of rows) {
      if (this.claimsNamed.has(claim.id)) continue;
      const key = contentKey(claim);
      const ids = byContent.get(key);
      if (ids) ids.push(claim.id);
      else byContent.set(key, [claim.id]);
    }
    return byContent;
  });

  add(record: ImportRecord): void {
    this.report.rows += 1;
    if (this.options.onProgress && this.report.rows % PROGRESS_EVERY === 0) this.options.onProgress(this.report.rows);
    const place: RowPlace = record.line === undefined ? { row: record.row } : { row: record.row, line: record.line };
    const issues: RowIssue[] = [];
    const refuse = (column: string, message: string) => issues.push({ ...place, column, message });
    const label = (column: string) => record.labels[column as ImportColumn] ?? column;
    if (record.problem !== undefined) {
      refuse('(row)', record.problem);
      return this.rowRefused(issues, place);
    }

    // The claim it updates, if it names one; the columns it lacks are then the claim's own.
    const claimId = ImportRow.shape.claim_id.safeParse(record.cells.claim_id);
    if (!claimId.success) {
      refuse(label('claim_id'), 'Claim id must be an id number');
      return this.rowRefused(issues, place);
    }
    const stored = claimId.data === undefined || claimId.data > this.before.claim ? undefined : getClaimIncludingDeleted(this.db, claimId.data);
    if (claimId.data !== undefined) {
      const id = claimId.data;
      const seen = this.claimIdsSeen.get(id);
      if (seen) refuse(label('claim_id'), `Claim ${id} is updated by an earlier row too (${where(seen)}): keep one of the two rows`);
      else this.claimIdsSeen.set(id, place);
      if (!stored) refuse(label('claim_id'), `No claim has id ${id}. To add the row as a new claim, leave claim_id empty`);
      else if (stored.deleted_at !== null) refuse(label('claim_id'), `Claim ${id} was deleted: an admin can restore it from its page before it is updated`);
      else if (stored.incident_deleted_at !== null) refuse(label('claim_id'), `The incident of claim ${id} was deleted: an admin can restore it first`);
      else if (typeof record.cells.created_at === 'string' && record.cells.created_at.trim() !== '' && record.cells.created_at.trim() !== stored.created_at) {
        refuse(label('claim_id'), `Claim ${id} here was made at ${stored.created_at}, not at ${record.cells.created_at.trim()} as the file says: the row is another database's claim (or a spreadsheet program rewrote its created_at: format that column as text). To add it as a new claim, leave claim_id empty`);
      }
    }
    if (stored && record.missingCells) {
      refuse('(row)', `The row has ${record.missingCells} cell${record.missingCells === 1 ? '' : 's'} fewer than the first line has columns: the missing ones would empty claim ${stored.id}'s fields. Give every cell (empty ones too)`);
    }
    // A name emptied beside an id still given: which of the two was meant cannot be told.
    for (const [name, id] of [['source', 'source_id'], ['via', 'via_source_id']] as const) {
      if (name in record.cells && blank(record.cells[name]) && !blank(record.cells[id])) {
        refuse(label(name), `${label(name)} is empty, but ${label(id)} still names source ${String(record.cells[id])}: empty both${name === 'via' ? ' to remove the outlet' : ''}, or give the name`);
      }
    }
    const input: Record<string, unknown> = {};
    if (stored) {
      for (const field of EDITABLE) input[field === 'text' ? 'statement' : field] = stored[field] ?? undefined;
      input.source_id = stored.source_id;
      input.via_source_id = stored.via_source_id ?? undefined;
    }
    for (const [column, cell] of Object.entries(record.cells) as [ImportColumn, Cell][]) input[column] = cellInput(column, cell);
    // A source named by name takes the place of the stored one's id, unless the file names an id too.
    if (stored && 'source' in record.cells && !('source_id' in record.cells)) input.source_id = undefined;
    if (stored && 'via' in record.cells && !('via_source_id' in record.cells)) input.via_source_id = undefined;
    const parsed = ImportRow.safeParse(input);
    if (!parsed.success) {
      for (const { path, message } of fieldIssues(parsed.error)) refuse(label(path), path === 'published_at' ? withDateHint(message, record.cells.published_at) : message);
      return this.rowRefused(issues, place);
    }
    const row = parsed.data;

    const incident = this.incidentOf(row, stored?.incident_id, refuse, label);
    const source = this.sourceOf({ id: row.source_id, name: row.source, idColumn: 'source_id', nameColumn: 'source' }, refuse, label, {
      kind: row.source_kind,
      affiliation: row.source_affiliation ?? null,
      place,
    });
    const via = this.sourceOf({ id: row.via_source_id, name: row.via, idColumn: 'via_source_id', nameColumn: 'via' }, refuse, label, {
      kind: 'media',
      affiliation: null,
      place,
      outlet: true,
    });
    if (source === undefined && row.source_id === undefined && row.source === undefined) refuse(label('source'), 'Source is required: name the source (or give its source_id)');
    if (source && via && source.key === via.key) refuse(label('via'), 'A source cannot come through itself');
    if (row.document_id !== undefined && incident) {
      const document = this.documentOf(row.document_id);
      if (!document || document.incidentId !== incident.existing?.id) refuse(label('document_id'), `This incident has no document with id ${row.document_id}`);
      else if (row.span_end !== undefined && row.span_end > document.length) refuse(label('span_end'), `Span end is past the end of the document (${document.length} characters)`);
    }
    if (issues.length > 0 || !incident || !source) return this.rowRefused(issues, place);

    const fields = {
      facet: row.facet,
      text: row.statement,
      quote: row.quote ?? null,
      value: row.value ?? null,
      published_at: row.published_at ?? null,
      url: row.url ?? null,
      archive_url: row.archive_url ?? null,
      document_id: row.document_id ?? null,
      span_start: row.span_start ?? null,
      span_end: row.span_end ?? null,
    };
    this.noteIncident(incident);
    if (stored) {
      const changes = changedFields(stored, fields, source, via, (id) => this.sourceById(id)?.name ?? String(id));
      this.decided(['update', stored.id, stored.version, changes.length === 0 ? 'same' : changes]);
      if (changes.length === 0) {
        this.report.counts.unchanged += 1;
        return;
      }
      this.report.counts.updated += 1;
      if (this.report.updated.length < LISTED_PER_KIND) this.report.updated.push({ ...place, claim_id: stored.id, incident: stored.incident_slug, changes });
      if (this.writing) {
        const outcome = updateClaim(this.db, stored.id, { ...fields, source_id: this.sourceId(source), via_source_id: via ? this.sourceId(via) : null }, stored.version, this.options.actor);
        if (outcome.outcome !== 'saved') throw new Error(`Claim ${stored.id} changed during its own import`);
        this.touched.add(stored.incident_id);
      }
      return;
    }
    // A row the database already holds word for word (imported before) is not added again.
    const sameAs = incident.existing && !source.isNew && !via?.isNew
      ? this.claimsByContent(incident.existing.id).get(contentKey({ ...fields, source_id: source.id!, via_source_id: via?.id ?? null }))?.find((id) => !this.matched.has(id))
      : undefined;
    if (sameAs !== undefined) {
      this.matched.add(sameAs);
      this.report.counts.unchanged += 1;
      this.decided(['same as', sameAs, incident.key]);
      return;
    }
    this.report.counts.created += 1;
    this.decided(['create', incident.key, source.key, via?.key ?? null, fields]);
    if (this.report.created.length < LISTED_PER_KIND) {
      this.report.created.push({ ...place, incident: incident.existing?.slug ?? incident.title, source: source.name, facet: fields.facet, statement: fields.text, value: fields.value });
    }
    if (this.writing) {
      // An incident the run makes has nothing the server could have kept.
      if (incident.existing) this.touched.add(incident.existing.id);
      createClaim(this.db, this.incidentId(incident), { ...fields, source_id: this.sourceId(source), via_source_id: via ? this.sourceId(via) : null }, this.options.actor);
    }
  }

  /** The row's incident: by id, by slug, or by name (a slug or a title); a new one when nothing matches a name. */
  private incidentOf(row: ImportRow, storedIncidentId: number | undefined, refuse: (column: string, message: string) => void, label: (column: string) => string): IncidentRef | undefined {
    let found: IncidentRef | undefined;
    let column = 'incident';
    if (row.incident_id !== undefined) {
      column = 'incident_id';
      const incident = row.incident_id <= this.before.incident ? getIncidentIncludingDeleted(this.db, row.incident_id) : undefined;
      if (!incident) return void refuse(label('incident_id'), `No incident has id ${row.incident_id}`);
      if (row.incident_slug !== undefined && row.incident_slug !== incident.slug) {
        return void refuse(label('incident_slug'), `Incident ${row.incident_id} is "${incident.slug}", not "${row.incident_slug}": give one of the two`);
      }
      found = { key: `id:${incident.id}`, existing: incident, title: incident.title };
    } else {
      const name = row.incident_slug ?? row.incident ?? row.incident_title;
      if (name === undefined) {
        if (storedIncidentId === undefined) return void refuse(label('incident'), 'Incident is required: give its slug or title');
        const incident = getIncidentIncludingDeleted(this.db, storedIncidentId)!;
        return { key: `id:${incident.id}`, existing: incident, title: incident.title };
      }
      column = row.incident_slug !== undefined ? 'incident_slug' : row.incident !== undefined ? 'incident' : 'incident_title';
      const bySlug = this.incidentBySlug(name);
      if (bySlug) found = { key: `id:${bySlug.id}`, existing: bySlug, title: bySlug.title };
      else {
        const title = row.incident_title ?? row.incident ?? name;
        const byTitle = this.incidentsTitled(title);
        if (byTitle.length > 1 && byTitle[1]!.deleted_at === null) {
          return void refuse(label(column), `More than one incident is titled "${title}": name it by its slug (incident_slug)`);
        }
        if (byTitle[0]) found = { key: `id:${byTitle[0].id}`, existing: byTitle[0], title: byTitle[0].title };
        // A row naming a new incident by the slug an earlier row's title gives it is about that one: so the file imported again finds it by that slug.
        else found = this.newIncidentsBySlug.get(name) ?? this.newIncident(title, refuse, label(column));
      }
    }
    if (!found) return undefined;
    if (found.existing?.deleted_at) return void refuse(label(column), `The incident "${found.existing.slug}" was deleted: an admin can restore it first`);
    if (storedIncidentId !== undefined && found.existing?.id !== storedIncidentId) {
      return void refuse(label(column), `A claim cannot move to another incident: claim's incident is "${getIncidentIncludingDeleted(this.db, storedIncidentId)?.slug}"`);
    }
    if (found.existing && row.incident_title !== undefined && row.incident_title !== found.existing.title) {
      this.warn(label('incident_title'), `The incident "${found.existing.slug}" is titled "${found.existing.title}"; an import does not rename incidents (edit it on its page)`);
    }
    return found;
  }

  private newIncident(title: string, refuse: (column: string, message: string) => void, column: string): IncidentRef | undefined {
    const key = `new:${titleKey(title)}`;
    let incident = this.newIncidents.get(key);
    if (incident) return incident;
    if (title.length > 300) return void refuse(column, 'A new incident’s title must be at most 300 characters');
    incident = { key, title };
    this.newIncidents.set(key, incident);
    if (!this.newIncidentsBySlug.has(slugify(title))) this.newIncidentsBySlug.set(slugify(title), incident);
    this.report.counts.new_incidents += 1;
    if (this.report.new_incidents.length < LISTED_PER_KIND) this.report.new_incidents.push({ ...this.pendingPlace, title });
    this.decided(['new incident', key]);
    return incident;
  }

  /** A source (or the outlet it came through) by id or by name: a new one, of the kind given, when no source has the name. */
  private sourceOf(
    given: { id: number | undefined; name: string | undefined; idColumn: ImportColumn; nameColumn: ImportColumn },
    refuse: (column: string, message: string) => void,
    label: (column: string) => string,
    create: { kind: SourceKind | undefined; affiliation: string | null; place: RowPlace; outlet?: boolean },
  ): SourceRef | undefined {
    if (given.id !== undefined) {
      const source = this.sourceById(given.id);
      if (!source) return void refuse(label(given.idColumn), `No source has id ${given.id}`);
      if (given.name !== undefined && sourceNameKey(given.name) !== sourceNameKey(source.name)) {
        return void refuse(label(given.nameColumn), `Source ${given.id} is "${source.name}", not "${given.name}": to change the claim's ${create.outlet ? 'outlet' : 'source'}, empty ${given.idColumn}`);
      }
      if (!create.outlet) this.checkSourceDetails(source, create, label);
      return { key: `id:${source.id}`, id: source.id, name: source.name, kind: source.kind, affiliation: source.affiliation, isNew: false };
    }
    if (given.name === undefined) return undefined;
    const nameKey = sourceNameKey(given.name);
    // A source the run makes is found as such, whether it has been made yet (an import) or not (a preview).
    const planned = this.newSources.get(nameKey);
    if (planned) return planned;
    const existing = this.sourceByName(nameKey);
    if (existing) {
      if (!create.outlet) this.checkSourceDetails(existing, create, label);
      return { key: `id:${existing.id}`, id: existing.id, name: existing.name, kind: existing.kind, affiliation: existing.affiliation, isNew: false };
    }
    if (create.kind === undefined) {
      // Said in full once; the other rows naming it point there.
      const first = this.sourcesWithoutKind.get(nameKey);
      if (first) return void refuse(label('source_kind'), `"${given.name}" is a new source without a kind (see ${where(first)})`);
      this.sourcesWithoutKind.set(nameKey, create.place);
      return void refuse(label('source_kind'), `"${given.name}" is a new source: give its kind in a source_kind column (one of: ${SOURCE_KINDS.join(', ')})`);
    }
    const source: SourceRef = { key: `new:${nameKey}`, name: given.name, kind: create.kind, affiliation: create.affiliation, isNew: true };
    this.newSources.set(nameKey, source);
    this.report.counts.new_sources += 1;
    if (this.report.new_sources.length < LISTED_PER_KIND) {
      this.report.new_sources.push({ ...create.place, name: source.name, kind: source.kind, affiliation: source.affiliation, outlet: create.outlet === true });
    }
    this.decided(['new source', source.key, source.kind, source.affiliation]);
    return source;
  }

  /** What the file says of an existing source that differs from it: said, and left, since an import changes claims only. */
  private checkSourceDetails(source: { name: string; kind: SourceKind; affiliation: string | null }, given: { kind: SourceKind | undefined; affiliation: string | null }, label: (column: string) => string): void {
    if (given.kind !== undefined && given.kind !== source.kind) {
      this.warn(label('source_kind'), `${source.name} is filed as ${source.kind}, not ${given.kind}; an import does not change sources (edit it on its page)`);
    }
    if (given.affiliation !== null && sourceNameKey(given.affiliation) !== sourceNameKey(source.affiliation ?? '')) {
      this.warn(label('source_affiliation'), `${source.name}'s affiliation is ${source.affiliation === null ? 'not given' : `"${source.affiliation}"`}, not "${given.affiliation}"; an import does not change sources (edit it on its page)`);
    }
  }

  private warn(column: string, message: string): void {
    this.report.counts.warnings += 1;
    if (this.report.warnings.length < LISTED_PER_KIND) this.report.warnings.push({ ...this.pendingPlace, column, message });
  }

  private noteIncident(incident: IncidentRef): void {
    if (this.incidentsNamed.size < LISTED_PER_KIND && !this.incidentsNamed.has(incident.key)) this.incidentsNamed.set(incident.key, incident);
  }

  private incidentId(incident: IncidentRef): number {
    if (incident.existing) return incident.existing.id;
    if (incident.id === undefined) {
      const made = createIncident(this.db, { title: incident.title, occurred_on: null, location: null, summary: null }, this.options.actor);
      incident.id = made.id;
      incident.slug = made.slug;
    }
    return incident.id;
  }

  private sourceId(source: SourceRef): number {
    source.id ??= createSource(this.db, { name: source.name, kind: source.kind, affiliation: source.affiliation, url: null, notes: null }, this.options.actor).id;
    return source.id;
  }

  private rowRefused(issues: RowIssue[], place: RowPlace): void {
    this.report.counts.invalid += 1;
    for (const issue of issues) if (this.report.errors.length < LISTED_PER_KIND) this.report.errors.push(issue);
    this.decided(['refused', place.row]);
  }

  /** Every decision goes into the digest, in order. */
  private decided(decision: unknown[]): void {
    this.hash.update(`${JSON.stringify(decision)}\n`);
  }

  /** Called before each row, so that what is noted while deciding it (a new incident, a warning) says where. */
  at(record: ImportRecord): this {
    this.pendingPlace = record.line === undefined ? { row: record.row } : { row: record.row, line: record.line };
    return this;
  }

  finish(): ImportReport {
    // A JSON file's columns are known once its first item is read.
    this.report.ignored_columns = this.table.ignored;
    this.report.digest = this.hash.digest('hex');
    this.report.incidents = [...this.incidentsNamed.values()].map((incident) => ({ slug: incident.existing?.slug ?? incident.slug ?? null, title: incident.title }));
    return this.report;
  }
}

/** A title folded for matching: as names are cleaned, then case in any script. */
function titleKey(title: string): string {
  return cleanName(title).normalize('NFKC').toLowerCase();
}

/** Line breaks as a spreadsheet saves them (LF), whichever the text was typed with. */
function lines(text: string | null): string | null {
  return text === null ? null : text.replace(/\r\n?/g, '\n');
}

function where(place: RowPlace): string {
  return place.line === undefined ? `item ${place.row}` : `line ${place.line}`;
}

/**
 * What a claim says, as a digest: two claims with the same are the same claim. A digest, not the
 * text, since every live claim of the incidents a file names is kept by it while the file is read.
 */
function contentKey(claim: ClaimFields): string {
  return contentDigest([
    claim.facet, claim.source_id, claim.via_source_id, lines(claim.text), lines(claim.quote), claim.value, claim.published_at, claim.url, claim.archive_url,
    claim.document_id, claim.span_start, claim.span_end,
  ]);
}

function contentDigest(content: unknown[]): string {
  return createHash('sha1').update(JSON.stringify(content)).digest('base64');
}

/** The fields a row changes on a stored claim, sources by name. */
function changedFields(
  stored: ClaimFields,
  fields: Omit<ClaimFields, 'source_id' | 'via_source_id'>,
  source: SourceRef,
  via: SourceRef | undefined,
  sourceName: (id: number) => string,
): ChangedField[] {
  const changes: ChangedField[] = [];
  if (source.id !== stored.source_id) changes.push({ field: 'source', from: sourceName(stored.source_id), to: source.name });
  if ((via?.id ?? (via ? -1 : null)) !== stored.via_source_id) {
    changes.push({ field: 'via', from: stored.via_source_id === null ? null : sourceName(stored.via_source_id), to: via?.name ?? null });
  }
  for (const field of EDITABLE) {
    if (field === 'source_id' || field === 'via_source_id') continue;
    const from = stored[field];
    const to = fields[field];
    // A text typed with CRLF in a form comes back from a spreadsheet with LF: the same text.
    const same = typeof from === 'string' && typeof to === 'string' ? lines(from) === lines(to) : from === to;
    if (!same) changes.push({ field: COLUMN_OF[field] ?? field, from, to });
  }
  return changes;
}

/** The report of a run that was refused: why, for the person who sent the file. */
function refusal(report: ImportReport): Invalid {
  const issues: FieldIssue[] = report.errors.map((issue) => ({ path: `${where(issue)}: ${issue.column}`, message: issue.message }));
  const first = report.errors.slice(0, 3).map((issue) => `${where(issue)}, ${issue.column}: ${issue.message}`).join('; ');
  return new Invalid(
    `${report.counts.invalid} of ${report.rows} row${report.rows === 1 ? '' : 's'} cannot be imported, so nothing was (${first}${report.counts.invalid > 3 ? '; …' : ''})`,
    issues,
  );
}

function changedSincePreview(): Conflict {
  return new Conflict(
    'What this file would change has changed since the preview (a claim it updates was edited, or an incident or source it would make now exists): nothing was imported. Preview the file again.',
  );
}

/** Why a finished run must not be kept: bad rows, or a preview that no longer holds. */
function refusalOf(report: ImportReport, options: ImportOptions): Error | undefined {
  // A row gone bad since the preview (its claim deleted) is a change since the preview first.
  if (options.expect !== undefined && options.expect !== report.digest) return changedSincePreview();
  if (report.counts.invalid > 0) return refusal(report);
  if (report.rows === 0) return new Invalid('The file has no rows below its first line: nothing was imported', [{ path: 'file', message: 'The file has no rows below its first line' }]);
  return undefined;
}

/** The claim ids a file's rows name, read before the rows are decided (see `claimsNamed`). */
function namedClaimId(record: ImportRecord): number | undefined {
  const parsed = ImportRow.shape.claim_id.safeParse(record.cells.claim_id);
  return parsed.success ? parsed.data : undefined;
}

/** The report of a finished run, or why it is refused: thrown for an import, and for a preview of a file without rows. */
function finished(run: ImportRun, options: ImportOptions): ImportReport {
  const report = run.finish();
  const refused = refusalOf(report, options);
  if (refused && (!options.dryRun || report.rows === 0)) throw refused;
  report.applied = !options.dryRun;
  return report;
}

/**
 * Imports rows already read, in one transaction of the caller's connection (a savepoint inside a
 * request's write batch): for an in-memory database, whose rows are few and which no thread but the
 * server's can open. A preview writes nothing; a refused import is undone whole.
 */
export function importRecords(db: Database, table: Pick<ImportTable, 'format' | 'delimiter' | 'ignored'>, records: readonly ImportRecord[], options: ImportOptions): { report: ImportReport; touched: number[] } {
  const named = new Set(records.map(namedClaimId).filter((id) => id !== undefined));
  return db.transaction(() => {
    const run = new ImportRun(db, options, table, named);
    for (const record of records) run.at(record).add(record);
    // Thrown inside the transaction, so that what the rows wrote is undone.
    return { report: finished(run, options), touched: [...run.touched] };
  })();
}

/**
 * Imports a file as it streams in, on a connection no one else uses (the import thread's, or the
 * `claimgrid` command's): a read transaction for a preview, so it sees one state of the database
 * throughout; for an import, the write lock from the first row to the commit. The file is read
 * twice: first for the claim ids it names, then row by row.
 */
export async function importStreaming(db: Database, table: ImportTable, options: ImportOptions): Promise<{ report: ImportReport; touched: number[] }> {
  const named = new Set<number>();
  for await (const record of table.rows()) {
    const id = namedClaimId(record);
    if (id !== undefined) named.add(id);
  }
  db.exec(options.dryRun ? 'BEGIN' : 'BEGIN IMMEDIATE');
  try {
    const run = new ImportRun(db, options, table, named);
    for await (const record of table.rows()) run.at(record).add(record);
    const report = finished(run, options);
    db.exec(options.dryRun ? 'ROLLBACK' : 'COMMIT');
    return { report, touched: [...run.touched] };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** An uploaded file, as the server stored it, and its format when the upload said (a JSON or CSV content type). */
export interface Upload {
  path: string;
  format?: ImportFormat;
}

/**
 * Previews (`dryRun`) or applies the file `upload`: on the import thread for a database file, in
 * the caller's own transaction for an in-memory database (whose rows are a test's or a demo's few).
 * After an import, what the server kept of the incidents it wrote to is forgotten.
 */
export async function importFile(db: Database, upload: Upload, options: ImportOptions): Promise<ImportReport> {
  if (db.memory) {
    const table = await openImportFile(upload.path, upload.format);
    const records: ImportRecord[] = [];
    for await (const record of table.rows()) records.push(record);
    // The request's write batch has committed while the file was read: the writes join the one open now.
    if (!options.dryRun) joinWriteBatchIfBatching(db);
    const { report, touched } = importRecords(db, table, records, options);
    await forgetWhatWasMadeOf(db, touched);
    return report;
  }
  const { onProgress, ...sent } = options;
  const job = () => importOffThread({ database: db.name, upload: upload.path, ...(upload.format ? { format: upload.format } : {}), options: sent }, onProgress);
  let outcome: ImportOutcome;
  try {
    // An import holds the write lock for seconds: the server's writes wait for it (db/commits.ts).
    outcome = await (options.dryRun ? job() : asOnlyWriter(db, job));
  } catch (error) {
    if (error instanceof ImportBusy) throw new TooBusy(`Other imports are waiting (${error.message}): nothing was done; try again in a minute.`);
    // Abandoned with its thread, its transaction never committed.
    if (error instanceof ImportTooSlow) throw new TooBusy(`The import was stopped: ${error.message}. Split the file and import the parts.`);
    throw error;
  }
  if ('report' in outcome && outcome.report.applied) await forgetWhatWasMadeOf(db, outcome.touched);
  return reportOf(outcome);
}

/**
 * The comparisons, summaries and tallies the server made of incidents another connection wrote to:
 * its caches hear of changes only from its own writes, and a summary stored between the import's
 * commit and now would be of the incident as it was. A slice of incidents a turn: an import may
 * touch thousands. The import is in whatever happens here: a failure is logged, not reported as
 * the import's.
 */
async function forgetWhatWasMadeOf(db: Database, incidentIds: number[]): Promise<void> {
  for (let start = 0; start < incidentIds.length; start += FORGOTTEN_PER_TURN) {
    if (start > 0) await ownTurn();
    const slice = incidentIds.slice(start, start + FORGOTTEN_PER_TURN);
    if (!db.memory) {
      try {
        joinWriteBatchIfBatching(db);
        db.transaction(() => {
          for (const id of slice) forgetSummary(db, id);
        })();
      } catch (error) {
        console.error(`After an import, ${slice.length} incidents' stored summaries could not be forgotten:`, error instanceof Error ? error.message : error);
      }
    }
    // Only these: every other incident's comparison still holds (a new source has claims in these alone).
    for (const id of slice) announceChange(db, id);
  }
}

/** Incidents whose stored summaries are forgotten in one turn of the event loop. */
const FORGOTTEN_PER_TURN = 200;
