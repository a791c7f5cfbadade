/**
 * An analyst's judgement of how two claims relate, set over the automatic relation or removed again.
 * Forms and the API call these alike.
 */
import type { ClaimPair, ComparedClaim } from '../compare/comparison.js';
import { type ClaimRow, getClaimIncludingDeleted } from '../db/claims.js';
import { joinWriteBatchIfBatching } from '../db/commits.js';
import type { Database } from '../db/database.js';
import type { Incident } from '../db/incidents.js';
import { removeOverride, setOverride, type StoredOverride } from '../db/overrides.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { compareOneFacet, getLoadedComparison, loadComparison } from './comparisons.js';
import { ClaimPairInput, parseInput, RelationInput } from './schemas.js';

export interface PairInContext {
  facet: string;
  pair: ClaimPair;
  left: ComparedClaim<ClaimRow>;
  right: ComparedClaim<ClaimRow>;
}

/**
 * The pair of claims {a, b} as the comparison of their facet sees it: from the incident's loaded
 * comparison if it is current, else from their facet compared on its own (a facet's comparison
 * depends on its own claims only). Throws Invalid, naming why, if they are not a pair.
 */
function requirePair(db: Database, incident: Incident, a: number, b: number): PairInContext {
  const [low, high] = a < b ? [a, b] : [b, a];
  const claim = getClaimIncludingDeleted(db, low);
  const ofIncident = claim?.incident_id === incident.id ? claim : undefined;
  const loaded = getLoadedComparison(db, incident.id);
  const facet = ofIncident && (loaded ? loaded.comparison.facets.find((candidate) => candidate.key === ofIncident.facet_key) : compareOneFacet(db, incident.id, ofIncident.facet_key));
  const pair = facet?.pairs.find((candidate) => candidate.a === low && candidate.b === high);
  if (facet && pair) {
    const compared = (id: number) => facet.claims.find((candidate) => candidate.claim.id === id)!;
    return { facet: facet.facet, pair, left: compared(low), right: compared(high) };
  }
  const message =
    `Claims ${a} and ${b} are not a pair in this incident's comparison: ` +
    'both must be current claims of different sources on the same facet';
  throw new Invalid(message, [{ path: 'b', message }]);
}

/**
 * The pair a request names ({a, b} in a body or a query), as the incident's comparison sees it. The
 * comparison is loaded first (a slice at a time), so that a facet of a large incident is not
 * compared in one piece.
 */
export async function validPairOf(db: Database, incident: Incident, input: unknown): Promise<PairInContext> {
  const { a, b } = parseInput(ClaimPairInput, input, 'pair');
  await loadComparison(db, incident.id);
  return requirePair(db, incident, a, b);
}

/**
 * Validates a judgement and stores it. With `based_on` (the judgement the analyst saw: its time, or
 * "none"), one that someone else has set since is refused rather than overwritten.
 */
export async function saveJudgement(db: Database, incident: Incident, body: unknown, actor: number): Promise<StoredOverride> {
  await loadComparison(db, incident.id);
  // The request's write batch may have committed while the comparison loaded.
  joinWriteBatchIfBatching(db);
  return db.transaction(() => {
    const input = parseInput(RelationInput, body, 'relation');
    const { pair } = requirePair(db, incident, input.a, input.b);
    if (input.based_on !== undefined && input.based_on !== (pair.overridden_at ?? 'none')) {
      const theirs = pair.origin === 'analyst' ? `"${pair.relation}" (${pair.reason})` : 'none';
      throw new Conflict(
        `${pair.overridden_by ?? 'Someone'} changed the judgement of this pair after you opened it; it is now ${theirs}. Nothing was overwritten: look again, then save.`,
        { issues: [{ path: 'relation', message: 'Changed by someone else since you opened this page' }] },
      );
    }
    return setOverride(db, incident.id, input, input.relation, input.reason, actor);
  })();
}

/** Removes the judgement of a pair; the automatic relation applies again. */
export function removeJudgement(db: Database, incident: Incident, body: unknown, actor: number): void {
  return db.transaction(() => {
    const pair = parseInput(ClaimPairInput, body, 'pair');
    if (!removeOverride(db, incident.id, pair, actor)) {
      throw new NotFound(`No override is set for claims ${pair.a} and ${pair.b}`);
    }
  })();
}
