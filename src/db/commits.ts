/**
 * Group commit. With `synchronous = FULL` every COMMIT waits for the disk; writes that arrive
 * together (in one turn of the event loop) share one transaction and so one wait, instead of one
 * each. Each write's own `db.transaction()` runs as a savepoint inside the shared one (better-sqlite3
 * nests them so), so a write that fails still undoes only itself.
 *
 * The rules that keep this honest: nobody is told their write succeeded before its COMMIT returned
 * (see `waitForCommit`), and no reader is answered from data that is not committed yet (readers wait
 * for `writesSettled` before reading).
 */
import type { Database } from './database.js';
import { announceChange } from './history.js';

interface Batch {
  /** Settles when the batch's COMMIT has returned: fulfilled if it committed, rejected if not. */
  committed: Promise<void>;
}

const openBatches = new WeakMap<Database, Batch>();

/**
 * Makes the writes that follow, until the end of this turn of the event loop, part of one shared
 * transaction (opening it if none is open), and returns its commit.
 */
export function joinWriteBatch(db: Database): Promise<void> {
  const open = openBatches.get(db);
  if (open) return open.committed;
  db.exec('BEGIN IMMEDIATE');
  let settle!: (error?: unknown) => void;
  const committed = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // Whoever awaits it sees a failure; no one awaiting it is not an unhandled rejection.
  committed.catch(() => {});
  openBatches.set(db, { committed });
  setImmediate(() => {
    openBatches.delete(db);
    try {
      db.exec('COMMIT');
      settle();
    } catch (error) {
      if (db.open && db.inTransaction) db.exec('ROLLBACK');
      // Caches may hold what the rolled-back writes made them forget or compute: drop them all.
      announceChange(db, null);
      settle(error);
    }
  });
  return committed;
}

/** The commit of the batch open now, if one is. */
export function openBatchCommit(db: Database): Promise<void> | undefined {
  return openBatches.get(db)?.committed;
}

/** Resolves once no write batch is open, whether the ones it waited for committed or not. */
export async function writesSettled(db: Database): Promise<void> {
  for (let batch = openBatches.get(db); batch; batch = openBatches.get(db)) {
    await batch.committed.catch(() => {});
  }
}
