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

/** Matched words are wrapped in these characters (from Unicode's private use area), for the page to mark. */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

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
  /** How many match; with filters, counted up to RANK_WINDOW (then `more` is true). */
  total: number;
  more: boolean;
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


const marked = (table: string, column: number) => `highlight(${table}, ${column}, '${MATCH_START}', '${MATCH_END}')`;
const excerpt = (table: string, column: number, words: number) => `snippet(${table}, ${column}, '${MATCH_START}', '${MATCH_END}', '…', ${words})`;

/**
 * Each group's query: what it reads; `from`, the index joined to what its filters read; `live`, the
 * join that leaves out rows of deleted incidents (needed only once an incident is deleted); its
 * ranking (column weights: names above texts); and its filters.
 */
const QUERIES: Record<SearchGroup, { select: string; from: string; live?: string; rank: string; filters: Partial<Record<keyof SearchFilters, string>> }> = {
  incidents: {
    select: `i.id, i.slug, i.occurred_on, ${marked('incidents_search', 0)} AS title, ${marked('incidents_search', 1)} AS location,
      ${excerpt('incidents_search', 2, 24)} AS summary`,
    from: 'incidents_search JOIN incidents i ON i.id = incidents_search.rowid',
    rank: 'bm25(incidents_search, 4.0, 2.0, 1.0)',
    filters: { from: 'i.occurred_on >= @from', to: 'substr(i.occurred_on, 1, 10) <= @to' },
  },
  claims: {
    select: `c.id, i.slug AS incident_slug, i.title AS incident_title, s.id AS source_id, s.name AS source_name,
      (SELECT name FROM sources WHERE id = c.via_source_id) AS via_source_name, c.published_at,
      (SELECT status FROM facet_statuses f WHERE f.incident_id = c.incident_id AND f.facet_key = c.facet_key AND f.engine = @engine) AS facet_status,
      ${marked('claims_search', 0)} AS facet, ${marked('claims_search', 3)} AS value, ${excerpt('claims_search', 1, 40)} AS text,
      ${excerpt('claims_search', 2, 24)} AS quote`,
    from: 'claims_search JOIN claims c ON c.id = claims_search.rowid JOIN sources s ON s.id = c.source_id',
    live: 'JOIN incidents i ON i.id = c.incident_id AND i.deleted_at IS NULL',
    rank: 'bm25(claims_search, 3.0, 1.0, 1.0, 2.0)',
    filters: {
      source: 's.id = @source',
      kind: 's.kind = @kind',
      affiliation: 's.affiliation = @affiliation COLLATE NOCASE',
      status: `EXISTS (SELECT 1 FROM facet_statuses f WHERE f.incident_id = c.incident_id AND f.facet_key = c.facet_key
        AND f.engine = @engine AND f.status = @status)`,
      from: 'c.published_at >= @from',
      to: 'substr(c.published_at, 1, 10) <= @to',
    },
  },
  sources: {
    select: `s.id, s.kind, ${marked('sources_search', 0)} AS name, ${marked('sources_search', 1)} AS affiliation,
      ${excerpt('sources_search', 2, 24)} AS notes`,
    from: 'sources_search JOIN sources s ON s.id = sources_search.rowid',
    rank: 'bm25(sources_search, 4.0, 2.0, 1.0)',
    filters: { source: 's.id = @source', kind: 's.kind = @kind', affiliation: 's.affiliation = @affiliation COLLATE NOCASE' },
  },
  documents: {
    select: `d.id, i.slug AS incident_slug, i.title AS incident_title, d.published_at, ${marked('documents_search', 0)} AS title,
      ${excerpt('documents_search', 1, 40)} AS text`,
    from: 'documents_search JOIN documents d ON d.id = documents_search.rowid LEFT JOIN sources s ON s.id = d.outlet_source_id',
    live: 'JOIN incidents i ON i.id = d.incident_id AND i.deleted_at IS NULL',
    rank: 'bm25(documents_search, 3.0, 1.0)',
    filters: {
      source: 's.id = @source',
      kind: 's.kind = @kind',
      affiliation: 's.affiliation = @affiliation COLLATE NOCASE',
      from: 'd.published_at >= @from',
      to: 'substr(d.published_at, 1, 10) <= @to',
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
      const table = query.from.split(' ')[0]!;
      const where = [`${table} MATCH @match`, ...given.map((name) => query.filters[name]!)].join(' AND ');
      const parameters = { match, engine, ...Object.fromEntries(given.map((name) => [name, filters[name]])) };
      // Only the parameters a statement names may be bound: better-sqlite3 refuses others.
      const bind = (sql: string) => Object.fromEntries(Object.entries(parameters).filter(([name]) => sql.includes(`@${name}`)));
      const liveJoin = someDeleted && query.live ? ` ${query.live}` : '';
      let ranked: { total: number; more: boolean; ids: number[] };
      if (given.length === 0 && liveJoin === '') {
        const countSql = `SELECT count(*) FROM ${table} WHERE ${where}`;
        const total = prepared(db, countSql).pluck().get(bind(countSql)) as number;
        // FTS5 gives its matches newest first without sorting them; the window of those is ranked.
        const rankSql = `SELECT id FROM (SELECT rowid AS id, ${query.rank} AS score FROM ${table} WHERE ${where}
          ORDER BY rowid DESC LIMIT ${RANK_WINDOW}) ORDER BY score LIMIT @limit OFFSET @offset`;
        const ids = total <= page.offset ? [] : (prepared(db, rankSql).pluck().all({ ...bind(rankSql), limit: page.limit, offset: page.offset }) as number[]);
        ranked = { total, more: false, ids };
      } else {
        const scanSql = `SELECT ${table}.rowid AS id, ${query.rank} AS score FROM ${query.from}${liveJoin} WHERE ${where}
          ORDER BY ${table}.rowid DESC LIMIT ${RANK_WINDOW + 1}`;
        const scored = prepared(db, scanSql).all(bind(scanSql)) as { id: number; score: number }[];
        const more = scored.length > RANK_WINDOW;
        if (more) scored.pop();
        scored.sort((a, b) => a.score - b.score || b.id - a.id);
        ranked = { total: scored.length, more, ids: scored.slice(page.offset, page.offset + page.limit).map(({ id }) => id) };
      }
      const readSql = `SELECT ${query.select} FROM ${query.from}${query.live ? ` ${query.live}` : ''}
        WHERE ${table} MATCH @match AND ${table}.rowid = CAST(@id AS INTEGER)`;
      const read = prepared(db, readSql);
      const hits = ranked.ids.map((id) => read.get({ ...bind(readSql), id })).filter((hit) => hit !== undefined);
      // A quotation's excerpt is shown only where the match is.
      if (group === 'claims') for (const hit of hits as ClaimHit[]) if (!hit.quote?.includes(MATCH_START)) hit.quote = null;
      const rankedAmong = ranked.more || ranked.total > RANK_WINDOW ? RANK_WINDOW : null;
      (results as Record<SearchGroup, unknown>)[group] = { total: ranked.total, more: ranked.more, rankedAmong, hits };
    }
  })();
  return results;
}
