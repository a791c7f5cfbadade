/**
 * What analysts say about facets as wholes: an assessment of each (best value, grade, reason), which
 * facets are part of which, and renaming or merging facets. Forms, the API and the CLI call these
 * alike; each validates, checks and writes in one transaction.
 */
import { facetKey } from '../compare/comparison.js';
import { makesCycle, type PartLink, wholesOf } from '../compare/parts.js';
import {
  type Assessment,
  createAssessment,
  deleteAssessment,
  getAssessment,
  moveAssessment,
  updateAssessment,
} from '../db/assessments.js';
import { getFacetSpelling, moveFacetClaims } from '../db/claims.js';
import { joinWriteBatchIfBatching } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { createFacetLink, deleteFacetLink, type FacetLink, getFacetLink, listFacetLinks, moveFacetLink } from '../db/facet-links.js';
import type { Incident } from '../db/incidents.js';
import { Conflict, Invalid, NotFound, VersionRequired } from '../errors.js';
import { ownTurn } from '../slices.js';
import { savedOrThrow } from './edits.js';
import { AssessmentInput, AssessmentVersionInput, FacetInput, FacetLinkInput, FacetRenameInput, fieldsOf, parseInput, parseVersion } from './schemas.js';

/** A facet of an incident: its folded key and the spelling its claims use. */
export interface NamedFacet {
  key: string;
  facet: string;
}

/** The incident's facet of that name (any spelling), or Invalid naming `field` if no live claim is on it. */
export function requireFacet(db: Database, incidentId: number, name: string, field = 'facet'): NamedFacet {
  const key = facetKey(name);
  const facet = getFacetSpelling(db, incidentId, key);
  if (facet === undefined) {
    const message = `This incident has no claims on a facet called “${name}”`;
    throw new Invalid(message, [{ path: field, message }]);
  }
  return { key, facet };
}

/**
 * The version an assessment edit started from: the body's `version` (0: there was none) or an
 * If-Match header.
 */
function assessmentVersion(body: unknown, ifMatch: string | undefined): number | undefined {
  if (ifMatch !== undefined) return parseVersion(undefined, ifMatch);
  return parseInput(AssessmentVersionInput, fieldsOf(body), 'assessment').version;
}

function changedMeanwhile(current: Assessment | undefined, yours: number): Conflict {
  const now = current ? `it is now “${current.value ?? 'no best value'}”, ${current.grade} (${current.reason})` : 'it has since been removed';
  const started = yours === 0 ? 'there was none when you started' : `you started from version ${yours}`;
  return new Conflict(`Someone else changed this facet's assessment: ${started}, and ${now}. Nothing was overwritten: look again, then save.`, {
    issues: [{ path: 'version', message: 'Changed by someone else since you opened this page' }],
    ...(current ? { current } : {}),
  });
}

/**
 * Sets the facet's assessment, creating it or editing it from the version the analyst saw. A new
 * one needs no version; replacing one does (VersionRequired), so no one's judgement is lost unseen.
 */
export function saveAssessment(db: Database, incident: Incident, body: unknown, ifMatch: string | undefined, actor: number): Assessment {
  return db.transaction(() => {
    const input = parseInput(AssessmentInput, body, 'assessment');
    const version = assessmentVersion(body, ifMatch);
    const { key, facet } = requireFacet(db, incident.id, input.facet);
    const existing = getAssessment(db, incident.id, key);
    const fields = { value: input.value ?? null, grade: input.grade, reason: input.reason };
    if (existing === undefined) {
      if (version !== undefined && version !== 0) throw changedMeanwhile(undefined, version);
      return createAssessment(db, incident.id, { facet, ...fields }, actor);
    }
    if (version === undefined) {
      throw new VersionRequired(`“${facet}” already has an assessment: say which version you are replacing (its "version", or If-Match)`, [
        { path: 'version', message: 'Version is required' },
      ]);
    }
    if (version !== existing.version) throw changedMeanwhile(existing, version);
    return savedOrThrow(updateAssessment(db, existing.id, fields, version, actor), 'The assessment');
  }).immediate();
}

