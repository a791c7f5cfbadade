/**
 * Deterministic synthetic incidents for benchmarks: a fixed seed, realistic text lengths, sources with
 * affiliations, facets with counts and text values, revisions and outlets. Same seed, same data.
 */
import type { ComparableClaim, ComparableSource } from '../src/compare/comparison.js';

/** mulberry32: a small, fast, seedable generator; Math.random cannot be seeded. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AFFILIATIONS = ['US government', 'Iran-aligned', 'Syrian government', 'Qatar', 'UK-based monitor', 'Kurdish-led SDF', null, null];
const KINDS = ['government', 'military', 'armed group', 'media', 'NGO', 'individual', 'other'] as const;
const FACETS = ['rockets fired', 'drones launched', 'drones shot down', 'bases targeted', 'US personnel wounded',
  'civilians injured', 'people killed', 'location', 'perpetrator', 'damage', 'time of attack', 'houses hit'];
const COUNT_PHRASES = ['at least eight', 'ten', 'several', 'more than a dozen', 'none', 'one', 'three', 'about 20',
  'between 5 and 7', 'a few', 'dozens', 'up to 12', 'fewer than 4', 'two', 'nearly 30', '1,200', 'twenty-two'];
const TEXT_PHRASES = ['Green Village compound', 'al-Omar oil field', 'resistance groups', 'heavy damage', 'morning', 'CONOCO gas field'];
const WORDS = ('the rockets were fired at base from positions near river according to statement officials said local ' +
  'sources reported that attack caused damage casualties drones intercepted air defence compound village field').split(' ');

export interface SyntheticSource extends ComparableSource {
  kind: (typeof KINDS)[number];
}

export interface SyntheticClaim extends ComparableClaim {
  text: string;
  quote: string | null;
  url: string | null;
}

export interface SyntheticIncident {
  sources: SyntheticSource[];
  claims: SyntheticClaim[];
}

function sentence(random: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]!);
  return `${picked.join(' ').replace(/^./, (c) => c.toUpperCase())}.`;
}

/**
 * An incident with `claims` claims by `sources` sources over `facets` facets. Each claim picks a
 * facet and a source at random, so a source speaking twice on a facet revises itself; about one
 * claim in five comes through another source as its outlet.
 */
export function syntheticIncident({ claims, sources = 40, facets = Math.max(6, Math.round(claims / 100)), seed = 1 }: {
  claims: number;
  sources?: number;
  facets?: number;
  seed?: number;
}): SyntheticIncident {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sourceList: SyntheticSource[] = Array.from({ length: sources }, (_, i) => ({
    id: i + 1,
    name: `Source ${i + 1}`,
    kind: pick(KINDS),
    affiliation: pick(AFFILIATIONS),
  }));
  const facetNames = Array.from({ length: facets }, (_, i) => (i < FACETS.length ? FACETS[i]! : `${pick(FACETS)} ${i}`));
  const start = Date.UTC(2023, 2, 24, 18, 0, 0);
  const claimList: SyntheticClaim[] = Array.from({ length: claims }, (_, i) => {
    const source_id = 1 + Math.floor(random() * sources);
    const via = random() < 0.2 ? 1 + Math.floor(random() * sources) : null;
    const minutes = Math.floor(random() * 60 * 72);
    const roll = random();
    return {
      id: i + 1,
      source_id,
      via_source_id: via === source_id ? null : via,
      facet: pick(facetNames),
      value: roll < 0.7 ? pick(COUNT_PHRASES) : roll < 0.9 ? pick(TEXT_PHRASES) : null,
      published_at: random() < 0.9 ? new Date(start + minutes * 60_000).toISOString().slice(0, 16) : null,
      created_at: new Date(start + i * 1000).toISOString(),
      text: sentence(random, 12 + Math.floor(random() * 24)),
      quote: random() < 0.6 ? sentence(random, 20 + Math.floor(random() * 40)) : null,
      url: random() < 0.5 ? `https://example.org/reports/${i + 1}` : null,
    };
  });
  return { sources: sourceList, claims: claimList };
}
