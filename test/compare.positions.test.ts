/**
 * Positions: who sides with whom within a facet. The fewest groups of current claims whose values
 * all fit together; an analyst's "contradict" keeps two apart, their "agree" joins two wordings.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findPositions, type PositionClaim, type PositionRules, spanOf } from '../src/compare/positions.js';
import { parseValue } from '../src/compare/values.js';

const plain: PositionRules = { apart: [], together: [], voiceOf: (id) => `source:${id}` };

function claims(...values: string[]): PositionClaim[] {
  return values.map((value, index) => ({ id: index + 1, source_id: index + 1, via_source_id: null, value: parseValue(value) }));
}

function shown(positions: ReturnType<typeof findPositions>): string[] {
  return positions.map((p) => `${p.text ?? `${p.low}–${p.high ?? '∞'}${p.unit === 'percent' ? '%' : ''}`}: ${p.claims.join(',')}`);
}

describe('positions', () => {
  it('group counts whose intervals share a point, the fewest groups', () => {
    // 3 (CENTCOM), 3 (SOHR), 0 (SANA), 0 (ISWNews), about 10 (a resident)
    assert.deepEqual(shown(findPositions(claims('3', 'three', '0', 'none', 'about 10'), plain)), ['0–0: 3,4', '3–3: 1,2', '9–11: 5']);
  });

  it('give each position the range its claims share', () => {
    assert.deepEqual(shown(findPositions(claims('at least 8', 'ten', 'between 5 and 12', 'several'), plain)), ['8–9: 1,3,4', '10–10: 2']);
  });

  it('keep percentages and wordings in positions of their own', () => {
    assert.deepEqual(shown(findPositions(claims('10%', '10', 'Syria', ' syria ', 'Iraq', 'at least 5 per cent'), plain)), ['10–10: 2', '10–10%: 1,6', 'Syria: 3,4', 'Iraq: 5']);
  });

  it('keep apart two claims an analyst judged to contradict, and join wordings judged to agree', () => {
    const rules: PositionRules = { ...plain, apart: [[1, 2]], together: [[3, 4]] };
    assert.deepEqual(shown(findPositions(claims('3', 'about 3', 'Green Village', 'the compound'), rules)), ['2–4: 2', '3–3: 1', 'Green Village: 3,4']);
  });

  it('count independent voices: one affiliation is one voice, and a source is one with its outlet', () => {
    const affiliation = (id: number) => (id <= 2 ? 'affiliation:us government' : `source:${id}`);
    const values = claims('3', '3', '3', '3');
    values[3]!.via_source_id = 3;
    const [position] = findPositions(values, { ...plain, voiceOf: affiliation });
    assert.deepEqual([position!.sources, position!.voices], [[1, 2, 3, 4], 2]);
  });

  it('span the lowest low to the highest high of the counts', () => {
    assert.deepEqual(spanOf(claims('3', 'none', 'about 10', 'Syria', '50%')), { low: 0, high: 11 });
    assert.deepEqual(spanOf(claims('3', 'at least 8')), { low: 3, high: null });
    assert.equal(spanOf(claims('Syria')), null);
  });
});

/** The fewest groups of intervals with a common point, by trying every partition (small sets only). */
function fewestByBruteForce(intervals: [number, number][]): number {
  const n = intervals.length;
  let best = n;
  const groups: number[] = Array(n).fill(0);
  const fits = (members: number[]) => Math.max(...members.map((i) => intervals[i]![0])) <= Math.min(...members.map((i) => intervals[i]![1]));
  const assign = (i: number, used: number) => {
    if (used >= best) return;
    if (i === n) {
      best = used;
      return;
    }
    for (let g = 0; g <= used && g < n; g++) {
      groups[i] = g;
      const members = groups.slice(0, i + 1).flatMap((group, index) => (group === g ? [index] : []));
      if (fits(members)) assign(i + 1, Math.max(used, g + 1));
    }
  };
  assign(0, 0);
  return best;
}

describe('positions, for any set of counts', () => {
  it('hold claims that pairwise fit, cannot be merged, and are as few as brute force finds', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 8 })).map(([low, width]) => [low, low + width] as [number, number]);
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 7 }), (intervals) => {
        const given = intervals.map(([low, high], index) => ({ id: index + 1, source_id: index + 1, via_source_id: null, value: { text: `${low}-${high}`, low, high } }));
        const positions = findPositions(given, plain);
        const range = (id: number) => intervals[id - 1]!;
        for (const position of positions) {
          for (const a of position.claims) for (const b of position.claims) assert.ok(range(a)[0] <= range(b)[1], 'every two claims of a position fit');
        }
        for (const [i, x] of positions.entries()) {
          for (const y of positions.slice(i + 1)) {
            const members = [...x.claims, ...y.claims];
            assert.ok(Math.max(...members.map((id) => range(id)[0])) > Math.min(...members.map((id) => range(id)[1])), 'no two positions could be one');
          }
        }
        assert.equal(positions.length, fewestByBruteForce(intervals));
        assert.deepEqual(positions.flatMap((p) => p.claims).sort((a, b) => a - b), given.map((c) => c.id), 'every claim in one position');
      }),
      { numRuns: 500 },
    );
  });
});
