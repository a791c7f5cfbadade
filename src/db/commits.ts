/**
 * Group commit. A durable commit waits for the disk (an fsync of the WAL); writes that arrive
 * together, in one turn of the event loop, share one transaction and so one wait. Each write's own
 * `db.transaction()` runs as a savepoint inside the shared one (better-sqlite3 nests them so), so a
 * write that fails still undoes only itself.
 *
 * The wait itself happens off the event loop: the connection commits with `synchronous = NORMAL`
 * (SQLite writes the WAL but does not sync it) and the WAL file is then synced on a thread of its
 * own (disk-syncs.ts), while the next requests are already being handled. Every commit is on disk before anyone is
 * told of it (see `durable`): the guarantee of `synchronous = FULL`, at a fraction of its cost.
 *
 * Rules for callers: answer a write only once `durable` has settled, and read only once
 * `writesSettled` has, so no one sees a write that a crash could still take back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Database, prepared } from './database.js';
import { DatabaseBusy } from '../errors.js';
import { diskSyncs } from './disk-syncs.js';
import { announceChange } from './history.js';

interface Batch {
  /** Settles when the batch's COMMIT has returned: fulfilled if it committed, rejected if not. */
  committed: Promise<void>;
}

interface WalSync {
  walFile: string;
  descriptor?: number;
  /** total_changes() when the last batch began: everything counted up to there is committed. */
  committedBeforeBatch: number;
  /** total_changes() covered by the last sync that finished. */
  synced: number;
  running?: { covers: number; done: Promise<void> };
  /** The sync that starts when the running one ends, covering all that is committed by then. */
  queued?: Promise<void>;
  /**
   * Set once a sync has failed. After a failed fsync the kernel may have dropped the pages it could
   * not write, and a retry can report success without them: no later write can be confirmed either.
   */
  failed?: SyncFailed;
}

/**
 * How long the server waits for a write lock held by another program before refusing the write: not
 * at all, since writes that arrive together are begun in one turn of the event loop, and their
 * waits would add up there (twenty writes waiting 20 ms each held it 450 ms).
 */
export const LOCK_WAIT_MS = 0;

const openBatches = new WeakMap<Database, Batch>();
/** The connections that serve requests with group commit (the server's; not the CLI's). */
const batching = new WeakSet<Database>();

/**
 * For a use case that writes after waiting for something (a password hash, a rendered summary):
 * by then the batch its request joined has committed, so its writes join the one open now.
 * Where writes are not batched (the `claimgrid` command), nothing.
 */
export function joinWriteBatchIfBatching(db: Database): void {
  if (batching.has(db)) void joinWriteBatch(db);
}
const walSyncs = new WeakMap<Database, WalSync>();

/**
 * Turns on group commit's own syncing for a connection to a database file: from here on its commits
 * are synced by `durable`, not inside COMMIT. An in-memory database has nothing to sync.
 */
export function syncCommitsOffThread(db: Database): void {
  batching.add(db);
  if (db.memory || walSyncs.has(db)) return;
  // The file as SQLite resolved it (symbolic links followed): its WAL is beside that, not the link.
  const main = (db.pragma('database_list') as { name: string; file: string }[]).find((database) => database.name === 'main')!;
  db.pragma('synchronous = NORMAL');
  // A lock another program holds (the sqlite3 shell, a backup tool) is waited for this long at
  // most, on the event loop every request shares; past it the write is refused as DatabaseBusy.
  db.pragma(`busy_timeout = ${LOCK_WAIT_MS}`);
  const changes = changeCount(db);
  walSyncs.set(db, { walFile: `${main.file}-wal`, committedBeforeBatch: changes, synced: changes });
}

/** Rows this connection has inserted, updated or deleted since it opened (SQLite's total_changes()). */
function changeCount(db: Database): number {
  return prepared(db, 'SELECT total_changes()').pluck().get() as number;
}

