import { type Database, nowIso, prepared } from './database.js';

export const SOURCE_KINDS = ['government', 'military', 'armed group', 'media', 'NGO', 'individual', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface SourceFields {
  name: string;
  kind: SourceKind;
  affiliation: string | null;
  url: string | null;
  notes: string | null;
}

export interface Source extends SourceFields {
  id: number;
  created_at: string;
  updated_at: string;
}

export interface SourceWithCounts extends Source {
  claim_count: number;
  incident_count: number;
}

export function listSources(db: Database): SourceWithCounts[] {
  return prepared(
    db,
    `SELECT s.*,
            (SELECT count(*) FROM claims c WHERE c.source_id = s.id) AS claim_count,
            (SELECT count(DISTINCT c.incident_id) FROM claims c WHERE c.source_id = s.id) AS incident_count
       FROM sources s
      ORDER BY s.name COLLATE NOCASE`,
  ).all() as SourceWithCounts[];
}

export function getSource(db: Database, id: number): Source | undefined {
  return prepared(db, 'SELECT * FROM sources WHERE id = ?').get(id) as Source | undefined;
}

/** Names match regardless of case, as the UNIQUE constraint does. */
export function findSourceByName(db: Database, name: string): Source | undefined {
  return prepared(db, 'SELECT * FROM sources WHERE name = ? COLLATE NOCASE').get(name) as Source | undefined;
}

export function createSource(db: Database, fields: SourceFields): Source {
  const now = nowIso();
  return prepared(
    db,
    `INSERT INTO sources (name, kind, affiliation, url, notes, created_at, updated_at)
     VALUES (@name, @kind, @affiliation, @url, @notes, @now, @now)
     RETURNING *`,
  ).get({ ...fields, now }) as Source;
}

export function updateSource(db: Database, id: number, fields: SourceFields): Source | undefined {
  return prepared(
    db,
    `UPDATE sources
        SET name = @name, kind = @kind, affiliation = @affiliation, url = @url, notes = @notes, updated_at = @now
      WHERE id = @id
      RETURNING *`,
  ).get({ ...fields, id, now: nowIso() }) as Source | undefined;
}

/** How many claims name this source as their source or as the outlet they came through. */
export function countClaimsUsingSource(db: Database, id: number): number {
  const row = prepared(
    db,
    'SELECT (SELECT count(*) FROM claims WHERE source_id = @id) + (SELECT count(*) FROM claims WHERE via_source_id = @id) AS n',
  ).get({ id }) as { n: number };
  return row.n;
}

export function deleteSource(db: Database, id: number): boolean {
  return prepared(db, 'DELETE FROM sources WHERE id = ?').run(id).changes > 0;
}

/** The sources an incident's claims name, as their source or as the outlet they came through. */
export function listSourcesForIncident(db: Database, incidentId: number): Source[] {
  return prepared(
    db,
    `SELECT * FROM sources
      WHERE id IN (SELECT source_id FROM claims WHERE incident_id = @id
                   UNION SELECT via_source_id FROM claims WHERE incident_id = @id)
      ORDER BY name COLLATE NOCASE`,
  ).all({ id: incidentId }) as Source[];
}
