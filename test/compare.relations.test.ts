import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import {
  compareIncident,
  facetKey,
  relate,
  FACET_STATUSES,
  RELATIONS,
  type ComparableClaim,
  type ComparableSource,
  type FacetComparison,
  type Relation,
  type RelationOverride,
} from '../src/compare/comparison.js';
import { parseValue } from '../src/compare/values.js';

// ---------------------------------------------------------------------------
// Builders: claims are entered in id order unless a test says otherwise.

function entered(n: number): string {
  return new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString();
}

function claim(id: number, source_id: number, value: string | null, extra: Partial<ComparableClaim> = {}): ComparableClaim {
  return {
    id,
    source_id,
    via_source_id: null,
    facet: 'rockets fired',
    value,
    published_at: null,
    created_at: entered(id),
    ...extra,
  };
}

function source(id: number, affiliation: string | null = null, name = `Source ${String(id).padStart(2, '0')}`): ComparableSource {
  return { id, name, affiliation };
}

function override(a: number, b: number, relation: Relation, created_at = '2024-02-01T00:00:00Z', reason = 'analyst judgement'): RelationOverride {
  return { a, b, relation, reason, created_at };
}

const SOURCES = Array.from({ length: 9 }, (_, i) => source(i + 1));

/** The one facet of an incident whose claims all share a facet. */
function onlyFacet(claims: ComparableClaim[], overrides: RelationOverride[] = [], sources = SOURCES): FacetComparison<ComparableClaim> {
  const { facets } = compareIncident(claims, sources, overrides);
  assert.equal(facets.length, 1);
  const [facet] = facets;
  assert.ok(facet);
  return facet;
}

function row(facet: FacetComparison<ComparableClaim>, id: number) {
  const found = facet.claims.find((c) => c.claim.id === id);
  assert.ok(found, `claim ${id} is in the facet`);
  return found;
}

function pair(facet: FacetComparison<ComparableClaim>, a: number, b: number) {
  const found = facet.pairs.find((p) => p.a === a && p.b === b);
  assert.ok(found, `pair ${a}–${b} is compared`);
  return found;
}

// ---------------------------------------------------------------------------

describe('relate: the automatic relation between two values', () => {
  const cases: [a: string | null, b: string | null, relation: Relation, why: string][] = [
    ['eight', '8 rockets', 'agree', 'same exact count, different wording'],
    ['at least 8', '8 or more', 'agree', 'same open-ended interval'],
    ['several', 'several', 'agree', 'same vague quantity'],
    ['a few', 'a handful', 'agree', 'vague words read as the same interval'],
    ['none', 'no casualties', 'agree', 'both zero'],
    ['several', 'at least eight', 'consistent', 'overlapping intervals'],
    ['about 10', '10', 'consistent', 'an exact count inside an approximate one'],
    ['up to 5', 'three', 'consistent', 'a count under an upper bound'],
    ['several', 'nine', 'consistent', 'intervals touching at one end overlap'],
    ['at least 8', 'more than 100', 'consistent', 'two unbounded intervals always overlap'],
    ['at least 8', '1,200', 'consistent', 'an unbounded interval reaches any larger count'],
    ['one', 'three', 'contradict', 'different exact counts'],
    ['none', 'a few', 'contradict', 'zero against some'],
    ['fewer than 5', 'at least 5', 'contradict', 'adjacent but disjoint'],
    ['dozens', 'several', 'contradict', 'disjoint vague quantities'],
    ['at least 100', 'about 10', 'contradict', 'a lower bound above the other interval'],
    ['Heavy damage', 'heavy  damage ', 'agree', 'equal text ignoring case and spacing'],
    ['Syria', 'SYRIA', 'agree', 'equal text ignoring case'],
    ['Syria', 'Iraq', 'unassessed', 'different text values'],
    ['light damage', 'heavy damage', 'unassessed', 'text values are never judged contradictory automatically'],
    ['8', 'heavy damage', 'unassessed', 'a count against a text value'],
    ['eight', null, 'unassessed', 'one side without a value'],
    [null, 'Syria', 'unassessed', 'one side without a value'],
    [null, null, 'unassessed', 'neither side has a value'],
  ];
  for (const [a, b, relation, why] of cases) {
    it(`${why}: ${JSON.stringify(a)} vs ${JSON.stringify(b)} → ${relation}`, () => {
      assert.equal(relate(parseValue(a), parseValue(b)), relation);
      assert.equal(relate(parseValue(b), parseValue(a)), relation, 'relate is symmetric');
    });
  }
});

