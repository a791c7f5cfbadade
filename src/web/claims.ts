import { Router } from 'express';
import { formatInterval, parseValue } from '../compare/values.js';
import {
  type Claim,
  type ClaimFields,
  type ClaimRow,
  createClaim,
  deleteClaim,
  listFacets,
  restoreClaim,
  updateClaim,
} from '../db/claims.js';
import type { Database } from '../db/database.js';
import { listHistory } from '../db/history.js';
import { getAnyIncident, getIncident, type Incident } from '../db/incidents.js';
import { createSource, findSourceByName, getSource, listSources, type SourceKind } from '../db/sources.js';
import { requireRole } from './auth.js';
import { HttpError, savedOrThrow } from './errors.js';
import { formPage } from './forms.js';
import { describeHistory } from './history.js';
import { findClaim, findIncident, findLiveClaim } from './lookups.js';
import { ClaimInput, editVersion, NewClaimQuery, parseInput } from './schemas.js';
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
  actor: number,
): number | null {
  if (id !== undefined) {
    if (!getSource(db, id)) throw invalidField(field, `No source has id ${id}`);
    return id;
  }
  if (newName === undefined) return null;
  const existing = findSourceByName(db, newName);
  if (existing) return existing.id;
  return createSource(db, { name: newName, kind, affiliation, url: null, notes: null }, actor).id;
}

/**
 * Validates and stores a claim, creating any source named inline: new, or an edit of `existing` from
 * the version the editor started from. One transaction: a claim that fails (or conflicts) leaves no
 * half-made source behind. Shared by the form and the API.
 */
export function saveClaim(
  db: Database,
  incidentId: number,
  body: unknown,
  actor: number,
  existing?: { id: number; version: number },
): Claim {
  return db.transaction(() => {
    const input = parseInput(ClaimInput, body, 'claim');
    const sourceId = resolveSource(
      db,
      'source_id',
      input.source_id,
      input.new_source_name,
      input.new_source_kind,
      input.new_source_affiliation ?? null,
      actor,
    )!;
    const viaSourceId = resolveSource(db, 'via_source_id', input.via_source_id, input.new_via_name, 'media', null, actor);
    if (viaSourceId === sourceId) {
      throw invalidField(input.new_via_name === undefined ? 'via_source_id' : 'new_via_name', 'A source cannot come through itself');
    }
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
    if (existing === undefined) return createClaim(db, incidentId, fields, actor);
    return savedOrThrow(updateClaim(db, existing.id, fields, existing.version, actor), 'This claim');
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
    version: claim.version,
    created_at: claim.created_at,
    created_by: claim.created_by_name,
    updated_at: claim.updated_at,
    updated_by: claim.updated_by_name,
    deleted_at: claim.deleted_at,
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
  const editor = requireRole('editor');
  const form = formPage('claim_form', {
    kindOptions: kindOptions(),
    conflictFields: { source_id: 'Source (id)', via_source_id: 'Via (id)', facet: 'Facet', text: 'Statement', quote: 'Quote', value: 'Value', published_at: 'Published', url: 'URL', archive_url: 'Archive URL' },
  });
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

  router.get('/incidents/:slug/claims/new', editor, (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const prefill = NewClaimQuery.parse(request.query);
    const action = `/incidents/${encodeURIComponent(incident.slug)}/claims`;
    form.show(response, { ...formContext(incident, action, 'Add a claim'), values: prefill });
  });

  router.post('/incidents/:slug/claims', async (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const action = `/incidents/${encodeURIComponent(incident.slug)}/claims`;
    const context = { ...formContext(incident, action, 'Add a claim'), reading: readingOf(request.body) };
    await form.save(response, request.body, context, () =>
      savedClaimPage(saveClaim(db, incident.id, request.body, response.locals.user!.id), incident),
    );
  });

  router.get('/claims/:id', (request, response) => {
    const claim = findClaim(db, request.params.id);
    response.render('claim', {
      claim,
      reading: formatInterval(parseValue(claim.value)),
      history: describeHistory(listHistory(db, 'claim', claim.id)),
    });
  });

  router.get('/claims/:id/edit', editor, (request, response) => {
    const claim = findLiveClaim(db, request.params.id);
    const incident = getIncident(db, claim.incident_id)!;
    form.show(response, {
      ...formContext(incident, `/claims/${claim.id}/edit`, 'Edit claim'),
      values: claim,
      claim,
      reading: formatInterval(parseValue(claim.value)),
    });
  });

  router.post('/claims/:id/edit', async (request, response) => {
    const claim = findClaim(db, request.params.id);
    const incident = getAnyIncident(db, claim.incident_id)!;
    const context = { ...formContext(incident, `/claims/${claim.id}/edit`, 'Edit claim'), claim, reading: readingOf(request.body) };
    // Found deleted or not: a claim deleted while the form was open is refused by the save below,
    // over the form with every word typed still in it.
    await form.save(response, request.body, context, () => {
      const existing = { id: claim.id, version: editVersion(request.body, undefined) };
      return savedClaimPage(saveClaim(db, incident.id, request.body, response.locals.user!.id, existing), incident);
    });
  });

  router.get('/claims/:id/delete', editor, (request, response) => {
    const claim = findLiveClaim(db, request.params.id);
    const incident = getIncident(db, claim.incident_id)!;
    response.render('confirm_delete', {
      what: `${claim.source_name}'s claim on "${claim.facet}"`,
      quoted: claim.text,
      consequence: 'The claim will be removed from the comparison and from exports. An admin can restore it from its page.',
      action: `/claims/${claim.id}/delete`,
      cancel: claimAnchor(claim, incident),
    });
  });

  router.post('/claims/:id/delete', (request, response) => {
    const claim = findLiveClaim(db, request.params.id);
    deleteClaim(db, claim.id, response.locals.user!.id);
    response.redirect(303, `/incidents/${encodeURIComponent(claim.incident_slug)}`);
  });

  router.post('/claims/:id/restore', requireRole('admin'), (request, response) => {
    const claim = findClaim(db, request.params.id);
    if (!restoreClaim(db, claim.id, response.locals.user!.id)) throw new HttpError(409, 'This claim is not deleted');
    response.redirect(303, `/claims/${claim.id}`);
  });

  return router;
}
