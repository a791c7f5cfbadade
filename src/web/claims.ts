import { Router } from 'express';
import { formatInterval, parseValue } from '../compare/values.js';
import {
  type Claim,
  type ClaimFields,
  type ClaimRow,
  createClaim,
  deleteClaim,
  listFacets,
  updateClaim,
} from '../db/claims.js';
import type { Database } from '../db/database.js';
import { getIncident, type Incident } from '../db/incidents.js';
import { createSource, findSourceByName, getSource, listSources, type SourceKind } from '../db/sources.js';
import { HttpError, notFound } from './errors.js';
import { formPage } from './forms.js';
import { findClaim, findIncident } from './lookups.js';
import { ClaimInput, NewClaimQuery, parseInput } from './schemas.js';
import { kindOptions } from './sources.js';

function invalidField(path: string, message: string): HttpError {
  return new HttpError(400, `Invalid claim: ${path}: ${message}`, [{ path, message }]);
}

/** An existing source by id, or one found or created by name (names match regardless of case). */
function resolveSource(
  db: Database,
  field: string,
  id: number | undefined,
  newName: string | undefined,
  kind: SourceKind,
  affiliation: string | null,
): number | null {
  if (id !== undefined) {
    if (!getSource(db, id)) throw invalidField(field, `No source has id ${id}`);
    return id;
  }
  if (newName === undefined) return null;
  const existing = findSourceByName(db, newName);
  if (existing) return existing.id;
  return createSource(db, { name: newName, kind, affiliation, url: null, notes: null }).id;
}

/**
 * Validates and stores a claim (new when `claimId` is undefined), creating any source named inline.
 * One transaction: a claim that fails leaves no half-made source behind. Shared by the form and the API.
 */
export function saveClaim(db: Database, incidentId: number, body: unknown, claimId?: number): Claim {
  return db.transaction(() => {
    const input = parseInput(ClaimInput, body, 'claim');
    const sourceId = resolveSource(
      db,
      'source_id',
      input.source_id,
      input.new_source_name,
      input.new_source_kind,
      input.new_source_affiliation ?? null,
    )!;
    const viaSourceId = resolveSource(db, 'via_source_id', input.via_source_id, input.new_via_name, 'media', null);
    if (viaSourceId === sourceId) throw invalidField('via_source_id', 'A source cannot come through itself');
    const fields: ClaimFields = {
      source_id: sourceId,
      via_source_id: viaSourceId,
      facet: input.facet,
      text: input.text,
      quote: input.quote ?? null,
      value: input.value ?? null,
      published_at: input.published_at ?? null,
      url: input.url ?? null,
      archive_url: input.archive_url ?? null,
    };
    if (claimId === undefined) return createClaim(db, incidentId, fields);
    const claim = updateClaim(db, claimId, fields);
    if (!claim) throw notFound('Claim');
    return claim;
  })();
}

/** How the API shows a claim: names beside ids, and the value with the interval it was read as. */
export function claimJson(claim: ClaimRow) {
  return {
    id: claim.id,
    incident_id: claim.incident_id,
    incident_slug: claim.incident_slug,
    source_id: claim.source_id,
    source: claim.source_name,
    via_source_id: claim.via_source_id,
    via: claim.via_name,
    facet: claim.facet,
    text: claim.text,
    quote: claim.quote,
    value: parseValue(claim.value),
    published_at: claim.published_at,
    url: claim.url,
    archive_url: claim.archive_url,
    created_at: claim.created_at,
    updated_at: claim.updated_at,
  };
}

export function claimAnchor(claim: { id: number }, incident: Incident): string {
  return `/incidents/${encodeURIComponent(incident.slug)}#claim-${claim.id}`;
}

/** Where a saved claim's form leads: the grid at the claim, with a note saying how its value was read. */
function savedClaimPage(claim: { id: number }, incident: Incident): string {
  return `/incidents/${encodeURIComponent(incident.slug)}?saved=${claim.id}#claim-${claim.id}`;
}

/** How the value typed into the form reads, shown again beside it when the form comes back. */
function readingOf(body: unknown): string {
  const value = (body as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' ? formatInterval(parseValue(value)) : '';
}

export function claimRoutes(db: Database): Router {
  const router = Router();
  const form = formPage('claim_form', { kindOptions: kindOptions() });
  const formContext = (incident: Incident, action: string, title: string) => ({
    incident,
    action,
    title,
    sourceChoices: listSources(db).map((source) => ({
      value: source.id,
      label: source.affiliation ? `${source.name} (${source.affiliation})` : source.name,
    })),
    facets: listFacets(db, incident.id),
  });

  router.get('/incidents/:slug/claims/new', (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const prefill = NewClaimQuery.parse(request.query);
    const action = `/incidents/${encodeURIComponent(incident.slug)}/claims`;
    form.show(response, { ...formContext(incident, action, 'Add a claim'), values: prefill });
  });

  router.post('/incidents/:slug/claims', (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const action = `/incidents/${encodeURIComponent(incident.slug)}/claims`;
    form.save(response, request.body, { ...formContext(incident, action, 'Add a claim'), reading: readingOf(request.body) }, () =>
      savedClaimPage(saveClaim(db, incident.id, request.body), incident),
    );
  });

  router.get('/claims/:id', (request, response) => {
    const claim = findClaim(db, request.params.id);
    response.redirect(claimAnchor(claim, getIncident(db, claim.incident_id)!));
  });

  router.get('/claims/:id/edit', (request, response) => {
    const claim = findClaim(db, request.params.id);
    const incident = getIncident(db, claim.incident_id)!;
    form.show(response, {
      ...formContext(incident, `/claims/${claim.id}/edit`, 'Edit claim'),
      values: claim,
      claim,
      reading: formatInterval(parseValue(claim.value)),
    });
  });

  router.post('/claims/:id/edit', (request, response) => {
    const claim = findClaim(db, request.params.id);
    const incident = getIncident(db, claim.incident_id)!;
    const context = { ...formContext(incident, `/claims/${claim.id}/edit`, 'Edit claim'), claim, reading: readingOf(request.body) };
    form.save(response, request.body, context, () => savedClaimPage(saveClaim(db, incident.id, request.body, claim.id), incident));
  });

  router.get('/claims/:id/delete', (request, response) => {
    const claim = findClaim(db, request.params.id);
    const incident = getIncident(db, claim.incident_id)!;
    response.render('confirm_delete', {
      what: `${claim.source_name}'s claim on "${claim.facet}"`,
      quoted: claim.text,
      consequence: 'The claim will be removed from the comparison and from exports.',
      action: `/claims/${claim.id}/delete`,
      cancel: claimAnchor(claim, incident),
    });
  });

  router.post('/claims/:id/delete', (request, response) => {
    const claim = findClaim(db, request.params.id);
    deleteClaim(db, claim.id);
    response.redirect(303, `/incidents/${encodeURIComponent(claim.incident_slug)}`);
  });

  return router;
}
