import { facetKey } from '../compare/comparison.js';
import { memo } from '../memo.js';
import { type Database, type EditOutcome, nowIso, prepared } from './database.js';
import { editVersioned, recordChange, setDeleted } from './history.js';
import { getAnyIncident } from './incidents.js';
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
}

export interface Claim extends ClaimFields {
  id: number;
  incident_id: number;
  /** The facet folded for matching: lower case, spaces collapsed. */
  facet_key: string;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: number | null;
  updated_by: number | null;
  deleted_at: string | null;
  deleted_by: number | null;
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
  created_by_name: string | null;
  updated_by_name: string | null;
}

const CLAIM_ROWS = `
  SELECT c.id, c.incident_id, c.source_id, c.via_source_id, c.facet, c.facet_key, c.text, c.quote, c.value,
         c.published_at, c.url, c.archive_url, c.version, c.created_at, c.updated_at, c.created_by, c.updated_by,
         c.deleted_at, c.deleted_by
    FROM claims c
    JOIN incidents i ON i.id = c.incident_id`;

/**
 * Rows of CLAIM_ROWS, read as arrays, as objects with the names beside them. better-sqlite3 builds
 * an object of named columns two and a half times slower than the literal below, and joined names
 * would be one new string per row: here each incident, source and user is read once per call and
 * its strings shared by all its claims (measured with an incident of 50,000 claims, whose page reads
 * them all). test/claims.test.ts checks every field against a plain join.
 */
/**
 * The incidents, sources and users beside a set of claims, each read once (by the noun's own getter)
 * however many claims name it.
 */
export function claimNames(db: Database) {
  return {
    incident: memo((id: number) => getAnyIncident(db, id)!),
    source: memo((id: number) => getSource(db, id)!),
    user: memo((id: number | null) => (id === null ? null : (getUser(db, id)?.name ?? null))),
  };
}

function claimRows(sql: string, db: Database, ...parameters: unknown[]): ClaimRow[] {
  const { incident, source, user } = claimNames(db);
  return (prepared(db, sql).raw(true).all(...parameters) as unknown[][]).map((r) => {
    const { slug, title, deleted_at } = incident(r[1] as number);
    const { name, kind, affiliation } = source(r[2] as number);
    return {
      id: r[0], incident_id: r[1], source_id: r[2], via_source_id: r[3], facet: r[4], facet_key: r[5], text: r[6],
      quote: r[7], value: r[8], published_at: r[9], url: r[10], archive_url: r[11], version: r[12], created_at: r[13],
      updated_at: r[14], created_by: r[15], updated_by: r[16], deleted_at: r[17], deleted_by: r[18],
      incident_slug: slug, incident_title: title, incident_deleted_at: deleted_at, source_name: name, source_kind: kind,
      source_affiliation: affiliation, via_name: r[3] === null ? null : source(r[3] as number).name,
      created_by_name: user(r[15] as number | null), updated_by_name: user(r[16] as number | null),
    } as ClaimRow;
  });
}

/** The claims people see: deleted ones (or those of a deleted incident) are kept for restoring but left out of everything else. */
const LIVE_CLAIM_ROWS = `${CLAIM_ROWS} WHERE c.deleted_at IS NULL AND i.deleted_at IS NULL`;

export function listClaimsForIncident(db: Database, incidentId: number): ClaimRow[] {
  return claimRows(`${LIVE_CLAIM_ROWS} AND c.incident_id = ? ORDER BY c.id`, db, incidentId);
}

/** Claims made by the source or carried through it as an outlet, newest incident first. */
export function listClaimsForSource(db: Database, sourceId: number): ClaimRow[] {
  return claimRows(
    `${LIVE_CLAIM_ROWS} AND (c.source_id = @id OR c.via_source_id = @id)
      ORDER BY i.occurred_on IS NULL, i.occurred_on DESC, i.id DESC, c.facet_key, c.id`,
    db,
    { id: sourceId },
  );
}

/** A claim, deleted or not. */
export function getClaim(db: Database, id: number): ClaimRow | undefined {
  return claimRows(`${CLAIM_ROWS} WHERE c.id = ?`, db, id)[0];
}

export function listDeletedClaims(db: Database): ClaimRow[] {
  return claimRows(`${CLAIM_ROWS} WHERE c.deleted_at IS NOT NULL ORDER BY c.deleted_at DESC`, db);
}

