import { type Database, type EditOutcome, nowIso, prepared } from './database.js';
import { forgetSummary } from './summaries.js';

export type Entity = 'incident' | 'source' | 'claim' | 'override' | 'document' | 'assessment' | 'facet_link';
export type Action = 'create' | 'update' | 'delete' | 'restore';

export interface HistoryEntry {
  id: number;
  entity: Entity;
  entity_id: number;
  action: Action;
  user_id: number | null;
  user_name: string | null;
  at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/**
 * Told of every recorded change, with the incident it touched; null when it may touch any (a source
 * is cited across incidents). Caches of derived data (comparisons) listen here.
 */
export type ChangeListener = (incidentId: number | null) => void;
const changeListeners = new WeakMap<Database, Set<ChangeListener>>();

export function onChange(db: Database, listener: ChangeListener): void {
  let listeners = changeListeners.get(db);
  if (!listeners) changeListeners.set(db, (listeners = new Set()));
  listeners.add(listener);
}

function touchedIncident(entity: Entity, entityId: number, row: object | null): number | null {
  if (entity === 'incident') return entityId;
  if (entity === 'source') return null;
  return (row as { incident_id?: number } | null)?.incident_id ?? null;
}

/** Records one change with the row as it was and as it became. Call inside the write's transaction. */
export function recordChange(
  db: Database,
  entity: Entity,
  entityId: number,
  action: Action,
  actor: number | null,
  before: object | null,
  after: object | null,
): void {
  recordChanges(db, entity, action, actor, [{ id: entityId, before, after }]);
}

/**
 * Records the same kind of change to many rows of one incident (a facet's claims renamed at once),
 * telling the listeners once. Call inside the write's transaction.
 */
export function recordChanges(
  db: Database,
  entity: Entity,
  action: Action,
  actor: number | null,
  rows: { id: number; before: object | null; after: object | null }[],
): void {
  const insert = prepared(db, 'INSERT INTO history (entity, entity_id, action, user_id, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const at = nowIso();
  const touched = new Set<number | null>();
  for (const { id, before, after } of rows) {
    insert.run(entity, id, action, actor, at, before && JSON.stringify(before), after && JSON.stringify(after));
    touched.add(touchedIncident(entity, id, after ?? before));
  }
  for (const incidentId of touched) {
    if (incidentId !== null) {
      forgetSummary(db, incidentId);
      prepared(db, 'UPDATE incidents SET changed_at = ? WHERE id = ?').run(at, incidentId);
    }
    announceChange(db, incidentId);
  }
}

/** Tells the listeners that the incident (null: possibly any) changed. */
export function announceChange(db: Database, incidentId: number | null): void {
  for (const listener of changeListeners.get(db) ?? []) listener(incidentId);
}

/**
 * The id of the latest recorded change. Every write to incidents, sources, claims and judgements
 * records one, so this number moves whenever anything an export or a page shows does.
 */
export function lastChangeId(db: Database): number {
  return (prepared(db, 'SELECT max(id) FROM history').pluck().get() as number | null) ?? 0;
}

/** The changes to one row, oldest first. */
export function listHistory(db: Database, entity: Entity, entityId: number): HistoryEntry[] {
  const rows = prepared(
    db,
    `SELECT h.*, u.name AS user_name FROM history h LEFT JOIN users u ON u.id = h.user_id
      WHERE h.entity = ? AND h.entity_id = ? ORDER BY h.id`,
  ).all(entity, entityId) as (Omit<HistoryEntry, 'before' | 'after'> & { before: string | null; after: string | null })[];
  return rows.map((row) => ({
    ...row,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  }));
}

/** Inserts a row with `insert` (given the time to stamp it with) and records its creation, in one transaction. */
export function createRecorded<Row extends { id: number }>(db: Database, entity: Entity, actor: number | null, insert: (now: string) => Row): Row {
  return db.transaction(() => {
    const row = insert(nowIso());
    recordChange(db, entity, row.id, 'create', actor, null, row);
    return row;
  })();
}

/** An edit of one versioned row: which, from which version (undefined: any), by whom, and how to read and write it. */
export interface VersionedEdit<Row> {
  entity: Entity;
  id: number;
  version: number | undefined;
  actor: number | null;
  /** The row as it stands, if it is live. */
  current: () => Row | undefined;
  /** Writes the edit, returning the row as it became. */
  write: (now: string) => Row;
}

/**
 * An edit of a versioned row, in one immediate transaction: missing if `current` finds no (live) row,
 * a conflict if it is no longer at `version`, else `write` and its history.
 */
export function editVersioned<Row extends { version: number }>(db: Database, edit: VersionedEdit<Row>): EditOutcome<Row> {
  return db.transaction((): EditOutcome<Row> => {
    const before = edit.current();
    if (!before) return { outcome: 'missing' };
    if (edit.version !== undefined && edit.version !== before.version) return { outcome: 'conflict', current: before };
    const after = edit.write(nowIso());
    recordChange(db, edit.entity, edit.id, 'update', edit.actor, before, after);
    return { outcome: 'saved', row: after };
  }).immediate();
}

/** The tables whose rows are deleted softly, and the entity their history is kept under. */
const SOFT_DELETED = { claim: 'claims', incident: 'incidents' } as const;

/**
 * Marks a row deleted (`deleted = true`) or restores it, recording the change. False if the row is
 * missing or already in that state. Soft deletes keep every word; an admin can bring the row back.
 */
export function setDeleted(db: Database, entity: keyof typeof SOFT_DELETED, id: number, deleted: boolean, actor: number | null): boolean {
  const table = SOFT_DELETED[entity];
  return db.transaction(() => {
    const before = prepared(db, `SELECT * FROM ${table} WHERE id = ?`).get(id) as { deleted_at: string | null } | undefined;
    if (!before || (before.deleted_at !== null) === deleted) return false;
    const after = deleted
      ? prepared(db, `UPDATE ${table} SET deleted_at = ?, deleted_by = ?, version = version + 1 WHERE id = ? RETURNING *`).get(nowIso(), actor, id)
      : prepared(
          db,
          `UPDATE ${table} SET deleted_at = NULL, deleted_by = NULL, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? RETURNING *`,
        ).get(nowIso(), actor, id);
    recordChange(db, entity, id, deleted ? 'delete' : 'restore', actor, before, after as object);
    return true;
  }).immediate();
}