/** Removes the facet's assessment, if it is still at the version the analyst saw. */
export function removeAssessment(db: Database, incident: Incident, body: unknown, ifMatch: string | undefined, actor: number): void {
  db.transaction(() => {
    const { facet: name } = parseInput(FacetInput, body, 'assessment');
    const version = assessmentVersion(body, ifMatch);
    const key = facetKey(name);
    const existing = getAssessment(db, incident.id, key);
    if (existing === undefined) throw new NotFound(`“${name}” has no assessment to remove`);
    if (version === undefined) throw new VersionRequired('Say which version of the assessment you are removing', [{ path: 'version', message: 'Version is required' }]);
    if (version !== existing.version) throw changedMeanwhile(existing, version);
    savedOrThrow(deleteAssessment(db, existing.id, version, actor), 'The assessment');
  }).immediate();
}

/** Declares one facet part of another; refused if either has no claims, or if a facet would become part of itself. */
export function linkFacets(db: Database, incident: Incident, body: unknown, actor: number): FacetLink {
  return db.transaction(() => {
    const input = parseInput(FacetLinkInput, body, 'link');
    const part = requireFacet(db, incident.id, input.part, 'part');
    const whole = requireFacet(db, incident.id, input.whole, 'whole');
    if (part.key === whole.key) throw new Invalid('A facet cannot be part of itself', [{ path: 'whole', message: 'Choose another facet as the whole' }]);
    if (getFacetLink(db, incident.id, part.key, whole.key)) {
      throw new Conflict(`“${part.facet}” is already part of “${whole.facet}”`, { issues: [{ path: 'whole', message: 'Already declared' }] });
    }
    if (makesCycle(listFacetLinks(db, incident.id), part.key, whole.key)) {
      const message = `“${whole.facet}” is already part of “${part.facet}” (perhaps through other facets), so “${part.facet}” cannot also be part of it`;
      throw new Invalid(message, [{ path: 'whole', message }]);
    }
    return createFacetLink(db, incident.id, { part: part.facet, whole: whole.facet }, actor);
  }).immediate();
}

/** Removes a part-of link. */
export function unlinkFacets(db: Database, incident: Incident, body: unknown, actor: number): void {
  db.transaction(() => {
    const input = parseInput(FacetLinkInput, body, 'link');
    const link = getFacetLink(db, incident.id, facetKey(input.part), facetKey(input.whole));
    if (!link) throw new NotFound(`“${input.part}” is not declared part of “${input.whole}”`);
    deleteFacetLink(db, link, actor);
  }).immediate();
}

/**
 * Claims a rename moves per transaction: each is an update and a history row (about 40 µs), so
 * moving a few thousand at once would hold the server; other requests are served between steps.
 */
const CLAIMS_PER_STEP = 500;

export interface FacetRename {
  from: NamedFacet;
  to: NamedFacet;
  /** Whether `to` was a facet already, so that the two are now one. */
  merged: boolean;
  /** Claims moved, deleted ones included. */
  claims: number;
}

/**
 * Renames a facet across the incident, or merges it into another by naming that one: every claim on
 * it moves (deleted ones too), and its assessment and part-of links go with it. Refused, changing
 * nothing, when both facets are assessed (which judgement stands is the analyst's call) or when the
 * merge would make a facet part of itself.
 *
 * The checks, the assessment and links, and the first CLAIMS_PER_STEP claims are one transaction,
 * so a facet of up to that many claims moves all at once; a larger one moves a step at a time,
 * other requests served between (`pause`), until none is left on the old name (claims added to it
 * meanwhile included). Stopped part way (a crash), the rest is still under the old name, and the
 * same rename again finishes it as a merge.
 */
