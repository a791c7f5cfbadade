import { gzipSync, constants as zlibConstants } from 'node:zlib';
import { Router } from 'express';
import { formatInterval } from '../compare/values.js';
import { listClaimsForIncident } from '../db/claims.js';
import type { Database } from '../db/database.js';
import {
  createIncident,
  deleteIncident,
  type Incident,
  type IncidentFields,
  listIncidents,
  restoreIncident,
  updateIncident,
} from '../db/incidents.js';
import { cachedFragment, compareIncidentClaims, incidentSummaries } from './comparison.js';
import { requireRole } from './auth.js';
import { HttpError, savedOrThrow } from './errors.js';
import { formPage } from './forms.js';
import { buildGrid } from './grid.js';
import { findAnyIncident, findAnyIncidentBySlug, findIncident } from './lookups.js';
import { renderMarkdown } from './markdown.js';
import { editVersion, FacetQuery, IncidentInput, IncidentPageQuery, parseInput } from './schemas.js';
import { renderView } from './forms.js';

export function incidentFields(input: IncidentInput): IncidentFields {
  return {
    title: input.title,
    occurred_on: input.occurred_on ?? null,
    location: input.location ?? null,
    summary: input.summary ?? null,
  };
}

/**
 * Validates and stores an incident: new, or an edit of `existing` from the version the editor started
 * from. Shared by the form and the API.
 */
export function saveIncident(db: Database, body: unknown, actor: number, existing?: { id: number; version: number }): Incident {
  const fields = incidentFields(parseInput(IncidentInput, body, 'incident'));
  if (existing === undefined) return createIncident(db, fields, actor);
  return savedOrThrow(updateIncident(db, existing.id, fields, existing.version, actor), 'This incident');
}

export function incidentRoutes(db: Database): Router {
  const router = Router();
  const form = formPage('incident_form', { conflictFields: { title: 'Title', occurred_on: 'Date', location: 'Location', summary: 'Summary' } });
  const editor = requireRole('editor');

  router.get('/', (_request, response) => {
    const listed = listIncidents(db);
    const summaries = incidentSummaries(db, listed.map((incident) => incident.id));
    const incidents = listed.map((incident) => ({ ...incident, contradictions: summaries.get(incident.id)!.contradict }));
    response.render('home', { incidents });
  });

  router.get('/incidents/new', editor, (_request, response) => {
    form.show(response, { action: '/incidents', title: 'New incident' });
  });

  router.post('/incidents', async (request, response) => {
    await form.save(response, request.body, { action: '/incidents', title: 'New incident' }, () => {
      return `/incidents/${encodeURIComponent(saveIncident(db, request.body, response.locals.user!.id).slug)}`;
    });
  });

  router.get('/incidents/:slug', async (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const { saved } = IncidentPageQuery.parse(request.query);
    const comparison = compareIncidentClaims(db, incident.id);
    const savedClaim = saved === undefined ? undefined : comparison.facets.flatMap((facet) => facet.claims).find((compared) => compared.claim.id === saved);
    const canEdit = response.locals.canEdit === true;
    const renderGrid = () =>
      renderView(response, '_grid', { grid: buildGrid(comparison), slug: encodeURIComponent(incident.slug), canEdit, saved: savedClaim && { claim: savedClaim.claim } });
    const renderPage = async (context: Record<string, unknown> = {}) =>
      renderView(response, 'incident', {
        ...response.locals,
        ...context,
        saved: savedClaim && { claim: savedClaim.claim, reading: formatInterval(savedClaim.value) },
        incident,
        summaryHtml: await cachedFragment(db, incident.id, 'summary', async () => renderMarkdown(incident.summary)),
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
  });

  router.get('/incidents/:slug/pairs', (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const { facet } = parseInput(FacetQuery, request.query, 'pairs page');
    // Only the asked-for facet is shaped into a row, not the whole grid.
    const comparison = compareIncidentClaims(db, incident.id);
    const [row] = buildGrid({ ...comparison, facets: comparison.facets.filter((candidate) => candidate.key === facet) }, Infinity).rows;
    if (!row) throw new HttpError(404, 'This incident has no such facet');
    response.render('pairs', { incident, row });
  });

  router.get('/incidents/:slug/edit', editor, (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const action = `/incidents/${encodeURIComponent(incident.slug)}/edit`;
    form.show(response, { values: incident, action, title: `Edit ${incident.title}`, incident });
  });

  router.post('/incidents/:slug/edit', async (request, response) => {
    // Deleted or not: one deleted while the form was open is refused by the save, the text kept.
    const incident = findAnyIncidentBySlug(db, request.params.slug);
    const action = `/incidents/${encodeURIComponent(incident.slug)}/edit`;
    await form.save(response, request.body, { action, title: `Edit ${incident.title}`, incident }, () => {
      saveIncident(db, request.body, response.locals.user!.id, { id: incident.id, version: editVersion(request.body, undefined) });
      return `/incidents/${encodeURIComponent(incident.slug)}`;
    });
  });

  router.get('/incidents/:slug/delete', editor, (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const claims = listClaimsForIncident(db, incident.id).length;
    response.render('confirm_delete', {
      what: `the incident "${incident.title}"`,
      consequence: `Its ${claims} claim${claims === 1 ? '' : 's'} will be hidden with it. Sources are kept, and an admin can restore the incident with everything in it.`,
      action: `/incidents/${encodeURIComponent(incident.slug)}/delete`,
      cancel: `/incidents/${encodeURIComponent(incident.slug)}`,
    });
  });

  router.post('/incidents/:id/restore', requireRole('admin'), (request, response) => {
    const incident = findAnyIncident(db, request.params.id);
    if (!restoreIncident(db, incident.id, response.locals.user!.id)) throw new HttpError(409, 'This incident is not deleted');
    response.redirect(303, `/incidents/${encodeURIComponent(incident.slug)}`);
  });

  router.post('/incidents/:slug/delete', (request, response) => {
    deleteIncident(db, findIncident(db, request.params.slug).id, response.locals.user!.id);
    response.redirect(303, '/');
  });

  return router;
}
