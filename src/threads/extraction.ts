/**
 * Reading texts off the event loop: proposals for a megabyte of text take one to three seconds, and
 * an HTML page of a few megabytes takes about as long to reduce to text. Both run on one thread of their
 * own (src/threads/extract-worker.ts), a job at a time.
 */
import type { FileReading } from '../extract/files.js';
import type { Extraction, ExtractionContext } from '../extract/proposals.js';
import { jobQueue } from './queue.js';

/** Far more than a megabyte of text needs (one to three seconds): past it, something is wrong with the text. */
export const EXTRACTION_TIME_LIMIT_MS = 20_000;

/** Texts that may wait for the thread: each may take a few seconds, and a page waits for its turn. */
export const MAX_WAITING_EXTRACTIONS = 8;

/** More texts are waiting to be read than the thread takes on: try again in a moment. */
export class ExtractorBusy extends Error {}

/** A text the thread could not read in time, or at all. */
export class NotExtractable extends Error {}

export type ExtractionJob =
  | { kind: 'propose'; text: string; context: ExtractionContext }
  | { kind: 'file'; name: string; bytes: Uint8Array };

const run = jobQueue<ExtractionJob, Extraction | FileReading>({
  worker: new URL('./extract-worker', import.meta.url),
  timeLimitMs: EXTRACTION_TIME_LIMIT_MS,
  maxWaiting: MAX_WAITING_EXTRACTIONS,
  busy: (waiting) => new ExtractorBusy(`${waiting} texts are already waiting to be read`),
  tooSlow: () => new NotExtractable(`reading it took longer than ${EXTRACTION_TIME_LIMIT_MS / 1000} s`),
  failed: (message) => new NotExtractable(`it could not be read (${message})`),
});

/** Proposed claims for `text`, read on the extraction thread. */
export function proposeClaimsOffThread(text: string, context: ExtractionContext): Promise<Extraction> {
  return run({ kind: 'propose', text, context }) as Promise<Extraction>;
}

/** An uploaded file's text (HTML reduced to text), or what is wrong with it, read on the extraction thread. */
export function readUploadOffThread(name: string, bytes: Uint8Array): Promise<FileReading> {
  return run({ kind: 'file', name, bytes }) as Promise<FileReading>;
}
