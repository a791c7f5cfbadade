import { facetKey } from '../compare/comparison.js';
import { type Database, nowIso, prepared } from './database.js';
import type { SourceKind } from './sources.js';

/** A claim with the names a reader needs beside it. */
export interface ClaimRow extends Claim {
  incident_slug: string;
  incident_title: string;
  source_name: string;
  source_kind: SourceKind;
  source_affiliation: string | null;
  via_name: string | null;
}

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
  created_at: string;
  updated_at: string;
}

const CLAIM_ROWS = `
  SELECT c.*,
         i.slug AS incident_slug, i.title AS incident_title,
         s.name AS source_name, s.kind AS source_kind, s.affiliation AS source_affiliation,
         v.name AS via_name
    FROM claims c
    JOIN incidents i ON i.id = c.incident_id
    JOIN sources s ON s.id = c.source_id
    LEFT JOIN sources v ON v.id = c.via_source_id`;

export function listClaimsForIncident(db: Database, incidentId: number): ClaimRow[] {
  return prepared(db, `${CLAIM_ROWS} WHERE c.incident_id = ? ORDER BY c.id`).all(incidentId) as ClaimRow[];
}

/** Claims made by the source or carried through it as an outlet, newest incident first. */
export function listClaimsForSource(db: Database, sourceId: number): ClaimRow[] {
  return prepared(
    db,
    `${CLAIM_ROWS}
      WHERE c.source_id = @id OR c.via_source_id = @id
      ORDER BY i.occurred_on IS NULL, i.occurred_on DESC, i.id DESC, c.facet_key, c.id`,
  ).all({ id: sourceId }) as ClaimRow[];
}

export function getClaim(db: Database, id: number): ClaimRow | undefined {
  return prepared(db, `${CLAIM_ROWS} WHERE c.id = ?`).get(id) as ClaimRow | undefined;
}

/** The incident's facets, each in the spelling first used, for suggestions in the claim form. */
export function listFacets(db: Database, incidentId: number): string[] {
  const rows = prepared(
    db,
    `SELECT facet FROM claims c
      WHERE incident_id = ? AND id = (SELECT min(id) FROM claims WHERE incident_id = c.incident_id AND facet_key = c.facet_key)
      ORDER BY id`,
  ).all(incidentId) as { facet: string }[];
  return rows.map((row) => row.facet);
}

export function createClaim(db: Database, incidentId: number, fields: ClaimFields): Claim {
  const now = nowIso();
  return prepared(
    db,
    `INSERT INTO claims (incident_id, source_id, via_source_id, facet, facet_key, text, quote, value,
                         published_at, url, archive_url, created_at, updated_at)
     VALUES (@incident_id, @source_id, @via_source_id, @facet, @facet_key, @text, @quote, @value,
             @published_at, @url, @archive_url, @now, @now)
     RETURNING *`,
  ).get({ ...fields, incident_id: incidentId, facet_key: facetKey(fields.facet), now }) as Claim;
}

export function updateClaim(db: Database, id: number, fields: ClaimFields): Claim | undefined {
  return prepared(
    db,
    `UPDATE claims
        SET source_id = @source_id, via_source_id = @via_source_id, facet = @facet, facet_key = @facet_key,
            text = @text, quote = @quote, value = @value, published_at = @published_at,
            url = @url, archive_url = @archive_url, updated_at = @now
      WHERE id = @id
      RETURNING *`,
  ).get({ ...fields, id, facet_key: facetKey(fields.facet), now: nowIso() }) as Claim | undefined;
}

export function deleteClaim(db: Database, id: number): boolean {
  return prepared(db, 'DELETE FROM claims WHERE id = ?').run(id).changes > 0;
}

export function countClaims(db: Database, incidentId?: number): number {
  const row =
    incidentId === undefined
      ? prepared(db, 'SELECT count(*) AS n FROM claims').get()
      : prepared(db, 'SELECT count(*) AS n FROM claims WHERE incident_id = ?').get(incidentId);
  return (row as { n: number }).n;
}

const EXPORT_BATCH = 1000;

/**
 * Every claim of one incident (or of all incidents), in id order, read in batches.
 * Batches rather than one open iterator: the connection stays free for other requests between
 * batches while a slow client downloads, and memory holds one batch at a time.
 */
export function* exportClaims(db: Database, incidentId?: number): Generator<ClaimRow> {
  const batch =
    incidentId === undefined
      ? prepared(db, `${CLAIM_ROWS} WHERE c.id > ? ORDER BY c.id LIMIT ${EXPORT_BATCH}`)
      : prepared(db, `${CLAIM_ROWS} WHERE c.incident_id = ? AND c.id > ? ORDER BY c.id LIMIT ${EXPORT_BATCH}`);
  let after = 0;
  for (;;) {
    const rows = (incidentId === undefined ? batch.all(after) : batch.all(incidentId, after)) as ClaimRow[];
    yield* rows;
    if (rows.length < EXPORT_BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}
