/**
 * Answers sent in parts as they are made (a large incident's page), so the reader sees the top of
 * the page at once and the server makes the rest a slice at a time, serving others in between.
 */
import type { Response } from 'express';
import { sliceTimer } from '../slices.js';

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