describe('the relation and status vocabularies', () => {
  it('lists every relation and every facet status once', () => {
    assert.deepEqual([...RELATIONS].sort(), ['agree', 'consistent', 'contradict', 'unassessed', 'unrelated']);
    assert.deepEqual([...FACET_STATUSES].sort(), ['agree', 'consistent', 'contradict', 'single', 'unassessed']);
  });
});

describe('facet status', () => {
  const cases: { status: string; why: string; claims: ComparableClaim[]; overrides?: RelationOverride[] }[] = [
    { status: 'contradict', why: 'any pair contradicts, even if others agree', claims: [claim(1, 1, 'one'), claim(2, 2, 'three'), claim(3, 3, 'one')] },
    { status: 'contradict', why: 'a contradiction outweighs an unassessed pair', claims: [claim(1, 1, '1'), claim(2, 2, '3'), claim(3, 3, 'heavy damage')] },
    { status: 'single', why: 'only one source has spoken', claims: [claim(1, 1, 'eight')] },
    { status: 'single', why: 'one source revising its own claim is still one source', claims: [claim(1, 1, 'eight'), claim(2, 1, 'ten')] },
    { status: 'unassessed', why: 'a count cannot be weighed against a text value', claims: [claim(1, 1, '8'), claim(2, 2, 'heavy damage')] },
    { status: 'unassessed', why: 'one unassessed pair beside agreeing ones', claims: [claim(1, 1, '8'), claim(2, 2, 'eight'), claim(3, 3, null)] },
    { status: 'agree', why: 'every pair agrees', claims: [claim(1, 1, '8'), claim(2, 2, 'eight'), claim(3, 3, 'eight rockets')] },
    { status: 'consistent', why: 'all pairs agree or fit together', claims: [claim(1, 1, 'several'), claim(2, 2, 'at least eight'), claim(3, 3, 'eight')] },
    {
      status: 'agree',
      why: 'unrelated pairs are left out of the status',
      claims: [claim(1, 1, '8'), claim(2, 2, 'eight'), claim(3, 3, '100')],
      overrides: [override(1, 3, 'unrelated'), override(2, 3, 'unrelated')],
    },
    {
      status: 'unassessed',
      why: 'when every pair is unrelated the sources could not be weighed (not "single": several sources spoke)',
      claims: [claim(1, 1, 'one'), claim(2, 2, 'three')],
      overrides: [override(1, 2, 'unrelated')],
    },
  ];
  for (const { status, why, claims, overrides } of cases) {
    it(`${status}: ${why}`, () => {
      assert.equal(onlyFacet(claims, overrides).status, status);
    });
  }
});

describe('cell status: the facet rules applied to one claim’s own pairs', () => {
  // 1 and 2 agree and 3 contradicts 1; an analyst set 3 apart from 2, and 5 apart from everyone.
  const facet = onlyFacet(
    [claim(1, 1, '8'), claim(2, 2, 'eight'), claim(3, 3, '100'), claim(4, 4, 'eight'), claim(5, 4, '1')],
    [override(2, 3, 'unrelated'), override(1, 5, 'unrelated'), override(2, 5, 'unrelated'), override(3, 5, 'unrelated')],
  );
  const cases: [id: number, status: string | null][] = [
    [1, 'contradict'],
    [2, 'agree'],
    [3, 'contradict'],
    [4, null],
    [5, 'unassessed'],
  ];
  it('the facet itself contradicts', () => assert.equal(facet.status, 'contradict'));
  for (const [id, status] of cases) {
    it(`claim ${id} → ${status}`, () => assert.equal(row(facet, id).status, status));
  }
  it('a claim with no other source to compare with is single', () => {
    assert.equal(row(onlyFacet([claim(1, 1, 'eight'), claim(2, 1, 'ten')]), 2).status, 'single');
  });
});

