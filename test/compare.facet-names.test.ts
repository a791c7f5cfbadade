/**
 * Near-duplicate facets: names within one incident that may be one point of fact, suggested for an
 * analyst to merge with one click, each into the name most claims use.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { facetKey } from '../src/compare/comparison.js';
import { type FacetName, type MergeSuggestion, suggestMerges } from '../src/compare/facet-names.js';

function facet(name: string, claims = 1): FacetName {
  return { key: facetKey(name), facet: name, claims };
}

/** Each suggestion as "from → into". */
function merges(...names: (string | [string, number])[]): string[] {
  return suggestMerges(names.map((n) => (typeof n === 'string' ? facet(n) : facet(...n)))).map((s) => `${s.from} → ${s.into}`);
}

/** What must hold of any suggestions for any input. */
function assertWellFormed(given: FacetName[], suggestions: MergeSuggestion[]): void {
  const keys = new Set(given.map((f) => f.key));
  const froms = suggestions.map((s) => s.from);
  const intos = new Set(suggestions.map((s) => s.into));
  for (const s of suggestions) {
    assert.notEqual(s.from, s.into, 'never a facet with itself');
    assert.ok(keys.has(s.from) && keys.has(s.into), 'only keys of the input');
    assert.ok(!intos.has(s.from), 'no chains: what is merged away is not a target');
    assert.ok(s.head.length > 0 && s.reason.length > 0);
  }
  assert.equal(new Set(froms).size, froms.length, 'each facet merged away at most once');
}

describe('facet names suggested as one point of fact', () => {
  const suggested: [string, string, string][] = [
    ['rocket fired', 'rockets fired', 'a plural is its singular'],
    ['soldiers wounded', 'soldiers injured', 'wounded and injured say the same'],
    ['US personnel wounded', 'personnel wounded', 'personnel wounded may be the US personnel wounded: one name narrows the other'],
    ['number of rockets', 'rockets fired', 'a count with no predicate may be counting the rockets fired'],
    ['rockets fired', 'rockets launched', 'fired and launched say the same'],
    ['location', 'locations hit', 'a bare head may be the one hit: either name may have been meant for the same fact'],
    ['bases targeted', 'base', 'a bare head, whichever comes first'],
    ['drones shot down', 'drones intercepted', '"shot down" is intercepted, not fired'],
    ['drones downed', 'drones shot down', 'downed is shot down'],
    ['wounded soldiers', 'soldiers wounded', 'a known predicate counts in front of the noun too'],
    ['injured children', 'children hurt', 'irregular plural, predicate in front'],
    ['people killed', 'person killed', 'people is the plural of person'],
    ['civilian deaths', 'civilians killed', 'deaths are killings'],
    ['deaths', 'killed', 'names of predicates alone compare by their predicates'],
    ['death toll', 'fatalities', 'a toll is a quantity word'],
    ['number killed', 'dead', '"number" alone is a quantity word too'],
    ['displaced', 'number displaced', 'a predicate outside the groups is a group of its own'],
    ['U.S. troops injured', 'US troops hurt', 'U.S. is US'],
    ['Total number of casualties', 'casualties', 'quantity words go'],
    ['how many rockets were fired', 'rockets fired', 'a question reads like the fact it asks for'],
    ['location of the strike', 'location', 'what follows a preposition narrows the head in front of it'],
    ['rockets fired at Haifa', 'rockets fired', 'the same after a preposition'],
    ['guided missiles fired', 'missiles fired', 'an unknown -ed word before the noun describes a kind: a modifier'],
    ['bases attacked', 'bases struck', 'attacked and struck say the same'],
    ["civilians' homes hit", 'homes hit', 'a possessive is its noun'],
  ];
  for (const [a, b, why] of suggested) {
    it(`"${a}" and "${b}": ${why}`, () => {
      assert.deepEqual(merges(a, b), [`${facetKey(b)} → ${facetKey(a)}`]);
      assert.deepEqual(merges(b, a), [`${facetKey(a)} → ${facetKey(b)}`], 'whichever comes first');
    });
  }

  it('suggest "rockets fired", "rockets launched" and "number of rockets" as one, into the one with most claims', () => {
    for (const [most, others] of [
      ['rockets fired', ['rockets launched', 'number of rockets']],
      ['rockets launched', ['rockets fired', 'number of rockets']],
      ['number of rockets', ['rockets fired', 'rockets launched']],
    ] as const) {
      const given = ['rockets fired', 'rockets launched', 'number of rockets'].map((n) => facet(n, n === most ? 5 : 2));
      const suggestions = suggestMerges(given);
      assert.deepEqual(
        suggestions.map((s) => [s.from, s.into]),
        others.map((o) => [o, most]),
      );
      assert.ok(suggestions.every((s) => s.head === 'rocket'));
    }
  });

  it('say why, in a sentence naming both', () => {
    assert.deepEqual(suggestMerges([facet('number of rockets'), facet('Rockets fired', 3)]), [
      {
        from: 'number of rockets',
        into: 'rockets fired',
        head: 'rocket',
        reason: 'Both are about rockets: "number of rockets" and "Rockets fired" may be the same point of fact',
      },
    ]);
    assert.deepEqual(
      suggestMerges([facet('killed'), facet('deaths')]).map((s) => [s.head, s.reason]),
      [['death', 'Both are about deaths: "killed" and "deaths" may be the same point of fact']],
    );
  });
});