/** The incident's facets, each in the spelling first used, for suggestions in the claim form. */
export function listFacets(db: Database, incidentId: number): string[] {
  return prepared(
    db,
    `SELECT facet FROM claims c
      WHERE incident_id = ? AND deleted_at IS NULL
        AND id = (SELECT min(id) FROM claims WHERE incident_id = c.incident_id AND facet_key = c.facet_key AND deleted_at IS NULL)
      ORDER BY id`,
  )
    .pluck()
    .all(incidentId) as string[];
}

function storedClaim(db: Database, id: number): Claim | undefined {
  return prepared(db, 'SELECT * FROM claims WHERE id = ?').get(id) as Claim | undefined;
}

export function createClaim(db: Database, incidentId: number, fields: ClaimFields, actor: number | null = null): Claim {
  return db.transaction(() => {
    const now = nowIso();
    const claim = prepared(
      db,
      `INSERT INTO claims (incident_id, source_id, via_source_id, facet, facet_key, text, quote, value,
                           published_at, url, archive_url, created_at, updated_at, created_by, updated_by)
       VALUES (@incident_id, @source_id, @via_source_id, @facet, @facet_key, @text, @quote, @value,
               @published_at, @url, @archive_url, @now, @now, @actor, @actor)
       RETURNING *`,
    ).get({ ...fields, incident_id: incidentId, facet_key: facetKey(fields.facet), now, actor }) as Claim;
    recordChange(db, 'claim', claim.id, 'create', actor, null, claim);
    return claim;
  })();
}

/** Saves `fields` over a live claim if it is still at `version` (undefined: whatever version it is at). */
export function updateClaim(
  db: Database,
  id: number,
  fields: ClaimFields,
  version: number | undefined,
  actor: number | null = null,
): EditOutcome<Claim> {
  return editVersioned(
    db,
    'claim',
    id,
    version,
    actor,
    () => {
      const claim = storedClaim(db, id);
      return claim?.deleted_at === null && getAnyIncident(db, claim.incident_id)?.deleted_at === null ? claim : undefined;
    },
    () =>
      prepared(
        db,
        `UPDATE claims
            SET source_id = @source_id, via_source_id = @via_source_id, facet = @facet, facet_key = @facet_key,
                text = @text, quote = @quote, value = @value, published_at = @published_at,
                url = @url, archive_url = @archive_url, version = version + 1, updated_at = @now, updated_by = @actor
          WHERE id = @id
          RETURNING *`,
      ).get({ ...fields, id, facet_key: facetKey(fields.facet), now: nowIso(), actor }) as Claim,
  );
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
  'archive_url', 'created_at', 'updated_at',
] as const;

const EXPORT_ROWS = `
  SELECT ${EXPORTED_CLAIM_COLUMNS.map((column) => `c.${column}`).join(', ')}
    FROM claims c
    JOIN incidents i ON i.id = c.incident_id
   WHERE c.deleted_at IS NULL AND i.deleted_at IS NULL`;

/**
 * Every live claim of one incident (or of all incidents), in id order, as batches of arrays of
 * `EXPORTED_CLAIM_COLUMNS`. Batches rather than one open iterator: the connection stays free for
 * other requests between batches while a slow client downloads, and memory holds one batch at a
 * time. Arrays rather than objects: a million-row export builds no million objects.
 */
/** A row of EXPORTED_CLAIM_COLUMNS. */
export type ExportedClaim = [
  id: number, incident_id: number, facet: string, source_id: number, via_source_id: number | null, text: string,
  quote: string | null, value: string | null, published_at: string | null, url: string | null,
  archive_url: string | null, created_at: string, updated_at: string,
];

export function* exportClaimBatches(db: Database, incidentId: number | undefined, batchSize: number): Generator<ExportedClaim[]> {
  const batch =
    incidentId === undefined
      ? prepared(db, `${EXPORT_ROWS} AND c.id > ? ORDER BY c.id LIMIT ?`)
      : prepared(db, `${EXPORT_ROWS} AND c.incident_id = ? AND c.id > ? ORDER BY c.id LIMIT ?`);
  batch.raw(true);
  let after = 0;
  for (;;) {
    const rows = (incidentId === undefined ? batch.all(after, batchSize) : batch.all(incidentId, after, batchSize)) as ExportedClaim[];
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]![0];
  }
}