describe('revisions: each source’s latest claim in a facet is current', () => {
  it('orders a source’s claims by publication time, not by entry', () => {
    const facet = onlyFacet([
      claim(1, 1, '110', { published_at: '2023-03-25' }),
      claim(2, 1, '11', { published_at: '2023-03-24T10:00' }),
      claim(3, 1, '34', { published_at: '2023-03-24T18:00' }),
      claim(4, 2, '100'),
    ]);
    assert.deepEqual(facet.revisions, [{ source_id: 1, claim_ids: [2, 3, 1] }]);
    assert.deepEqual(
      facet.claims.map((c) => [c.claim.id, c.current, c.superseded_by]),
      [[2, false, 3], [3, false, 1], [1, true, null], [4, true, null]],
    );
  });

  const latest: { why: string; claims: ComparableClaim[]; current: number }[] = [
    {
      why: 'equal publication times: the claim entered later wins',
      claims: [
        claim(1, 1, '5', { published_at: '2023-03-24T10:00', created_at: '2024-01-02T00:00:00Z' }),
        claim(2, 1, '6', { published_at: '2023-03-24T10:00', created_at: '2024-01-01T00:00:00Z' }),
      ],
      current: 1,
    },
    {
      why: 'equal publication and entry times: the higher id wins',
      claims: [
        claim(2, 1, '5', { published_at: '2023-03-24', created_at: '2024-01-01T00:00:00Z' }),
        claim(1, 1, '6', { published_at: '2023-03-24', created_at: '2024-01-01T00:00:00Z' }),
      ],
      current: 2,
    },
    {
      why: 'a claim without a publication time is older than any dated one, even if entered later',
      claims: [claim(1, 1, '5', { published_at: '2023-03-24' }), claim(2, 1, '6')],
      current: 1,
    },
    {
      why: 'undated claims order by entry',
      claims: [claim(1, 1, '5'), claim(2, 1, '6')],
      current: 2,
    },
    {
      why: 'a date alone is older than a time on that day',
      claims: [claim(1, 1, '5', { published_at: '2023-03-24T09:00' }), claim(2, 1, '6', { published_at: '2023-03-24' })],
      current: 1,
    },
    {
      why: 'times with zones compare as instants: 23:00+03:00 is before 21:00Z',
      claims: [
        claim(1, 1, '5', { published_at: '2023-03-24T21:00Z' }),
        claim(2, 1, '6', { published_at: '2023-03-24T23:00:00+03:00' }),
      ],
      current: 1,
    },
  ];
  for (const { why, claims, current } of latest) {
    it(why, () => {
      const facet = onlyFacet(claims);
      assert.deepEqual(facet.claims.filter((c) => c.current).map((c) => c.claim.id), [current]);
    });
  }

  it('superseded claims take no part: no pairs, no status, no corroboration', () => {
    const facet = onlyFacet([claim(1, 1, 'eight'), claim(2, 2, 'eight'), claim(3, 2, 'three')]);
    assert.deepEqual(facet.pairs.map((p) => [p.a, p.b, p.relation]), [[1, 3, 'contradict']]);
    assert.deepEqual(row(facet, 2), { claim: facet.claims[1]?.claim, value: parseValue('eight'), current: false, superseded_by: 3, status: null, corroborated_by: 0 });
    assert.equal(row(facet, 1).corroborated_by, 0);
    assert.equal(facet.status, 'contradict');
  });

  it('only sources that revised appear in revisions', () => {
    const facet = onlyFacet([claim(1, 1, '1'), claim(2, 2, '2'), claim(3, 2, '3'), claim(4, 3, '4')]);
    assert.deepEqual(facet.revisions, [{ source_id: 2, claim_ids: [2, 3] }]);
  });

  it('groups claims by source name, ignoring case, then id', () => {
    const sources = [source(1, null, 'zeta'), source(2, null, 'Alpha'), source(3, null, 'beta'), source(4, null, 'beta')];
    const facet = onlyFacet([claim(1, 1, '1'), claim(2, 4, '2'), claim(3, 2, '3'), claim(4, 3, '4'), claim(5, 2, '5')], [], sources);
    assert.deepEqual(facet.claims.map((c) => c.claim.source_id), [2, 2, 3, 4, 1]);
  });

  it('still compares a claim whose source is missing from the source list, placing it last', () => {
    const facet = onlyFacet([claim(1, 99, 'eight'), claim(2, 1, '8')]);
    assert.deepEqual(facet.claims.map((c) => [c.claim.source_id, c.corroborated_by]), [[1, 1], [99, 1]]);
    assert.equal(facet.status, 'agree');
  });
});

