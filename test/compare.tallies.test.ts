/**
 * Track records and the agreement matrix: what one incident's comparison says of each source and of
 * each two sources, summed across incidents. Properties over random incidents check the sums
 * against the comparisons' own pairs and claims, counted directly: in the pure core, and through the
 * database (stored tallies summed a slice at a time).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { agreementFigures, pairFigures } from '../src/actions/agreement.js';
import { type ComparableClaim, type ComparableSource, compareIncident, type IncidentComparison, type RelationOverride } from '../src/compare/comparison.js';
import { facetKey } from '../src/compare/comparison.js';
import { middleOf, type PairTally, pairKey, revisionMove, sumPairTallies, tallyIncident } from '../src/compare/tallies.js';
import { parseValue } from '../src/compare/values.js';
import { type Database, migrate, openDatabase } from '../src/db/database.js';

const PHRASES = ['none', 'one', 'at least eight', 'ten', 'several', 'between 5 and 7', 'a few', '10%', 'Syria', null];
const FACETS = ['rockets fired', 'Rockets  Fired', 'bases targeted', 'casualties'];
const AFFILIATIONS = [null, 'US government', 'Iran-aligned'];

interface RandomIncident {
  claims: ComparableClaim[];
  overrides: RelationOverride[];
  deleted: boolean;
}

/** Sources 1…n, some sharing an affiliation (one voice). */
const sourcesArbitrary = fc.integer({ min: 2, max: 6 }).chain((count) =>
  fc.array(fc.constantFrom(...AFFILIATIONS), { minLength: count, maxLength: count }).map((affiliations) =>
    affiliations.map((affiliation, index): ComparableSource => ({ id: index + 1, name: `Source ${index + 1}`, affiliation })),
  ),
);

/**
 * Claims of random sources on random facets; a source saying something twice on a facet revises
 * itself (by publication time, some undated). Claim ids are unique across incidents.
 */
function incidentsArbitrary(sourceCount: number) {
  const claim = fc.record({
    source: fc.integer({ min: 1, max: sourceCount }),
    via: fc.option(fc.integer({ min: 1, max: sourceCount }), { freq: 4 }),
    facet: fc.constantFrom(...FACETS),
    value: fc.constantFrom(...PHRASES),
    day: fc.option(fc.integer({ min: 1, max: 28 }), { freq: 3 }),
  });
  const incident = fc.record({
    claims: fc.array(claim, { minLength: 0, maxLength: 14 }),
    judged: fc.array(fc.record({ a: fc.nat(), b: fc.nat(), relation: fc.constantFrom('agree', 'consistent', 'contradict', 'unassessed', 'unrelated' as const) }), { maxLength: 3 }),
    deleted: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  });
  return fc.array(incident, { minLength: 1, maxLength: 4 }).map((incidents) => {
    let id = 0;
    return incidents.map(({ claims, judged, deleted }): RandomIncident => {
      const made = claims.map((c, index): ComparableClaim => ({
        id: ++id,
        source_id: c.source,
        via_source_id: c.via === null || c.via === c.source ? null : c.via,
        facet: c.facet,
        value: c.value,
        published_at: c.day === null ? null : `2023-03-${String(c.day).padStart(2, '0')}`,
        created_at: `2026-01-01T00:00:${String(index).padStart(2, '0')}.000Z`,
      }));
      // One judgement per pair, as the database keeps them.
      const overrides = new Map<string, RelationOverride>();
      for (const { a, b, relation } of made.length < 2 ? [] : judged) {
        const [x, y] = [made[a % made.length]!.id, made[b % made.length]!.id];
        if (x !== y) overrides.set(pairKey(x, y), { a: x, b: y, relation, reason: 'judged', created_at: '2026-01-02T00:00:00.000Z' });
      }
      return { claims: made, overrides: [...overrides.values()], deleted };
    });
  });
}

const world = sourcesArbitrary.chain((sources) => incidentsArbitrary(sources.length).map((incidents) => ({ sources, incidents })));

