/**
 * Group commit, as the web sees it (the batches and syncs themselves are in db/commits.ts): a request
 * to a write route joins the open write batch once its guard has let it through (`joinWrites`, which
 * the route table puts after each write route's checks), one that reads waits until no batch is open
 * and every commit is on disk, and every answer is held until what it may have seen is on disk. So a
 * client is told "saved" only once the write is on disk, and no one is shown a write a crash could
 * take back. A request that is refused, or names no route, never touches the write lock.
 */
import type { RequestHandler, Response } from 'express';
import { beginWriteRequest, durable, durableForReaders, joinWriteBatch, onlyWriterRunning, openBatchCommit, SyncFailed, syncCommitsOffThread } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { NotSaved } from '../errors.js';
import { errorHandler } from './errors.js';
import { isWrite } from './guards.js';

export function groupCommits(db: Database): RequestHandler {
  syncCommitsOffThread(db);
  return (request, response, next) => {
    const headersBefore = new Set(response.getHeaderNames());
    holdAnswerUntilDurable(db, response, () => writeBatches.get(response), (error) => {
      console.error(`${request.method} ${request.originalUrl}: the commit failed:`, error);
      // Nothing of the answer that was to go out (its status, cookies, Location, Retry-After…) goes with the error.
      for (const header of response.getHeaderNames()) if (!headersBefore.has(header)) response.removeHeader(header);
      errorHandler(notSaved(error), request, response, next);
    });
    // A write joins its batch after its guard; until then it reads alongside the batch's writers.
    if (isWrite(request.method)) return next();
    const open = openBatchCommit(db);
    if (!open) return next();
    return open.catch(() => {}).then(() => next());
  };
}

/**
 * What a write whose commit or sync failed is told: a failed COMMIT was rolled back, so nothing was
 * written; after a failed sync the write was committed but may not survive a crash, so its outcome
 * is unknown and the client must look before trying again.
 */
function notSaved(error: unknown): NotSaved {
  if (error instanceof SyncFailed) {
    return new NotSaved('The change was made but could not be confirmed on disk, so its outcome is unknown: it may or may not be there after a restart. Reload to check whether it is before trying again.');
  }
  return new NotSaved('The change could not be saved: the database could not commit it (a full or failing disk). Nothing was written.');
}

/** The write batch each request joined, if it did. */
const writeBatches = new WeakMap<Response, Promise<void>>();

/**
 * For the route table, after a write route's guard: the request's writes go into the open write
 * batch. DatabaseBusy (answered 503) when another program holds the database's write lock.
 */
export function joinWrites(db: Database): RequestHandler {
  return function join(request, response, next) {
    // An import holds SQLite's one write lock on a thread of its own: wait for it, off the event loop, rather than be refused.
    const importing = onlyWriterRunning(db);
    if (importing) return void importing.then(() => join(request, response, next));
    try {
      writeBatches.set(response, joinWriteBatch(db));
    } catch (error) {
      return next(error);
    }
    next();
  };
}

/**
 * Runs a write route's handler counted as a write under way (db/commits.ts: an import starts only
 * once none is) until the handler is done and its answer has gone out, whichever is later: a
 * handler may go on writing across turns after its client has hung up.
 */
export async function whileWriting(db: Database, response: Response, handle: () => void | Promise<void>): Promise<void> {
  const end = beginWriteRequest(db);
  const answered = response.writableFinished || response.destroyed ? undefined : new Promise<void>((resolve) => response.once('close', () => resolve()));
  try {
    await handle();
  } finally {
    void (answered ?? Promise.resolve()).then(end);
  }
}

/**
 * Wraps `response.end` so that the answer goes out once the batch the request's writes went into
 * (if it joined one) and every write before the answer are committed and on disk. If that fails for
 * a request that wrote, `answerFailure` answers instead; one that only read is served what the
 * database holds whatever the disk did. With nothing to wait for, the answer goes out at once.
 * Only write routes write: a page that reads stores at most a cache (incident summaries), whose
 * loss costs a recomputation, so it never holds a reader's answer.
 */
function holdAnswerUntilDurable(
  db: Database,
  response: Response,
  batchJoined: () => Promise<void> | undefined,
  answerFailure: (error: unknown) => void,
): void {
  const end = response.end;
  response.end = function endOnceDurable(this: Response, ...args: unknown[]) {
    const joined = batchJoined();
    const written = joined ? durable(db) : durableForReaders(db);
    if (!joined && !written) return end.apply(this, args as Parameters<typeof end>);
    Promise.all([joined, written]).then(
      () => end.apply(this, args as Parameters<typeof end>),
      (error: unknown) => {
        response.end = end;
        answerFailure(error);
      },
    );
    return this;
  } as Response['end'];
}
