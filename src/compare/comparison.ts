/**
 * Comparing what sources claim about one incident: which claims are current,
 * how each pair of sources' current claims relate, what that means for each
 * facet, and how many independent sources back each claim.
 */

import { memo } from '../memo.js';
import { publicationOrderKey } from './timestamps.js';
import { DisjointSets } from './disjoint-sets.js';
import { type MergeSuggestion, suggestMergesStepwise } from './facet-names.js';
import { checkParts, type NamedPartLink, type PartCheck, type PartChecks } from './parts.js';
import { findPositions, type Position, spanOf } from './positions.js';
import { isCount, parseValue, type ClaimValue } from './values.js';

export type Relation = 'agree' | 'consistent' | 'contradict' | 'unassessed' | 'unrelated';
export type FacetStatus = 'contradict' | 'consistent' | 'agree' | 'single' | 'unassessed';

export const RELATIONS: readonly Relation[] = ['agree', 'consistent', 'contradict', 'unassessed', 'unrelated'];
export const FACET_STATUSES: readonly FacetStatus[] = ['contradict', 'consistent', 'agree', 'single', 'unassessed'];

/** The minimum the comparison needs from a claim; callers pass richer rows and get them back. */
export interface ComparableClaim {
  id: number;
  source_id: number;
  /** The outlet the source's claim reached us through, if any. */
  via_source_id: number | null;
  facet: string;
  /** The raw value phrase. */
  value: string | null;
  /** ISO-8601: date only, local date-time, or date-time with zone. */
  published_at: string | null;
  created_at: string;
}

export interface ComparableSource {
  id: number;
  name: string;
  affiliation: string | null;
}

/** An analyst's judgement on a pair of claims; a and b may be given in either order. */
export interface RelationOverride {
  a: number;
  b: number;
  relation: Relation;
  reason: string;
  created_at: string;
  /** Who made the judgement, when known. */
  created_by_name?: string | null;
}

export interface ClaimPair {
  /** The lower claim id. */
  a: number;
  b: number;
  relation: Relation;
  origin: 'auto' | 'analyst';
  reason: string | null;
  /** What the comparison itself concluded, kept so an override can be reviewed. */
  auto: Relation;
  overridden_at: string | null;
  overridden_by: string | null;
}

export interface ComparedClaim<C> {
  claim: C;
  value: ClaimValue | null;
  current: boolean;
  /** The next newer claim of the same source in the facet. */
  superseded_by: number | null;
  /** Null for superseded claims: they take no part in the comparison. */
  status: FacetStatus | null;
  corroborated_by: number;
}

export interface SourceRevisions {
  source_id: number;
  /** Oldest first. */
  claim_ids: number[];
}

/** The minimum the comparison needs from an analyst's assessment of a facet. */
export interface AssessmentInput {
  facet_key: string;
  /** The best value, as a phrase. */
  value: string | null;
}

/** An analyst's assessment beside the facet it assesses. */
export interface FacetAssessment<A extends AssessmentInput> {
  assessment: A;
  /** The best value as read. */
  value: ClaimValue | null;
  /** The positions (by index) the best value fits with. */
  fits: number[];
}

/** What analysts have said about an incident's facets, beside the claims. */
export interface FacetNotes<A extends AssessmentInput> {
  links: NamedPartLink[];
  assessments: A[];
}

export interface FacetComparison<C, A extends AssessmentInput = AssessmentInput> {
  /** The first spelling used. */
  facet: string;
  key: string;
  status: FacetStatus;
  /** Grouped by source (by name), each source's claims oldest first. */
  claims: ComparedClaim<C>[];
  pairs: ClaimPair[];
  /** Only sources that revised their claim. */
  revisions: SourceRevisions[];
  /** Who sides with whom: the current claims in the fewest groups whose values all fit together. */
  positions: Position[];
  /** The lowest low and the highest high of the current counts (high null: unbounded); null without counts. */
  span: { low: number; high: number | null } | null;
  assessment: FacetAssessment<A> | null;
  /** The facets this one is declared part of, and those declared part of it. */
  part_of: { key: string; facet: string }[];
  parts: { key: string; facet: string }[];
  /** The incident's part checks this facet takes part in, as part or as whole. */
  part_checks: PartCheck[];
}

export type IncidentSummary = Record<FacetStatus, number> & { facets: number };