/** What the comparison itself says, counted straight from its pairs and claims. */
function countedDirectly(comparisons: IncidentComparison<ComparableClaim>[]) {
  const pairs = new Map<string, { pairs: number; agree: number; consistent: number; contradict: number }>();
  const sources = new Map<number, { claims: number; carried: number; current: number; contradicted: number; revisions: number; corroborated: number; moved: number }>();
  const of = (id: number) => {
    let record = sources.get(id);
    if (!record) sources.set(id, (record = { claims: 0, carried: 0, current: 0, contradicted: 0, revisions: 0, corroborated: 0, moved: 0 }));
    return record;
  };
  for (const comparison of comparisons) {
    for (const facet of comparison.facets) {
      const byId = new Map(facet.claims.map((compared) => [compared.claim.id, compared]));
      for (const { a, b, relation } of facet.pairs) {
        const sourceA = byId.get(a)!.claim.source_id;
        const sourceB = byId.get(b)!.claim.source_id;
        if (sourceA === sourceB) continue;
        const key = pairKey(sourceA, sourceB);
        const counts = pairs.get(key) ?? { pairs: 0, agree: 0, consistent: 0, contradict: 0 };
        counts.pairs += 1;
        if (relation === 'agree' || relation === 'consistent' || relation === 'contradict') counts[relation] += 1;
        pairs.set(key, counts);
      }
      const perSource = new Map<number, typeof facet.claims>();
      for (const compared of facet.claims) {
        const record = of(compared.claim.source_id);
        record.claims += 1;
        if (compared.claim.via_source_id !== null) of(compared.claim.via_source_id).carried += 1;
        if (compared.current) {
          record.current += 1;
          if (compared.corroborated_by > 0) record.corroborated += 1;
          const inPair = facet.pairs.some((pair) => pair.relation === 'contradict' && (pair.a === compared.claim.id || pair.b === compared.claim.id));
          const inPartCheck = comparison.part_checks.checks.some((check) => check.part.claim_id === compared.claim.id || check.whole.claim_id === compared.claim.id);
          if (inPair || inPartCheck) record.contradicted += 1;
        }
        perSource.set(compared.claim.source_id, [...(perSource.get(compared.claim.source_id) ?? []), compared]);
      }
      for (const [sourceId, claims] of perSource) {
        of(sourceId).revisions += claims.length - 1;
        // Oldest first, each superseded by the next.
        for (const older of claims) {
          const newer = older.superseded_by === null ? undefined : byId.get(older.superseded_by);
          if (newer) of(sourceId).moved += revisionMove(older.value, newer.value) ?? 0;
        }
      }
    }
  }
  return { pairs, sources };
}

function assertMatches(sourceIds: number[], cell: (a: number, b: number) => Pick<PairTally, 'pairs' | 'agree' | 'consistent' | 'contradict'>, direct: ReturnType<typeof countedDirectly>) {
  for (const a of sourceIds) {
    for (const b of sourceIds) {
      if (a === b) continue;
      const { pairs, agree, consistent, contradict } = cell(a, b);
      assert.deepEqual({ pairs, agree, consistent, contradict }, (({ pairs, agree, consistent, contradict }) => ({ pairs, agree, consistent, contradict }))(cell(b, a)), `symmetric: ${a}, ${b}`);
      assert.deepEqual({ pairs, agree, consistent, contradict }, direct.pairs.get(pairKey(a, b)) ?? { pairs: 0, agree: 0, consistent: 0, contradict: 0 }, `sources ${a} and ${b}`);
    }
  }
}

