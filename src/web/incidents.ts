/** Incident pages: the list, the grid, the pairs of one facet, and the incident's form and delete. */
import { gzipSync, constants as zlibConstants } from 'node:zlib';
import { cachedFragment, getComparison, incidentSummaries } from '../actions/comparisons.js';
import {
  removeIncident,
  requireIncidentBySlug,
  requireIncidentBySlugIncludingDeleted,
  restoreIncident,
  saveIncident,
} from '../actions/incidents.js';
import { editVersion, FacetQuery, IncidentPageQuery, parseInput } from '../actions/schemas.js';
import { formatInterval } from '../compare/values.js';
import { listClaimsForIncident } from '../db/claims.js';
import { listIncidents } from '../db/incidents.js';
import { NotFound } from '../errors.js';
import { actorOf, type Handler, idParam, pathParam } from './context.js';
import { formPage, renderView } from './forms.js';
import { buildGrid } from './grid.js';
import { labelsOf } from './labels.js';
import { escapeHtml } from '../render/markdown.js';
import { renderSummary, SummaryNotRenderable } from '../render/summaries.js';
import { urls } from './urls.js';

const form = formPage('incident_form', { conflictFields: labelsOf(['title', 'occurred_on', 'location', 'summary']) });

/**
 * The summary of an incident saved before summaries were rendered at save (or of the demo), rendered
 * now, off the event loop; one that cannot be is shown as the plain text it is.
 */
async function summaryOfEarlierIncident(summary: string | null): Promise<string> {
  return renderSummary(summary).catch((error: unknown) => {
    if (!(error instanceof SummaryNotRenderable)) throw error;
    return `<p class="summary-plain">${escapeHtml(summary ?? '')}</p>`;
  });
}

export const list: Handler = (_request, response, { db }) => {
  const listed = listIncidents(db);
  const summaries = incidentSummaries(db, listed.map((incident) => incident.id));
  const incidents = listed.map((incident) => ({ ...incident, contradictions: summaries.get(incident.id)!.contradict }));
  response.render('home', { incidents });
};

export const newForm: Handler = (_request, response) => {
  form.show(response, { action: urls.createIncident(), title: 'New incident' });
};

export const create: Handler = async (request, response, { db }) => {
  await form.save(request, response, { action: urls.createIncident(), title: 'New incident' }, async () =>
    urls.incident(await saveIncident(db, request.body, actorOf(response))),
  );
};

export const show: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const { saved } = IncidentPageQuery.parse(request.query);
  const comparison = getComparison(db, incident.id);
  const savedClaim = saved === undefined ? undefined : comparison.facets.flatMap((facet) => facet.claims).find((compared) => compared.claim.id === saved);
  const canEdit = response.locals.canEdit === true;
  const renderGrid = () =>
    renderView(response, '_grid', { grid: buildGrid(comparison), incident, canEdit, saved: savedClaim && { claim: savedClaim.claim } });
  const renderPage = async (context: Record<string, unknown> = {}) =>
    renderView(response, 'incident', {
      ...response.locals,
      ...context,
      saved: savedClaim && { claim: savedClaim.claim, reading: formatInterval(savedClaim.value) },
      incident,
      summaryHtml: incident.summary_html ?? (await cachedFragment(db, incident.id, 'summary', () => summaryOfEarlierIncident(incident.summary))),
      comparison,
      // Only a just-saved claim changes the grid for one reader (its revisions open): that one is not cached.
      gridHtml: savedClaim ? await renderGrid() : await cachedFragment(db, incident.id, `grid:${canEdit}`, renderGrid),
    });
  // A reader who is not signed in sees exactly what every other such reader sees: the whole page is
  // kept with the comparison, encoded, compressed and with its ETag, ready to send. Signed-in
  // readers get their own header (name, sign-out form) around it.
  if (response.locals.user === undefined && savedClaim === undefined) {
    const page = await cachedFragment(db, incident.id, 'page:anonymous', async () => {
      const body = Buffer.from(await renderPage({ currentUser: undefined, canEdit: false, isAdmin: false }));
      return { body, gzipped: undefined as Buffer | undefined, etag: request.app.get('etag fn')(body) as string };
    });
    response.type('html').set('ETag', page.etag).vary('Accept-Encoding');
    if (request.acceptsEncodings('gzip', 'identity') === 'gzip') {
      // Compressed once, when a reader first asks for it (the fastest level, as for everything else).
      page.gzipped ??= gzipSync(page.body, { level: zlibConstants.Z_BEST_SPEED });
      response.set('Content-Encoding', 'gzip').send(page.gzipped);
    } else {
      response.send(page.body);
    }
  } else {
    response.type('html').send(await renderPage());
  }
};

export const pairs: Handler = (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const { facet } = parseInput(FacetQuery, request.query, 'pairs page');
  // Only the asked-for facet is shaped into a row, not the whole grid.
  const comparison = getComparison(db, incident.id);
  const [row] = buildGrid({ ...comparison, facets: comparison.facets.filter((candidate) => candidate.key === facet) }, Infinity).rows;
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
  const claims = listClaimsForIncident(db, incident.id).length;
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
