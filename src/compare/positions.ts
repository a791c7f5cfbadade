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
  /** An analyst judged the two claims to contradict: they never share a position. */
  kept_apart: (a: number, b: number) => boolean;
  /** An analyst judged two text values to agree (or fit): they share a position. */
  joined: (a: number, b: number) => boolean;
  /** A source's voice: sources of one affiliation speak with one voice. */
  voiceOf: (sourceId: number) => string;
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

function pierce(claims: PositionClaim[], rules: PositionRules): Position[] {
  const top = (c: PositionClaim) => c.value!.high ?? Infinity;
  const remaining = [...claims].sort((a, b) => top(a) - top(b) || a.value!.low! - b.value!.low! || a.id - b.id);
  const positions: Position[] = [];
  while (remaining.length > 0) {
    const point = top(remaining[0]!);
    const members: PositionClaim[] = [];
    for (const claim of remaining) {
      if (claim.value!.low! > point || top(claim) < point) continue;
      if (members.some((member) => rules.kept_apart(member.id, claim.id))) continue;
      members.push(claim);
    }
    for (const member of members) remaining.splice(remaining.indexOf(member), 1);
    const high = Math.min(...members.map(top));
    positions.push(position(members, rules, {
      low: Math.max(...members.map((m) => m.value!.low!)),
      high: high === Infinity ? null : high,
      text: null,
      ...(members[0]!.value!.unit ? { unit: members[0]!.value!.unit } : {}),
    }));
  }
  return positions.sort((a, b) => a.low! - b.low! || (a.high ?? Infinity) - (b.high ?? Infinity));
}

function byWording(claims: PositionClaim[], rules: PositionRules): Position[] {
  const sets = new DisjointSets();
  const wording = (c: PositionClaim) => `text:${c.value!.text.trim().replace(/\s+/g, ' ').toLowerCase()}`;
  for (const claim of claims) sets.union(`claim:${claim.id}`, wording(claim));
  for (const a of claims) for (const b of claims) if (a.id < b.id && rules.joined(a.id, b.id)) sets.union(`claim:${a.id}`, `claim:${b.id}`);
  const groups = new Map<string, PositionClaim[]>();
  for (const claim of claims) {
    const root = sets.find(`claim:${claim.id}`);
    groups.set(root, [...(groups.get(root) ?? []), claim]);
  }
  // A contradiction judged inside a group splits it: each claim goes to the first part it fits.
  const positions: Position[] = [];
  for (const group of groups.values()) {
    const parts: PositionClaim[][] = [];
    for (const claim of group) {
      const part = parts.find((members) => !members.some((member) => rules.kept_apart(member.id, claim.id)));
      if (part) part.push(claim);
      else parts.push([claim]);
    }
    for (const members of parts) positions.push(position(members, rules, { low: null, high: null, text: members[0]!.value!.text.trim() }));
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