describe('pairs: every two current claims of different sources', () => {
  it('names each pair once, lower claim id first, in id order', () => {
    const facet = onlyFacet([claim(4, 1, '1'), claim(2, 2, '1'), claim(9, 3, '1'), claim(1, 4, '1')]);
    assert.deepEqual(facet.pairs.map((p) => [p.a, p.b]), [[1, 2], [1, 4], [1, 9], [2, 4], [2, 9], [4, 9]]);
  });

  it('records the automatic judgement when no analyst has spoken', () => {
    const facet = onlyFacet([claim(1, 1, 'one'), claim(2, 2, 'three')]);
    assert.deepEqual(facet.pairs, [{ a: 1, b: 2, relation: 'contradict', origin: 'auto', reason: null, auto: 'contradict', overridden_at: null, overridden_by: null }]);
  });
});

describe('analyst overrides', () => {
  const claims = [claim(1, 1, 'one'), claim(2, 2, 'three'), claim(3, 3, 'one')];

  it('replace the automatic relation and keep the reason', () => {
    const facet = onlyFacet(claims, [override(1, 2, 'consistent', '2024-02-01T00:00:00Z', 'counted different bases')]);
    assert.deepEqual(pair(facet, 1, 2), {
      a: 1, b: 2, relation: 'consistent', origin: 'analyst', reason: 'counted different bases', auto: 'contradict', overridden_at: '2024-02-01T00:00:00Z', overridden_by: null,
    });
  });

  it('match the pair whichever way round they name it', () => {
    const facet = onlyFacet(claims, [override(2, 1, 'consistent'), override(3, 2, 'consistent')]);
    assert.equal(pair(facet, 1, 2).relation, 'consistent');
    assert.equal(pair(facet, 2, 3).relation, 'consistent');
    assert.equal(facet.status, 'consistent');
  });

  it('can mark a pair unrelated, which takes it out of the status', () => {
    const facet = onlyFacet(claims, [override(1, 2, 'unrelated'), override(2, 3, 'unrelated')]);
    assert.equal(pair(facet, 1, 2).relation, 'unrelated');
    assert.equal(facet.status, 'agree');
  });

  it('can turn an automatic agreement into a contradiction', () => {
    const facet = onlyFacet([claim(1, 1, 'Syria'), claim(2, 2, 'syria')], [override(1, 2, 'contradict')]);
    assert.equal(facet.status, 'contradict');
  });

  it('the latest judgement on a pair stands', () => {
    const facet = onlyFacet(claims, [
      override(1, 2, 'unrelated', '2024-02-03T00:00:00Z', 'latest'),
      override(2, 1, 'consistent', '2024-02-01T00:00:00Z', 'first'),
    ]);
    assert.equal(pair(facet, 1, 2).reason, 'latest');
  });

  const stale: { why: string; overrides: RelationOverride[] }[] = [
    { why: 'naming a superseded claim', overrides: [override(4, 2, 'agree')] },
    { why: 'naming claims of different facets', overrides: [override(5, 2, 'agree'), override(1, 5, 'agree')] },
    { why: 'naming claims that do not exist', overrides: [override(98, 99, 'agree')] },
  ];
  for (const { why, overrides } of stale) {
    it(`are ignored when ${why}`, () => {
      const { facets } = compareIncident(
        [claim(4, 1, 'three', { created_at: '2023-12-31T00:00:00Z' }), ...claims, claim(5, 4, 'three', { facet: 'bases hit' })],
        SOURCES,
        overrides,
      );
      const rockets = facets.find((f) => f.key === 'rockets fired');
      assert.ok(rockets);
      assert.ok(rockets.pairs.every((p) => p.origin === 'auto'));
      assert.equal(rockets.status, 'contradict');
    });
  }
});

