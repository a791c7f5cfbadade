/**
 * Who sides with whom within a facet: the current claims grouped into positions, each a set of
 * sources whose values all fit together. For counts, a position is a set of intervals sharing a
 * common point, and the fewest positions are found by the classic greedy piercing: take the
 * interval that ends first, put a point at its end, and every interval holding that point joins
 * it (Danzer–Grünbaum; optimal for intervals). Percentages form positions of their own. For text,
 * a position is one wording (case and spacing aside), or wordings an analyst judged to agree. An
 * analyst's "contradict" keeps two claims apart even where their values would fit.
 */
import { DisjointSets } from './disjoint-sets.js';
import type { ClaimValue } from './values.js';

export interface PositionClaim {
  id: number;
  source_id: number;
  via_source_id: number | null;
  value: ClaimValue | null;
}

export interface Position {
  /** Claim ids and their sources, in the order the claims were given. */
  claims: number[];
  sources: number[];
  /** What they have in common: the interval all their values share, or their wording. */
  low: number | null;
  high: number | null;
  text: string | null;
  unit?: 'percent';
  /** Independent voices among the sources (see `voices`). */
  voices: number;
}

export interface PositionRules {
  /** Pairs of claims an analyst judged to contradict: never in one position. */
  apart: [number, number][];
  /** Pairs of claims an analyst judged to agree (or fit): two wordings in one position. */
  together: [number, number][];
  /** A source's voice: sources of one affiliation speak with one voice. */
  voiceOf: (sourceId: number) => string;
}

/** For each claim, the claims it may not share a position with. */
type Apart = Map<number, Set<number>>;

function apartOf(rules: PositionRules): Apart {
  const apart: Apart = new Map();
  for (const [a, b] of rules.apart) {
    for (const [x, y] of [[a, b], [b, a]] as const) {
      const set = apart.get(x);
      if (set) set.add(y);
      else apart.set(x, new Set([y]));
    }
  }
  return apart;
}

/** Whether `claim` may join the position whose claim ids are `members`. */
function mayJoin(apart: Apart, members: Set<number>, claim: number): boolean {
  for (const other of apart.get(claim) ?? []) if (members.has(other)) return false;
  return true;
}

/** The facet's positions: counts first (lowest first), then percentages, then wordings. */
export function findPositions(claims: PositionClaim[], rules: PositionRules): Position[] {
  const counts = claims.filter((c) => c.value?.low != null && c.value.unit !== 'percent');
  const percentages = claims.filter((c) => c.value?.low != null && c.value.unit === 'percent');
  const texts = claims.filter((c) => c.value !== null && c.value.low === null);
  return [...pierce(counts, rules), ...pierce(percentages, rules), ...byWording(texts, rules)];
}

/** The lowest low and the highest high of the facet's counts (high null when one has no upper bound). */
export function spanOf(claims: PositionClaim[]): { low: number; high: number | null } | null {
  const counts = claims.filter((c) => c.value?.low != null && c.value.unit !== 'percent');
  if (counts.length === 0) return null;
  const low = Math.min(...counts.map((c) => c.value!.low!));
  const high = counts.some((c) => c.value!.high === null) ? null : Math.max(...counts.map((c) => c.value!.high!));
  return { low, high };
}

/**
 * Greedy piercing, in O(n log n): the claims in order of where their intervals end; each not yet
 * placed puts a point at its end, and every unplaced claim whose interval begins by then joins
 * (none still unplaced ends before it: it would have put its own point first).
 */
function pierce(claims: PositionClaim[], rules: PositionRules): Position[] {
  const apart = apartOf(rules);
  const top = (c: PositionClaim) => c.value!.high ?? Infinity;
  const byTop = [...claims].sort((a, b) => top(a) - top(b) || a.value!.low! - b.value!.low! || a.id - b.id);
  const byLow = [...claims].sort((a, b) => a.value!.low! - b.value!.low! || a.id - b.id);
  const placed = new Set<PositionClaim>();
  const positions: Position[] = [];
  let waiting: PositionClaim[] = [];
  let next = 0;
  for (const first of byTop) {
    if (placed.has(first)) continue;
    const point = top(first);
    while (next < byLow.length && byLow[next]!.value!.low! <= point) waiting.push(byLow[next++]!);
    const members: PositionClaim[] = [first];
    const ids = new Set([first.id]);
    placed.add(first);
    const stillWaiting: PositionClaim[] = [];
    for (const claim of waiting) {
      if (placed.has(claim)) continue;
      if (mayJoin(apart, ids, claim.id)) {
        members.push(claim);
        ids.add(claim.id);
        placed.add(claim);
      } else {
        stillWaiting.push(claim);
      }
    }
    waiting = stillWaiting;
    let low = -Infinity;
    let high = Infinity;
    for (const member of members) {
      low = Math.max(low, member.value!.low!);
      high = Math.min(high, top(member));
    }
    const unit = first.value!.unit;
    positions.push(position(members, rules, { low, high: high === Infinity ? null : high, text: null, ...(unit ? { unit } : {}) }));
  }
  return positions.sort((a, b) => a.low! - b.low! || (a.high ?? Infinity) - (b.high ?? Infinity));
}

function byWording(claims: PositionClaim[], rules: PositionRules): Position[] {
  const apart = apartOf(rules);
  const sets = new DisjointSets();
  const wording = (c: PositionClaim) => `text:${c.value!.text.trim().replace(/\s+/g, ' ').toLowerCase()}`;
  const isText = new Set(claims.map((c) => c.id));
  for (const claim of claims) sets.union(`claim:${claim.id}`, wording(claim));
  for (const [a, b] of rules.together) if (isText.has(a) && isText.has(b)) sets.union(`claim:${a}`, `claim:${b}`);
  const groups = new Map<string, PositionClaim[]>();
  for (const claim of claims) {
    const root = sets.find(`claim:${claim.id}`);
    const group = groups.get(root);
    if (group) group.push(claim);
    else groups.set(root, [claim]);
  }
  // A contradiction judged inside a group splits it: each claim goes to the first part it fits.
  const positions: Position[] = [];
  for (const group of groups.values()) {
    const parts: { members: PositionClaim[]; ids: Set<number> }[] = [];
    for (const claim of group) {
      const part = parts.find(({ ids }) => mayJoin(apart, ids, claim.id));
      if (part) {
        part.members.push(claim);
        part.ids.add(claim.id);
      } else {
        parts.push({ members: [claim], ids: new Set([claim.id]) });
      }
    }
    for (const { members } of parts) positions.push(position(members, rules, { low: null, high: null, text: members[0]!.value!.text.trim() }));
  }
  return positions;
}

function position(members: PositionClaim[], rules: PositionRules, common: Pick<Position, 'low' | 'high' | 'text' | 'unit'>): Position {
  const ordered = [...members].sort((a, b) => a.id - b.id);
  return { claims: ordered.map((c) => c.id), sources: ordered.map((c) => c.source_id), ...common, voices: voices(ordered, rules) };
}

/**
 * Independent voices: sources of one affiliation count once, and a source counts as one with the
 * outlet its claim came through, so "3 sources" that are one government speaking three times, or
 * one outlet's reporting, are one voice.
 */
function voices(members: PositionClaim[], rules: PositionRules): number {
  const sets = new DisjointSets();
  for (const claim of members) {
    sets.find(rules.voiceOf(claim.source_id));
    if (claim.via_source_id !== null) sets.union(rules.voiceOf(claim.source_id), rules.voiceOf(claim.via_source_id));
  }
  return new Set(members.map((claim) => sets.find(rules.voiceOf(claim.source_id)))).size;
}
