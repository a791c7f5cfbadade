/** Claim pages: the form (new and edit), one claim with its history, delete and restore. */
import { removeClaim, requireClaim, requireClaimIncludingDeleted, requireClaimToShow, restoreClaim, saveClaim } from '../actions/claims.js';
import { requireIncidentBySlug, requireIncidentIncludingDeleted } from '../actions/incidents.js';
import { editVersion, NewClaimQuery } from '../actions/schemas.js';
import { formatInterval, parseValue } from '../compare/values.js';
import { listFacets } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { listHistory } from '../db/history.js';
import type { Incident } from '../db/incidents.js';
import { listSourceChoices } from '../db/sources.js';
import { actorOf, type Handler, idParam, pathParam } from './context.js';
import { formPage } from './forms.js';
import { describeHistory } from './history.js';
import { KIND_CHOICES, labelsOf } from './labels.js';
import { urls } from './urls.js';

const form = formPage('claim_form', {
  kindOptions: KIND_CHOICES,
  conflictFields: labelsOf(['source_id', 'via_source_id', 'facet', 'text', 'quote', 'value', 'published_at', 'url', 'archive_url']),
});

function formContext(db: Database, incident: Incident, action: string, title: string) {
  return {
    incident,
    action,
    title,
    sourceChoices: listSourceChoices(db).map((source) => ({
      value: source.id,
      label: source.affiliation ? `${source.name} (${source.affiliation})` : source.name,
    })),
    facets: listFacets(db, incident.id),
  };
}

/** How the value typed into the form reads, shown again beside it when the form comes back. */
function readingOf(body: unknown): string {
  const value = (body as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' ? formatInterval(parseValue(value)) : '';
}

export const newForm: Handler = (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const prefill = NewClaimQuery.parse(request.query);
  form.show(response, { ...formContext(db, incident, urls.createClaim(incident), 'Add a claim'), values: prefill });
};

export const create: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const context = { ...formContext(db, incident, urls.createClaim(incident), 'Add a claim'), reading: readingOf(request.body) };
  // After saving: the grid at the claim, with a note saying how its value was read.
  await form.save(request, response, context, () => urls.incidentAfterSave(incident, saveClaim(db, incident.id, request.body, actorOf(response))));
};

export const show: Handler = async (request, response, { db }) => {
  const claim = requireClaimToShow(db, idParam(request, 'Claim'), response.locals.user);
  response.render('claim', {
    claim,
    reading: formatInterval(parseValue(claim.value)),
    history: await describeHistory(listHistory(db, 'claim', claim.id)),
  });
};

export const editForm: Handler = (request, response, { db }) => {
  const claim = requireClaim(db, idParam(request, 'Claim'));
  const incident = requireIncidentIncludingDeleted(db, claim.incident_id);
  form.show(response, {
    ...formContext(db, incident, urls.claimEdit(claim), 'Edit claim'),
    values: claim,
    claim,
    reading: formatInterval(parseValue(claim.value)),
  });
};

export const update: Handler = async (request, response, { db }) => {
  // Found deleted or not: a claim deleted while the form was open is refused by the save below,
  // over the form with every word typed still in it.
  const claim = requireClaimIncludingDeleted(db, idParam(request, 'Claim'));
  const incident = requireIncidentIncludingDeleted(db, claim.incident_id);
  const context = { ...formContext(db, incident, urls.claimEdit(claim), 'Edit claim'), claim, reading: readingOf(request.body) };
  await form.save(request, response, context, () => {
    const existing = { id: claim.id, version: editVersion(request.body, undefined) };
    return urls.incidentAfterSave(incident, saveClaim(db, incident.id, request.body, actorOf(response), existing));
  });
};

export const confirmDelete: Handler = (request, response, { db }) => {
  const claim = requireClaim(db, idParam(request, 'Claim'));
  response.render('confirm_delete', {
    what: `${claim.source_name}'s claim on "${claim.facet}"`,
    quoted: claim.text,
    consequence: 'The claim will be removed from the comparison and from exports. An admin can restore it from its page.',
    action: urls.claimDelete(claim),
    cancel: urls.claimInGrid(claim),
  });
};

export const remove: Handler = (request, response, { db }) => {
  const claim = removeClaim(db, idParam(request, 'Claim'), actorOf(response));
  response.redirect(303, urls.incident({ slug: claim.incident_slug }));
};

export const restore: Handler = (request, response, { db }) => {
  const claim = restoreClaim(db, idParam(request, 'Claim'), actorOf(response));
  response.redirect(303, urls.claim(claim));
};