describe('facet names not suggested', () => {
  const apart: [string, string, string][] = [
    ['civilians injured', 'civilians killed', 'injured and killed are different facts'],
    ['drones launched', 'drones shot down', 'launched is fired, shot down is intercepted'],
    ['rockets fired', 'rockets intercepted', 'fired and intercepted are different facts'],
    ['drones destroyed', 'drones shot down', 'destroyed may be on the ground: not taken as intercepted'],
    ['casualties', 'civilians injured', 'different heads'],
    ['location', 'perpetrator', 'different heads'],
    ['damage', 'houses hit', 'different heads'],
    ['killed', 'civilians killed', 'all killed against civilians killed: a name of predicates alone has no head to share'],
    ['deaths', 'injuries', 'different predicates and no head'],
    ['US personnel wounded', 'Iraqi personnel wounded', 'neither narrows the other'],
    ['civilians killed in Gaza', 'civilians killed in Israel', 'neither narrows the other, after a preposition'],
    ['location of strike', 'strike', 'the head is in front of "of": a location, not a strike'],
    ['rockets and drones', 'drones', 'nouns joined by "and" count more than either alone'],
    ['عدد الصواريخ', 'الصواريخ', 'names in other scripts are left alone'],
    ['total', 'number of', 'quantity words alone name nothing'],
  ];
  for (const [a, b, why] of apart) {
    it(`"${a}" and "${b}": ${why}`, () => {
      assert.deepEqual(merges(a, b), []);
      assert.deepEqual(merges(b, a), []);
    });
  }

  it('never suggest a facet with itself, nor two spellings of one key', () => {
    assert.deepEqual(merges('rockets fired'), []);
    assert.deepEqual(merges('Rockets fired', 'rockets  fired', 'rockets fired'), []);
    assert.deepEqual(merges(), []);
  });
});

