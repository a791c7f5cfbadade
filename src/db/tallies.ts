/**
 * Stored tallies of incidents' comparisons (migration 014): each facet's status, each source's
 * figures and each two sources' relations, per incident and comparison rules version (`engine`).
 * A source's track record and the agreement matrix are sums of these rows over live incidents.
 *
 * Facet statuses are kept exactly like the incident's summary. Source and pair rows count only
 * while the incident is marked tallied (`tallied_incidents`): forgetting an incident deletes its
 * mark, and its rows are replaced when it is tallied again.
 */
import type { FacetStatusTally, PairTally, SourceTally } from '../compare/tallies.js';
import { type Database, prepared } from './database.js';

export function storeFacetStatuses(db: Database, incidentId: number, engine: string, facets: FacetStatusTally[]): void {
  prepared(db, 'DELETE FROM facet_statuses WHERE incident_id = ?').run(incidentId);
  const insert = prepared(db, 'INSERT INTO facet_statuses (incident_id, engine, facet_key, status) VALUES (?, ?, ?, ?)');
  for (const { key, status } of facets) insert.run(incidentId, engine, key, status);
}

/**
 * Unmarks the incident and deletes up to `limit` of its source and pair rows, whatever their
 * engine; returns how many it deleted (fewer than `limit`: none are left).
 */
export function deleteTallyRows(db: Database, incidentId: number, limit: number): number {
  prepared(db, 'DELETE FROM tallied_incidents WHERE incident_id = ?').run(incidentId);
  let deleted = prepared(
    db,
    `DELETE FROM source_pair_tallies WHERE (incident_id, engine, source_a, source_b) IN
       (SELECT incident_id, engine, source_a, source_b FROM source_pair_tallies WHERE incident_id = ? LIMIT ?)`,
  ).run(incidentId, limit).changes;
  if (deleted < limit) {
    deleted += prepared(
      db,
      `DELETE FROM source_tallies WHERE (incident_id, engine, source_id) IN
         (SELECT incident_id, engine, source_id FROM source_tallies WHERE incident_id = ? LIMIT ?)`,
    ).run(incidentId, limit - deleted).changes;
  }
  return deleted;
}

export function insertSourceTallies(db: Database, incidentId: number, engine: string, tallies: SourceTally[]): void {
  const insert = prepared(
    db,
    `INSERT INTO source_tallies (incident_id, engine, source_id, claims, carried, current, contradicted, revisions, count_revisions, revision_total, revision_largest, corroborated)
     VALUES (@incident_id, @engine, @source_id, @claims, @carried, @current, @contradicted, @revisions, @count_revisions, @revision_total, @revision_largest, @corroborated)`,
  );
  for (const tally of tallies) insert.run({ incident_id: incidentId, engine, ...tally });
}

