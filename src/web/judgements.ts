/**
 * The compare page of a pair of claims, and the analyst's judgement of how they relate. It leads
 * with what decides a judgement: each side's value and how it was read, the relation, and who each
 * source is (kind, affiliation, the site it published on); the wording follows, compared word by
 * word only when both are written in one script.
 */
import type { Request, Response } from 'express';
import { requireIncidentBySlug } from '../actions/incidents.js';
import { validPairOf, removeJudgement, saveJudgement } from '../actions/judgements.js';
import { ClaimPairInput, messagesByField, parseInput } from '../actions/schemas.js';
import { formatInterval } from '../compare/values.js';
import { compareWording } from '../compare/wording.js';
import type { Database } from '../db/database.js';
import type { Incident } from '../db/incidents.js';
import { Conflict, DomainError } from '../errors.js';
import { actorOf, type Handler, pathParam } from './context.js';
import { statusOf } from './errors.js';
import { RELATION_CHOICES } from './labels.js';
import { urls } from './urls.js';

/** The compare-wording page of a pair, with the judgement form showing `form.values` and `form.errors`. */
async function showPair(
  db: Database,
  response: Response,
  incident: Incident,
  pairIds: { a: number; b: number },
  form?: { values: unknown; errors: Record<string, string>; status: number; problem: string; conflict: boolean },
): Promise<void> {
  const found = await validPairOf(db, incident, pairIds);
  response.status(form?.status ?? 200).render('compare', {
    incident,
    ...found,
    statements: compareWording(found.left.claim.text, found.right.claim.text),
    quotes: found.left.claim.quote && found.right.claim.quote ? compareWording(found.left.claim.quote, found.right.claim.quote) : null,
    readings: [formatInterval(found.left.value), formatInterval(found.right.value)],
    relationChoices: RELATION_CHOICES,
    values: form?.values ?? { relation: found.pair.relation, reason: found.pair.reason ?? '' },
    errors: form?.errors ?? {},
    problem: form?.problem,
    conflict: form?.conflict === true,
  });
}

export const compare: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  await showPair(db, response, incident, parseInput(ClaimPairInput, request.query, 'pair'));
};

function pairOf(request: Request) {
  return parseInput(ClaimPairInput, request.body, 'pair');
}

export const save: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const pair = pairOf(request);
  try {
    await saveJudgement(db, incident, request.body, actorOf(response));
  } catch (error) {
    if (!(error instanceof DomainError) || error.issues.length === 0) throw error;
    // Keep the analyst's reason and choice on the page, with the problem named beside the field.
    await showPair(db, response, incident, pair, {
      values: request.body,
      errors: messagesByField(error.issues),
      status: statusOf(error),
      problem: error.message,
      conflict: error instanceof Conflict,
    });
    return;
  }
  response.redirect(303, urls.compare(incident, pair));
};

export const remove: Handler = (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const pair = pairOf(request);
  removeJudgement(db, incident, pair, actorOf(response));
  response.redirect(303, urls.compare(incident, pair));
};
