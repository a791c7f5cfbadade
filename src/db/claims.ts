import { facetKey } from '../compare/comparison.js';
import { memo } from '../memo.js';
import { type Database, type EditOutcome, inIdOrder, nowIso, prepared, type SoftDeleted, type Versioned } from './database.js';
import { createRecorded, editVersioned, recordChanges, setDeleted } from './history.js';
import { getDocumentHeading } from './documents.js';
import { getIncidentIncludingDeleted } from './incidents.js';
import { getSource, type SourceKind } from './sources.js';
import { getUser } from './users.js';

export interface ClaimFields {
  source_id: number;
  via_source_id: number | null;
  facet: string;
  text: string;
  quote: string | null;
  value: string | null;
  published_at: string | null;
  url: string | null;
  archive_url: string | null;
  /** The document the claim was taken from, and its sentence's place in the document's text. */
  document_id: number | null;
  span_start: number | null;
  span_end: number | null;
}

export interface Claim extends ClaimFields, Versioned, SoftDeleted {
  incident_id: number;
  /** The facet folded for matching: lower case, spaces collapsed. */
  facet_key: string;
}

/** A claim with the names a reader needs beside it. */
export interface ClaimRow extends Claim {
  incident_slug: string;
  incident_title: string;
  incident_deleted_at: string | null;
  source_name: string;
  source_kind: SourceKind;
  source_affiliation: string | null;
  via_name: string | null;
  /** The document's title (or null), and where it was published. */
  document_title: string | null;
  document_url: string | null;
  created_by_name: string | null;
  updated_by_name: string | null;
}

/** The stored columns of a claim, in the order CLAIM_ROWS selects them. */
const CLAIM_COLUMNS = [
  'id', 'incident_id', 'source_id', 'via_source_id', 'facet', 'facet_key', 'text', 'quote', 'value', 'published_at',
  'url', 'archive_url', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by', 'deleted_at', 'deleted_by',
  'document_id', 'span_start', 'span_end',
] as const satisfies readonly (keyof Claim)[];

const CLAIM_ROWS = `
  SELECT ${CLAIM_COLUMNS.map((column) => `c.${column}`).join(', ')}
    FROM claims c
    JOIN incidents i ON i.id = c.incident_id`;

/** The incidents, sources and users beside a set of claims, each read once (by the noun's own getter) however many claims name it. */
export function claimNames(db: Database) {
  return {
    incident: memo((id: number) => getIncidentIncludingDeleted(db, id)!),
    source: memo((id: number) => getSource(db, id)!),
    user: memo((id: number | null) => (id === null ? null : (getUser(db, id)?.name ?? null))),
    document: memo((id: number | null) => (id === null ? null : (getDocumentHeading(db, id) ?? null))),
  };
}

type ClaimNames = ReturnType<typeof claimNames>;

/**
 * Builds a ClaimRow from a row read as an array in CLAIM_COLUMNS order, with the names beside it,
 * as one object literal: see docs/decisions/004-claim-rows-read-as-arrays.md for why. The literal
 * is written out from CLAIM_COLUMNS once, here, so the column list is the only place that names
 * the columns and their positions. test/claims.test.ts checks every field against a plain join.
 */
const claimRowFromArray = new Function(
  'names',
  `return (r) => {
    const incident = names.incident(r[${CLAIM_COLUMNS.indexOf('incident_id')}]);
    const source = names.source(r[${CLAIM_COLUMNS.indexOf('source_id')}]);
    const via = r[${CLAIM_COLUMNS.indexOf('via_source_id')}];
    return {
      ${CLAIM_COLUMNS.map((column, index) => `${column}: r[${index}],`).join(' ')}
      incident_slug: incident.slug, incident_title: incident.title, incident_deleted_at: incident.deleted_at,
      source_name: source.name, source_kind: source.kind, source_affiliation: source.affiliation,
      via_name: via === null ? null : names.source(via).name,
      document_title: names.document(r[${CLAIM_COLUMNS.indexOf('document_id')}])?.title ?? null,
      document_url: names.document(r[${CLAIM_COLUMNS.indexOf('document_id')}])?.url ?? null,
      created_by_name: names.user(r[${CLAIM_COLUMNS.indexOf('created_by')}]),
      updated_by_name: names.user(r[${CLAIM_COLUMNS.indexOf('updated_by')}]),
    };
  }`,
) as (names: ClaimNames) => (row: unknown[]) => ClaimRow;

