/**
 * A facet's own page, and the analyst's work on facets as wholes: the assessment, part-of links,
 * and renaming or merging. Each form that fails shows the page again with the analyst's input kept
 * and the problem named beside the field.
 */
import type { Response } from 'express';
import { loadComparison } from '../actions/comparisons.js';
import { linkFacets, removeAssessment, renameFacet, saveAssessment, unlinkFacets } from '../actions/facets.js';
import { requireIncidentBySlug } from '../actions/incidents.js';
import { FacetQuery, fieldsOf, messagesByField, parseInput } from '../actions/schemas.js';
import { facetKey } from '../compare/comparison.js';
import type { PartCheck } from '../compare/parts.js';
import { formatInterval } from '../compare/values.js';
import type { Database } from '../db/database.js';
import { listHistory } from '../db/history.js';
import type { Incident } from '../db/incidents.js';
import { DomainError, NotFound } from '../errors.js';
import { actorOf, type Handler, pathParam } from './context.js';
import { statusOf } from './errors.js';
import { buildGrid, positionLetter } from './grid.js';
import { describeHistory } from './history.js';
import { GRADE_CHOICES } from './labels.js';
import { describePartCheck } from './part-checks.js';
import { urls } from './urls.js';

/** Facets offered as wholes and merge targets: a list of thousands helps no one. */
const OTHER_FACETS_OFFERED = 500;

/** Which of the page's forms failed, with what the analyst sent and what is wrong with it. */
interface FailedForm {
  form: 'assessment' | 'link' | 'rename';
  values: Record<string, unknown>;
  errors: Record<string, string>;
  status: number;
  problem: string;
}

async function showFacet(db: Database, response: Response, incident: Incident, key: string, failed?: FailedForm): Promise<void> {
  const { comparison, sources } = await loadComparison(db, incident.id);
  const facet = comparison.facets.find((candidate) => candidate.key === key);
  if (!facet) throw new NotFound('This incident has no claims on that facet');
  const [row] = buildGrid({ facets: [facet] }).rows;
  const sourceNames = new Map(sources.map((source) => [source.id, source.name]));
  const assessment = facet.assessment;
  const others = comparison.facets.filter((other) => other.key !== key);
  const named = (suggestedKey: string) => comparison.facets.find((other) => other.key === suggestedKey)?.facet ?? suggestedKey;
  response.status(failed?.status ?? 200).render('facet', {
    incident,
    facet,
    row,
    // Letters for every position it fits, one position included (the grid names positions only when there are two or more).
    assessment: assessment && { ...assessment.assessment, reading: formatInterval(assessment.value), fits: assessment.fits.map(positionLetter) },
    history: assessment ? await describeHistory(listHistory(db, 'assessment', assessment.assessment.id)) : [],
    checks: facet.part_checks.map((check: PartCheck) => describePartCheck(check, sourceNames)),
    otherFacets: others.slice(0, OTHER_FACETS_OFFERED).map((other) => other.facet),
    merges: comparison.suggested_merges
      .filter((merge) => merge.from === key || merge.into === key)
      .map((merge) => ({ ...merge, fromName: named(merge.from), intoName: named(merge.into) })),
    gradeChoices: GRADE_CHOICES,
    failed: failed?.form,
    values: {
      assessment: failed?.form === 'assessment' ? failed.values : { value: assessment?.assessment.value ?? '', grade: assessment?.assessment.grade ?? '', reason: assessment?.assessment.reason ?? '' },
      link: failed?.form === 'link' ? failed.values : {},
      rename: failed?.form === 'rename' ? failed.values : { to: facet.facet },
    },
    errors: failed?.errors ?? {},
    problem: failed?.problem,
  });
}

export const show: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const { facet } = parseInput(FacetQuery, request.query, 'facet page');
  await showFacet(db, response, incident, facetKey(facet));
};

/**
 * Runs one of the page's forms: on success, back to the facet's page (`after` says which facet that
 * is now); on a problem with the input, the page again with the form as it was sent.
 */
async function runForm(
  db: Database,
  response: Response,
  incident: Incident,
  form: FailedForm['form'],
  values: Record<string, unknown>,
  facetOnPage: string,
  action: () => string | Promise<string>,
): Promise<void> {
  let after: string;
  try {
    after = await action();
  } catch (error) {
    if (!(error instanceof DomainError) || error.issues.length === 0) throw error;
    await showFacet(db, response, incident, facetKey(facetOnPage), { form, values, errors: messagesByField(error.issues), status: statusOf(error), problem: error.message });
    return;
  }
  response.redirect(303, urls.facet(incident, after));
}

function facetOfForm(values: Record<string, unknown>, field: string): string {
  return typeof values[field] === 'string' ? values[field] : '';
}

export const saveAssessmentForm: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const values = fieldsOf(request.body);
  const facet = facetOfForm(values, 'facet');
  await runForm(db, response, incident, 'assessment', values, facet, () => saveAssessment(db, incident, values, undefined, actorOf(response)).facet_key);
};

export const removeAssessmentForm: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const values = fieldsOf(request.body);
  const facet = facetOfForm(values, 'facet');
  await runForm(db, response, incident, 'assessment', {}, facet, () => {
    removeAssessment(db, incident, values, undefined, actorOf(response));
    return facetKey(facet);
  });
};

export const link: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const values = fieldsOf(request.body);
  const facet = facetOfForm(values, 'part');
  await runForm(db, response, incident, 'link', values, facet, () => linkFacets(db, incident, values, actorOf(response)).part_key);
};

export const unlink: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const values = fieldsOf(request.body);
  // The form sits on the page of the facet it was sent from, part or whole.
  const facet = facetOfForm(values, 'from_page') || facetOfForm(values, 'part');
  await runForm(db, response, incident, 'link', {}, facet, () => {
    unlinkFacets(db, incident, values, actorOf(response));
    return facetKey(facet);
  });
};

export const rename: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const values = fieldsOf(request.body);
  const facet = facetOfForm(values, 'facet');
  await runForm(db, response, incident, 'rename', values, facet, async () => (await renameFacet(db, incident, values, actorOf(response))).to.key);
};
