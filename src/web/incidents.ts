/** Incident pages: the list, the grid, the pairs of one facet, and the incident's form and delete. */
import { createHash } from 'node:crypto';
import { gzipSync, constants as zlibConstants } from 'node:zlib';
import type { Request, Response } from 'express';
import { getLoadedComparison, incidentChanges, incidentSummaries, keepFragment, type LoadedComparison, loadComparison } from '../actions/comparisons.js';
import {
  removeIncident,
  requireIncidentBySlug,
  requireIncidentBySlugIncludingDeleted,
  restoreIncident,
  saveIncident,
} from '../actions/incidents.js';
import { editVersion, FacetQuery, IncidentListQuery, IncidentPageQuery, parseInput } from '../actions/schemas.js';
import { formatInterval, parseValue } from '../compare/values.js';
import { type ClaimRow, countClaimsForIncident, getClaimIncludingDeleted } from '../db/claims.js';
import { durableForReaders } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { listDocumentsOfIncident } from '../db/documents.js';
import type { Incident } from '../db/incidents.js';
import { listIncidents } from '../db/incidents.js';
import { DatabaseBusy, NotFound } from '../errors.js';
import { actorOf, dataTag, type Handler, idParam, pathParam } from './context.js';
import { formPage, renderView } from './forms.js';
import { buildGrid, facetsInView, type GridPage, gridPages, type GridView, isFiltered, PAIRS_ON_GRID, pageWithClaim } from './grid.js';
import { ownTurn } from '../slices.js';
import { flushWritten, partWriter } from './streaming.js';
import { embeddedJsonLd } from './jsonld.js';
import { labelsOf } from './labels.js';
import { escapeHtml } from '../render/markdown.js';
import { RendererBusy, renderSummary, SummaryNotRenderable } from '../render/summaries.js';
import { urls } from './urls.js';

const form = formPage('incident_form', { conflictFields: labelsOf(['title', 'occurred_on', 'location', 'summary']) });

/**
 * The summary of an incident saved before summaries were rendered at save (or of the demo), rendered
 * now, off the event loop, and kept (by its text, so an edit is a new entry); one that cannot be
 * rendered is shown as the plain text it is. So is one the renderer is too busy for just now, which
 * is not `final`: a page showing it must not be kept for other readers.
 */
async function summaryOfEarlierIncident(summary: string | null): Promise<{ html: string; final: boolean }> {
  const key = summary ?? '';
  const kept = earlierSummaries.get(key);
  if (kept !== undefined) return { html: kept, final: true };
  const plain = `<p class="summary-plain">${escapeHtml(key)}</p>`;
  try {
    const html = await renderSummary(summary);
    if (earlierSummaries.size >= 200) earlierSummaries.clear();
    earlierSummaries.set(key, html);
    return { html, final: true };
  } catch (error) {
    if (error instanceof SummaryNotRenderable) return { html: plain, final: true };
    if (error instanceof RendererBusy) return { html: plain, final: false };
    throw error;
  }
}
const earlierSummaries = new Map<string, string>();

export const list: Handler = async (request, response, { db }) => {
  const query = parseInput(IncidentListQuery, request.query, 'list of incidents');
  const listed = listIncidents(db, { matching: query.q, order: query.sort === 'changed' ? 'changed' : 'date' });
  const { ready, counting } = await incidentSummaries(db, listed.map((incident) => incident.id));
  const incidents = listed.map((incident) => ({ ...incident, counts: ready.get(incident.id) }));
  // Most contradictions first; those still being counted last. The sort is stable: ties keep date order.
  if (query.sort === 'contradictions') incidents.sort((a, b) => (b.counts?.contradict ?? -1) - (a.counts?.contradict ?? -1));
  response.render('home', { incidents, counting, query, everything: query.q === undefined });
};

export const newForm: Handler = (_request, response) => {
  form.show(response, { action: urls.createIncident(), title: 'New incident' });
};

export const create: Handler = async (request, response, { db }) => {
  await form.save(request, response, { action: urls.createIncident(), title: 'New incident' }, async () =>
    urls.incident(await saveIncident(db, request.body, actorOf(response))),
  );
};