describe('source tallies', () => {
  it('attach a pair to the two sources that made its claims, not to their outlets, and count the pair once', () => {
    const sources = [1, 2, 3].map((id) => ({ id, name: `S${id}`, affiliation: null }));
    const claim = (id: number, source_id: number, value: string, via_source_id: number | null = null): ComparableClaim => ({
      id, source_id, via_source_id, facet: 'rockets fired', value, published_at: null, created_at: `2026-01-01T00:00:0${id}Z`,
    });
    const tallies = tallyIncident(compareIncident([claim(1, 1, 'ten'), claim(2, 2, 'one', 3), claim(3, 3, 'several')], sources, []));
    assert.deepEqual(tallies.pairs, [
      { source_a: 1, source_b: 2, pairs: 1, agree: 0, consistent: 0, contradict: 1 },
      { source_a: 1, source_b: 3, pairs: 1, agree: 0, consistent: 0, contradict: 1 },
      { source_a: 2, source_b: 3, pairs: 1, agree: 0, consistent: 0, contradict: 1 },
    ]);
    assert.deepEqual(tallies.sources.map((source) => [source.source_id, source.claims, source.carried, source.contradicted]), [[1, 1, 0, 1], [2, 1, 0, 1], [3, 1, 1, 1]]);
    assert.deepEqual(tallies.facets, [{ key: 'rockets fired', status: 'contradict' }]);
  });

  it('measure a revision of a count by how far the middle of its reading moved', () => {
    assert.equal(middleOf({ text: 'several', low: 3, high: 9 }), 6);
    assert.equal(middleOf({ text: 'at least eight', low: 8, high: null }), 8);
    assert.equal(revisionMove(parseValue('11'), parseValue('34')), 23);
    assert.equal(revisionMove(parseValue('several'), parseValue('ten')), 4);
    assert.equal(revisionMove(parseValue('10%'), parseValue('ten')), null, 'a percentage and a count are not one kind of value');
    assert.equal(revisionMove(parseValue('Syria'), parseValue('ten')), null);
    const sources = [{ id: 1, name: 'S1', affiliation: null }];
    const said = (id: number, value: string, day: string): ComparableClaim => ({ id, source_id: 1, via_source_id: null, facet: 'killed', value, published_at: `2023-03-${day}`, created_at: '2026-01-01T00:00:00Z' });
    const [record] = tallyIncident(compareIncident([said(1, '11', '01'), said(2, '110', '03'), said(3, '34', '02')], sources, [])).sources;
    assert.deepEqual([record!.revisions, record!.count_revisions, record!.revision_total, record!.revision_largest], [2, 2, 99, 76], '11 → 34 → 110');
  });

  it('sum to a symmetric matrix whose counts are those of every incident’s pairs, counted directly (random incidents)', () => {
    fc.assert(
      fc.property(world, ({ sources, incidents }) => {
        const comparisons = incidents.map((incident) => compareIncident(incident.claims, sources, incident.overrides));
        const tallies = comparisons.map((comparison) => tallyIncident(comparison));
        const matrix = sumPairTallies(tallies.flatMap((incident) => incident.pairs));
        for (const tally of matrix.values()) assert.ok(tally.source_a < tally.source_b);
        const direct = countedDirectly(comparisons);
        const cell = (a: number, b: number) => matrix.get(pairKey(a, b)) ?? { pairs: 0, agree: 0, consistent: 0, contradict: 0 };
        assertMatches(sources.map((source) => source.id), cell, direct);
        for (const [sourceId, expected] of direct.sources) {
          const rows = tallies.flatMap((incident) => incident.sources.filter((row) => row.source_id === sourceId));
          const sum = (field: 'claims' | 'carried' | 'current' | 'contradicted' | 'revisions' | 'corroborated' | 'revision_total') => rows.reduce((total, row) => total + row[field], 0);
          const { moved, ...counts } = expected;
          assert.deepEqual(
            { claims: sum('claims'), carried: sum('carried'), current: sum('current'), contradicted: sum('contradicted'), revisions: sum('revisions'), corroborated: sum('corroborated') },
            counts,
            `source ${sourceId}`,
          );
          assert.ok(Math.abs(sum('revision_total') - moved) < 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sum the same through the database: tallies stored with the summaries, summed over live incidents (random incidents)', async () => {
    await fc.assert(
      fc.asyncProperty(world, async ({ sources, incidents }) => {
        const db = openDatabase(':memory:');
        try {
          migrate(db);
          store(db, sources, incidents);
          const figures = await agreementFigures(db, { waitMs: Infinity });
          const live = incidents.filter((incident) => !incident.deleted);
          assert.equal(figures.counting, 0);
          assert.equal(figures.incidents, live.length);
          const direct = countedDirectly(live.map((incident) => compareIncident(incident.claims, sources, incident.overrides)));
          assertMatches(sources.map((source) => source.id), (a, b) => pairFigures(figures, a, b), direct);
          for (const [sourceId, { moved: _, ...expected }] of direct.sources) {
            const record = figures.records.get(sourceId);
            const { claims = 0, carried = 0, current = 0, contradicted = 0, revisions = 0, corroborated = 0 } = record ?? {};
            assert.deepEqual({ claims, carried, current, contradicted, revisions, corroborated }, expected, `source ${sourceId}`);
          }
        } finally {
          db.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** The random incidents written straight to the database, as the bench's filler does; deleted ones marked so. */
function store(db: Database, sources: ComparableSource[], incidents: RandomIncident[]): void {
  const now = '2026-01-01T00:00:00.000Z';
  db.transaction(() => {
    for (const { id, name, affiliation } of sources) {
      db.prepare('INSERT INTO sources (id, name, name_key, affiliation, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, name, name.toLowerCase(), affiliation, now, now);
    }
    for (const [index, { claims, overrides, deleted }] of incidents.entries()) {
      const incidentId = Number(
        db.prepare('INSERT INTO incidents (slug, title, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?)').run(`i${index}`, `Incident ${index}`, now, now, deleted ? now : null).lastInsertRowid,
      );
      for (const claim of claims) {
        db.prepare(
          `INSERT INTO claims (id, incident_id, source_id, via_source_id, facet, facet_key, text, value, published_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'said', ?, ?, ?, ?)`,
        ).run(claim.id, incidentId, claim.source_id, claim.via_source_id, claim.facet, facetKey(claim.facet), claim.value, claim.published_at, claim.created_at, claim.created_at);
      }
      for (const { a, b, relation, reason, created_at } of overrides) {
        db.prepare('INSERT INTO relation_overrides (incident_id, claim_a, claim_b, relation, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(incidentId, Math.min(a, b), Math.max(a, b), relation, reason, created_at);
      }
    }
  })();
}
