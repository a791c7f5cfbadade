/** The search thread (see src/threads/search.ts): read-only connections, one per database file. */
import BetterSqlite3 from 'better-sqlite3';
import { runSearch } from '../db/search.js';
import { serveJobs } from './queue.js';
import type { SearchJob } from './search.js';

const connections = new Map<string, BetterSqlite3.Database>();

function connectionTo(file: string): BetterSqlite3.Database {
  let db = connections.get(file);
  if (!db) {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    // Waiting for a lock here holds no one but this thread's next search.
    db.pragma('busy_timeout = 2000');
    connections.set(file, db);
  }
  return db;
}

serveJobs(({ file, request }: SearchJob) => runSearch(connectionTo(file), request));