/** Where the grid goes in the rendered page: the page is cut there and the grid sent between the two halves. */
const GRID_PLACE = '<!-- the grid -->';
/** Facet rows rendered per part of a streamed grid. */
const ROWS_PER_PART = 10;

/**
 * The incident's embedded JSON-LD, kept with its comparison: every signed-in reader's page has its
 * own header, but the same data block (up to 2,000 claims read and written out, 21–51 ms each time).
 * A write forgets the comparison and the block with it.
 */
async function keptJsonLd(db: Database, incident: Incident, loaded: LoadedComparison | undefined): Promise<string | undefined> {
  const kept = loaded?.fragments.get('jsonld') as { jsonLd: string | undefined } | undefined;
  if (kept) return kept.jsonLd;
  const jsonLd = await embeddedJsonLd(db, incident);
  if (loaded) keepFragment(db, incident.id, loaded, 'jsonld', { jsonLd });
  return jsonLd;
}

export const show: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const query = parseInput(IncidentPageQuery, request.query, 'incident page');
  const savedClaim = query.saved === undefined ? undefined : getClaimIncludingDeleted(db, query.saved);
  const saved = savedClaim?.incident_id === incident.id && savedClaim.deleted_at === null ? savedClaim : undefined;
  // A reader who is not signed in sees exactly what every other such reader sees: each page of the
  // grid is kept whole with the comparison, ready to send (and gzipped once, when first asked for).
  // Signed-in readers get their own header (name, sign-out form) around it.
  const added = query.added ?? [];
  const view: GridView = { only: query.only, hide: query.hide, kind: query.kind, affiliation: query.affiliation, order: query.order };
  // Each view of the grid is a page of its own to keep.
  const keptKey = (page: GridPage) => `page:anonymous:${page.number}:${JSON.stringify(view)}`;
  const anonymous = response.locals.user === undefined && saved === undefined && added.length === 0;
  // A page is kept for other readers only if its incident did not change while it was made.
  const changesAtStart = incidentChanges(db, incident.id);
  const tag = pageTag(db, incident, response);
  response.set('ETag', tag).vary('Accept-Encoding');
  if (request.fresh && !tagsOfFailedPages.has(tag)) return void response.status(304).end();
  if (request.method === 'HEAD') return void response.type('html').end();
  const loadedBefore = getLoadedComparison(db, incident.id);
  if (anonymous && loadedBefore) {
    const { page } = choosePage(loadedBefore, query, saved, view);
    const kept = page && (loadedBefore.fragments.get(keptKey(page)) as KeptPage | undefined);
    if (kept) return sendKeptPage(request, response, kept);
  }
  const locals = anonymous ? { ...response.locals, currentUser: undefined, canEdit: false, isAdmin: false } : response.locals;
  const canEdit = locals.canEdit === true;
  const summary = incident.summary_html === null ? await summaryOfEarlierIncident(incident.summary) : { html: incident.summary_html, final: true };
  const [top, bottom] = (
    await renderView(response, 'incident', {
      ...locals,
      saved: saved && { claim: saved, reading: formatInterval(parseValue(saved.value)) },
      added,
      documents: listDocumentsOfIncident(db, incident.id),
      incident,
      summaryHtml: summary.html,
      // Script-safe JSON (no `<`), or undefined above EMBEDDED_CLAIMS_LIMIT claims: see web/jsonld.ts.
      jsonLd: await keptJsonLd(db, incident, loadedBefore),
      gridPlace: GRID_PLACE,
    })
  ).split(GRID_PLACE) as [string, string];

  // The top of the page goes out at once; the grid follows as it is made (a large incident is read
  // and compared a slice at a time, see actions/comparisons.ts). Nothing shown may be undone by a crash.
  await durableForReaders(db);
  response.type('html');
  const write = partWriter(response);
  // The parts of a page that may be kept for other readers.
  const sent: string[] = [];
  const send = (part: string) => {
    if (anonymous) sent.push(part);
    return write(part);
  };
  if (!(await send(top))) return;
  flushWritten(response);
  try {
    const loaded = await loadComparison(db, incident.id);
    await durableForReaders(db);
    // The load may have ended its last slice just now: the grid begins a turn of its own.
    await ownTurn();
    const chosen = choosePage(loaded, query, saved, view);
    const { page } = chosen;
    if (!page) {
      await send(`<p class="notice" role="alert">This incident's grid has no page ${query.page}: <a href="${escapeHtml(urls.incident(incident))}">see the first page</a>.</p>`);
    } else if (!(await sendGrid(response, send, { loaded, ...chosen, page, incident, canEdit, saved, added, view }))) {
      return;
    }
    await send(bottom);
    response.end();
    if (anonymous && page && summary.final && incidentChanges(db, incident.id) === changesAtStart) {
      keepFragment(db, incident.id, loaded, keptKey(page), { body: Buffer.from(sent.join('')) } satisfies KeptPage);
    }
  } catch (error) {
    // The page has begun: the error can only be told within it, and its tag must not make a
    // reload answer 304 with the same error.
    console.error(`GET ${request.originalUrl}: the grid could not be made:`, error);
    if (tagsOfFailedPages.size >= 1_000) tagsOfFailedPages.clear();
    tagsOfFailedPages.add(tag);
    const reason = error instanceof DatabaseBusy ? error.message : 'Something went wrong on our side; the error has been logged.';
    await write(`<p class="notice" role="alert">The grid could not be shown. ${escapeHtml(reason)} Reload the page to try again.</p>${bottom}`);
    response.end();
  }
};