describe('facet names, which way to merge', () => {
  it('keep the name with more claims', () => {
    assert.deepEqual(merges('soldiers wounded', ['soldiers injured', 4]), ['soldiers wounded → soldiers injured']);
    assert.deepEqual(merges(['soldiers wounded', 4], 'soldiers injured'), ['soldiers injured → soldiers wounded']);
  });

  it('on a tie, keep the earlier', () => {
    assert.deepEqual(merges(['soldiers wounded', 3], ['soldiers injured', 3]), ['soldiers injured → soldiers wounded']);
    assert.deepEqual(merges(['soldiers injured', 3], ['soldiers wounded', 3]), ['soldiers wounded → soldiers injured']);
  });

  it('merge a name matching two that do not match each other into the one with more claims, only', () => {
    assert.deepEqual(merges('number of rockets', ['rockets fired', 3], ['rockets intercepted', 7]), ['number of rockets → rockets intercepted']);
    assert.deepEqual(merges('number of rockets', ['rockets fired', 7], ['rockets intercepted', 3]), ['number of rockets → rockets fired']);
  });

  it('never chain: every name of a group goes straight into its target', () => {
    assert.deepEqual(merges(['rockets', 1], ['rockets fired', 2], ['rockets launched', 3]), ['rockets → rockets launched', 'rockets fired → rockets launched']);
    assert.deepEqual(merges(['personnel wounded', 1], ['US personnel wounded', 2], ['US personnel injured', 3]), [
      'personnel wounded → us personnel injured',
      'us personnel wounded → us personnel injured',
    ]);
  });

  it('never merge into one target two names that do not match each other', () => {
    // "personnel wounded" may be either; the US and the Iraqi personnel are not one another.
    assert.deepEqual(merges(['personnel wounded', 5], 'US personnel wounded', 'Iraqi personnel wounded'), ['us personnel wounded → personnel wounded']);
  });

  it('list suggestions by where the target comes, then where the merged name comes', () => {
    assert.deepEqual(
      merges('soldiers injured', 'rockets fired', ['rockets launched', 2], 'number of rockets', ['soldiers wounded', 2], 'drones downed', 'drones shot down'),
      ['rockets fired → rockets launched', 'number of rockets → rockets launched', 'soldiers injured → soldiers wounded', 'drones shot down → drones downed'],
    );
  });

  it('compare, of more than 200 names sharing a head, the 200 with most claims', () => {
    const units = Array.from({ length: 250 }, (_, i) => facet(`unit${i} personnel wounded`, 2));
    assert.deepEqual(suggestMerges([...units, facet('personnel wounded', 1)]), [], 'fewest claims: not compared');
    assert.deepEqual(
      suggestMerges([...units, facet('personnel wounded', 3)]).map((s) => `${s.from} → ${s.into}`),
      ['unit0 personnel wounded → personnel wounded'],
      'most claims: compared, and merging one unit into it rules out the others',
    );
  });

  it('give the same suggestions for the same facets, every time', () => {
    const given = ['rockets', 'rockets fired', 'rockets launched', 'civilians killed', 'civilian deaths', 'location', 'locations hit'].map((n, i) => facet(n, i % 3));
    const first = suggestMerges(given);
    assert.deepEqual(suggestMerges(given.map((f) => ({ ...f }))), first);
    assert.deepEqual(suggestMerges(given), first);
  });
});

const vocabulary = [
  'rockets', 'rocket', 'drones', 'civilians', 'US', 'Iraqi', 'personnel', 'soldiers', 'bases', 'location', 'number', 'of', 'fired',
  'launched', 'shot', 'down', 'intercepted', 'killed', 'wounded', 'injured', 'deaths', 'hit', 'targeted', 'and', 'in', 'Gaza', 'total', 'the',
];

describe('facet names, for any facets', () => {
  const name = fc.oneof(
    fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 5 }).map((words) => words.join(' ')),
    fc.string({ maxLength: 20 }),
  );
  const facets = fc.array(fc.record({ name, claims: fc.nat({ max: 6 }) }), { maxLength: 30 }).map((list) => list.map((f) => facet(f.name, f.claims)));

  it('suggest only distinct keys of the input, each merged away once, none both merged and kept', () => {
    fc.assert(
      fc.property(facets, (given) => {
        const suggestions = suggestMerges(given);
        assertWellFormed(given, suggestions);
        for (const s of suggestions) {
          const claims = (key: string) => given.find((f) => f.key === key)!.claims;
          assert.ok(claims(s.into) >= claims(s.from), 'into the name with more claims');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('return for 10,000 facets', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const given: FacetName[] = [];
    for (let i = 0; i < 10_000; i++) {
      const words = Array.from({ length: 1 + Math.floor(random() * 4) }, () => vocabulary[Math.floor(random() * vocabulary.length)]!);
      given.push(facet(`${words.join(' ')} ${i % 7 === 0 ? '' : `w${i % 500}`}`, Math.floor(random() * 10)));
    }
    const suggestions = suggestMerges(given);
    assertWellFormed(given, suggestions);
    assert.ok(suggestions.length > 0);
  });
});