describe('corroboration: how many independent sources back a current claim', () => {
  it('counts each other source that agrees or is consistent', () => {
    const facet = onlyFacet([claim(1, 1, 'eight'), claim(2, 2, '8'), claim(3, 3, 'several'), claim(4, 4, 'one'), claim(5, 5, null)]);
    assert.deepEqual(facet.claims.map((c) => [c.claim.id, c.corroborated_by]), [[1, 2], [2, 2], [3, 2], [4, 0], [5, 0]]);
  });

  it('follows overrides and leaves out unrelated pairs', () => {
    const facet = onlyFacet([claim(1, 1, 'eight'), claim(2, 2, '8'), claim(3, 3, 'one')], [override(1, 3, 'consistent'), override(1, 2, 'unrelated')]);
    assert.deepEqual(facet.claims.map((c) => [c.claim.id, c.corroborated_by]), [[1, 1], [2, 0], [3, 1]]);
  });

  it('counts sources sharing an affiliation once, matching the affiliation loosely', () => {
    const sources = [source(1), source(2, 'US DoD'), source(3, ' us  dod'), source(4, ''), source(5)];
    const facet = onlyFacet([claim(1, 1, '8'), claim(2, 2, '8'), claim(3, 3, '8'), claim(4, 4, '8'), claim(5, 5, '8')], [], sources);
    // 1, 4 and 5 stand alone (an empty affiliation is no affiliation); 2 and 3 are one voice.
    assert.deepEqual(facet.claims.map((c) => [c.claim.id, c.corroborated_by]), [[1, 3], [2, 3], [3, 3], [4, 3], [5, 3]]);
  });

  it('does not count the claim’s own affiliation group', () => {
    const sources = [source(1, 'IRGC'), source(2, 'irgc'), source(3)];
    const facet = onlyFacet([claim(1, 1, '8'), claim(2, 2, '8'), claim(3, 3, '8')], [], sources);
    assert.deepEqual(facet.claims.map((c) => [c.claim.id, c.corroborated_by]), [[1, 1], [2, 1], [3, 1]]);
  });

  it('does not count a claim carried via an outlet as independent of that outlet', () => {
    // 2 is source 2 as carried by outlet 1; 3 is independent.
    const facet = onlyFacet([claim(1, 1, '8'), claim(2, 2, '8', { via_source_id: 1 }), claim(3, 3, '8')]);
    assert.deepEqual(facet.claims.map((c) => [c.claim.id, c.corroborated_by]), [[1, 1], [2, 1], [3, 1]]);
  });

  it('ties outlets through their affiliations', () => {
    // 3 came via 1, and 1 shares an affiliation with 2: 1, 2 and 3 are one voice.
    const sources = [source(1, 'State media'), source(2, 'state media'), source(3), source(4)];
    const facet = onlyFacet([claim(1, 1, '8'), claim(2, 2, '8'), claim(3, 3, '8', { via_source_id: 1 }), claim(4, 4, '8')], [], sources);
    assert.deepEqual(facet.claims.map((c) => [c.claim.id, c.corroborated_by]), [[1, 1], [2, 1], [3, 1], [4, 1]]);
  });

  it('does not let a claim that backs nothing fuse two independent voices', () => {
    // The demo's "bases targeted": ISWNews says three; a US military official, carried by ISWNews,
    // says one; a US official, carried by Al Jazeera, says three. The official's claim via ISWNews
    // ties *that claim* to ISWNews, not every US government source.
    const sources = [source(1, 'Iran-aligned'), source(2, 'US government'), source(3, 'US government'), source(4, 'Qatar')];
    const facet = onlyFacet(
      [claim(1, 1, 'three'), claim(2, 2, 'one', { via_source_id: 1 }), claim(3, 3, 'three', { via_source_id: 4 })],
      [],
      sources,
    );
    assert.deepEqual(facet.claims.map((c) => [c.claim.id, c.corroborated_by]), [[1, 1], [2, 0], [3, 1]]);
  });

  it('judges independence within the facet, among its current claims', () => {
    // The old claim carried via outlet 1 no longer ties source 2 to outlet 1.
    const facet = onlyFacet([claim(1, 1, '8'), claim(2, 2, '5', { via_source_id: 1 }), claim(3, 2, '8')]);
    assert.deepEqual(facet.claims.filter((c) => c.current).map((c) => [c.claim.id, c.corroborated_by]), [[1, 1], [3, 1]]);
  });
});

