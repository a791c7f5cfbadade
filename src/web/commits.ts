/**
 * Group commit, as the web sees it (the batches themselves are in db/commits.ts): a request that may
 * write joins the open write batch, one that reads waits until no batch is open, and every answer is
 * held until the batches it may have seen have committed. So a client is told "saved" only once the
 * write is on disk, and no one is shown a write that a failed commit then took back.
 */
import type { RequestHandler, Response } from 'express';
import { joinWriteBatch, openBatchCommit, writesSettled } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { errorHandler, HttpError } from './errors.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a successful answer carried that must not go out with the error that replaces it. */
const ANSWER_HEADERS = ['content-length', 'content-type', 'etag', 'location', 'set-cookie', 'last-modified'];

export function groupCommits(db: Database): RequestHandler {
  return (request, response, next) => {
    const joined = READS.has(request.method) ? undefined : joinWriteBatch(db);
    holdAnswerUntilCommitted(db, response, joined, (error) => {
      console.error(`${request.method} ${request.originalUrl}: the commit failed:`, error);
      errorHandler(new HttpError(503, 'The change could not be written to disk, so nothing was saved. Try again in a moment.'), request, response, next);
    });
    if (joined || !openBatchCommit(db)) return next();
    return writesSettled(db).then(() => next());
  };
}

/**
 * Wraps `response.end` so that the answer goes out once `joined` (the batch the request's writes
 * went into) and the batch open at that moment have committed; if either failed, `answerFailure`
 * answers instead. With nothing to wait for, the answer goes out at once.
 */
function holdAnswerUntilCommitted(
  db: Database,
  response: Response,
  joined: Promise<void> | undefined,
  answerFailure: (error: unknown) => void,
): void {
  const end = response.end;
  response.end = function endOnceCommitted(this: Response, ...args: unknown[]) {
    const open = openBatchCommit(db);
    if (!joined && !open) return end.apply(this, args as Parameters<typeof end>);
    Promise.all([joined, open]).then(
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
