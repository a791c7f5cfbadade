/**
 * Stored summaries of incidents' comparisons: how many facets contradict, agree and so on. They
 * depend on the incident's claims and judgements only (sources decide corroboration, not status),
 * so a write to the incident forgets its summary and nothing else does.
 */
import type { IncidentSummary } from '../compare/comparison.js';
import { COMPARISON_RULES_VERSION } from '../compare/version.js';

/** An incident's summary with its size: what the list of incidents shows. */
export type IncidentCounts = IncidentSummary & { claims: number; sources: number };
import { type Database, prepared } from './database.js';
import { forgetTallies } from './tallies.js';

/**
 * The `engine` that summaries, facet statuses and source tallies are stored under: the comparison
 * rules version that made them (another version reads values differently). Reads of stored rows
 * use only those of this engine.
 */
export function summaryEngine(): string {
  return String(COMPARISON_RULES_VERSION);
}

/** The summaries stored by the comparison code named `engine` (another version reads values differently). */
export function listStoredSummaries(db: Database, engine: string): Map<number, IncidentCounts> {
  const rows = prepared(
    db,
    'SELECT incident_id, facets, contradict, consistent, agree, single, unassessed, claims, sources FROM incident_summaries WHERE engine = ?',
  ).all(engine) as (IncidentCounts & { incident_id: number })[];
  return new Map(rows.map(({ incident_id, ...summary }) => [incident_id, summary]));
}

export function storeSummary(db: Database, incidentId: number, engine: string, summary: IncidentCounts): void {
  prepared(
    db,
    `INSERT OR REPLACE INTO incident_summaries (incident_id, engine, facets, contradict, consistent, agree, single, unassessed, claims, sources)
     VALUES (@incident_id, @engine, @facets, @contradict, @consistent, @agree, @single, @unassessed, @claims, @sources)`,
  ).run({ incident_id: incidentId, engine, ...summary });
}

/** Called with every change recorded to the incident, inside the change's transaction. */
export function forgetSummary(db: Database, incidentId: number): void {
  prepared(db, 'DELETE FROM incident_summaries WHERE incident_id = ?').run(incidentId);
  forgetTallies(db, incidentId);
}