describe('facets', () => {
  const keys: [spelling: string, key: string][] = [
    ['Rockets  fired ', 'rockets fired'],
    ['  ROCKETS FIRED', 'rockets fired'],
    ['rockets\tfired', 'rockets fired'],
    ['Bases hit', 'bases hit'],
  ];
  for (const [spelling, key] of keys) {
    it(`facetKey(${JSON.stringify(spelling)}) = ${JSON.stringify(key)}`, () => assert.equal(facetKey(spelling), key));
  }

  it('match on the key and show the first spelling entered', () => {
    const { facets } = compareIncident(
      [
        claim(1, 1, '8', { facet: 'rockets fired', created_at: '2024-01-03T00:00:00Z' }),
        claim(2, 2, '8', { facet: 'Rockets  fired ', created_at: '2024-01-01T00:00:00Z' }),
        claim(3, 3, '8', { facet: 'ROCKETS FIRED', created_at: '2024-01-02T00:00:00Z' }),
      ],
      SOURCES,
      [],
    );
    assert.deepEqual(facets.map((f) => [f.facet, f.key, f.claims.length]), [['Rockets  fired', 'rockets fired', 3]]);
  });

  it('the lower id decides between spellings entered at the same moment', () => {
    const at = '2024-01-01T00:00:00Z';
    const { facets } = compareIncident([claim(2, 1, '8', { facet: 'Rockets', created_at: at }), claim(1, 2, '8', { facet: 'rockets', created_at: at })], SOURCES, []);
    assert.equal(facets[0]?.facet, 'rockets');
  });

  it('are listed in order of first appearance', () => {
    const { facets } = compareIncident(
      [
        claim(1, 1, '8', { facet: 'casualties', created_at: '2024-01-05T00:00:00Z' }),
        claim(2, 1, '8', { facet: 'location', created_at: '2024-01-02T00:00:00Z' }),
        claim(3, 2, '8', { facet: 'casualties', created_at: '2024-01-01T00:00:00Z' }),
        claim(4, 2, '8', { facet: 'Bases hit', created_at: '2024-01-03T00:00:00Z' }),
      ],
      SOURCES,
      [],
    );
    assert.deepEqual(facets.map((f) => f.key), ['casualties', 'location', 'bases hit']);
  });

  it('hand back the caller’s own claim rows', () => {
    const rich = { ...claim(1, 1, 'eight'), quote: 'eight rockets struck', url: 'https://example.org/a' };
    const { facets } = compareIncident([rich], SOURCES, []);
    assert.equal(facets[0]?.claims[0]?.claim, rich);
    assert.equal(facets[0]?.claims[0]?.claim.quote, 'eight rockets struck');
  });
});

describe('the incident summary counts facets per status', () => {
  it('covers every status', () => {
    const claims = [
      claim(1, 1, 'one', { facet: 'bases hit' }), claim(2, 2, 'three', { facet: 'bases hit' }),
      claim(3, 1, 'several', { facet: 'rockets' }), claim(4, 2, 'at least eight', { facet: 'rockets' }),
      claim(5, 1, 'none', { facet: 'casualties' }), claim(6, 2, 'no casualties', { facet: 'casualties' }),
      claim(7, 1, 'Syria', { facet: 'launch site' }),
      claim(8, 1, 'heavy damage', { facet: 'damage' }), claim(9, 2, 'light damage', { facet: 'damage' }),
      claim(10, 1, 'two', { facet: 'drones' }), claim(11, 2, '2', { facet: 'drones' }),
    ];
    const { summary } = compareIncident(claims, SOURCES, []);
    assert.deepEqual(summary, { contradict: 1, consistent: 1, agree: 2, single: 1, unassessed: 1, facets: 6 });
  });

  it('is all zeros for an incident without claims', () => {
    assert.deepEqual(compareIncident([], SOURCES, []), {
      facets: [],
      summary: { contradict: 0, consistent: 0, agree: 0, single: 0, unassessed: 0, facets: 0 },
      part_checks: { checks: [], total: 0 },
      suggested_merges: [],
    });
  });
});

describe('a demo incident', () => {
  const sources = [source(1, 'IRGC', 'ISWNews'), source(2, 'US military', 'US military official'), source(3, null, 'Local reporter')];
  const claims = [
    claim(1, 1, 'several rockets', { facet: 'Rockets fired' }),
    claim(2, 2, 'at least eight rockets', { facet: 'Rockets fired' }),
    claim(3, 1, 'one base', { facet: 'Bases hit' }),
    claim(4, 2, 'three bases', { facet: 'Bases hit' }),
    claim(5, 3, 'the Green Village compound', { facet: 'Location' }),
  ];
  const { facets, summary } = compareIncident(claims, sources, []);

  it('"several" rockets and "at least eight" rockets fit together', () => {
    assert.equal(facets[0]?.facet, 'Rockets fired');
    assert.equal(facets[0]?.status, 'consistent');
    assert.deepEqual(facets[0]?.claims.map((c) => c.corroborated_by), [1, 1]);
  });

  it('"one" base and "three" bases contradict', () => {
    assert.equal(facets[1]?.status, 'contradict');
  });

  it('a location told by one source stands alone', () => {
    assert.equal(facets[2]?.status, 'single');
  });

  it('sums up', () => {
    assert.deepEqual(summary, { contradict: 1, consistent: 1, agree: 0, single: 1, unassessed: 0, facets: 3 });
  });
});

