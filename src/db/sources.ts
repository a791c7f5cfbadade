import { type Database, type EditOutcome, inIdOrder, prepared, type Versioned } from './database.js';
import { createRecorded, editVersioned, recordChange } from './history.js';

export const SOURCE_KINDS = ['government', 'military', 'armed group', 'media', 'NGO', 'individual', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface SourceFields {
  name: string;
  kind: SourceKind;
  affiliation: string | null;
  url: string | null;
  notes: string | null;
}

export interface Source extends SourceFields, Versioned {}

export interface SourceWithCounts extends Source {
  claim_count: number;
  /** Claims it carried as the outlet another source's claim came through. */
  carried_count: number;
  incident_count: number;
}

/** Every source, by name (their claims are counted by `listIncidentsOfSourceClaims`). */
export function listSources(db: Database): Source[] {
  return prepared(db, 'SELECT * FROM sources ORDER BY name COLLATE NOCASE').all() as Source[];
}

/**
 * The incident of each live claim the source made (in a live incident), `batchSize` claims at a time:
 * the count of its claims and of its incidents, in batches a caller can pause between (a source
 * cited a million times is a million rows; counting every source's in one grouped query held the
 * server 350–520 ms at 150,000 claims).
 */
export function listIncidentsOfSourceClaims(db: Database, sourceId: number, batchSize: number): Generator<{ id: number; incident_id: number }[]> {
  const batch = prepared(
    db,
    `SELECT c.id, c.incident_id FROM claims c JOIN incidents i ON i.id = c.incident_id
      WHERE c.source_id = ? AND c.id > ? AND c.deleted_at IS NULL AND i.deleted_at IS NULL
      ORDER BY c.id LIMIT ?`,
  );
  return inIdOrder((after, limit) => batch.all(sourceId, after, limit) as { id: number; incident_id: number }[], (row) => row.id, batchSize);
}

/** The live claims the source carried as an outlet (its claims' `via`), `batchSize` at a time, as `listIncidentsOfSourceClaims`. */
export function listClaimsCarriedBySource(db: Database, sourceId: number, batchSize: number): Generator<{ id: number }[]> {
  const batch = prepared(
    db,
    `SELECT c.id FROM claims c JOIN incidents i ON i.id = c.incident_id
      WHERE c.via_source_id = ? AND c.id > ? AND c.deleted_at IS NULL AND i.deleted_at IS NULL
      ORDER BY c.id LIMIT ?`,
  );
  return inIdOrder((after, limit) => batch.all(sourceId, after, limit) as { id: number }[], (row) => row.id, batchSize);
}

/** Every source's id, name and affiliation, by name: the choices of a claim form, without counting claims. */
export function listSourceChoices(db: Database): Pick<Source, 'id' | 'name' | 'affiliation'>[] {
  return prepared(db, 'SELECT id, name, affiliation FROM sources ORDER BY name COLLATE NOCASE').all() as Pick<Source, 'id' | 'name' | 'affiliation'>[];
}

export function getSource(db: Database, id: number): Source | undefined {
  return prepared(db, 'SELECT * FROM sources WHERE id = ?').get(id) as Source | undefined;
}

/** A name folded so that "Россия" and "россия", "ÉCOLE" and "école" are the same source. */
export function sourceNameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** Names match regardless of case, in any script. */
export function getSourceByName(db: Database, name: string): Source | undefined {
  return prepared(db, 'SELECT * FROM sources WHERE name_key = ?').get(sourceNameKey(name)) as Source | undefined;
}

/** The sources with these ids, by name (an incident's, from the ids its claims name). */
export function listSourcesByIds(db: Database, ids: Iterable<number>): Source[] {
  return prepared(db, 'SELECT * FROM sources WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE').all(
    JSON.stringify([...ids]),
  ) as Source[];
}

export function createSource(db: Database, fields: SourceFields, actor: number | null = null): Source {
  return createRecorded(db, 'source', actor, (now) =>
    prepared(
      db,
      `INSERT INTO sources (name, name_key, kind, affiliation, url, notes, created_at, updated_at, created_by, updated_by)
       VALUES (@name, @name_key, @kind, @affiliation, @url, @notes, @now, @now, @actor, @actor)
       RETURNING *`,
    ).get({ ...fields, name_key: sourceNameKey(fields.name), now, actor }) as Source,
  );
}

/** Saves `fields` over the source if it is still at `version` (undefined: whatever version it is at). */
export function updateSource(db: Database, id: number, fields: SourceFields, version: number | undefined, actor: number | null = null): EditOutcome<Source> {
  const write = (now: string) =>
    prepared(
      db,
      `UPDATE sources
          SET name = @name, name_key = @name_key, kind = @kind, affiliation = @affiliation, url = @url, notes = @notes,
              version = version + 1, updated_at = @now, updated_by = @actor
        WHERE id = @id
        RETURNING *`,
    ).get({ ...fields, name_key: sourceNameKey(fields.name), id, now, actor }) as Source;
  return editVersioned(db, { entity: 'source', id, version, actor, current: () => getSource(db, id), write });
}

/** How many claims (deleted ones included) name this source as their source or outlet, and how many documents as theirs. */
export function countUsesOfSource(db: Database, id: number): { claims: number; documents: number } {
  return prepared(
    db,
    `SELECT (SELECT count(*) FROM claims WHERE source_id = @id) + (SELECT count(*) FROM claims WHERE via_source_id = @id) AS claims,
            (SELECT count(*) FROM documents WHERE outlet_source_id = @id) AS documents`,
  ).get({ id }) as { claims: number; documents: number };
}

export function deleteSource(db: Database, id: number, actor: number | null = null): boolean {
  return db.transaction(() => {
    const before = getSource(db, id);
    if (!before) return false;
    prepared(db, 'DELETE FROM sources WHERE id = ?').run(id);
    recordChange(db, 'source', id, 'delete', actor, before, null);
    return true;
  })();
}