/**
 * The page's ETag, known before the page is made (it is sent as it is made): the data it was made
 * from, and who reads it (their name, role and session's form token are in the header). The URL
 * (page, saved claim) is the client's key.
 */
function pageTag(db: Database, incident: Incident, response: Response): string {
  const user = response.locals.user;
  const reader = user === undefined ? 'anyone' : createHash('sha256').update(JSON.stringify([user.id, user.name, user.role, response.locals.csrfToken])).digest('base64url').slice(0, 16);
  return `W/"incident-${incident.id}-${dataTag(db)}-${reader}"`;
}

/** Tags sent with a page whose grid then failed: a client holding one gets the page again, not 304. */
const tagsOfFailedPages = new Set<string>();

interface KeptPage {
  body: Buffer;
  gzipped?: Buffer;
}

function sendKeptPage(request: Request, response: Response, page: KeptPage): void {
  response.type('html');
  if (request.acceptsEncodings('gzip', 'identity') === 'gzip') {
    // Compressed once, when a reader first asks for it (the fastest level, as for everything else).
    page.gzipped ??= gzipSync(page.body, { level: zlibConstants.Z_BEST_SPEED });
    response.set('Content-Encoding', 'gzip').send(page.gzipped);
  } else {
    response.send(page.body);
  }
}

/** What the view shows of the comparison, its pages, and the page to send. */
interface ChosenPage {
  shown: LoadedComparison['comparison'];
  pages: GridPage[];
  /** By number, else the one with the claim to show, else the first. Undefined past the last. */
  page: GridPage | undefined;
}

function choosePage(loaded: LoadedComparison, query: { page?: number; claim?: number; added?: number[] }, saved: ClaimRow | undefined, view: GridView): ChosenPage {
  const shown = shownComparison(loaded, view);
  const pages = gridPages(shown);
  if (query.page !== undefined) return { shown, pages, page: pages[query.page - 1] };
  const claimId = saved?.id ?? query.claim ?? query.added?.[0];
  return { shown, pages, page: (claimId === undefined ? undefined : pageWithClaim(shown, pages, claimId)) ?? pages[0] };
}

/** The comparison with only the facets the view shows (the same object when it shows all). */
function shownComparison(loaded: LoadedComparison, view: GridView): LoadedComparison['comparison'] {
  return isFiltered(view) ? { ...loaded.comparison, facets: facetsInView(loaded.comparison.facets, view) } : loaded.comparison;
}

/** The kinds and affiliations of the incident's sources, for the view's form. */
function viewChoices(loaded: LoadedComparison): { kinds: string[]; affiliations: string[] } {
  const speakers = new Set(loaded.comparison.facets.flatMap((facet) => facet.claims.map((compared) => compared.claim.source_id)));
  const sources = loaded.sources.filter((source) => speakers.has(source.id));
  const sorted = (values: (string | null)[]) => [...new Set(values.filter((value): value is string => !!value?.trim()))].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
  return { kinds: sorted(sources.map((source) => source.kind)), affiliations: sorted(sources.map((source) => source.affiliation)) };
}