export interface IncidentComparison<C, A extends AssessmentInput = AssessmentInput> {
  facets: FacetComparison<C, A>[];
  summary: IncidentSummary;
  /** Claims on a part exceeding claims on its whole (see parts.ts). */
  part_checks: PartChecks;
  /** Facets that may be one point of fact under two names (see facet-names.ts). */
  suggested_merges: MergeSuggestion[];
}

/** Spellings of one facet that differ only in case or spacing are the same facet. */
export function facetKey(facet: string): string {
  return facet.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The automatic relation between two values; overrides are applied elsewhere. */
export function relate(a: ClaimValue | null, b: ClaimValue | null): Relation {
  if (a === null || b === null) return 'unassessed';
  if (isCount(a) && isCount(b)) {
    // A percentage is weighed only against percentages: "10%" says nothing about "10".
    if ((a.unit ?? 'count') !== (b.unit ?? 'count')) return 'unassessed';
    if (a.low === b.low && a.high === b.high) return 'agree';
    const overlap = a.low <= (b.high ?? Infinity) && b.low <= (a.high ?? Infinity);
    return overlap ? 'consistent' : 'contradict';
  }
  if (isCount(a) || isCount(b)) return 'unassessed';
  // Text values match as facet names do, ignoring case and spacing. Differently
  // worded text may still mean the same thing, but only an analyst can say so.
  return facetKey(a.text) === facetKey(b.text) ? 'agree' : 'unassessed';
}

/** How many pairs of each relation a facet, or one claim of it, takes part in. */
type Tally = Record<Relation, number> & { pairs: number };

function emptyTally(): Tally {
  return { agree: 0, consistent: 0, contradict: 0, unassessed: 0, unrelated: 0, pairs: 0 };
}

function count(tally: Tally | undefined, relation: Relation): void {
  if (tally === undefined) return;
  tally[relation] += 1;
  tally.pairs += 1;
}

/**
 * The status for a tally of pair relations, used both for a whole facet and
 * for one claim's cell. No pairs at all means only one source has spoken.
 * `unrelated` pairs are set aside; if nothing else remains the claims have
 * been looked at but could not be weighed against each other, which is what
 * `unassessed` says, whereas `single` would wrongly suggest one source.
 */
function statusOf(tally: Tally): FacetStatus {
  if (tally.pairs === 0) return 'single';
  if (tally.contradict > 0) return 'contradict';
  if (tally.unassessed > 0 || tally.unrelated === tally.pairs) return 'unassessed';
  return tally.consistent > 0 ? 'consistent' : 'agree';
}

export function compareIncident<C extends ComparableClaim, A extends AssessmentInput = AssessmentInput>(
  claims: C[],
  sources: ComparableSource[],
  overrides: RelationOverride[],
  notes: FacetNotes<A> = { links: [], assessments: [] },
): IncidentComparison<C, A> {
  const steps = compareIncidentStepwise(claims, sources, overrides, notes);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Pairs weighed between two steps of `compareIncidentStepwise`: about a millisecond's work, so a
 * caller that stops between steps is never held long by one facet of many sources.
 */
const PAIRS_PER_STEP = 2_000;

/**
 * `compareIncident` in steps: the generator yields after each facet and every PAIRS_PER_STEP pairs
 * of a large one, and returns the comparison. A server compares a large incident a few steps at a
 * time, letting other requests in between (see src/slices.ts); the result is the same.
 */
export function* compareIncidentStepwise<C extends ComparableClaim, A extends AssessmentInput = AssessmentInput>(
  claims: C[],
  sources: ComparableSource[],
  overrides: RelationOverride[],
  notes: FacetNotes<A> = { links: [], assessments: [] },
): Generator<void, IncidentComparison<C, A>> {
  const keyOf = independenceKeys(sources);
  const sourceRank = rankSources(sources);
  const overrideByPair = latestOverrides(overrides);

  const read: Readers = { value: memo(parseValue), published: memo(publicationOrderKey) };
  const groups = yield* groupByFacet(claims);
  const facets: FacetComparison<C, A>[] = [];
  for (const group of groups) facets.push(yield* compareFacet<C, A>(group, keyOf, sourceRank, overrideByPair, read));
  const summary: IncidentSummary = { contradict: 0, consistent: 0, agree: 0, single: 0, unassessed: 0, facets: facets.length };
  for (const f of facets) summary[f.status] += 1;
  yield;
  const partChecks = addNotes(facets, notes, read);
  const merges = yield* suggestMergesStepwise(facets.map((facet) => ({ key: facet.key, facet: facet.facet, claims: facet.claims.length })));
  return { facets, summary, part_checks: partChecks, suggested_merges: merges };
}

/** Each facet's assessment and part-of links, and the checks of parts against wholes. */
function addNotes<C extends ComparableClaim, A extends AssessmentInput>(facets: FacetComparison<C, A>[], notes: FacetNotes<A>, read: Readers): PartChecks {
  const byKey = new Map(facets.map((facet) => [facet.key, facet]));
  for (const assessment of notes.assessments) {
    const facet = byKey.get(assessment.facet_key);
    if (!facet) continue;
    const value = read.value(assessment.value);
    const fits = facet.positions.flatMap((position, index) => {
      const held: ClaimValue = { text: position.text ?? '', low: position.low, high: position.high, ...(position.unit ? { unit: position.unit } : {}) };
      const relation = relate(value, held);
      return relation === 'agree' || relation === 'consistent' ? [index] : [];
    });
    facet.assessment = { assessment, value, fits };
  }
  // A facet keeps its own spelling; one without live claims, the spelling the link was made with.
  const spelling = (key: string, declared: string) => byKey.get(key)?.facet ?? declared;
  for (const { part_key, whole_key, part, whole } of notes.links) {
    byKey.get(part_key)?.part_of.push({ key: whole_key, facet: spelling(whole_key, whole) });
    byKey.get(whole_key)?.parts.push({ key: part_key, facet: spelling(part_key, part) });
  }
  if (notes.links.length === 0) return { checks: [], total: 0 };
  const current = facets.map((facet) => ({
    key: facet.key,
    facet: facet.facet,
    claims: facet.claims.filter((compared) => compared.current).map((compared) => ({ id: compared.claim.id, source_id: compared.claim.source_id, value: compared.value })),
  }));
  const checks = checkParts(current, notes.links);
  for (const check of checks.checks) {
    byKey.get(check.part.key)?.part_checks.push(check);
    byKey.get(check.whole.key)?.part_checks.push(check);
  }
  return checks;
}

// ---------------------------------------------------------------------------

interface Entry<C> {
  claim: C;
  value: ClaimValue | null;
  /** Publication then entry time, as one string that sorts as text (see byPublication). */
  revisionKey: string;
}

interface FacetGroup<C> {
  /** The earliest entered claim, whose spelling the facet keeps. */
  first: C;
  key: string;
  claims: C[];
}

function byCreation(a: ComparableClaim, b: ComparableClaim): number {
  return compareText(a.created_at, b.created_at) || a.id - b.id;
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Claims grouped between two steps of `groupByFacet`. */
const CLAIMS_PER_STEP = 5_000;

/** Facets in order of their first claim; yields every CLAIMS_PER_STEP claims. */
function* groupByFacet<C extends ComparableClaim>(claims: C[]): Generator<void, FacetGroup<C>[]> {
  const groups = new Map<string, FacetGroup<C>>();
  // An incident uses a handful of facet spellings across many claims.
  const keyBySpelling = new Map<string, string>();
  for (const [index, claim] of claims.entries()) {
    if (index % CLAIMS_PER_STEP === CLAIMS_PER_STEP - 1) yield;
    let key = keyBySpelling.get(claim.facet);
    if (key === undefined) keyBySpelling.set(claim.facet, (key = facetKey(claim.facet)));
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { first: claim, key, claims: [claim] });
    else {
      group.claims.push(claim);
      if (byCreation(claim, group.first) < 0) group.first = claim;
    }
  }
  return [...groups.values()].sort((a, b) => byCreation(a.first, b.first));
}

/**
 * Which of a source's claims came later: by publication time, then entry
 * time, then id. A claim without a publication time counts as older than any
 * that has one: an undated claim is usually an early report entered without
 * checking, and a dated correction should replace it.
 */
function byPublication<C extends ComparableClaim>(a: Entry<C>, b: Entry<C>): number {
  return compareText(a.revisionKey, b.revisionKey) || a.claim.id - b.claim.id;
}

/**
 * Sorting compares this key many times, so it is built once per claim. The
 * separator sorts below every printable character, so a shorter publication
 * time that is a prefix of a longer one ("2023-03-24" before
 * "2023-03-24T09:00") still sorts first, and a missing one sorts first of all.
 */
function revisionKey(claim: ComparableClaim, readPublished: (published: string | null) => string): string {
  return `${readPublished(claim.published_at)}\u0000${claim.created_at}`;
}

/**
 * Value phrases and publication times repeat across an incident's claims ("several", "none", one
 * statement's time), so each distinct one is read once per comparison.
 */
interface Readers {
  value: (phrase: string | null) => ClaimValue | null;
  published: (published: string | null) => string;
}

function rankSources(sources: ComparableSource[]): Map<number, number> {
  const ordered = [...sources].sort(
    (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id - b.id,
  );
  return new Map(ordered.map((s, i) => [s.id, i]));
}

/** Overrides by lower claim id, then higher claim id. */
type OverridesByPair = Map<number, Map<number, RelationOverride>>;

/** If an analyst judged the same pair twice, the later judgement stands. */
function latestOverrides(overrides: RelationOverride[]): OverridesByPair {
  const byPair: OverridesByPair = new Map();
  for (const o of overrides) {
    const [low, high] = o.a < o.b ? [o.a, o.b] : [o.b, o.a];
    let byHigh = byPair.get(low);
    if (byHigh === undefined) byPair.set(low, (byHigh = new Map()));
    const previous = byHigh.get(high);
    if (previous === undefined || compareText(previous.created_at, o.created_at) <= 0) byHigh.set(high, o);
  }
  return byPair;
}

/**
 * Sources sharing an affiliation (two outlets of one ministry) are one voice.
 * The key is built like a facet key so spelling variants of an affiliation match.
 */
function independenceKeys(sources: ComparableSource[]): (sourceId: number) => string {
  const keyById = new Map<number, string>();
  for (const { id, affiliation } of sources) {
    if (affiliation?.trim()) keyById.set(id, `affiliation:${facetKey(affiliation)}`);
  }
  return (sourceId) => keyById.get(sourceId) ?? `source:${sourceId}`;
}

function* compareFacet<C extends ComparableClaim, A extends AssessmentInput>(
  group: FacetGroup<C>,
  keyOf: (sourceId: number) => string,
  sourceRank: Map<number, number>,
  overrideByPair: OverridesByPair,
  read: Readers,
): Generator<void, FacetComparison<C, A>> {
  // Values are parsed facet by facet, so the working data of one facet is
  // garbage before the next begins; this keeps large incidents linear.
  const bySource = new Map<number, Entry<C>[]>();
  for (const claim of group.claims) {
    const entry = { claim, value: read.value(claim.value), revisionKey: revisionKey(claim, read.published) };
    const list = bySource.get(entry.claim.source_id);
    if (list === undefined) bySource.set(entry.claim.source_id, [entry]);
    else list.push(entry);
  }
  // Sources missing from the source list still get a stable place: after the known ones, by id.
  const rank = (id: number) => sourceRank.get(id) ?? sourceRank.size + id;
  const sourceIds = [...bySource.keys()].sort((a, b) => rank(a) - rank(b) || a - b);

  const history: Entry<C>[][] = sourceIds.map((id) => (bySource.get(id) ?? []).sort(byPublication));
  const current = history.map((entries) => entries[entries.length - 1]).filter((e) => e !== undefined);
  current.sort((a, b) => a.claim.id - b.claim.id);

  // Per current claim, by its position in `current`; supporters are positions too.
  const tallies = current.map(emptyTally);
  const supporters: number[][] = current.map(() => []);
  const facetTally = emptyTally();
  const pairs: ClaimPair[] = [];
  // Pairs an analyst judged: they alone change who shares a position (below).
  const analysts: ClaimPair[] = [];
  for (let i = 0; i < current.length; i++) {
    for (let j = i + 1; j < current.length; j++) {
      const x = current[i];
      const y = current[j];
      if (x === undefined || y === undefined) continue;
      const pair = relatePair(x, y, overrideByPair);
      pairs.push(pair);
      if (pair.origin === 'analyst') analysts.push(pair);
      count(facetTally, pair.relation);
      count(tallies[i], pair.relation);
      count(tallies[j], pair.relation);
      if (pair.relation === 'agree' || pair.relation === 'consistent') {
        supporters[i]?.push(j);
        supporters[j]?.push(i);
      }
      if (pairs.length % PAIRS_PER_STEP === 0) yield;
    }
  }

  const corroboration = yield* countCorroboration(current, supporters, keyOf);
  const judged = new Map<Entry<C>, { status: FacetStatus; corroborated_by: number }>();
  for (const [i, e] of current.entries()) {
    judged.set(e, { status: statusOf(tallies[i] ?? emptyTally()), corroborated_by: corroboration[i] ?? 0 });
  }

  const claims: ComparedClaim<C>[] = [];
  const revisions: SourceRevisions[] = [];
  for (const [s, entries] of history.entries()) {
    for (const [i, entry] of entries.entries()) {
      const newer = entries[i + 1];
      const verdict = judged.get(entry);
      claims.push({
        claim: entry.claim,
        value: entry.value,
        current: newer === undefined,
        superseded_by: newer?.claim.id ?? null,
        status: verdict?.status ?? null,
        corroborated_by: verdict?.corroborated_by ?? 0,
      });
    }
    const sourceId = sourceIds[s];
    if (entries.length > 1 && sourceId !== undefined) {
      revisions.push({ source_id: sourceId, claim_ids: entries.map((e) => e.claim.id) });
    }
  }

  // Positions: only an analyst's judgement changes what the values say about who fits with whom.
  const standing = current.map((e) => ({ id: e.claim.id, source_id: e.claim.source_id, via_source_id: e.claim.via_source_id, value: e.value }));
  const positions = findPositions(standing, {
    apart: analysts.filter((pair) => pair.relation === 'contradict').map((pair): [number, number] => [pair.a, pair.b]),
    together: analysts.filter((pair) => pair.relation === 'agree' || pair.relation === 'consistent').map((pair): [number, number] => [pair.a, pair.b]),
    voiceOf: keyOf,
  });

  yield;
  return {
    facet: group.first.facet.trim(),
    key: group.key,
    status: statusOf(facetTally),
    claims,
    pairs,
    revisions,
    positions,
    span: spanOf(standing),
    assessment: null,
    part_of: [],
    parts: [],
    part_checks: [],
  };
}

/**
 * For each current claim, the number of independent voices among the claims
 * backing it. A claim carried by an outlet is tied to that outlet's own
 * reporting, so a source and the outlet it came through count as one voice,
 * and a claim's own voice never corroborates it. Voices are formed from the
 * claim and its backers only: a claim that backs nothing, carried via some
 * outlet, must not fuse two otherwise independent backers into one.
 */
function* countCorroboration<C extends ComparableClaim>(
  current: Entry<C>[],
  supporters: number[][],
  keyOf: (sourceId: number) => string,
): Generator<void, number[]> {
  const counts: number[] = [];
  // Backers looked at since the last step: a facet where thousands of sources agree has millions.
  let sinceStep = 0;
  for (const [i, { claim }] of current.entries()) {
    const backers = (supporters[i] ?? []).map((j) => current[j]!.claim);
    sinceStep += backers.length;
    if (sinceStep >= PAIRS_PER_STEP) {
      sinceStep = 0;
      yield;
    }
    const voices = new DisjointSets();
    for (const { source_id, via_source_id } of [claim, ...backers]) {
      if (via_source_id !== null) voices.union(keyOf(source_id), keyOf(via_source_id));
    }
    const backing = new Set(backers.map((backer) => voices.find(keyOf(backer.source_id))));
    backing.delete(voices.find(keyOf(claim.source_id)));
    counts.push(backing.size);
  }
  return counts;
}

/** Called with x.id < y.id; only current claims reach here, so overrides on superseded claims never apply. */
function relatePair<C extends ComparableClaim>(x: Entry<C>, y: Entry<C>, overrideByPair: OverridesByPair): ClaimPair {
  const a = x.claim.id;
  const b = y.claim.id;
  const auto = relate(x.value, y.value);
  const override = overrideByPair.get(a)?.get(b);
  if (override === undefined) return { a, b, relation: auto, origin: 'auto', reason: null, auto, overridden_at: null, overridden_by: null };
  return {
    a,
    b,
    relation: override.relation,
    origin: 'analyst',
    reason: override.reason,
    auto,
    overridden_at: override.created_at,
    overridden_by: override.created_by_name ?? null,
  };
}
