/**
 * Full-text search over the indexes of migrations/015_search.sql: incidents, claims, sources and
 * documents, each ranked by bm25 and counted, with the person's filters. Plain functions over a
 * connection: the server runs them on a thread of its own (src/threads/search.ts), because one
 * common word over a million claims is seconds of ranking; tests on in-memory databases run them
 * in place.
 */
import type { FacetStatus } from '../compare/comparison.js';
import { type Database, prepared } from './database.js';

export const SEARCH_GROUPS = ['incidents', 'claims', 'sources', 'documents'] as const;
export type SearchGroup = (typeof SEARCH_GROUPS)[number];

export interface SearchFilters {
  source?: number;
  kind?: string;
  affiliation?: string;
  /** The status of the claim's facet, as stored with the incident's summary. */
  status?: FacetStatus;
  /** YYYY-MM-DD, inclusive: a claim's publication date, an incident's date, a document's publication date. */
  from?: string;
  to?: string;
}

/** Which filters each group can honour: a group is searched only when every filter given applies to it. */
export const FILTERS_OF: Record<SearchGroup, readonly (keyof SearchFilters)[]> = {
  incidents: ['from', 'to'],
  claims: ['source', 'kind', 'affiliation', 'status', 'from', 'to'],
  sources: ['source', 'kind', 'affiliation'],
  documents: ['source', 'kind', 'affiliation', 'from', 'to'],
};

export interface SearchRequest {
  /** An FTS5 expression made by parseSearch (src/db/search-query.ts), never raw input. */
  match: string;
  filters: SearchFilters;
  /** The groups to read, and which of their results. */
  pages: Partial<Record<SearchGroup, { limit: number; offset: number }>>;
  /** The comparison rules whose stored facet statuses the status filter reads. */
  engine: string;
}

/**
 * Matched words are wrapped in these marks, for the page to mark them: three characters from
 * Unicode's private use area each, a sequence no text holds by chance (one character alone is
 * used by some fonts' icons, and could be in a pasted text).
 */
export const MATCH_START = '\uE000\uE002\uE001';
export const MATCH_END = '\uE001\uE002\uE000';

export interface IncidentHit {
  id: number;
  slug: string;
  occurred_on: string | null;
  title: string;
  location: string | null;
  summary: string | null;
}

export interface ClaimHit {
  id: number;
  incident_slug: string;
  incident_title: string;
  source_id: number;
  source_name: string;
  via_source_name: string | null;
  published_at: string | null;
  facet_status: FacetStatus | null;
  facet: string;
  value: string | null;
  text: string;
  /** The part of the quotation around a match; null when the quotation has none. */
  quote: string | null;
}

export interface SourceHit {
  id: number;
  kind: string;
  name: string;
  affiliation: string | null;
  notes: string | null;
}

export interface DocumentHit {
  id: number;
  incident_slug: string;
  incident_title: string;
  published_at: string | null;
  title: string;
  text: string;
}

/** One group's results: how many match, and the page asked for. */
export interface SearchHits<Hit> {
  /** How many match; when `more`, how many were found before the search stopped looking. */
  total: number;
  more: boolean;
  /** When `more`: how many of the newest matches of the words were looked at for the filters. */
  scanned: number | null;
  /** Set when more match than RANK_WINDOW: only the newest that many were ranked. */
  rankedAmong: number | null;
  hits: Hit[];
}

export interface SearchResults {
  incidents?: SearchHits<IncidentHit>;
  claims?: SearchHits<ClaimHit>;
  sources?: SearchHits<SourceHit>;
  documents?: SearchHits<DocumentHit>;
}

/**
 * Matches ranked per search, newest first (by entry). Ranking costs about 2 µs a match: a word in
 * most of a million claims would take a second or two to rank whole, a search of a few words a few
 * milliseconds. Past this many matches the newest are ranked, and the page says so.
 */
export const RANK_WINDOW = 20_000;

/**
 * With filters (or once an incident is deleted) each match is joined to what the filters read,
 * about 3 µs a match: matches are looked at newest first, SCAN_WINDOW at a time, until RANK_WINDOW
 * pass, the matches run out, or SCAN_BUDGET_MS has gone by; then the page says how many were
 * looked at. A search thus answers in about the same time whatever its words match.
 */
export const SCAN_WINDOW = 2_500;
export const SCAN_BUDGET_MS = 40;

const marked = (table: string, column: number) => `highlight(${table}, ${column}, '${MATCH_START}', '${MATCH_END}')`;
const excerpt = (table: string, column: number, words: number) => `snippet(${table}, ${column}, '${MATCH_START}', '${MATCH_END}', '…', ${words})`;

/**
 * Each group's query: what it reads; `joins`, what its filters read joined to the match (whose id
 * is `@@`); `live`, the
 * join that leaves out rows of deleted incidents (needed only once an incident is deleted); its
 * ranking (column weights: names above texts); and its filters.
 */
