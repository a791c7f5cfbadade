/**
 * The JSON API: the same nouns, schemas and save functions as the pages, answered in JSON.
 * Errors are {"error": {"message", "issues": [{"path", "message"}]}} (see errors.ts).
 * Every edit names the version it started from (If-Match or "version"); a stale one gets 409.
 */
import { type Request, type Response, Router } from 'express';
import { deleteClaim, getClaim, listClaimsForIncident, restoreClaim } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { deleteIncident, listIncidents, restoreIncident } from '../db/incidents.js';
import { listSources } from '../db/sources.js';
import { requireRole } from './auth.js';
import { claimJson, saveClaim } from './claims.js';
import { comparedSources, compareIncidentClaims, comparisonJson, dropOverride, saveOverride } from './comparison.js';
import { HttpError } from './errors.js';
import { saveIncident } from './incidents.js';
import { findAnyIncident, findClaim, findIncidentByIdOrSlug, findLiveClaim, findSource } from './lookups.js';
import { editVersion } from './schemas.js';
import { removeSource, saveSource } from './sources.js';

/** PUT replaces every field; PATCH changes only the fields the body names. */
function editBody(request: Request, current: object): unknown {
  if (request.method === 'PATCH') {
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      throw new HttpError(400, 'Request body must be a JSON object');
    }
    return { ...current, ...request.body };
  }
  return request.body;
}

/** The version the client read, from If-Match or the body's "version" (not the stored row's). */
function clientVersion(request: Request): number {
  return editVersion(request.body, request.get('if-match'));
}

/** The row, with its version as the ETag a client sends back in If-Match. */
function sendVersioned(response: Response, row: { version: number }, body: object = row, status = 200): void {
  response.status(status).set('ETag', `"${row.version}"`).json(body);
}

function requireJson(request: Request, _response: Response, next: () => void): void {
  if (['POST', 'PUT', 'PATCH'].includes(request.method) && !request.is('application/json')) {
    throw new HttpError(415, 'Send the request body as JSON with Content-Type: application/json');
  }
  next();
}

export function apiRoutes(db: Database): Router {
  const router = Router();
  router.use(requireJson);
  const actor = (response: Response) => response.locals.user!.id;

  router.get('/sources', (_request, response) => {
    response.json({ sources: listSources(db) });
  });
  router.post('/sources', (request, response) => {
    const source = saveSource(db, request.body, actor(response));
    sendVersioned(response, source, source, 201);
  });
  router.get('/sources/:id', (request, response) => {
    sendVersioned(response, findSource(db, request.params.id));
  });
  for (const method of ['put', 'patch'] as const) {
    router[method]('/sources/:id', (request, response) => {
      const source = findSource(db, request.params.id);
      const version = clientVersion(request);
      sendVersioned(response, saveSource(db, editBody(request, source), actor(response), { id: source.id, version }));
    });
  }
  router.delete('/sources/:id', (request, response) => {
    removeSource(db, findSource(db, request.params.id).id, actor(response));
    response.status(204).end();
  });

  router.get('/incidents', (_request, response) => {
    response.json({ incidents: listIncidents(db) });
  });
  router.post('/incidents', (request, response) => {
    const incident = saveIncident(db, request.body, actor(response));
    sendVersioned(response, incident, incident, 201);
  });
  router.get('/incidents/:id', (request, response) => {
    sendVersioned(response, findIncidentByIdOrSlug(db, request.params.id));
  });
  for (const method of ['put', 'patch'] as const) {
    router[method]('/incidents/:id', (request, response) => {
      const incident = findIncidentByIdOrSlug(db, request.params.id);
      const version = clientVersion(request);
      sendVersioned(response, saveIncident(db, editBody(request, incident), actor(response), { id: incident.id, version }));
    });
  }
  router.delete('/incidents/:id', (request, response) => {
    deleteIncident(db, findIncidentByIdOrSlug(db, request.params.id).id, actor(response));
    response.status(204).end();
  });

  router.post('/incidents/:id/restore', requireRole('admin'), (request, response) => {
    const incident = findAnyIncident(db, request.params.id);
    if (!restoreIncident(db, incident.id, actor(response))) throw new HttpError(409, 'This incident is not deleted');
    sendVersioned(response, findIncidentByIdOrSlug(db, incident.id));
  });
  router.get('/incidents/:id/comparison', (request, response) => {
    const incident = findIncidentByIdOrSlug(db, request.params.id);
    response.json(comparisonJson(incident, comparedSources(db, incident.id), compareIncidentClaims(db, incident.id)));
  });
  router.post('/incidents/:id/relations', (request, response) => {
    const incident = findIncidentByIdOrSlug(db, request.params.id);
    response.status(201).json(saveOverride(db, incident, request.body, actor(response)));
  });
  // The pair may come as a JSON body or as ?a=&b= (some clients send no body with DELETE).
  router.delete('/incidents/:id/relations', (request, response) => {
    const incident = findIncidentByIdOrSlug(db, request.params.id);
    const hasBody = typeof request.body === 'object' && request.body !== null && Object.keys(request.body).length > 0;
    dropOverride(db, incident, hasBody ? request.body : request.query, actor(response));
    response.status(204).end();
  });

  router.get('/incidents/:id/claims', (request, response) => {
    const incident = findIncidentByIdOrSlug(db, request.params.id);
    response.json({ claims: listClaimsForIncident(db, incident.id).map(claimJson) });
  });
  router.post('/incidents/:id/claims', (request, response) => {
    const incident = findIncidentByIdOrSlug(db, request.params.id);
    const claim = getClaim(db, saveClaim(db, incident.id, request.body, actor(response)).id)!;
    sendVersioned(response, claim, claimJson(claim), 201);
  });
  router.get('/claims/:id', (request, response) => {
    const claim = findLiveClaim(db, request.params.id);
    sendVersioned(response, claim, claimJson(claim));
  });
  router.post('/claims/:id/restore', requireRole('admin'), (request, response) => {
    const claim = findClaim(db, request.params.id);
    if (!restoreClaim(db, claim.id, actor(response))) throw new HttpError(409, 'This claim is not deleted');
    const restored = getClaim(db, claim.id)!;
    sendVersioned(response, restored, claimJson(restored));
  });
  for (const method of ['put', 'patch'] as const) {
    router[method]('/claims/:id', (request, response) => {
      const claim = findLiveClaim(db, request.params.id);
      const version = clientVersion(request);
      saveClaim(db, claim.incident_id, editBody(request, claim), actor(response), { id: claim.id, version });
      const saved = getClaim(db, claim.id)!;
      sendVersioned(response, saved, claimJson(saved));
    });
  }
  router.delete('/claims/:id', (request, response) => {
    deleteClaim(db, findLiveClaim(db, request.params.id).id, actor(response));
    response.status(204).end();
  });

  return router;
}
