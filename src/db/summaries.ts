/**
 * Stored summaries of incidents' comparisons: how many facets contradict, agree and so on. They
 * depend on the incident's claims and judgements only (sources decide corroboration, not status),
 * so a write to the incident forgets its summary and nothing else does.
 */
import type { IncidentSummary } from '../compare/comparison.js';
import { type Database, prepared } from './database.js';

/** The summaries stored by the comparison code named `engine` (another version reads values differently). */
export function listStoredSummaries(db: Database, engine: string): Map<number, IncidentSummary> {
  const rows = prepared(
    db,
    'SELECT incident_id, facets, contradict, consistent, agree, single, unassessed FROM incident_summaries WHERE engine = ?',
  ).all(engine) as (IncidentSummary & { incident_id: number })[];
  return new Map(rows.map(({ incident_id, ...summary }) => [incident_id, summary]));
}

export function storeSummary(db: Database, incidentId: number, engine: string, summary: IncidentSummary): void {
  prepared(
    db,
    `INSERT OR REPLACE INTO incident_summaries (incident_id, engine, facets, contradict, consistent, agree, single, unassessed)
     VALUES (@incident_id, @engine, @facets, @contradict, @consistent, @agree, @single, @unassessed)`,
  ).run({ incident_id: incidentId, engine, ...summary });
}

/** Called with every change recorded to the incident, inside the change's transaction. */
export function forgetSummary(db: Database, incidentId: number): void {
  prepared(db, 'DELETE FROM incident_summaries WHERE incident_id = ?').run(incidentId);
}