/** Sends one page of the grid, a few facets per part; false if the reader left before the end. */
async function sendGrid(
  response: Response,
  send: (part: string) => Promise<boolean>,
  { loaded, shown, pages, page, incident, canEdit, saved, added, view }: Omit<ChosenPage, 'page'> & { loaded: LoadedComparison; page: GridPage; incident: Incident; canEdit: boolean; saved: ClaimRow | undefined; added: number[]; view: GridView },
): Promise<boolean> {
  const { comparison } = loaded;
  const grid = buildGrid({ ...shown, facets: shown.facets.slice(page.from, page.to) }, PAIRS_ON_GRID, view);
  const context = { comparison, shownFacets: shown.facets.length, pages, page, incident, canEdit, saved: saved && { claim: saved }, added, view, filtered: isFiltered(view), choices: viewChoices(loaded) };
  const part = (name: string, extra: Record<string, unknown> = {}) => renderView(response, '_grid', { ...context, part: name, grid, ...extra });
  if (!(await send(await part('start')))) return false;
  if (grid.rows.length === 0) return send(await part('end'));
  for (let from = 0; from < grid.rows.length; from += ROWS_PER_PART) {
    const rows = grid.rows.slice(from, from + ROWS_PER_PART);
    if (!(await send(await part('rows', { grid: { ...grid, rows }, firstFacet: page.from + from })))) return false;
  }
  if (!(await send(await part('middle')))) return false;
  for (let from = 0; from < grid.rows.length; from += ROWS_PER_PART) {
    if (!(await send(await part('pairs', { grid: { ...grid, rows: grid.rows.slice(from, from + ROWS_PER_PART) } })))) return false;
  }
  return send(await part('end'));
}

/** Pairs the pairs page lists at most: a facet of a thousand sources has half a million. */
const PAIRS_ON_PAIRS_PAGE = 1_000;

export const pairs: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const { facet } = parseInput(FacetQuery, request.query, 'pairs page');
  const compared = (await loadComparison(db, incident.id)).comparison.facets.find((candidate) => candidate.key === facet);
  // Only the asked-for facet is shaped into a row, not the whole grid.
  const [row] = compared ? buildGrid({ facets: [compared] }, PAIRS_ON_PAIRS_PAGE).rows : [];
  if (!row) throw new NotFound('This incident has no such facet');
  response.render('pairs', { incident, row });
};

export const editForm: Handler = (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  form.show(response, { values: incident, action: urls.incidentEdit(incident), title: `Edit ${incident.title}`, incident });
};

export const update: Handler = async (request, response, { db }) => {
  // Deleted or not: one deleted while the form was open is refused by the save, the text kept.
  const incident = requireIncidentBySlugIncludingDeleted(db, pathParam(request, 'slug'));
  await form.save(request, response, { action: urls.incidentEdit(incident), title: `Edit ${incident.title}`, incident }, async () => {
    await saveIncident(db, request.body, actorOf(response), { id: incident.id, version: editVersion(request.body, undefined) });
    return urls.incident(incident);
  });
};

export const confirmDelete: Handler = (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const claims = countClaimsForIncident(db, incident.id);
  response.render('confirm_delete', {
    what: `the incident "${incident.title}"`,
    consequence: `Its ${claims} claim${claims === 1 ? '' : 's'} will be hidden with it. Sources are kept, and an admin can restore the incident with everything in it.`,
    action: urls.incidentDelete(incident),
    cancel: urls.incident(incident),
  });
};

export const remove: Handler = (request, response, { db }) => {
  removeIncident(db, requireIncidentBySlug(db, pathParam(request, 'slug')).id, actorOf(response));
  response.redirect(303, urls.home());
};

export const restore: Handler = (request, response, { db }) => {
  const incident = restoreIncident(db, idParam(request, 'Incident'), actorOf(response));
  response.redirect(303, urls.incident(incident));
};
