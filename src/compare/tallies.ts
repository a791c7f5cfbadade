/**
 * What one incident's comparison says about each source, and about each two sources together: the
 * figures a source's track record and the source × source agreement matrix add up across incidents
 * (see docs/comparison.md#track-records-and-agreement). Pure: a comparison in, counts out.
 *
 * Facts attach to the source that made the claim (`source_id`), not to the outlet it came through:
 * an outlet only counts the claims it carried.
 */
import type { ComparableClaim, FacetStatus, IncidentComparison } from './comparison.js';
import { type ClaimValue, isCount } from './values.js';

/** One source's figures in one incident. */
export interface SourceTally {
  source_id: number;
  /** Claims it made, superseded ones included. */
  claims: number;
  /** Claims of other sources that came through it, as their outlet. */
  carried: number;
  /** Its current claims: its latest on each facet it spoke on. */
  current: number;
  /**
   * Current claims in at least one contradicting pair, or on either side of a part counted higher
   * than its whole (a source contradicting itself or another across facets: see parts.ts).
   */
  contradicted: number;
  /** Steps from one of its claims on a facet to its next newer one there. */
  revisions: number;
  /** Those steps between two counts of one kind (both counts, or both percentages). */
  count_revisions: number;
  /** The sum, and the largest, of how far those steps moved: |middle of the new reading − middle of the old|. */
  revision_total: number;
  revision_largest: number;
  /** Current claims backed by at least one independent voice. */
  corroborated: number;
}

/** Two sources' current claims weighed against each other in one incident; `source_a` < `source_b`. */
export interface PairTally {
  source_a: number;
  source_b: number;
  /** Every pair of their claims, whatever its relation (unassessed and unrelated ones too). */
  pairs: number;
  agree: number;
  /** "Fitted": intervals that overlap without being the same. */
  consistent: number;
  contradict: number;
}

export interface FacetStatusTally {
  key: string;
  status: FacetStatus;
}

export interface IncidentTallies {
  /** By source id. */
  sources: SourceTally[];
  /** By source_a, then source_b. */
  pairs: PairTally[];
  /** In the comparison's order of facets. */
  facets: FacetStatusTally[];
}

/** Pairs (and claims) looked at between two steps of `tallyIncidentStepwise`: about a millisecond's work. */
const ITEMS_PER_STEP = 5_000;

export function emptySourceTally(sourceId: number): SourceTally {
  return {
    source_id: sourceId, claims: 0, carried: 0, current: 0, contradicted: 0,
    revisions: 0, count_revisions: 0, revision_total: 0, revision_largest: 0, corroborated: 0,
  };
}

export function emptyPairTally(sourceA: number, sourceB: number): PairTally {
  return { source_a: sourceA, source_b: sourceB, pairs: 0, agree: 0, consistent: 0, contradict: 0 };
}

/**
 * The point a count reading stands for when measuring a revision: the middle of its interval, or
 * its lower bound when it has no upper one ("at least eight" stands for 8).
 */
export function middleOf(value: ClaimValue & { low: number }): number {
  return value.high === null ? value.low : (value.low + value.high) / 2;
}

/** How far a source moved from `older` to `newer`, or null when the two are not counts of one kind. */
export function revisionMove(older: ClaimValue | null, newer: ClaimValue | null): number | null {
  if (!isCount(older) || !isCount(newer) || (older.unit ?? 'count') !== (newer.unit ?? 'count')) return null;
  return Math.abs(middleOf(newer) - middleOf(older));
}

