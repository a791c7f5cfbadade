/**
 * Imports off the event loop: reading a file of 100,000 rows and writing them takes seconds of
 * SQLite's work, which on the server's connection would hold every other request. An import runs on
 * a thread of its own (src/threads/import-worker.ts), on a connection of its own to the same file,
 * one at a time. WAL lets the server keep reading meanwhile; its writes wait for the import (see
 * `joinWrites`), since SQLite has one writer at a time.
 */
import type { ImportOptions, ImportOutcome } from '../actions/imports.js';
import type { ImportFormat } from '../actions/import-files.js';
import { jobQueue } from './queue.js';

/** Past this an import is abandoned with its thread, and SQLite undoes whatever it had written. */
export const IMPORT_TIME_LIMIT_MS = 120_000;

/** Imports that may wait for the thread. */
export const MAX_WAITING_IMPORTS = 4;

export class ImportBusy extends Error {}
export class ImportTooSlow extends Error {}

export interface ImportJob {
  /** The database file. */
  database: string;
  /** The uploaded file, as the server stored it. */
  upload: string;
  format?: ImportFormat;
  options: Omit<ImportOptions, 'onProgress'>;
}

const run = jobQueue<ImportJob, ImportOutcome>({
  worker: new URL('./import-worker', import.meta.url),
  timeLimitMs: IMPORT_TIME_LIMIT_MS,
  maxWaiting: MAX_WAITING_IMPORTS,
  busy: (waiting) => new ImportBusy(`${waiting} imports are already waiting`),
  tooSlow: () => new ImportTooSlow(`it took longer than ${IMPORT_TIME_LIMIT_MS / 1000} s, and nothing was imported`),
  failed: (message) => new Error(`An import failed on its thread: ${message}`),
});

/** `job` run on the import thread: what it found (and did), or why it refused; `progress` is told the rows read so far. */
export function importOffThread(job: ImportJob, progress?: (rows: number) => void): Promise<ImportOutcome> {
  return run(job, progress && ((rows) => progress(rows as number)));
}