const QUERIES: Record<SearchGroup, { select: string; joins: string; live?: string; rank: string; filters: Partial<Record<keyof SearchFilters, string>> }> = {
  incidents: {
    select: `i.id, i.slug, i.occurred_on, ${marked('incidents_search', 0)} AS title, ${marked('incidents_search', 1)} AS location,
      ${excerpt('incidents_search', 2, 24)} AS summary`,
    joins: 'JOIN incidents i ON i.id = @@',
    rank: 'bm25(incidents_search, 4.0, 2.0, 1.0)',
    filters: { from: 'i.occurred_on >= @from', to: 'i.occurred_on <= @to' },
  },
  claims: {
    select: `c.id, i.slug AS incident_slug, i.title AS incident_title, s.id AS source_id, s.name AS source_name,
      (SELECT name FROM sources WHERE id = c.via_source_id) AS via_source_name, c.published_at,
      (SELECT status FROM facet_statuses f WHERE f.incident_id = c.incident_id AND f.facet_key = c.facet_key AND f.engine = @engine) AS facet_status,
      ${marked('claims_search', 0)} AS facet, ${marked('claims_search', 3)} AS value, ${excerpt('claims_search', 1, 40)} AS text,
      ${excerpt('claims_search', 2, 24)} AS quote`,
    joins: 'JOIN claims c ON c.id = @@ JOIN sources s ON s.id = c.source_id',
    live: 'JOIN incidents i ON i.id = c.incident_id AND i.deleted_at IS NULL',
    rank: 'bm25(claims_search, 3.0, 1.0, 1.0, 2.0)',
    filters: {
      source: 's.id = @source',
      kind: 's.kind = @kind',
      affiliation: 's.affiliation = @affiliation COLLATE NOCASE',
      status: `EXISTS (SELECT 1 FROM facet_statuses f WHERE f.incident_id = c.incident_id AND f.facet_key = c.facet_key
        AND f.engine = @engine AND f.status = @status)`,
      from: 'date(c.published_at) >= @from',
      to: 'date(c.published_at) <= @to',
    },
  },
  sources: {
    select: `s.id, s.kind, ${marked('sources_search', 0)} AS name, ${marked('sources_search', 1)} AS affiliation,
      ${excerpt('sources_search', 2, 24)} AS notes`,
    joins: 'JOIN sources s ON s.id = @@',
    rank: 'bm25(sources_search, 4.0, 2.0, 1.0)',
    filters: { source: 's.id = @source', kind: 's.kind = @kind', affiliation: 's.affiliation = @affiliation COLLATE NOCASE' },
  },
  documents: {
    select: `d.id, i.slug AS incident_slug, i.title AS incident_title, d.published_at, ${marked('documents_search', 0)} AS title,
      ${excerpt('documents_search', 1, 40)} AS text`,
    joins: 'JOIN documents d ON d.id = @@ LEFT JOIN sources s ON s.id = d.outlet_source_id',
    live: 'JOIN incidents i ON i.id = d.incident_id AND i.deleted_at IS NULL',
    rank: 'bm25(documents_search, 3.0, 1.0)',
    filters: {
      source: 's.id = @source',
      kind: 's.kind = @kind',
      affiliation: 's.affiliation = @affiliation COLLATE NOCASE',
      from: 'date(d.published_at) >= @from',
      to: 'date(d.published_at) <= @to',
    },
  },
};

/** The filters given (those not undefined). */
function filtersGiven(filters: SearchFilters): (keyof SearchFilters)[] {
  return (Object.keys(filters) as (keyof SearchFilters)[]).filter((name) => filters[name] !== undefined);
}

/** Whether `group` can honour every filter given (else it is left out of the results). */
export function groupHonours(group: SearchGroup, filters: SearchFilters): boolean {
  return filtersGiven(filters).every((name) => FILTERS_OF[group].includes(name));
}

/** Whether any incident is deleted: until one is, every indexed claim and document is live and a search need not join incidents to rank or count. */
function anyIncidentDeleted(db: Database): boolean {
  return prepared(db, 'SELECT EXISTS (SELECT 1 FROM incidents WHERE deleted_at IS NOT NULL)').pluck().get() === 1;
}

/**
 * Reads the requested groups in one read transaction (counts and hits agree). Ranking and reading
 * are two steps: a page's ids are ranked first and only that page's rows are then read with their
 * marked excerpts (SQLite would otherwise make an excerpt of every match before sorting: 76,000 of
 * them for a common word in 100,000 claims). Without filters the index alone counts and ranks;
 * with them each match is joined to what the filters read, once: the newest RANK_WINDOW that pass
 * are scored in the same pass that counts them. The statements are built from the fixed pieces
 * above and the names of the filters given; every value is bound.
 */
