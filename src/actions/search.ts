/**
 * Search across incidents, claims, sources and documents (the /search page and /api/search): the
 * query read and checked here, the SQL in src/db/search.ts, run on the search thread for a database
 * file (src/threads/search.ts) or in place for an in-memory one, which no other connection can open.
 */
import { noBatchOpen } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { summaryEngine } from '../db/summaries.js';
import { listLiveIncidentIds } from '../db/tallies.js';
import { type SearchFilters, type SearchGroup, groupHonours, runSearch, SEARCH_GROUPS, type SearchRequest, type SearchResults } from '../db/search.js';
import { type ParsedSearch, parseSearch } from '../db/search-query.js';
import { NotFound, TooBusy } from '../errors.js';
import { SearchBusy, searchOffThread, SearchTooSlow } from '../threads/search.js';
import { incidentTallies } from './comparisons.js';
import { parseInput, SearchQuery } from './schemas.js';

/** Results per group on the overview (all groups at once), and per page when one group is paged through. */
export const OVERVIEW_HITS = 5;
export const OVERVIEW_CLAIM_HITS = 10;
export const HITS_PER_PAGE = 20;

export interface SearchAnswer {
  /** The query as read; undefined when nothing was typed (the page shows the empty form). */
  q: string | undefined;
  parsed: ParsedSearch | undefined;
  type: 'all' | SearchGroup;
  page: number;
  filters: SearchFilters;
  results: SearchResults;
  /** The groups the filters given leave out (a date range says nothing about sources). */
  groupsLeftOut: SearchGroup[];
  /** Incidents whose facets' statuses are still being worked out: their claims show none, and match no status filter. */
  statusesCounting: number;
}

/**
 * How long a search waits for incidents' facet statuses to be made (after an upgrade, or for an
 * incident just written to), which go on being made in the background after that.
 */
const STATUSES_WAIT_MS = 1_000;

/**
 * Runs the search `input` (a query string's fields) describes. Throws `Invalid` naming the field
 * for a bad filter or a query that cannot mean anything, `NotFound` for a page past the last.
 */
export async function search(db: Database, input: unknown): Promise<SearchAnswer> {
  const { q, type, page = 1, ...filterFields } = parseInput(SearchQuery, input, 'search');
  const filters = Object.fromEntries(Object.entries(filterFields).filter(([, value]) => value !== undefined)) as SearchFilters;
  const groupsLeftOut = SEARCH_GROUPS.filter((group) => !groupHonours(group, filters));
  const answer: SearchAnswer = { q, parsed: undefined, type, page, filters, results: {}, groupsLeftOut, statusesCounting: 0 };
  if (q === undefined) return answer;
  answer.parsed = parseSearch(q);
  // Claims show their facet's status, and the status filter reads it, from the statuses stored
  // with each incident's summary, which a write to the incident forgets: they are made again
  // first (at once when the comparison is cached), and the search reads them once committed.
  if ((type === 'all' || type === 'claims') && groupHonours('claims', filters)) {
    answer.statusesCounting = (await incidentTallies(db, listLiveIncidentIds(db), { waitMs: STATUSES_WAIT_MS })).counting;
    await noBatchOpen(db);
  }
  const request: SearchRequest = { match: answer.parsed.match, filters, pages: {}, engine: summaryEngine() };
  for (const group of SEARCH_GROUPS) {
    if (type === 'all') request.pages[group] = { limit: group === 'claims' ? OVERVIEW_CLAIM_HITS : OVERVIEW_HITS, offset: 0 };
    else if (type === group) request.pages[group] = { limit: HITS_PER_PAGE, offset: (page - 1) * HITS_PER_PAGE };
  }
  answer.results = await runRequest(db, request);
  const paged = type === 'all' ? undefined : answer.results[type];
  if (paged && page > 1 && paged.hits.length === 0) {
    throw new NotFound(`These results fill ${Math.max(1, Math.ceil(paged.total / HITS_PER_PAGE))} page(s), not ${page}`);
  }
  return answer;
}

async function runRequest(db: Database, request: SearchRequest): Promise<SearchResults> {
  if (db.memory) return runSearch(db, request);
  try {
    return await searchOffThread(db.name, request);
  } catch (error) {
    if (error instanceof SearchBusy) throw new TooBusy(`Many searches are under way (${error.message}); try again in a moment.`);
    if (error instanceof SearchTooSlow) throw new TooBusy(`This search matches too much to rank in time (${error.message}): add words or filters to narrow it.`);
    throw error;
  }
}