function claimRows(sql: string, db: Database, ...parameters: unknown[]): ClaimRow[] {
  return (prepared(db, sql).raw(true).all(...parameters) as unknown[][]).map(claimRowFromArray(claimNames(db)));
}

/** The claims people see: deleted ones (or those of a deleted incident) are kept for restoring but left out of everything else. */
const LIVE_CLAIM_ROWS = `${CLAIM_ROWS} WHERE c.deleted_at IS NULL AND i.deleted_at IS NULL`;

/**
 * The incident's live claims in id order, `batchSize` at a time, so a caller may let other work run
 * between batches (read them from a snapshot: see snapshots.ts).
 */
export function listClaimsForIncidentInBatches(db: Database, incidentId: number, batchSize: number): Generator<ClaimRow[]> {
  const toRow = claimRowFromArray(claimNames(db));
  const batch = prepared(db, `${LIVE_CLAIM_ROWS} AND c.incident_id = ? AND c.id > ? ORDER BY c.id LIMIT ?`).raw(true);
  return inIdOrder((after, limit) => (batch.all(incidentId, after, limit) as unknown[][]).map(toRow), (claim) => claim.id, batchSize);
}

/** What a document's page and review need of a claim taken from it: where it stands and what it says. */
export interface ClaimSpan {
  id: number;
  incident_slug: string;
  span_start: number;
  span_end: number;
  facet: string;
  facet_key: string;
  value: string | null;
  source_name: string;
  via_name: string | null;
}

/**
 * The live claims taken from a document with a span, in text order, in one joined query: a
 * document may give thousands of claims, and reading each one's names apart held its page.
 */
export function listClaimSpansOfDocument(db: Database, documentId: number): ClaimSpan[] {
  return prepared(
    db,
    `SELECT c.id, i.slug AS incident_slug, c.span_start, c.span_end, c.facet, c.facet_key, c.value, s.name AS source_name, v.name AS via_name
       FROM claims c
       JOIN incidents i ON i.id = c.incident_id
       JOIN sources s ON s.id = c.source_id
       LEFT JOIN sources v ON v.id = c.via_source_id
      WHERE c.document_id = ? AND c.span_start IS NOT NULL AND c.span_end IS NOT NULL AND c.deleted_at IS NULL AND i.deleted_at IS NULL
      ORDER BY c.span_start, c.span_end DESC, c.id`,
  ).all(documentId) as ClaimSpan[];
}

/** How many live claims the incident has, without reading them. */
export function countClaimsForIncident(db: Database, incidentId: number): number {
  return prepared(db, 'SELECT count(*) FROM claims WHERE incident_id = ? AND deleted_at IS NULL').pluck().get(incidentId) as number;
}

/** The live claims of one facet of an incident (by its folded key), in id order. */
export function listClaimsForFacet(db: Database, incidentId: number, facetKey: string): ClaimRow[] {
  return claimRows(`${LIVE_CLAIM_ROWS} AND c.incident_id = ? AND c.facet_key = ? ORDER BY c.id`, db, incidentId, facetKey);
}

/** Claims a source page lists: newest incident first, then by facet. */
const BY_INCIDENT_NEWEST = 'ORDER BY i.occurred_on IS NULL, i.occurred_on DESC, i.id DESC, c.facet_key, c.id';

/** The live claims the source made (`made`) or carried as an outlet (`carried`), a page of them. */
export function listClaimsOfSource(db: Database, sourceId: number, role: 'made' | 'carried', page: { limit: number; offset: number }): ClaimRow[] {
  const column = role === 'made' ? 'c.source_id' : 'c.via_source_id';
  return claimRows(`${LIVE_CLAIM_ROWS} AND ${column} = ? ${BY_INCIDENT_NEWEST} LIMIT ? OFFSET ?`, db, sourceId, page.limit, page.offset);
}