export function runSearch(db: Database, { match, filters, pages, engine }: SearchRequest): SearchResults {
  const results: SearchResults = {};
  const given = filtersGiven(filters);
  db.transaction(() => {
    const someDeleted = anyIncidentDeleted(db);
    for (const group of SEARCH_GROUPS) {
      const page = pages[group];
      if (!page || !groupHonours(group, filters)) continue;
      const query = QUERIES[group];
      const table = `${group}_search`;
      const parameters = { match, engine, ...Object.fromEntries(given.map((name) => [name, filters[name]])) };
      // Only the parameters a statement names may be bound: better-sqlite3 refuses others.
      const bind = (sql: string) => Object.fromEntries(Object.entries(parameters).filter(([name]) => sql.includes(`@${name}`)));
      const conditions = [...given.map((name) => query.filters[name]!), ...(someDeleted && query.live ? ['i.id IS NOT NULL'] : [])];
      const ranked = conditions.length === 0 ? rankAll(db, table, query.rank, match, page) : scanNewest(db, group, conditions, someDeleted, page, bind);
      const readSql = `SELECT ${query.select} FROM ${table} ${query.joins.replaceAll('@@', `${table}.rowid`)}${query.live ? ` ${query.live}` : ''}
        WHERE ${table} MATCH @match AND ${table}.rowid = CAST(@id AS INTEGER)`;
      const read = prepared(db, readSql);
      const hits = ranked.ids.map((id) => read.get({ ...bind(readSql), id })).filter((hit) => hit !== undefined);
      // A quotation's excerpt is shown only where the match is.
      if (group === 'claims') for (const hit of hits as ClaimHit[]) if (!hit.quote?.includes(MATCH_START)) hit.quote = null;
      const rankedAmong = ranked.total > RANK_WINDOW ? RANK_WINDOW : null;
      (results as Record<SearchGroup, unknown>)[group] = { total: ranked.total, more: ranked.scanned !== null, scanned: ranked.scanned, rankedAmong, hits };
    }
  })();
  return results;
}

interface Ranked {
  total: number;
  /** How many matches were looked at, when not all were. */
  scanned: number | null;
  ids: number[];
}

/** Every match counted from the index alone, and the newest RANK_WINDOW of them ranked there (FTS5 gives them newest first without sorting). */
function rankAll(db: Database, table: string, rank: string, match: string, page: { limit: number; offset: number }): Ranked {
  const total = prepared(db, `SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck().get(match) as number;
  const rankSql = `SELECT id FROM (SELECT rowid AS id, ${rank} AS score FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT ${RANK_WINDOW})
    ORDER BY score LIMIT ? OFFSET ?`;
  const ids = total <= page.offset ? [] : (prepared(db, rankSql).pluck().all(match, page.limit, page.offset) as number[]);
  return { total, scanned: null, ids };
}

/**
 * The matches that pass `conditions`, newest first, SCAN_WINDOW matches a query, until RANK_WINDOW
 * pass, the matches run out or SCAN_BUDGET_MS has gone by; those found are ranked here.
 */
function scanNewest(
  db: Database,
  group: SearchGroup,
  conditions: string[],
  someDeleted: boolean,
  page: { limit: number; offset: number },
  bind: (sql: string) => Record<string, unknown>,
): Ranked {
  const query = QUERIES[group];
  const table = `${group}_search`;
  // LEFT joins, so that every match of the window comes back (with whether it passes) and the next window starts after the last.
  const joins = `${query.joins}${someDeleted && query.live ? ` ${query.live}` : ''}`.replace(/(LEFT )?JOIN/g, 'LEFT JOIN').replaceAll('@@', 'm.id');
  const scanSql = `SELECT m.id, m.score, coalesce(${conditions.map((condition) => `(${condition})`).join(' AND ')}, 0) AS passes
    FROM (SELECT rowid AS id, ${query.rank} AS score FROM ${table} WHERE ${table} MATCH @match AND rowid < CAST(@before AS INTEGER)
      ORDER BY rowid DESC LIMIT ${SCAN_WINDOW}) m ${joins}`;
  const scan = prepared(db, scanSql);
  const started = performance.now();
  const passing: { id: number; score: number }[] = [];
  let scanned = 0;
  let before = Number.MAX_SAFE_INTEGER;
  let exhausted = false;
  while (passing.length < RANK_WINDOW) {
    const window = scan.all({ ...bind(scanSql), before }) as { id: number; score: number; passes: number }[];
    scanned += window.length;
    for (const match of window) if (match.passes) passing.push(match);
    if (window.length < SCAN_WINDOW) {
      exhausted = true;
      break;
    }
    before = window.at(-1)!.id;
    if (performance.now() - started > SCAN_BUDGET_MS) break;
  }
  passing.length = Math.min(passing.length, RANK_WINDOW);
  passing.sort((a, b) => a.score - b.score || b.id - a.id);
  return { total: passing.length, scanned: exhausted ? null : scanned, ids: passing.slice(page.offset, page.offset + page.limit).map(({ id }) => id) };
}
