import type { Relation, RelationOverride } from '../compare/comparison.js';
import { type Database, nowIso, prepared } from './database.js';
import { recordChange } from './history.js';

export interface StoredOverride extends RelationOverride {
  id: number;
  incident_id: number;
  created_by: number | null;
}

const COLUMNS = 'id, incident_id, claim_a AS a, claim_b AS b, relation, reason, created_at, created_by';

export function listOverrides(db: Database, incidentId: number): StoredOverride[] {
  return prepared(
    db,
    `SELECT ${COLUMNS}, (SELECT name FROM users WHERE id = created_by) AS created_by_name
       FROM relation_overrides WHERE incident_id = ? ORDER BY id`,
  ).all(incidentId) as StoredOverride[];
}

function ordered(a: number, b: number): [number, number] {
  return a < b ? [a, b] : [b, a];
}

function storedOverride(db: Database, a: number, b: number): StoredOverride | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM relation_overrides WHERE claim_a = ? AND claim_b = ?`).get(a, b) as
    | StoredOverride
    | undefined;
}

/** Sets the analyst's relation for a pair of claims, replacing any earlier one for the same pair. */
export function setOverride(
  db: Database,
  incidentId: number,
  pair: { a: number; b: number },
  relation: Relation,
  reason: string,
  actor: number | null = null,
): StoredOverride {
  const [a, b] = ordered(pair.a, pair.b);
  return db.transaction(() => {
    const before = storedOverride(db, a, b);
    const override = prepared(
      db,
      `INSERT INTO relation_overrides (incident_id, claim_a, claim_b, relation, reason, created_at, created_by)
       VALUES (@incidentId, @a, @b, @relation, @reason, @now, @actor)
       ON CONFLICT (claim_a, claim_b) DO UPDATE
         SET relation = excluded.relation, reason = excluded.reason, created_at = excluded.created_at, created_by = excluded.created_by
       RETURNING ${COLUMNS}`,
    ).get({ incidentId, a, b, relation, reason, now: nowIso(), actor }) as StoredOverride;
    recordChange(db, 'override', override.id, before ? 'update' : 'create', actor, before ?? null, override);
    return override;
  })();
}

export function removeOverride(db: Database, incidentId: number, pair: { a: number; b: number }, actor: number | null = null): boolean {
  const [a, b] = ordered(pair.a, pair.b);
  return db.transaction(() => {
    const before = storedOverride(db, a, b);
    if (!before || before.incident_id !== incidentId) return false;
    prepared(db, 'DELETE FROM relation_overrides WHERE id = ?').run(before.id);
    recordChange(db, 'override', before.id, 'delete', actor, before, null);
    return true;
  })();
}
