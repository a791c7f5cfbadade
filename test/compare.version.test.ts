/**
 * The comparison rules carry a version (src/compare/version.ts): summaries stored under another
 * version are made again. This fixes what the rules say about a corpus that belongs to this test, so
 * a change to src/compare that changes any reading, relation, status, revision or corroboration
 * fails here until the version is raised and a line is added below.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { type ComparableClaim, type ComparableSource, compareIncident, type RelationOverride } from '../src/compare/comparison.js';
import { tallyIncident } from '../src/compare/tallies.js';
import { parseValue } from '../src/compare/values.js';
import { COMPARISON_RULES_VERSION } from '../src/compare/version.js';

/**
 * What the rules of each version say about the corpus. Add a line for each new version; never change
 * one: a version names one set of answers.
 */
const OUTPUT_OF_VERSION: Record<number, string> = {
  1: '998d5a14c67c186a1bfaeadd5e36dc51',
  2: '914e0888eefd87108ed82f5553f9fe52',
  // Positions and the span of each facet.
  3: '3d5a153f300aedc034bcd7f3eb2d6420',
  // Facets checked against each other (part of), assessments beside facets, suggested merges.
  4: '3b288a9812b54552fc42f8ae9d36ad88',
  // What the comparison says of each source (tallies, stored with the summaries) now counts in;
  // a claim on either side of a part check is in a contradiction.
  5: 'c6ef60cc2dce2b4ca07d222f8b0b92fb',
};

const PHRASES = [
  'at least eight', 'ten', 'several', 'more than a dozen', 'none', 'one', 'three', 'about 20', 'between 5 and 7', 'a few',
  'dozens', 'up to 12', 'fewer than 4', 'two', 'nearly 30', '1,200', 'twenty-two', 'two hundred and five', '100s', '1000s',
  '10s', '1990s', '50s', 'a dozen', 'two dozen', 'N+', '7+', 'no casualties', 'nobody', 'no one', 'a couple', 'a handful',
  'scores', 'hundreds', 'thousands', 'tens', 'in excess of 40', 'upwards of 3', 'roughly 15', 'almost 10', '3-4', '3–4',
  'Green Village compound', 'heavy damage', 'Syria', '', '  ', 'AT LEAST EIGHT rockets', 'zero', 'a single drone',
];
/**
 * Phrases added to the corpus with a version, for forms its rules first read (or first refused):
 * the corpus of version N is PHRASES and every list added up to N, so older versions' lines stand.
 */
const PHRASES_ADDED: Record<number, string[]> = {
  2: [
    '2 billion', '2bn', '10k', '2.5k', '3M', '1.2 million', '10m', '5g', '10km', 'two thirds', 'a half', '11th', '3rd battalion',
    '10%', '10 per cent', 'at least 10%', '2023-24', 'above 30', '>= 30', '<5', '~100', '20~100', '20 through 100', '5k-20k',
    'more than 100 and fewer than 300', 'at least 20 but no more than 100', '3 dozens', '1 234 567', 'a pair', 'a trio',
    'a score', '٣', '۱۲', 'nought', 'nil', 'exactly 12', '30 or greater', '5 and under',
  ],
};

function phrasesOf(version: number): string[] {
  return [...PHRASES, ...Object.entries(PHRASES_ADDED).filter(([added]) => Number(added) <= version).flatMap(([, phrases]) => phrases)];
}

const PUBLISHED = [null, '2023-03-24', '2023-03-24T21:00', '2023-03-24T21:00Z', '2023-03-24T23:00:00+03:00', '2023-03-25T01:30:15.5-02:30', '2023-03-24 09:00', 'last week'];
const AFFILIATIONS = ['US government', 'Iran-aligned', null, 'US government', 'UK-based monitor', null];

/** A fixed pseudo-random sequence (a linear congruential generator), so the corpus never changes. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
}

function corpus(phrases: string[]) {
  const next = sequence(20261201);
  const sources: ComparableSource[] = AFFILIATIONS.map((affiliation, index) => ({ id: index + 1, name: `Source ${index + 1}`, affiliation }));
  const claims: ComparableClaim[] = Array.from({ length: 400 }, (_, index) => {
    const source_id = 1 + (next() % sources.length);
    const via = next() % 5 === 0 ? 1 + (next() % sources.length) : null;
    return {
      id: index + 1,
      source_id,
      via_source_id: via === source_id ? null : via,
      facet: ['rockets fired', 'Rockets  Fired', 'drones shot down', 'location', 'people wounded'][next() % 5]!,
      value: phrases[next() % phrases.length]!,
      published_at: PUBLISHED[next() % PUBLISHED.length]!,
      created_at: new Date(Date.UTC(2024, 0, 1, 0, 0, next() % 600)).toISOString(),
    };
  });
  const overrides: RelationOverride[] = [
    { a: 3, b: 17, relation: 'contradict', reason: 'different bases', created_at: '2024-02-01T00:00:00Z' },
    { a: 5, b: 40, relation: 'unrelated', reason: 'another attack', created_at: '2024-02-02T00:00:00Z' },
  ];
  return { sources, claims, overrides };
}

function digestOfRules(version: number): string {
  const phrases = phrasesOf(version);
  // The first version's corpus drew claims' values from its own phrases only.
  const { sources, claims, overrides } = corpus(version === 1 ? PHRASES : phrases);
  // From version 4 the corpus declares a part-of link and an assessment: their rules are checked too.
  const notes =
    version >= 4
      ? {
          links: [{ part: 'drones shot down', part_key: 'drones shot down', whole: 'rockets fired', whole_key: 'rockets fired' }],
          assessments: [{ facet_key: 'people wounded', value: 'about 20' }],
        }
      : { links: [], assessments: [] };
  const comparison = compareIncident(claims, sources, overrides, notes);
  // From version 5 the tallies (src/compare/tallies.ts) are stored under the version too.
  const answers = { readings: phrases.map(parseValue), comparison, ...(version >= 5 ? { tallies: tallyIncident(comparison) } : {}) };
  return createHash('sha256').update(JSON.stringify(answers)).digest('hex').slice(0, 32);
}

describe('the comparison rules version', () => {
  it('names what the rules say about a fixed corpus: changing what they say means raising it', () => {
    assert.equal(
      digestOfRules(COMPARISON_RULES_VERSION),
      OUTPUT_OF_VERSION[COMPARISON_RULES_VERSION],
      `src/compare now says something else about the corpus than version ${COMPARISON_RULES_VERSION} did: ` +
        'raise COMPARISON_RULES_VERSION in src/compare/version.ts and add its line to OUTPUT_OF_VERSION',
    );
  });

  it('gives each version its own answers', () => {
    const digests = Object.values(OUTPUT_OF_VERSION);
    assert.equal(new Set(digests).size, digests.length);
  });
});