export function tallyIncident<C extends ComparableClaim>(comparison: IncidentComparison<C>): IncidentTallies {
  const steps = tallyIncidentStepwise(comparison);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `tallyIncident` in steps, yielding every ITEMS_PER_STEP pairs or claims, so that a facet of
 * thousands of sources (millions of pairs) is tallied a slice at a time like its comparison.
 */
export function* tallyIncidentStepwise<C extends ComparableClaim>(comparison: IncidentComparison<C>): Generator<void, IncidentTallies> {
  const bySource = new Map<number, SourceTally>();
  const tallyOf = (sourceId: number) => {
    let tally = bySource.get(sourceId);
    if (tally === undefined) bySource.set(sourceId, (tally = emptySourceTally(sourceId)));
    return tally;
  };
  const byPair = new Map<number, Map<number, PairTally>>();
  const pairTallyOf = (a: number, b: number) => {
    const [low, high] = a < b ? [a, b] : [b, a];
    let byHigh = byPair.get(low);
    if (byHigh === undefined) byPair.set(low, (byHigh = new Map()));
    let tally = byHigh.get(high);
    if (tally === undefined) byHigh.set(high, (tally = emptyPairTally(low, high)));
    return tally;
  };
  const facets: FacetStatusTally[] = [];
  /** Each claim's speaker, and the claims in a contradiction, across facets: a part check pairs claims of two facets. */
  const speakerOf = new Map<number, number>();
  const contradicted = new Set<number>();
  let sinceStep = 0;
  for (const facet of comparison.facets) {
    facets.push({ key: facet.key, status: facet.status });
    const valueOf = new Map<number, ClaimValue | null>();
    for (const { claim, value, current, corroborated_by } of facet.claims) {
      speakerOf.set(claim.id, claim.source_id);
      valueOf.set(claim.id, value);
      const tally = tallyOf(claim.source_id);
      tally.claims += 1;
      if (claim.via_source_id !== null) tallyOf(claim.via_source_id).carried += 1;
      if (current) {
        tally.current += 1;
        if (corroborated_by > 0) tally.corroborated += 1;
      }
      if (++sinceStep >= ITEMS_PER_STEP) {
        sinceStep = 0;
        yield;
      }
    }
    for (const { a, b, relation } of facet.pairs) {
      if (++sinceStep >= ITEMS_PER_STEP) {
        sinceStep = 0;
        yield;
      }
      if (relation === 'contradict') {
        contradicted.add(a);
        contradicted.add(b);
      }
      const sourceA = speakerOf.get(a);
      const sourceB = speakerOf.get(b);
      // Only current claims pair up, one per source and facet; two of one source would be its own
      // revision, which is no agreement with anyone.
      if (sourceA === undefined || sourceB === undefined || sourceA === sourceB) continue;
      const tally = pairTallyOf(sourceA, sourceB);
      tally.pairs += 1;
      if (relation === 'agree' || relation === 'consistent' || relation === 'contradict') tally[relation] += 1;
    }
    for (const { source_id, claim_ids } of facet.revisions) {
      const tally = tallyOf(source_id);
      for (let i = 1; i < claim_ids.length; i++) {
        tally.revisions += 1;
        const move = revisionMove(valueOf.get(claim_ids[i - 1]!) ?? null, valueOf.get(claim_ids[i]!) ?? null);
        if (move === null) continue;
        tally.count_revisions += 1;
        tally.revision_total += move;
        tally.revision_largest = Math.max(tally.revision_largest, move);
      }
    }
  }
  for (const { part, whole } of comparison.part_checks.checks) {
    contradicted.add(part.claim_id);
    contradicted.add(whole.claim_id);
  }
  for (const id of contradicted) tallyOf(speakerOf.get(id)!).contradicted += 1;
  const sources = [...bySource.values()].sort((x, y) => x.source_id - y.source_id);
  const pairs: PairTally[] = [];
  for (const low of [...byPair.keys()].sort((x, y) => x - y)) {
    const byHigh = byPair.get(low)!;
    for (const high of [...byHigh.keys()].sort((x, y) => x - y)) pairs.push(byHigh.get(high)!);
  }
  return { sources, pairs, facets };
}

/** How many rows an incident's tallies take when stored: its sources and its pairs of sources. */
export function tallyRows(tallies: IncidentTallies): number {
  return tallies.sources.length + tallies.pairs.length;
}

/** Adds `from`'s figures into `into` (of the same source): a track record is the sum of its incidents'. */
export function addSourceTally(into: SourceTally, from: Omit<SourceTally, 'source_id'>): void {
  into.claims += from.claims;
  into.carried += from.carried;
  into.current += from.current;
  into.contradicted += from.contradicted;
  into.revisions += from.revisions;
  into.count_revisions += from.count_revisions;
  into.revision_total += from.revision_total;
  into.revision_largest = Math.max(into.revision_largest, from.revision_largest);
  into.corroborated += from.corroborated;
}

export function addPairTally(into: PairTally, from: Pick<PairTally, 'pairs' | 'agree' | 'consistent' | 'contradict'>): void {
  into.pairs += from.pairs;
  into.agree += from.agree;
  into.consistent += from.consistent;
  into.contradict += from.contradict;
}

/**
 * Several incidents' pair tallies summed into one per two sources, keyed by `pairKey`: the
 * agreement matrix, each unordered pair once.
 */
export function sumPairTallies(tallies: Iterable<PairTally>): Map<string, PairTally> {
  const sums = new Map<string, PairTally>();
  addPairTallies(sums, tallies);
  return sums;
}

/** Adds each of `tallies` into `sums` (keyed by `pairKey`), to the sum of its two sources, begun at zero when missing. */
export function addPairTallies(sums: Map<string, PairTally>, tallies: Iterable<PairTally>): void {
  for (const tally of tallies) {
    const key = pairKey(tally.source_a, tally.source_b);
    let sum = sums.get(key);
    if (sum === undefined) sums.set(key, (sum = emptyPairTally(Math.min(tally.source_a, tally.source_b), Math.max(tally.source_a, tally.source_b))));
    addPairTally(sum, tally);
  }
}

/** The key of two sources, in either order. */
export function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