/** How many live claims the source made, and carried as an outlet. */
export function countClaimsOfSource(db: Database, sourceId: number): { made: number; carried: number } {
  return prepared(
    db,
    `SELECT count(*) FILTER (WHERE c.source_id = @id) AS made, count(*) FILTER (WHERE c.via_source_id = @id) AS carried
       FROM claims c JOIN incidents i ON i.id = c.incident_id
      WHERE (c.source_id = @id OR c.via_source_id = @id) AND c.deleted_at IS NULL AND i.deleted_at IS NULL`,
  ).get({ id: sourceId }) as { made: number; carried: number };
}

export function getClaimIncludingDeleted(db: Database, id: number): ClaimRow | undefined {
  return claimRows(`${CLAIM_ROWS} WHERE c.id = ?`, db, id)[0];
}

/** The claims with these ids, deleted or not, in id order (a batch just saved, read back in one query). */
export function listClaimsByIds(db: Database, ids: number[]): ClaimRow[] {
  return claimRows(`${CLAIM_ROWS} WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id`, db, JSON.stringify(ids));
}

export function listDeletedClaims(db: Database): ClaimRow[] {
  return claimRows(`${CLAIM_ROWS} WHERE c.deleted_at IS NOT NULL ORDER BY c.deleted_at DESC`, db);
}

/**
 * The incident's facets, each in the spelling first used, for suggestions in the claim form: the
 * first `limit` of them (a form offering thousands helps no one, and rendering them held the server).
 */
export function listFacets(db: Database, incidentId: number, limit = 500): string[] {
  return prepared(
    db,
    // Grouped once, not a sub-query per claim: that was quadratic (9 s for an incident of 13,700 facets).
    `SELECT c.facet FROM claims c
       JOIN (SELECT min(id) AS id FROM claims WHERE incident_id = ? AND deleted_at IS NULL GROUP BY facet_key) first ON first.id = c.id
      ORDER BY c.id LIMIT ?`,
  )
    .pluck()
    .all(incidentId, limit) as string[];
}

function storedClaim(db: Database, id: number): Claim | undefined {
  return prepared(db, 'SELECT * FROM claims WHERE id = ?').get(id) as Claim | undefined;
}

export function createClaim(db: Database, incidentId: number, fields: ClaimFields, actor: number | null = null): Claim {
  return createRecorded(db, 'claim', actor, (now) =>
    prepared(
      db,
      `INSERT INTO claims (incident_id, source_id, via_source_id, facet, facet_key, text, quote, value,
                           published_at, url, archive_url, document_id, span_start, span_end, created_at, updated_at, created_by, updated_by)
       VALUES (@incident_id, @source_id, @via_source_id, @facet, @facet_key, @text, @quote, @value,
               @published_at, @url, @archive_url, @document_id, @span_start, @span_end, @now, @now, @actor, @actor)
       RETURNING *`,
    ).get({ ...fields, incident_id: incidentId, facet_key: facetKey(fields.facet), now, actor }) as Claim,
  );
}

/** Saves `fields` over a live claim if it is still at `version` (undefined: whatever version it is at). */
export function updateClaim(db: Database, id: number, fields: ClaimFields, version: number | undefined, actor: number | null = null): EditOutcome<Claim> {
  const current = () => {
    const claim = storedClaim(db, id);
    return claim?.deleted_at === null && getIncidentIncludingDeleted(db, claim.incident_id)?.deleted_at === null ? claim : undefined;
  };
  const write = (now: string) =>
    prepared(
      db,
      `UPDATE claims
          SET source_id = @source_id, via_source_id = @via_source_id, facet = @facet, facet_key = @facet_key,
              text = @text, quote = @quote, value = @value, published_at = @published_at,
              url = @url, archive_url = @archive_url, document_id = @document_id, span_start = @span_start, span_end = @span_end,
              version = version + 1, updated_at = @now, updated_by = @actor
        WHERE id = @id
        RETURNING *`,
    ).get({ ...fields, id, facet_key: facetKey(fields.facet), now, actor }) as Claim;
  return editVersioned(db, { entity: 'claim', id, version, actor, current, write });
}

/**
 * The facet's spelling in the incident, as the grid shows it (its earliest entered live claim's, as
 * the comparison chooses), if any live claim is on it.
 */