export async function renameFacet(db: Database, incident: Incident, body: unknown, actor: number | null, pause: () => Promise<void> = ownTurn): Promise<FacetRename> {
  const { from, to, merged, claims } = db.transaction(() => {
    const input = parseInput(FacetRenameInput, body, 'rename');
    const from = requireFacet(db, incident.id, input.facet);
    const toKey = facetKey(input.to);
    const existing = getFacetSpelling(db, incident.id, toKey);
    const merged = existing !== undefined && toKey !== from.key;
    // Merging keeps the spelling the other facet has; renaming takes the one typed.
    const to: NamedFacet = { key: toKey, facet: merged ? existing : input.to };
    if (to.facet === from.facet) throw new Invalid('The new name is the facet’s name already', [{ path: 'to', message: 'Type a different name' }]);
    if (merged) moveNotesForMerge(db, incident, from, to, actor);
    else moveNotesForRename(db, incident, from, to, actor);
    return { from, to, merged, claims: moveFacetClaims(db, incident.id, from.key, to.facet, actor, CLAIMS_PER_STEP) };
  }).immediate();
  let moved = claims;
  for (let step = claims; step === CLAIMS_PER_STEP; ) {
    await pause();
    // The request's write batch has committed meanwhile: each step joins the one open now.
    joinWriteBatchIfBatching(db);
    step = moveFacetClaims(db, incident.id, from.key, to.facet, actor, CLAIMS_PER_STEP);
    moved += step;
  }
  return { from, to, merged, claims: moved };
}

/** A rename keeps the facet's assessment and links, under the new spelling. */
function moveNotesForRename(db: Database, incident: Incident, from: NamedFacet, to: NamedFacet, actor: number | null): void {
  const assessment = getAssessment(db, incident.id, from.key);
  if (assessment) moveAssessment(db, assessment.id, to.facet, actor);
  for (const link of listFacetLinks(db, incident.id)) {
    if (link.part_key === from.key) moveFacetLink(db, link, 'part', to.facet, actor);
    if (link.whole_key === from.key) moveFacetLink(db, link, 'whole', to.facet, actor);
  }
}

/**
 * In a merge the facet's assessment moves only if the other has none, and its links move to the
 * other facet: a link between the two, or one the other already has, is removed (with its history).
 */
function moveNotesForMerge(db: Database, incident: Incident, from: NamedFacet, to: NamedFacet, actor: number | null): void {
  const ours = getAssessment(db, incident.id, from.key);
  const theirs = getAssessment(db, incident.id, to.key);
  if (ours && theirs) {
    const message = `Both “${from.facet}” and “${to.facet}” have an assessment; remove the one that should not stand, then merge`;
    throw new Conflict(message, { issues: [{ path: 'to', message }] });
  }
  const links = listFacetLinks(db, incident.id);
  const touched = (link: PartLink) => link.part_key === from.key || link.whole_key === from.key;
  const moved = (link: PartLink): PartLink => ({
    part_key: link.part_key === from.key ? to.key : link.part_key,
    whole_key: link.whole_key === from.key ? to.key : link.whole_key,
  });
  const kept = links.map(moved).filter((link) => link.part_key !== link.whole_key);
  // A link closes a cycle when its whole already reaches its part (a path through the link itself would pass its part first).
  const wholes = wholesOf(kept);
  if (kept.some((link) => (wholes.get(link.whole_key) ?? []).includes(link.part_key))) {
    const message = `Merging would make “${to.facet}” part of itself through the facets' part-of links; remove one of them first`;
    throw new Invalid(message, [{ path: 'to', message }]);
  }
  if (ours) moveAssessment(db, ours.id, to.facet, actor);
  // Pairs already linked: a moved link that would repeat one, or link a facet to itself, is removed instead.
  const pairKey = (link: PartLink) => `${link.part_key}\u0000${link.whole_key}`;
  const linked = new Set(links.filter((link) => !touched(link)).map(pairKey));
  for (const link of links.filter(touched)) {
    const after = moved(link);
    if (after.part_key === after.whole_key || linked.has(pairKey(after))) {
      deleteFacetLink(db, link, actor);
      continue;
    }
    linked.add(pairKey(after));
    moveFacetLink(db, link, link.part_key === from.key ? 'part' : 'whole', to.facet, actor);
  }
}
