/**
 * Facets checked against each other. An analyst may declare one facet part of another within an
 * incident ("civilians injured" part of "casualties"); then no count of the part can exceed a count
 * of the whole. A claim on the part whose lowest reading is above the highest reading of a claim on
 * the whole contradicts it: a source contradicting itself when both claims are its own, a
 * cross-facet contradiction when they are two sources'. Parts of parts count too ("children
 * injured" ⊂ "civilians injured" ⊂ "casualties"). Only definite excess is a contradiction: "at least
 * 3" injured against "5" casualties fits, and parts are not summed, as two parts may overlap
 * ("women injured", "civilians injured").
 */
import { isCount, type ClaimValue } from './values.js';

export interface PartLink {
  part_key: string;
  whole_key: string;
}

/** A link as declared, with each facet's spelling. */
export interface NamedPartLink extends PartLink {
  part: string;
  whole: string;
}

/** A facet's current claims, as the check needs them. */
export interface CheckedFacet {
  key: string;
  facet: string;
  claims: { id: number; source_id: number; value: ClaimValue | null }[];
}

export interface PartCheckSide {
  key: string;
  facet: string;
  claim_id: number;
  source_id: number;
  low: number;
  high: number | null;
}

export interface PartCheck {
  /** `self`: one source's part exceeds its own whole; `cross`: one source's part exceeds another's whole. */
  kind: 'self' | 'cross';
  part: PartCheckSide;
  whole: PartCheckSide;
}

export interface PartChecks {
  /** Self-contradictions first, then cross-facet ones; at most `limit`. */
  checks: PartCheck[];
  /** All there are, shown or not. */
  total: number;
}

/** Checks listed at most: a facet of thousands of sources against another could have millions. */
export const PART_CHECKS_LISTED = 200;

/** Every whole a facet is part of, directly or through other parts; a cycle (refused when declared) ends the walk. */
export function wholesOf(links: PartLink[]): Map<string, string[]> {
  const direct = new Map<string, string[]>();
  for (const { part_key, whole_key } of links) {
    const list = direct.get(part_key);
    if (list) list.push(whole_key);
    else direct.set(part_key, [whole_key]);
  }
  const all = new Map<string, string[]>();
  for (const part of direct.keys()) {
    const seen = new Set<string>([part]);
    const found: string[] = [];
    const stack = [...(direct.get(part) ?? [])];
    while (stack.length > 0) {
      const whole = stack.pop()!;
      if (seen.has(whole)) continue;
      seen.add(whole);
      found.push(whole);
      stack.push(...(direct.get(whole) ?? []));
    }
    all.set(part, found);
  }
  return all;
}

/** Whether declaring `part` part of `whole` would make a facet part of itself. */
export function makesCycle(links: PartLink[], part: string, whole: string): boolean {
  return part === whole || (wholesOf(links).get(whole) ?? []).includes(part);
}

function side(facet: CheckedFacet, claim: CheckedFacet['claims'][number]): PartCheckSide | null {
  const value = claim.value;
  // Percentages say nothing about a count of the whole.
  if (!isCount(value) || value.unit !== undefined) return null;
  return { key: facet.key, facet: facet.facet, claim_id: claim.id, source_id: claim.source_id, low: value.low, high: value.high };
}

/** The contradictions between parts and wholes among the facets' current claims. */
export function checkParts(facets: CheckedFacet[], links: PartLink[], limit = PART_CHECKS_LISTED): PartChecks {
  const byKey = new Map(facets.map((facet) => [facet.key, facet]));
  const selfChecks: PartCheck[] = [];
  const crossChecks: PartCheck[] = [];
  let total = 0;
  for (const [partKey, wholeKeys] of wholesOf(links)) {
    const part = byKey.get(partKey);
    if (!part) continue;
    const parts = part.claims.map((claim) => side(part, claim)).filter((s) => s !== null);
    for (const wholeKey of wholeKeys) {
      const whole = byKey.get(wholeKey);
      if (!whole) continue;
      // Wholes by their highest reading, bounded first: a part exceeds a prefix of them.
      const wholes = whole.claims
        .map((claim) => side(whole, claim))
        .filter((s): s is PartCheckSide & { high: number } => s !== null && s.high !== null)
        .sort((a, b) => a.high - b.high);
      // A facet's current claims are one per source; a caller passing more still gets every check.
      const ownWholes = new Map<number, typeof wholes>();
      for (const w of wholes) {
        const own = ownWholes.get(w.source_id);
        if (own) own.push(w);
        else ownWholes.set(w.source_id, [w]);
      }
      for (const p of parts) {
        const exceeded = countBelow(wholes, p.low);
        total += exceeded;
        for (const own of ownWholes.get(p.source_id) ?? []) if (own.high < p.low) selfChecks.push({ kind: 'self', part: p, whole: own });
        for (let i = 0; i < exceeded && crossChecks.length < limit; i++) {
          const w = wholes[i]!;
          if (w.source_id !== p.source_id) crossChecks.push({ kind: 'cross', part: p, whole: w });
        }
      }
    }
  }
  return { checks: [...selfChecks, ...crossChecks].slice(0, limit), total };
}

/** How many of `sorted` (ascending by high) have a high below `low`. */
function countBelow(sorted: { high: number }[], low: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.high < low) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
