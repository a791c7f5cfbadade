/**
 * Facets checked against each other: a count of a part ("civilians injured") can never exceed a
 * count of its whole ("casualties"). One source exceeding its own whole contradicts itself; a part
 * from one source exceeding another's whole is a cross-facet contradiction.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareIncident, type ComparableClaim } from '../src/compare/comparison.js';
import { type CheckedFacet, checkParts, makesCycle, type PartLink, wholesOf } from '../src/compare/parts.js';
import { parseValue } from '../src/compare/values.js';

const link = (part: string, whole: string): PartLink => ({ part_key: part, whole_key: whole });

/** A facet whose claims are `[source id, value phrase]`, claim ids numbered from `firstId`. */
function facet(key: string, firstId: number, ...claims: [number, string][]): CheckedFacet {
  return { key, facet: key, claims: claims.map(([source_id, value], index) => ({ id: firstId + index, source_id, value: parseValue(value) })) };
}

function shown(facets: CheckedFacet[], links: PartLink[]): string[] {
  return checkParts(facets, links).checks.map((c) => `${c.kind}: ${c.part.source_id}/${c.part.facet} ${c.part.low} > ${c.whole.source_id}/${c.whole.facet} ${c.whole.high}`);
}

describe('facets checked against each other', () => {
  const CASES: { why: string; part: [number, string][]; whole: [number, string][]; found: string[] }[] = [
    {
      why: 'CENTCOM: "no casualties", then four civilians injured — it contradicts itself',
      part: [[5, 'four']],
      whole: [[5, 'none']],
      found: ['self: 5/civilians injured 4 > 5/casualties 0'],
    },
    { why: 'a part within its whole fits', part: [[5, 'four']], whole: [[5, 'six']], found: [] },
    { why: 'a part equal to its whole fits: all the casualties were civilians', part: [[5, '4']], whole: [[5, 'four']], found: [] },
    {
      why: 'another source’s smaller whole is a cross-facet contradiction',
      part: [[1, 'four']],
      whole: [[2, 'two'], [3, 'ten']],
      found: ['cross: 1/civilians injured 4 > 2/casualties 2'],
    },
    { why: 'only definite excess counts: "at least 3" injured may be within 5 casualties', part: [[1, 'at least 3']], whole: [[2, 'five']], found: [] },
    { why: 'a part’s range that reaches past the whole fits, as its low end does not', part: [[1, 'between 3 and 8']], whole: [[2, 'five']], found: [] },
    { why: 'an unbounded whole is never exceeded', part: [[1, '1,000']], whole: [[2, 'at least 2']], found: [] },
    { why: 'a whole given as "up to 3" is exceeded by 4', part: [[1, '4']], whole: [[1, 'up to 3']], found: ['self: 1/civilians injured 4 > 1/casualties 3'] },
    { why: 'percentages say nothing about counts', part: [[1, '40%']], whole: [[1, '10']], found: [] },
    { why: 'text values are not checked', part: [[1, 'many']], whole: [[1, 'Syria']], found: [] },
  ];
  for (const { why, part, whole, found } of CASES) {
    it(why, () => {
      assert.deepEqual(shown([facet('civilians injured', 1, ...part), facet('casualties', 100, ...whole)], [link('civilians injured', 'casualties')]), found);
    });
  }

  it('check a part of a part against the whole above it', () => {
    const facets = [facet('children injured', 1, [1, '5']), facet('civilians injured', 10, [2, '9']), facet('casualties', 20, [1, '3'])];
    assert.deepEqual(shown(facets, [link('children injured', 'civilians injured'), link('civilians injured', 'casualties')]), [
      'self: 1/children injured 5 > 1/casualties 3',
      'cross: 2/civilians injured 9 > 1/casualties 3',
    ]);
  });

  it('list self-contradictions first, at most the limit, and count them all', () => {
    const part = facet('p', 1, ...Array.from({ length: 50 }, (_, i): [number, string] => [i + 1, '10']));
    const whole = facet('w', 100, ...Array.from({ length: 50 }, (_, i): [number, string] => [i + 1, '1']));
    const result = checkParts([part, whole], [link('p', 'w')], 60);
    assert.equal(result.total, 2_500);
    assert.equal(result.checks.length, 60);
    assert.deepEqual(result.checks.slice(0, 50).map((c) => c.kind), Array(50).fill('self'));
    assert.equal(result.checks[50]!.kind, 'cross');
  });

  it('refuse a link that would make a facet part of itself, directly or through others', () => {
    const links = [link('a', 'b'), link('b', 'c')];
    assert.equal(makesCycle(links, 'c', 'a'), true);
    assert.equal(makesCycle(links, 'a', 'a'), true);
    assert.equal(makesCycle(links, 'a', 'c'), false, 'a shortcut is no cycle');
    assert.deepEqual(wholesOf([...links, link('c', 'a')]).get('a')?.sort(), ['b', 'c'], 'a cycle already stored ends the walk');
  });

  it('weigh only current claims, in the comparison of an incident', () => {
    const claim = (id: number, source_id: number, facet: string, value: string, published_at: string): ComparableClaim => ({
      id, source_id, via_source_id: null, facet, value, published_at, created_at: '2024-01-01T00:00:00Z',
    });
    const claims = [
      claim(1, 5, 'casualties', 'none', '2023-03-24T08:00Z'),
      claim(2, 5, 'civilians injured', 'four', '2023-03-24T09:00Z'),
      // A later correction: now the whole holds the part.
      claim(3, 5, 'casualties', 'four', '2023-03-24T12:00Z'),
    ];
    const links = [{ part: 'civilians injured', part_key: 'civilians injured', whole: 'casualties', whole_key: 'casualties' }];
    const before = compareIncident(claims.slice(0, 2), [], [], { links, assessments: [] });
    assert.equal(before.part_checks.total, 1);
    assert.deepEqual(before.facets.find((f) => f.key === 'casualties')!.parts, [{ key: 'civilians injured', facet: 'civilians injured' }]);
    assert.deepEqual(before.facets.find((f) => f.key === 'civilians injured')!.part_of, [{ key: 'casualties', facet: 'casualties' }]);
    assert.equal(compareIncident(claims, [], [], { links, assessments: [] }).part_checks.total, 0);
  });

  it('find exactly the pairs where a part’s low is above a whole’s high, whatever the claims (brute force)', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }));
    const claims = fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), interval), { maxLength: 12 });
    fc.assert(
      fc.property(claims, claims, (parts, wholes) => {
        const asFacet = (key: string, firstId: number, list: typeof parts): CheckedFacet => ({
          key,
          facet: key,
          claims: list.map(([source_id, [low, high]], index) => ({
            id: firstId + index,
            source_id,
            value: { text: '', low, high: high === null ? null : Math.max(low, high) },
          })),
        });
        const p = asFacet('p', 1, parts);
        const w = asFacet('w', 100, wholes);
        const result = checkParts([p, w], [link('p', 'w')], 10_000);
        const expected: string[] = [];
        for (const a of p.claims) for (const b of w.claims) if (b.value!.high !== null && a.value!.low! > b.value!.high) expected.push(`${a.id}-${b.id}`);
        assert.equal(result.total, expected.length);
        assert.deepEqual(result.checks.map((c) => `${c.part.claim_id}-${c.whole.claim_id}`).sort(), expected.sort());
        for (const c of result.checks) assert.equal(c.kind, c.part.source_id === c.whole.source_id ? 'self' : 'cross');
      }),
    );
  });
});