export function getFacetSpelling(db: Database, incidentId: number, key: string): string | undefined {
  return prepared(db, 'SELECT trim(facet) FROM claims WHERE incident_id = ? AND facet_key = ? AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1')
    .pluck()
    .get(incidentId, key) as string | undefined;
}

/**
 * Moves the claims of an incident on one facet, deleted ones too (so that one restored later lands
 * with the rest), to another spelling: the first `limit` of them by id. Each claim's change is in its
 * history. Returns how many moved; fewer than `limit` means none is left.
 */
export function moveFacetClaims(db: Database, incidentId: number, fromKey: string, to: string, actor: number | null, limit: number): number {
  return db.transaction(() => {
    // Claims already spelled `to` are left: a rename that changes only the case keeps the key.
    const before = prepared(db, 'SELECT * FROM claims WHERE incident_id = ? AND facet_key = ? AND facet <> ? ORDER BY id LIMIT ?').all(incidentId, fromKey, to, limit) as Claim[];
    if (before.length === 0) return 0;
    const after = prepared(
      db,
      `UPDATE claims SET facet = @to, facet_key = @key, version = version + 1, updated_at = @now, updated_by = @actor
        WHERE incident_id = @incidentId AND facet_key = @fromKey AND facet <> @to AND id <= @last
        RETURNING *`,
    ).all({ to, key: facetKey(to), now: nowIso(), actor, incidentId, fromKey, last: before[before.length - 1]!.id }) as Claim[];
    const afterById = new Map(after.map((claim) => [claim.id, claim]));
    recordChanges(db, 'claim', 'update', actor, before.map((claim) => ({ id: claim.id, before: claim, after: afterById.get(claim.id)! })));
    return after.length;
  })();
}

/** Marks the claim deleted: it leaves the comparison and exports, and an admin can restore it. */
export function deleteClaim(db: Database, id: number, actor: number | null = null): boolean {
  return setDeleted(db, 'claim', id, true, actor);
}

export function restoreClaim(db: Database, id: number, actor: number | null = null): boolean {
  return setDeleted(db, 'claim', id, false, actor);
}

/** The claim columns `exportClaimBatches` yields, in order; names of incidents and sources are looked up once per export, not joined into every row. */
const EXPORTED_CLAIM_COLUMNS = [
  'id', 'incident_id', 'facet', 'source_id', 'via_source_id', 'text', 'quote', 'value', 'published_at', 'url',
  'archive_url', 'created_at', 'updated_at', 'document_id', 'span_start', 'span_end',
] as const;

const EXPORT_ROWS = `
  SELECT ${EXPORTED_CLAIM_COLUMNS.map((column) => `c.${column}`).join(', ')}
    FROM claims c
    JOIN incidents i ON i.id = c.incident_id
   WHERE c.deleted_at IS NULL AND i.deleted_at IS NULL`;

/** A row of EXPORTED_CLAIM_COLUMNS. */
export type ExportedClaim = [
  id: number, incident_id: number, facet: string, source_id: number, via_source_id: number | null, text: string,
  quote: string | null, value: string | null, published_at: string | null, url: string | null,
  archive_url: string | null, created_at: string, updated_at: string, document_id: number | null,
  span_start: number | null, span_end: number | null,
];

/**
 * Every live claim of one incident (or of all incidents), in id order, as batches (see `inIdOrder`)
 * of arrays of `EXPORTED_CLAIM_COLUMNS`. Arrays rather than objects: a million-row export builds no
 * million objects.
 */
export function exportClaimBatches(db: Database, incidentId: number | undefined, batchSize: number): Generator<ExportedClaim[]> {
  const batch =
    incidentId === undefined
      ? prepared(db, `${EXPORT_ROWS} AND c.id > ? ORDER BY c.id LIMIT ?`)
      : prepared(db, `${EXPORT_ROWS} AND c.incident_id = ? AND c.id > ? ORDER BY c.id LIMIT ?`);
  batch.raw(true);
  const read = (after: number, limit: number) =>
    (incidentId === undefined ? batch.all(after, limit) : batch.all(incidentId, after, limit)) as ExportedClaim[];
  return inIdOrder(read, (row) => row[0], batchSize);
}
