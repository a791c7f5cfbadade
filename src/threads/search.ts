/**
 * Searches off the event loop: ranking one common word over a million claims is a second or more of
 * SQLite's work, which on the server's connection would hold every other request. They run on a
 * thread of their own (src/threads/search-worker.ts), on a read-only connection of its own to the
 * same file, a search at a time, with a time limit. WAL lets that connection read while the server
 * writes, and it sees each write as soon as it is committed.
 */
import type { SearchRequest, SearchResults } from '../db/search.js';
import { jobQueue } from './queue.js';

/** Past this a search is abandoned with its thread: it asks for more than a page of results is worth. */
export const SEARCH_TIME_LIMIT_MS = 5_000;

/** Searches that may wait for the thread; each usually takes milliseconds. */
export const MAX_WAITING_SEARCHES = 16;

/** More searches are waiting than the thread takes on. */
export class SearchBusy extends Error {}

/** A search that could not be answered in time. */
export class SearchTooSlow extends Error {}

export interface SearchJob {
  /** The database file: the thread keeps one read-only connection per file. */
  file: string;
  request: SearchRequest;
}

const run = jobQueue<SearchJob, SearchResults>({
  worker: new URL('./search-worker', import.meta.url),
  timeLimitMs: SEARCH_TIME_LIMIT_MS,
  maxWaiting: MAX_WAITING_SEARCHES,
  busy: (waiting) => new SearchBusy(`${waiting} searches are already waiting`),
  tooSlow: () => new SearchTooSlow(`it took longer than ${SEARCH_TIME_LIMIT_MS / 1000} s`),
  // The SQL is ours and the query made safe: a failure here is the server's fault, not the search's.
  failed: (message) => new Error(`A search failed on its thread: ${message}`),
});

/** The results of `request` over the database file `file`, read on the search thread. */
export function searchOffThread(file: string, request: SearchRequest): Promise<SearchResults> {
  return run({ file, request });
}