export function insertPairTallies(db: Database, incidentId: number, engine: string, tallies: PairTally[]): void {
  const insert = prepared(
    db,
    'INSERT INTO source_pair_tallies (incident_id, engine, source_a, source_b, pairs, agree, consistent, contradict) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const { source_a, source_b, pairs, agree, consistent, contradict } of tallies) insert.run(incidentId, engine, source_a, source_b, pairs, agree, consistent, contradict);
}

/** Marks the incident's stored source and pair rows (`pairRows` of the latter) as its tallies under `engine`: from here on they count. */
export function markTallied(db: Database, incidentId: number, engine: string, pairRows: number): void {
  prepared(db, 'INSERT OR REPLACE INTO tallied_incidents (incident_id, engine, pair_rows) VALUES (?, ?, ?)').run(incidentId, engine, pairRows);
}

export function isTallied(db: Database, incidentId: number, engine: string): boolean {
  return prepared(db, 'SELECT 1 FROM tallied_incidents WHERE incident_id = ? AND engine = ?').get(incidentId, engine) !== undefined;
}

/** Called with every change recorded to the incident, inside the change's transaction (see forgetSummary). */
export function forgetTallies(db: Database, incidentId: number): void {
  prepared(db, 'DELETE FROM facet_statuses WHERE incident_id = ?').run(incidentId);
  prepared(db, 'DELETE FROM tallied_incidents WHERE incident_id = ?').run(incidentId);
}

/**
 * Forgets the tallies of every incident that cites the source, as its source or as the outlet a
 * claim came through: which voices count as independent depends on its affiliation. Deleted claims
 * included, as a restored claim would bring the source back into its incident.
 */
export function forgetTalliesCitingSource(db: Database, sourceId: number): void {
  prepared(
    db,
    `DELETE FROM tallied_incidents WHERE incident_id IN
       (SELECT incident_id FROM claims WHERE source_id = @source UNION SELECT incident_id FROM claims WHERE via_source_id = @source)`,
  ).run({ source: sourceId });
}

/** The ids of live (not deleted) incidents, in id order. */
export function listLiveIncidentIds(db: Database): number[] {
  return prepared(db, 'SELECT id FROM incidents WHERE deleted_at IS NULL ORDER BY id').pluck().all() as number[];
}

/** The ids of live incidents whose tallies under `engine` are stored, in id order. */
export function listTalliedIncidentIds(db: Database, engine: string): number[] {
  return listTalliedIncidents(db, engine).map((incident) => incident.id);
}

/** The live incidents whose tallies under `engine` are stored, with the number of their pair rows, in id order. */
export function listTalliedIncidents(db: Database, engine: string): { id: number; pair_rows: number }[] {
  return prepared(
    db,
    `SELECT i.id, t.pair_rows FROM incidents i JOIN tallied_incidents t ON t.incident_id = i.id
      WHERE i.deleted_at IS NULL AND t.engine = ? ORDER BY i.id`,
  ).all(engine) as { id: number; pair_rows: number }[];
}

/** One incident's pair rows under `engine` after (`afterA`, `afterB`), `limit` of them: an incident of thousands of sources is read in pages. */
export function listPairTalliesAfter(db: Database, engine: string, incidentId: number, afterA: number, afterB: number, limit: number): PairTally[] {
  return prepared(
    db,
    `SELECT source_a, source_b, pairs, agree, consistent, contradict FROM source_pair_tallies
      WHERE incident_id = ? AND engine = ? AND (source_a, source_b) > (?, ?)
      ORDER BY source_a, source_b LIMIT ?`,
  ).all(incidentId, engine, afterA, afterB, limit) as PairTally[];
}

/** The incidents' pair rows under `engine`, summed per two sources (the caller knows the incidents are tallied). */
export function sumPairTallies(db: Database, engine: string, incidentIds: number[]): PairTally[] {
  return prepared(
    db,
    `SELECT source_a, source_b, sum(pairs) AS pairs, sum(agree) AS agree, sum(consistent) AS consistent, sum(contradict) AS contradict
       FROM source_pair_tallies WHERE incident_id IN (SELECT value FROM json_each(?)) AND engine = ?
      GROUP BY source_a, source_b`,
  ).all(JSON.stringify(incidentIds), engine) as PairTally[];
}

/** The incidents' source rows under `engine`, summed per source, with the number of incidents each made claims in. */
export function sumSourceTallies(db: Database, engine: string, incidentIds: number[]): (SourceTally & { incidents: number })[] {
  return prepared(
    db,
    `SELECT source_id, sum(claims) AS claims, sum(carried) AS carried, sum(current) AS current, sum(contradicted) AS contradicted,
            sum(revisions) AS revisions, sum(count_revisions) AS count_revisions, sum(revision_total) AS revision_total,
            max(revision_largest) AS revision_largest, sum(corroborated) AS corroborated, sum(claims > 0) AS incidents
       FROM source_tallies WHERE incident_id IN (SELECT value FROM json_each(?)) AND engine = ?
      GROUP BY source_id`,
  ).all(JSON.stringify(incidentIds), engine) as (SourceTally & { incidents: number })[];
}
