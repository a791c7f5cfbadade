import type { Relation, RelationOverride } from '../compare/comparison.js';
import { type Database, nowIso, prepared } from './database.js';

export interface StoredOverride extends RelationOverride {
  id: number;
  incident_id: number;
}

export function listOverrides(db: Database, incidentId: number): StoredOverride[] {
  return prepared(
    db,
    `SELECT id, incident_id, claim_a AS a, claim_b AS b, relation, reason, created_at
       FROM relation_overrides WHERE incident_id = ? ORDER BY id`,
  ).all(incidentId) as StoredOverride[];
}

function ordered(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}

/** Sets the analyst's relation for a pair of claims, replacing any earlier one for the same pair. */
export function setOverride(
  db: Database,
  incidentId: number,
  pair: { a: number; b: number },
  relation: Relation,
  reason: string,
): StoredOverride {
  const [a, b] = ordered(pair.a, pair.b);
  return prepared(
    db,
    `INSERT INTO relation_overrides (incident_id, claim_a, claim_b, relation, reason, created_at)
     VALUES (@incidentId, @a, @b, @relation, @reason, @now)
     ON CONFLICT (claim_a, claim_b) DO UPDATE SET relation = excluded.relation, reason = excluded.reason, created_at = excluded.created_at
     RETURNING id, incident_id, claim_a AS a, claim_b AS b, relation, reason, created_at`,
  ).get({ incidentId, a, b, relation, reason, now: nowIso() }) as StoredOverride;
}

export function removeOverride(db: Database, incidentId: number, pair: { a: number; b: number }): boolean {
  const [a, b] = ordered(pair.a, pair.b);
  return (
    prepared(db, 'DELETE FROM relation_overrides WHERE incident_id = ? AND claim_a = ? AND claim_b = ?').run(incidentId, a, b)
      .changes > 0
  );
}