describe('a large incident', () => {
  // 40 sources, 25 facets, each source revising its claims: 5,000 claims in all.
  const SOURCE_COUNT = 40;
  const FACET_COUNT = 25;
  const REVISIONS = 5;
  const sources = Array.from({ length: SOURCE_COUNT }, (_, i) => source(i + 1, i % 4 === 0 ? `Group ${i % 3}` : null));
  const phrases = ['eight', 'at least 8', 'several', 'about 10', 'dozens', 'heavy damage', null, 'one', '1,200', 'up to five'];
  const claims: ComparableClaim[] = [];
  for (let f = 0; f < FACET_COUNT; f++) {
    for (let s = 1; s <= SOURCE_COUNT; s++) {
      for (let r = 0; r < REVISIONS; r++) {
        const id = claims.length + 1;
        claims.push(
          claim(id, s, phrases[(f + s + r) % phrases.length] ?? null, {
            facet: f % 2 === 0 ? `Facet ${f}` : `facet  ${f} `,
            via_source_id: s % 7 === 0 ? ((s + 1) % SOURCE_COUNT) + 1 : null,
            published_at: r === 0 ? null : `2023-03-${String(10 + r).padStart(2, '0')}T12:00`,
            created_at: entered(id % 997),
          }),
        );
      }
    }
  }
  const overrides = [override(1, 6, 'unrelated'), override(101, 206, 'contradict')];
  const result = compareIncident(claims, sources, overrides);

  it('has 5,000 claims', () => assert.equal(claims.length, 5000));

  it('finds every facet once and places every claim once', () => {
    assert.equal(result.facets.length, FACET_COUNT);
    const placed = result.facets.flatMap((f) => f.claims.map((c) => c.claim.id));
    assert.equal(placed.length, claims.length);
    assert.equal(new Set(placed).size, claims.length);
  });

  it('keeps one current claim per source per facet, the rest as revisions', () => {
    for (const facet of result.facets) {
      assert.equal(facet.claims.filter((c) => c.current).length, SOURCE_COUNT);
      assert.equal(facet.revisions.length, SOURCE_COUNT);
      assert.ok(facet.revisions.every((r) => r.claim_ids.length === REVISIONS));
    }
  });

  it('compares every pair of current claims', () => {
    for (const facet of result.facets) {
      assert.equal(facet.pairs.length, (SOURCE_COUNT * (SOURCE_COUNT - 1)) / 2);
      assert.ok(facet.pairs.every((p) => p.a < p.b));
    }
  });

  it('gives corroboration only to current claims and never beyond the other sources', () => {
    for (const facet of result.facets) {
      for (const c of facet.claims) {
        assert.ok(c.corroborated_by >= 0 && c.corroborated_by < SOURCE_COUNT);
        if (!c.current) assert.equal(c.corroborated_by, 0);
      }
    }
  });

  it('sums the summary to the number of facets', () => {
    const { facets, ...byStatus } = result.summary;
    assert.equal(facets, FACET_COUNT);
    assert.equal(Object.values(byStatus).reduce((a, b) => a + b, 0), FACET_COUNT);
  });
});

describe('percentages are weighed only against percentages', () => {
  const cases: [a: string, b: string, relation: Relation, why: string][] = [
    ['10%', '10', 'unassessed', 'a share and a count say different things'],
    ['ten per cent', '10 percent', 'agree', 'the same share, spelled two ways'],
    ['10%', 'at least 5 pct', 'consistent', 'one share inside the other’s range'],
    ['10%', '20%', 'contradict', 'two shares that cannot both be right'],
    ['two thirds', '2', 'unassessed', 'a fraction is not a count of two'],
  ];
  for (const [a, b, relation, why] of cases) {
    it(`"${a}" and "${b}": ${relation} (${why})`, () => {
      assert.equal(relate(parseValue(a), parseValue(b)), relation);
      assert.equal(relate(parseValue(b), parseValue(a)), relation);
    });
  }
});
