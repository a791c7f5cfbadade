/**
 * Checkpoints, off the event loop. A checkpoint copies the WAL's pages back into the database file
 * and syncs it; SQLite runs one inside whichever COMMIT fills the WAL past 1,000 pages, on the
 * connection that commits, which for the server is the one every request waits on (a 27–470 ms
 * pause under sustained writes). The server turns that off and checkpoints from a thread of its
 * own, on a connection of its own, every second: PASSIVE, so it never waits for a reader or a
 * writer, and never makes one wait.
 */
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from './database.js';

/** How often the checkpointing thread checkpoints. */
export const CHECKPOINT_EVERY_MS = 1_000;

// Plain JavaScript evaluated as the thread's code: it needs nothing but the SQLite driver, whose path
// comes from here so that it is found wherever Claimgrid is run from.
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const BetterSqlite3 = require(workerData.driver);
const db = new BetterSqlite3(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const checkpointers = new WeakMap<Database, Worker>();

/**
 * From here on `db`'s commits never checkpoint; a thread does, every `everyMs`. Nothing for an
 * in-memory database. If the thread fails, the connection checkpoints as SQLite does by default.
 */
export function checkpointOffThread(db: Database, everyMs = CHECKPOINT_EVERY_MS): void {
  if (db.memory || checkpointers.has(db)) return;
  const worker = new Worker(THREAD_CODE, {
    eval: true,
    // Nothing the process was started with (a loader, a profiler) is for this thread.
    execArgv: [],
    workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: db.name, everyMs },
  });
  worker.on('message', ({ failure }: { failure: string }) => console.error(`A checkpoint failed (the next one will try again): ${failure}`));
  worker.on('error', (error) => {
    console.error('The checkpointing thread failed; commits checkpoint as usual from here on:', error);
    checkpointers.delete(db);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  // After the listeners, which would ref it again: the thread must not keep the process alive.
  worker.unref();
  checkpointers.set(db, worker);
  db.pragma('wal_autocheckpoint = 0');
}

/** Stops the thread and closes its connection: before `db` closes, so that its close (the last) checkpoints all. */
export async function stopCheckpoints(db: Database): Promise<void> {
  const worker = checkpointers.get(db);
  if (!worker) return;
  checkpointers.delete(db);
  const exited = once(worker, 'exit');
  // Kept alive until the thread has closed its connection (it is not, while it runs).
  worker.ref();
  worker.postMessage('stop');
  await exited;
}
