/**
 * The JSON API: the same nouns, schemas and save functions as the pages, answered in JSON.
 * Errors are {"error": {"message", "issues": [{"path", "message"}]}} (see errors.ts).
 */
import { type Request, type Response, Router } from 'express';
import { getClaim, listClaimsForIncident, deleteClaim } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { deleteIncident, listIncidents } from '../db/incidents.js';
import { listSources, listSourcesForIncident } from '../db/sources.js';
import { claimJson, saveClaim } from './claims.js';
import { compareIncidentClaims, comparisonJson, dropOverride, saveOverride } from './comparison.js';
import { HttpError } from './errors.js';
import { saveIncident } from './incidents.js';
import { findClaim, findIncident, findSource } from './lookups.js';
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

function requireJson(request: Request, _response: Response, next: () => void): void {
  if (['POST', 'PUT', 'PATCH'].includes(request.method) && !request.is('application/json')) {
    throw new HttpError(415, 'Send the request body as JSON with Content-Type: application/json');
  }
  next();
}

export function apiRoutes(db: Database): Router {
  const router = Router();
  router.use(requireJson);

  router.get('/sources', (_request, response) => {
    response.json({ sources: listSources(db) });
  });
  router.post('/sources', (request, response) => {
    response.status(201).json(saveSource(db, request.body));
  });
  router.get('/sources/:id', (request, response) => {
    response.json(findSource(db, request.params.id));
  });
  for (const method of ['put', 'patch'] as const) {
    router[method]('/sources/:id', (request, response) => {
      const source = findSource(db, request.params.id);
      response.json(saveSource(db, editBody(request, source), source.id));
    });
  }
  router.delete('/sources/:id', (request, response) => {
    removeSource(db, findSource(db, request.params.id).id);
    response.status(204).end();
  });

  router.get('/incidents', (_request, response) => {
    response.json({ incidents: listIncidents(db) });
  });
  router.post('/incidents', (request, response) => {
    response.status(201).json(saveIncident(db, request.body));
  });
  router.get('/incidents/:id', (request, response) => {
    response.json(findIncident(db, request.params.id));
  });
  for (const method of ['put', 'patch'] as const) {
    router[method]('/incidents/:id', (request, response) => {
      const incident = findIncident(db, request.params.id);
      response.json(saveIncident(db, editBody(request, incident), incident.id));
    });
  }
  router.delete('/incidents/:id', (request, response) => {
    deleteIncident(db, findIncident(db, request.params.id).id);
    response.status(204).end();
  });

  router.get('/incidents/:id/claims', (request, response) => {
    const incident = findIncident(db, request.params.id);
    response.json({ claims: listClaimsForIncident(db, incident.id).map(claimJson) });
  });
  router.post('/incidents/:id/claims', (request, response) => {
    const incident = findIncident(db, request.params.id);
    const claim = saveClaim(db, incident.id, request.body);
    response.status(201).json(claimJson(getClaim(db, claim.id)!));
  });
  router.get('/incidents/:id/comparison', (request, response) => {
    const incident = findIncident(db, request.params.id);
    response.json(comparisonJson(incident, listSourcesForIncident(db, incident.id), compareIncidentClaims(db, incident.id)));
  });
  router.post('/incidents/:id/relations', (request, response) => {
    const incident = findIncident(db, request.params.id);
    response.status(201).json(saveOverride(db, incident, request.body));
  });
  // The pair may come as a JSON body or as ?a=&b= (some clients send no body with DELETE).
  router.delete('/incidents/:id/relations', (request, response) => {
    const incident = findIncident(db, request.params.id);
    const hasBody = typeof request.body === 'object' && request.body !== null && Object.keys(request.body).length > 0;
    dropOverride(db, incident, hasBody ? request.body : request.query);
    response.status(204).end();
  });

  router.get('/claims/:id', (request, response) => {
    response.json(claimJson(findClaim(db, request.params.id)));
  });
  for (const method of ['put', 'patch'] as const) {
    router[method]('/claims/:id', (request, response) => {
      const claim = findClaim(db, request.params.id);
      saveClaim(db, claim.incident_id, editBody(request, claim), claim.id);
      response.json(claimJson(getClaim(db, claim.id)!));
    });
  }
  router.delete('/claims/:id', (request, response) => {
    deleteClaim(db, findClaim(db, request.params.id).id);
    response.status(204).end();
  });

  return router;
}
