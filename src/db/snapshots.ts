/**
 * Reads that span several turns of the event loop (a large incident read a batch at a time, with
 * other requests served in between) run on a connection of their own, inside one read transaction:
 * every batch sees the database as it was at the first, whatever the server writes meanwhile. In WAL
 * mode that transaction neither waits for the server's writes nor holds them up.
 */
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from './database.js';

export interface Snapshot {
  /** The connection to read through. */
  db: Database;
  /**
   * Whether reads may pause between batches. Not for an in-memory database (tests), which no
   * second connection can open: it is read through its own connection, all in one turn.
   */
  mayPause: boolean;
  /** Ends the read transaction; the connection is kept for the next snapshot or closed. */
  end(): void;
}

/** Reader connections kept open between snapshots, per database; more are opened while many run at once. */
const idleReaders = new WeakMap<Database, Database[]>();
const MAX_IDLE_READERS = 2;
/** Databases being closed: a snapshot that ends now closes its connection rather than keep it. */
const closing = new WeakSet<Database>();

/** Begins a snapshot of `db`. Call `end()` when done, also when a read fails. */
export function beginSnapshot(db: Database): Snapshot {
  if (db.memory) return { db, mayPause: false, end() {} };
  let idle = idleReaders.get(db);
  if (!idle) idleReaders.set(db, (idle = []));
  const reader = idle.pop() ?? openReader(db);
  try {
    reader.exec('BEGIN');
  } catch (error) {
    reader.close();
    throw error;
  }
  const pool = idle;
  return {
    db: reader,
    mayPause: true,
    end() {
      try {
        if (reader.inTransaction) reader.exec('COMMIT');
      } finally {
        if (!closing.has(db) && db.open && !reader.inTransaction && pool.length < MAX_IDLE_READERS) pool.push(reader);
        else reader.close();
      }
    },
  };
}

function openReader(db: Database): Database {
  const reader = new BetterSqlite3(db.name, { readonly: true, fileMustExist: true });
  // A reader in WAL mode waits for no lock, except while another connection recovers the WAL after
  // a crash: then it is refused at once rather than waiting on the event loop.
  reader.pragma('busy_timeout = 0');
  return reader;
}

/**
 * Closes the reader connections kept for `db`, before `db` itself closes; a snapshot still running
 * closes its own when it ends.
 */
export function closeSnapshotReaders(db: Database): void {
  closing.add(db);
  for (const reader of idleReaders.get(db) ?? []) reader.close();
  idleReaders.delete(db);
}
