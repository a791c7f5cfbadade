/** The search page (/search) and its JSON (/api/search): one search, two renderings. */
import { HITS_PER_PAGE, search, type SearchAnswer } from '../actions/search.js';
import { messagesByField } from '../actions/schemas.js';
import { FACET_STATUSES } from '../compare/comparison.js';
import { FILTERS_OF, MATCH_END, MATCH_START, SEARCH_GROUPS, type SearchGroup } from '../db/search.js';
import { listSourceChoices } from '../db/sources.js';
import { Invalid } from '../errors.js';
import type { Handler } from './context.js';
import { setErrorHeaders, statusOf } from './errors.js';
import { KIND_CHOICES, STATUS_LABELS } from './labels.js';
import { type SearchLink, urls } from './urls.js';

/** A text with its matched words marked: runs of plain and matched text, for a template to wrap in <mark>. */
export type MarkedText = { text: string; match: boolean }[];

/** Splits a text carrying the search's match markers into runs; null stays null. */
function runsOf(marked: string | null): MarkedText | null {
  if (marked === null) return null;
  const runs: MarkedText = [];
  for (const [index, part] of marked.split(MATCH_START).entries()) {
    const [matched, rest] = index === 0 ? [undefined, part] : (part.split(MATCH_END, 2) as [string, string | undefined]);
    if (matched) runs.push({ text: matched, match: true });
    if (rest) runs.push({ text: rest, match: false });
  }
  return runs;
}

/** Every filter the form has (claims honour them all): a refused search keeps its filters open. */
const FILTER_FIELDS = FILTERS_OF.claims;

const plain = (runs: MarkedText | null) => (runs === null ? null : runs.map((run) => run.text).join(''));

/** The fields of each group's hits that carry marks. */
const MARKED_FIELDS: Record<SearchGroup, readonly string[]> = {
  incidents: ['title', 'location', 'summary'],
  claims: ['facet', 'value', 'text', 'quote'],
  sources: ['name', 'affiliation', 'notes'],
  documents: ['title', 'text'],
};

/** A hit with each marked field as runs (for the page) or as plain text beside its runs (for JSON). */
function withRuns(group: SearchGroup, hit: Record<string, unknown>, forJson: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...hit };
  const marked: Record<string, MarkedText | null> = {};
  for (const field of MARKED_FIELDS[group]) marked[field] = runsOf(hit[field] as string | null);
  if (!forJson) {
    // An incident's summary is Markdown: its excerpt is read as text, without the marks of emphasis, code and headings.
    if (group === 'incidents') {
      marked.summary = marked.summary?.map((run) => ({ ...run, text: run.text.replace(/\*+|`+|^#+\s*/gm, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') })) ?? null;
    }
    return Object.assign(out, marked);
  }
  for (const field of MARKED_FIELDS[group]) out[field] = plain(marked[field]!);
  return { ...out, marked };
}

/** The filters and type of `answer` as a link's query, for links to another group or page of the same search. */
function linkOf(answer: SearchAnswer, change: Partial<SearchLink>): SearchLink {
  return { q: answer.q, ...answer.filters, type: answer.type === 'all' ? undefined : answer.type, ...change };
}

export const page: Handler = async (request, response, { db }) => {
  const sources = listSourceChoices(db);
  const shared = { sources, kinds: KIND_CHOICES, statuses: FACET_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status][1] })) };
  let answer: SearchAnswer;
  try {
    answer = await search(db, request.query);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    // The form comes back with what was typed and the mistake beside its field.
    setErrorHeaders(error, request, response);
    const filtered = FILTER_FIELDS.some((field) => typeof request.query[field] === 'string' && request.query[field] !== '');
    response.status(statusOf(error)).render('search', { ...shared, values: request.query, filtered, errors: messagesByField(error.issues), problem: error.message });
    return;
  }
  const groups = SEARCH_GROUPS.filter((group) => answer.results[group] !== undefined).map((group) => {
    const { total, more, scanned, rankedAmong, hits } = answer.results[group]!;
    return {
      group,
      total,
      more,
      scanned,
      rankedAmong,
      hits: hits.map((hit) => withRuns(group, hit as unknown as Record<string, unknown>, false)),
      all: answer.type === 'all' && total > hits.length ? urls.search(linkOf(answer, { type: group })) : undefined,
    };
  });
  const paged = answer.type === 'all' ? undefined : answer.results[answer.type];
  const pages = paged ? Math.max(1, Math.ceil(paged.total / HITS_PER_PAGE)) : 1;
  response.render('search', {
    ...shared,
    answer,
    values: { ...answer.filters, q: answer.q, type: answer.type === 'all' ? undefined : answer.type },
    errors: {},
    groups,
    found: groups.reduce((sum, { total }) => sum + total, 0),
    filtered: Object.keys(answer.filters).length > 0,
    everything: urls.search(linkOf(answer, { type: undefined, page: undefined })),
    pager: paged && {
      label: `Page ${answer.page} of ${pages}`,
      previous: answer.page > 1 ? urls.search(linkOf(answer, { page: answer.page - 1 })) : undefined,
      next: answer.page < pages ? urls.search(linkOf(answer, { page: answer.page + 1 })) : undefined,
    },
  });
};

export const json: Handler = async (request, response, { db }) => {
  const answer = await search(db, request.query);
  const results = Object.fromEntries(
    SEARCH_GROUPS.filter((group) => answer.results[group] !== undefined).map((group) => {
      const { total, more, scanned, rankedAmong, hits } = answer.results[group]!;
      return [group, { total, more, scanned, ranked_among: rankedAmong, hits: hits.map((hit) => withRuns(group, hit as unknown as Record<string, unknown>, true)) }];
    }),
  );
  response.json({
    q: answer.q ?? null,
    type: answer.type,
    page: answer.page,
    per_page: answer.type === 'all' ? null : HITS_PER_PAGE,
    filters: answer.filters,
    groups_left_out: answer.groupsLeftOut,
    statuses_counting: answer.statusesCounting,
    results,
  });
};
