/** The import thread (see src/threads/imports.ts): a connection per database file, an import at a time. */
import { importStreaming, type ImportOutcome, refusedOutcome } from '../actions/imports.js';
import { openImportFile } from '../actions/import-files.js';
import { type Database, openDatabase } from '../db/database.js';
import type { ImportJob } from './imports.js';
import { serveJobs } from './queue.js';

const connections = new Map<string, Database>();

function connectionTo(file: string): Database {
  let db = connections.get(file);
  if (!db) {
    // Waiting for the write lock here holds no one but this thread: the server's write batches last a turn of its event loop.
    db = openDatabase(file);
    db.pragma('busy_timeout = 10000');
    connections.set(file, db);
  }
  return db;
}

serveJobs(async ({ database, upload, format, options }: ImportJob, report): Promise<ImportOutcome> => {
  try {
    const table = await openImportFile(upload, format);
    return await importStreaming(connectionTo(database), table, { ...options, onProgress: report });
  } catch (error) {
    // The named errors (a bad file, bad rows, a changed preview) go back as such; anything else is a failure.
    return refusedOutcome(error);
  }
});
