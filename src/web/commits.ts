/**
 * Group commit, as the web sees it (the batches and syncs themselves are in db/commits.ts): a request
 * that may write joins the open write batch, one that reads waits until no batch is open and every
 * commit is on disk, and every answer is held until what it may have seen is on disk. So a client is
 * told "saved" only once the write is on disk, and no one is shown a write a crash could take back.
 */
import type { RequestHandler, Response } from 'express';
import { durable, joinWriteBatch, syncCommitsOffThread, writesSettled } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { errorHandler, HttpError } from './errors.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a successful answer carried that must not go out with the error that replaces it. */
const ANSWER_HEADERS = ['content-length', 'content-type', 'etag', 'location', 'set-cookie', 'last-modified'];

export function groupCommits(db: Database): RequestHandler {
  syncCommitsOffThread(db);
  return (request, response, next) => {
    const joined = READS.has(request.method) ? undefined : joinWriteBatch(db);
    holdAnswerUntilDurable(db, response, joined, (error) => {
      console.error(`${request.method} ${request.originalUrl}: the commit failed:`, error);
      errorHandler(new HttpError(503, 'The change could not be confirmed on disk, so it may not have been saved. Reload to check before trying again.'), request, response, next);
    });
    const pending = joined ? undefined : durable(db);
    if (!pending) return next();
    return pending
      .catch(() => {})
      .then(() => writesSettled(db))
      .then(() => next());
  };
}

/**
 * Wraps `response.end` so that the answer goes out once `joined` (the batch the request's writes
 * went into) and every write before the answer are committed and on disk; if that failed for a
 * write, `answerFailure` answers instead. With nothing to wait for, the answer goes out at once.
 */
function holdAnswerUntilDurable(
  db: Database,
  response: Response,
  joined: Promise<void> | undefined,
  answerFailure: (error: unknown) => void,
): void {
  const end = response.end;
  response.end = function endOnceDurable(this: Response, ...args: unknown[]) {
    let written = durable(db);
    if (!joined && !written) return end.apply(this, args as Parameters<typeof end>);
    // A reader is served what the database holds even when a sync has failed; only writes are refused.
    if (!joined) written = written?.catch(() => {});
    Promise.all([joined, written]).then(
      () => end.apply(this, args as Parameters<typeof end>),
      (error: unknown) => {
        response.end = end;
        for (const header of ANSWER_HEADERS) response.removeHeader(header);
        answerFailure(error);
      },
    );
    return this;
  } as Response['end'];
}
