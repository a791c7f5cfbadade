/**
 * Group commit, as the web sees it (the batches and syncs themselves are in db/commits.ts): a request
 * that may write joins the open write batch, one that reads waits until no batch is open and every
 * commit is on disk, and every answer is held until what it may have seen is on disk. So a client is
 * told "saved" only once the write is on disk, and no one is shown a write a crash could take back.
 */
import type { RequestHandler, Response } from 'express';
import { changeCount, durable, durableForReaders, joinWriteBatch, openBatchCommit, syncCommitsOffThread } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { NotSaved } from '../errors.js';
import { errorHandler } from './errors.js';
import { isWrite } from './guards.js';

export function groupCommits(db: Database): RequestHandler {
  syncCommitsOffThread(db);
  return (request, response, next) => {
    const joined = isWrite(request.method) ? joinWriteBatch(db) : undefined;
    // A GET can write too (a sign-in page starts a session): it is then held to what writes are.
    const changesBefore = changeCount(db);
    const headersBefore = new Set(response.getHeaderNames());
    holdAnswerUntilDurable(db, response, joined, () => joined !== undefined || changeCount(db) > changesBefore, (error) => {
      console.error(`${request.method} ${request.originalUrl}: the commit failed:`, error);
      // Nothing of the answer that was to go out (its status, cookies, Location, Retry-After…) goes with the error.
      for (const header of response.getHeaderNames()) if (!headersBefore.has(header)) response.removeHeader(header);
      errorHandler(new NotSaved('The change could not be confirmed on disk, so it may not have been saved. Reload to check before trying again.'), request, response, next);
    });
    const open = joined ? undefined : openBatchCommit(db);
    if (!open) return next();
    return open.catch(() => {}).then(() => next());
  };
}

/**
 * Wraps `response.end` so that the answer goes out once `joined` (the batch the request's writes
 * went into) and every write before the answer are committed and on disk. If that fails for a
 * request that wrote, `answerFailure` answers instead; one that only read is served what the
 * database holds when just the sync failed. With nothing to wait for, the answer goes out at once.
 */
function holdAnswerUntilDurable(
  db: Database,
  response: Response,
  joined: Promise<void> | undefined,
  wrote: () => boolean,
  answerFailure: (error: unknown) => void,
): void {
  const end = response.end;
  response.end = function endOnceDurable(this: Response, ...args: unknown[]) {
    const written = joined || wrote() ? durable(db) : durableForReaders(db);
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