/** A commit that SQLite made but that could not be confirmed on disk. */
export class SyncFailed extends Error {
  constructor(cause: unknown) {
    super(`Syncing the database to disk failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Makes the writes that follow, until the end of this turn of the event loop, part of one shared
 * transaction (opening it if none is open), and returns its commit.
 */
export function joinWriteBatch(db: Database): Promise<void> {
  const open = openBatches.get(db);
  if (open) return open.committed;
  const sync = walSyncs.get(db);
  if (sync) sync.committedBeforeBatch = changeCount(db);
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new DatabaseBusy('The database is busy: another program is writing to it. Nothing was saved; try again in a moment.');
  }
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
    } catch (error) {
      try {
        if (db.open && db.inTransaction) db.exec('ROLLBACK');
        // Caches may hold what the rolled-back writes made them forget or compute: drop them all.
        announceChange(db, null);
      } finally {
        settle(error);
      }
      return;
    }
    settle();
  });
  return committed;
}

/**
 * Settles once every write of this connection so far (the open batch's included) is committed and
 * on disk; rejects if a commit or the sync failed. Undefined when there is nothing to wait for.
 */
export function durable(db: Database): Promise<void> | undefined {
  const open = openBatches.get(db);
  if (open) return open.committed.then(() => durable(db));
  const sync = walSyncs.get(db);
  if (!sync) return undefined;
  const changes = changeCount(db);
  if (changes <= sync.synced) return undefined;
  return sync.failed === undefined ? syncThrough(db, sync, changes) : Promise.reject(sync.failed);
}

/**
 * For a reader: `durable`, except that a failed sync does not reject. After a failed sync readers
 * are served what the database holds; only writes are refused.
 */
export function durableForReaders(db: Database): Promise<void> | undefined {
  return durable(db)?.catch((error: unknown) => {
    if (!(error instanceof SyncFailed)) throw error;
  });
}

/** A sync of the WAL that covers `changes`: the running one if it does, else the next. */
function syncThrough(db: Database, sync: WalSync, changes: number): Promise<void> {
  if (sync.running && sync.running.covers >= changes) return sync.running.done;
  sync.queued ??= (sync.running?.done ?? Promise.resolve())
    .catch(() => {})
    .then(() => {
      sync.queued = undefined;
      return startSync(db, sync);
    });
  return sync.queued;
}

function startSync(db: Database, sync: WalSync): Promise<void> {
  if (sync.failed !== undefined) return Promise.reject(sync.failed);
  // In an open batch, total_changes() counts writes that are not committed yet.
  const covers = db.inTransaction ? sync.committedBeforeBatch : changeCount(db);
  const done = new Promise<void>((resolve, reject) => {
    const fsync = (descriptor: number) => diskSyncs.syncFile(descriptor).then(resolve, reject);
    if (sync.descriptor !== undefined) return fsync(sync.descriptor);
    // One descriptor of the WAL is kept for the connection's life. The first time, the directory is
    // synced too, so that the WAL file's own entry is on disk.
    fs.open(sync.walFile, 'r+', (error, descriptor) => {
      if (error) return reject(error);
      void diskSyncs.syncDirectory(path.dirname(sync.walFile)).then(() => fsync((sync.descriptor = descriptor)), reject);
    });
  }).then(
    () => {
      sync.synced = Math.max(sync.synced, covers);
      sync.running = undefined;
    },
    (error: unknown) => {
      console.error('Syncing the database to disk failed; no write can be confirmed from here on:', error);
      sync.failed = new SyncFailed(error);
      sync.running = undefined;
      throw sync.failed;
    },
  );
  sync.running = { covers, done };
  return done;
}

/**
 * The commit of the batch open now, if one is: a reader waits for it (not for a later one, so a
 * steady stream of writes cannot hold it up) before reading, so as not to read writes a failed
 * commit would take back.
 */
export function openBatchCommit(db: Database): Promise<void> | undefined {
  return openBatches.get(db)?.committed;
}

/**
 * Resolves once no write batch is open: for work that has itself just written (summaries, tallies)
 * and must read what it wrote from another connection, whatever batches follow.
 */
export async function noBatchOpen(db: Database): Promise<void> {
  for (let open = openBatchCommit(db); open; open = openBatchCommit(db)) await open.catch(() => {});
}

/**
 * Requests that write, and a writer that must be the only one (an import on its own connection,
 * holding SQLite's one write lock for seconds): while it runs, new write requests wait for it (off
 * the event loop), and it starts once the write requests already under way have ended, so that
 * none of them meets the lock it holds (a sign-in that writes after hashing a password, say).
 */
interface WriteGate {
  inFlight: number;
  /** Told when `inFlight` falls to 0. */
  drained: (() => void) | undefined;
  /** Settles when the only writer is done; set while one waits or runs. */
  closed: Promise<void> | undefined;
}

const gates = new WeakMap<Database, WriteGate>();

function gateOf(db: Database): WriteGate {
  let gate = gates.get(db);
  if (!gate) gates.set(db, (gate = { inFlight: 0, drained: undefined, closed: undefined }));
  return gate;
}

/** Settles once no only-writer holds the database; undefined when none does. */
export function onlyWriterRunning(db: Database): Promise<void> | undefined {
  return gates.get(db)?.closed;
}

/** A write request has begun: counted until the function returned is called (once is enough). */
export function beginWriteRequest(db: Database): () => void {
  const gate = gateOf(db);
  gate.inFlight += 1;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    gate.inFlight -= 1;
    if (gate.inFlight === 0) gate.drained?.();
  };
}

/** Runs `work` as the database's only writer (see WriteGate), after any only-writer before it. */
export async function asOnlyWriter<T>(db: Database, work: () => Promise<T>): Promise<T> {
  const gate = gateOf(db);
  while (gate.closed) await gate.closed;
  let open!: () => void;
  gate.closed = new Promise<void>((resolve) => (open = resolve));
  try {
    if (gate.inFlight > 0) await new Promise<void>((resolve) => (gate.drained = resolve));
    gate.drained = undefined;
    return await work();
  } finally {
    gate.closed = undefined;
    open();
  }
}
