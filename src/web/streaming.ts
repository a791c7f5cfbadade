/**
 * Answers sent in parts as they are made (a large incident's page), so the reader sees the top of
 * the page at once and the server makes the rest a slice at a time, serving others in between.
 */
import type { Response } from 'express';
import { durableForReaders, openBatchCommit } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { ownTurn, sliceTimer } from '../slices.js';

/**
 * A function that writes one part of the answer. It waits while a slow client has not taken what was
 * sent before, and for the next turn of the event loop once this one has run its slice; it answers
 * false once the client has gone, and the caller stops making parts.
 */
export function partWriter(response: Response): (part: string) => Promise<boolean> {
  const pause = sliceTimer();
  // One listener each for the whole answer, not one per wait: the compression middleware hands
  // 'drain' listeners to its compressor, where removing them from the answer does not reach, and
  // they piled up there.
  let waiting: (() => void) | undefined;
  const wake = () => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.();
  };
  response.on('drain', wake);
  response.on('close', wake);
  return async (part) => {
    if (response.destroyed) return false;
    if (!response.write(part)) await new Promise<void>((resolve) => (waiting = resolve));
    await pause();
    return !response.destroyed;
  };
}

/** Sends what is written so far now, not when the compressor's buffer fills (compression adds `flush`). */
export function flushWritten(response: Response): void {
  (response as Response & { flush?: () => void }).flush?.();
}

/**
 * The batches `batches` reads, each in a turn of the event loop of its own, read once the write
 * batch open then (if any) has committed, and handed on once what it read is on disk: an answer
 * written from them never shows a write that a failed commit or a crash could take back. (After a
 * failed sync it is served as it stands, as pages are.) Nothing is held between batches, so a
 * client that stops reading holds no transaction open; a write made meanwhile may or may not be in
 * the answer.
 */
export async function* committedBatches<Batch>(db: Database, batches: Iterator<Batch>): AsyncGenerator<Batch> {
  for (;;) {
    // Every other request has its turn before the next read: a client reading as fast as the socket
    // takes it would otherwise keep the answer going on promise callbacks alone, and new
    // connections would wait until it ended.
    await ownTurn();
    await openBatchCommit(db)?.catch(() => {});
    const next = batches.next();
    if (next.done) return;
    await durableForReaders(db);
    yield next.value;
  }
}
