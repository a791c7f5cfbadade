/**
 * The timeline's core: publication times placed as instants (UTC), lanes per source in each facet,
 * revisions as steps, the moment a contradiction first appeared, ticks, and the drawing's geometry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type ComparableClaim, type ComparableSource, compareIncident, type Relation, type RelationOverride, relate } from '../src/compare/comparison.js';
import { buildTimeline, chooseTicks, describeFacet, drawFacet, paddedRange, placePublication, type Timeline } from '../src/compare/timeline.js';

const SOURCES: ComparableSource[] = [
  { id: 1, name: 'Tasnim', affiliation: null },
  { id: 2, name: 'CENTCOM', affiliation: null },
  { id: 3, name: 'SOHR', affiliation: null },
  { id: 4, name: 'Al Mayadeen', affiliation: null },
];

let nextId = 1;
function claim(source_id: number, facet: string, value: string | null, published_at: string | null, via_source_id: number | null = null): ComparableClaim {
  const id = nextId++;
  return { id, source_id, via_source_id, facet, value, published_at, created_at: `2024-01-01T00:00:${String(id % 60).padStart(2, '0')}.${String(id).padStart(3, '0')}` };
}

function timelineOf(claims: ComparableClaim[]): Timeline<ComparableClaim> {
  return buildTimeline(compareIncident(claims, SOURCES, []).facets, SOURCES);
}

const iso = (at: number) => new Date(at).toISOString();

describe('publication times on a line of time', () => {
  it('places a time with a zone at the instant it names', () => {
    const placement = placePublication('2023-03-24T23:00+03:00')!;
    assert.equal(iso(placement.at), '2023-03-24T20:00:00.000Z');
    assert.equal(placement.precision, 'instant');
    assert.equal(placement.shown, '2023-03-24 20:00 UTC');
  });

  it('places a time without a zone as if in UTC, and says the zone was not given', () => {
    const placement = placePublication('2023-03-24 21:30')!;
    assert.equal(iso(placement.at), '2023-03-24T21:30:00.000Z');
    assert.equal(placement.precision, 'zone-unknown');
    assert.equal(placement.shown, '2023-03-24 21:30 (zone not given)');
  });

  it('spans a date alone across its day, placed at its start', () => {
    const placement = placePublication('2023-03-24')!;
    assert.equal(iso(placement.at), '2023-03-24T00:00:00.000Z');
    assert.equal(iso(placement.until), '2023-03-25T00:00:00.000Z');
    assert.equal(placement.shown, '2023-03-24 (day only)');
  });

  it('does not place a claim without a time, or with text that is not one', () => {
    assert.equal(placePublication(null), undefined);
    assert.equal(placePublication(''), undefined);
    assert.equal(placePublication('last week'), undefined);
    assert.equal(placePublication('2023-02-30'), undefined);
  });
});

describe('the timeline of a facet', () => {
  it('orders claims by instant across time zones, not by the clock time written', () => {
    const claims = [
      claim(1, 'rockets fired', 'ten', '2023-03-25T04:00+03:30'), // 00:30 UTC
      claim(2, 'rockets fired', 'eight', '2023-03-24T22:15-04:00'), // 02:15 UTC on the 25th
      claim(3, 'rockets fired', 'nine', '2023-03-25T00:10Z'),
      claim(4, 'rockets fired', 'ten', '2023-03-24'),
    ];
    const [facet] = timelineOf(claims).facets;
    assert.deepEqual(facet!.points.map((point) => point.source), ['Al Mayadeen', 'SOHR', 'Tasnim', 'CENTCOM']);
    assert.deepEqual(facet!.lanes.map((lane) => lane.source), ['Al Mayadeen', 'SOHR', 'Tasnim', 'CENTCOM'], 'lanes in the order each source first spoke');
    assert.deepEqual(facet!.points.map((point) => point.placement.shown), ['2023-03-24 (day only)', '2023-03-25 00:10 UTC', '2023-03-25 00:30 UTC', '2023-03-25 02:15 UTC']);
  });

  it('draws a source’s revisions as steps, oldest value first, whatever order they were entered in', () => {
    const claims = [
      claim(2, 'US personnel wounded', '64', '2023-03-27T09:00-04:00'),
      claim(2, 'US personnel wounded', 'none', '2023-03-24T20:00-04:00'),
      claim(2, 'US personnel wounded', '110', '2023-03-28T12:00Z'),
      claim(2, 'US personnel wounded', '11', '2023-03-25T03:00+03:00'),
      claim(2, 'US personnel wounded', '34', '2023-03-26'),
      claim(1, 'US personnel wounded', 'dozens', '2023-03-26T10:00+03:30'),
    ];
    const [facet] = timelineOf(claims).facets;
    const centcom = facet!.lanes.find((lane) => lane.source === 'CENTCOM')!;
    assert.deepEqual(centcom.steps, ['none', '11', '34', '64', '110']);
    assert.deepEqual(centcom.points.map((point) => point.value), ['none', '11', '34', '64', '110']);
    assert.deepEqual(centcom.points.map((point) => point.current), [false, false, false, false, true]);
    assert.deepEqual(facet!.lanes.find((lane) => lane.source === 'Tasnim')!.steps, [], 'a source that did not revise has no steps');
  });

  it('marks the moment a contradiction first appeared: when the later claim of the earliest contradicting pair was published', () => {
    const claims = [
      claim(1, 'bases targeted', 'three', '2023-03-25T11:52Z'),
      claim(2, 'bases targeted', 'one', '2023-03-24T23:30Z'),
      claim(3, 'bases targeted', 'three', '2023-03-25T02:00+03:00'), // 23:00 UTC on the 24th, before CENTCOM spoke
      claim(4, 'bases targeted', 'one', '2023-03-26'),
    ];
    const [facet] = timelineOf(claims).facets;
    const first = facet!.firstContradiction!;
    assert.equal(iso(first.at), '2023-03-24T23:30:00.000Z');
    assert.equal(first.later.source, 'CENTCOM');
    assert.equal(first.earlier.source, 'SOHR');
    assert.deepEqual(facet!.points.filter((point) => point.firstContradiction).map((point) => point.source), ['CENTCOM']);
  });

  it('weighs a claim since revised while it stood: “five” met “one” before its source said “seven”', () => {
    // The demo's evening attack: the official's "one" (the 24th), ISWNews's "three" (11:52); then a
    // new source says "five" at 09:00 and revises it to "seven" at 10:00.
    const official = claim(2, 'bases targeted', 'one', '2023-03-24');
    const iswnews = claim(3, 'bases targeted', 'three', '2023-03-25T11:52');
    const five = claim(4, 'bases targeted', 'five', '2023-03-25T09:00Z');
    const seven = claim(4, 'bases targeted', 'seven', '2023-03-25T10:00Z');
    const [facet] = timelineOf([official, iswnews, five, seven]).facets;
    const first = facet!.firstContradiction!;
    assert.equal(iso(first.at), '2023-03-25T09:00:00.000Z');
    assert.deepEqual([first.later.claim.id, first.earlier.claim.id], [five.id, official.id]);
    assert.equal(first.later.current, false, 'the claim that made it has since been revised');
    assert.deepEqual([first.pair.a, first.pair.b, first.pair.relation], [official.id, five.id, 'contradict']);
    assert.deepEqual(facet!.points.filter((point) => point.firstContradiction).map((point) => point.claim.id), [five.id]);
    assert.match(describeFacet(facet!), /The first contradiction appeared at 2023-03-25 09:00 UTC, when Al Mayadeen’s “five” met CENTCOM’s “one”\./);
  });

  it('still marks a contradiction a later revision resolved, at the moment it appeared', () => {
    const tasnim = claim(1, 'bases targeted', 'one', '2023-03-25T09:00Z');
    const three = claim(3, 'bases targeted', 'three', '2023-03-25T10:00Z');
    const one = claim(3, 'bases targeted', 'one', '2023-03-25T11:00Z');
    const [facet] = timelineOf([tasnim, three, one]).facets;
    assert.equal(facet!.status, 'agree', 'the claims that stand agree');
    const first = facet!.firstContradiction!;
    assert.equal(iso(first.at), '2023-03-25T10:00:00.000Z');
    assert.deepEqual([first.later.claim.id, first.earlier.claim.id], [three.id, tasnim.id]);
  });

  it('does not weigh a claim against one published once it was revised, or at that very instant', () => {
    const claims = [
      claim(1, 'bases targeted', 'five', '2023-03-25T09:00Z'),
      claim(1, 'bases targeted', 'three', '2023-03-25T10:00Z'),
      claim(3, 'bases targeted', 'three', '2023-03-25T10:00Z'),
      claim(2, 'bases targeted', 'three', '2023-03-25T11:00Z'),
    ];
    const [facet] = timelineOf(claims).facets;
    assert.equal(facet!.firstContradiction, null);
    assert.equal(facet!.unplacedContradictions, 0);
  });

  it('between two claims that still stand, goes by an analyst’s judgement, not by the values', () => {
    const tasnim = claim(1, 'bases targeted', 'one', '2023-03-25T09:00Z');
    const centcom = claim(2, 'bases targeted', 'three', '2023-03-25T10:00Z');
    const seven = claim(3, 'bases targeted', 'seven', '2023-03-25T11:00Z');
    const one = claim(3, 'bases targeted', 'one', '2023-03-25T12:00Z');
    // And on another facet, values that agree, judged to contradict.
    const killed = [claim(1, 'killed', 'three', '2023-03-25T09:00Z'), claim(2, 'killed', '3', '2023-03-25T10:00Z')];
    const judged = (a: ComparableClaim, b: ComparableClaim, relation: Relation): RelationOverride => ({ a: a.id, b: b.id, relation, reason: 'judged', created_at: '2024-02-01T00:00:00' });
    const comparison = compareIncident([tasnim, centcom, seven, one, ...killed], SOURCES, [judged(tasnim, centcom, 'agree'), judged(killed[0]!, killed[1]!, 'contradict')]);
    const [bases, killedFacet] = buildTimeline(comparison.facets, SOURCES).facets;
    // "one" and "three" are judged to agree: the first contradiction is SOHR's "seven" (since revised), at 11:00.
    const first = bases!.firstContradiction!;
    assert.equal(iso(first.at), '2023-03-25T11:00:00.000Z');
    assert.deepEqual([first.later.claim.id, first.earlier.claim.id], [seven.id, tasnim.id]);
    assert.equal(iso(killedFacet!.firstContradiction!.at), '2023-03-25T10:00:00.000Z');
    assert.equal(killedFacet!.firstContradiction!.pair.origin, 'analyst');
  });

  it('lists claims without a time apart, and counts a contradiction it cannot place', () => {
    const claims = [claim(1, 'drones launched', 'three', null), claim(2, 'drones launched', 'ten', '2023-03-25T10:00Z'), claim(3, 'casualties', 'none', 'last week')];
    const timeline = timelineOf(claims);
    const [drones, casualties] = timeline.facets;
    assert.deepEqual(drones!.undated.map((item) => [item.source, item.value, item.unreadable]), [['Tasnim', 'three', null]]);
    assert.equal(drones!.firstContradiction, null);
    assert.equal(drones!.unplacedContradictions, 1);
    assert.deepEqual(casualties!.undated.map((item) => item.unreadable), ['last week']);
    assert.deepEqual(casualties!.lanes, []);
    assert.deepEqual(timeline.range && [iso(timeline.range.from), iso(timeline.range.to)], ['2023-03-25T10:00:00.000Z', '2023-03-25T10:00:00.000Z']);
  });

  it('names the outlet a claim came through', () => {
    const [facet] = timelineOf([claim(2, 'rockets fired', 'ten', '2023-03-24T10:00Z', 1)]).facets;
    assert.equal(facet!.points[0]!.via, 'Tasnim');
  });
});

describe('ticks, in UTC', () => {
  const at = (text: string) => Date.parse(text);
  it('marks hours within a day, with the date where it changes', () => {
    const ticks = chooseTicks({ from: at('2023-03-24T19:10Z'), to: at('2023-03-25T02:50Z') }, 8);
    assert.deepEqual(ticks.map((tick) => tick.label), ['20:00', '21:00', '22:00', '23:00', '00:00', '01:00', '02:00']);
    assert.deepEqual(ticks.map((tick) => tick.context), ['24 Mar 2023', null, null, null, '25 Mar 2023', null, null]);
  });

  it('marks days over weeks (on Mondays), and months over years', () => {
    assert.deepEqual(chooseTicks({ from: at('2023-03-20T05:00Z'), to: at('2023-04-10T00:00Z') }, 8).map((tick) => tick.label), ['27 Mar', '3 Apr', '10 Apr']);
    assert.deepEqual(chooseTicks({ from: at('2023-03-20T05:00Z'), to: at('2023-03-27T00:00Z') }, 8).map((tick) => tick.label), ['21 Mar', '22 Mar', '23 Mar', '24 Mar', '25 Mar', '26 Mar', '27 Mar']);
    const months = chooseTicks({ from: at('2022-11-15T00:00Z'), to: at('2023-08-01T00:00Z') }, 8);
    assert.deepEqual(months.map((tick) => tick.label), ['Jan', 'Mar', 'May', 'Jul']);
    assert.equal(months[0]!.context, '2023');
  });

  it('marks years on round multiples of 1, 2, 5, 10, 20… years, however wide the range', () => {
    const years = (from: string, to: string) => chooseTicks({ from: at(from), to: at(to) }, 8).map((tick) => tick.label);
    assert.deepEqual(years('2023-03-24T00:00Z', '9999-03-24T00:00Z'), ['3000', '4000', '5000', '6000', '7000', '8000', '9000']);
    assert.deepEqual(years('2019-06-01T00:00Z', '2031-02-01T00:00Z'), ['2020', '2022', '2024', '2026', '2028', '2030']);
    assert.deepEqual(years('0001-01-01T00:00Z', '0090-01-01T00:00Z'), ['20', '40', '60', '80']);
    const early = chooseTicks({ from: at('0001-01-01T00:00Z'), to: at('0090-01-01T00:00Z') }, 9);
    assert.deepEqual(early.map((tick) => tick.label), ['10', '20', '30', '40', '50', '60', '70', '80', '90']);
    assert.equal(early[0]!.at, at('0010-01-01T00:00Z'), 'the year 10, not 1910');
    // A claim dated 9999 among claims of 2023: the ticks spread across the drawing.
    const timeline = timelineOf([claim(1, 'bases targeted', 'three', '2023-03-24T20:00Z'), claim(2, 'bases targeted', 'one', '9999-03-24T20:00Z')]);
    const drawing = drawFacet(timeline.facets[0]!, timeline.range!, 720);
    assert.deepEqual(drawing.ticks.map((tick) => tick.label), ['2000', '4000', '6000', '8000', '10000']);
    assert.ok(drawing.ticks.at(-1)!.x - drawing.ticks[0]!.x > (drawing.plot.right - drawing.plot.left) / 2);
  });

  it('never gives more ticks than asked, each within the range', () => {
    const instant = fc.integer({ min: Date.parse('1990-01-01T00:00Z'), max: Date.parse('2040-01-01T00:00Z') });
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 1, max: 12 }), (a, b, most) => {
        const range = { from: Math.min(a, b), to: Math.max(a, b) };
        const ticks = chooseTicks(range, most);
        assert.ok(ticks.length <= most, `${ticks.length} > ${most}`);
        for (const tick of ticks) assert.ok(tick.at >= range.from && tick.at <= range.to);
        for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i]!.at > ticks[i - 1]!.at);
      }),
    );
  });
});

describe('ticks, whatever the range', () => {
  it('reach across the range: neither end further from a tick than the widest step between two', () => {
    const instant = fc.integer({ min: Date.parse('0001-01-01T00:00Z'), max: Date.parse('9999-12-31T23:59Z') });
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: 2, max: 12 }), (a, b, most) => {
        const range = { from: Math.min(a, b), to: Math.max(a, b) };
        const ticks = chooseTicks(range, most);
        assert.ok(ticks.length <= most, `${ticks.length} > ${most}`);
        for (const [i, tick] of ticks.entries()) assert.ok(tick.at >= range.from && tick.at <= range.to && (i === 0 || tick.at > ticks[i - 1]!.at));
        if (ticks.length < 2) return;
        // Months and years differ in length by a few days: 31 days against 28.
        const widest = Math.max(...ticks.slice(1).map((tick, i) => tick.at - ticks[i]!.at)) * 1.12;
        assert.ok(ticks[0]!.at - range.from <= widest && range.to - ticks.at(-1)!.at <= widest, ticks.map((tick) => tick.label).join());
      }),
    );
  });
});

describe('the drawing', () => {
  it('places each claim at x in proportion to its instant, and the contradiction on the claim that made it', () => {
    const claims = [claim(1, 'bases targeted', 'three', '2023-03-25T00:00Z'), claim(2, 'bases targeted', 'one', '2023-03-25T12:00Z'), claim(3, 'bases targeted', 'three', '2023-03-25T06:00Z')];
    const timeline = timelineOf(claims);
    const drawing = drawFacet(timeline.facets[0]!, timeline.range!, 720);
    const xs = new Map(drawing.lanes.flatMap((lane) => lane.points.map((point) => [point.claim_id, point.x])));
    const [tasnim, centcom, sohr] = claims.map((c) => xs.get(c.id)!);
    assert.ok(Math.abs(sohr! - (tasnim! + centcom!) / 2) < 0.2, 'six hours is half of twelve');
    assert.equal(drawing.contradiction!.x, centcom);
    const { from, to } = paddedRange(timeline.range!);
    assert.ok(from < timeline.range!.from && to > timeline.range!.to, 'room at both ends');
    assert.match(drawing.description, /3 dated claims by 3 sources, from 2023-03-25 00:00 UTC to 2023-03-25 12:00 UTC\. The first contradiction appeared at 2023-03-25 12:00 UTC/);
  });

  it('writes a source’s steps beside its name', () => {
    const claims = [claim(2, 'wounded', 'none', '2023-03-24T20:00Z'), claim(2, 'wounded', '11', '2023-03-25T20:00Z'), claim(2, 'wounded', '34', '2023-03-26T20:00Z')];
    const timeline = timelineOf(claims);
    const [lane] = drawFacet(timeline.facets[0]!, timeline.range!).lanes;
    assert.equal(lane!.steps, ' · revised: none → 11 → 34');
    assert.deepEqual(lane!.held.map((held) => held.current), [false, false, true]);
    assert.deepEqual(lane!.points.map((point) => point.label), ['none', '11', '34']);
  });
});

describe('the timeline, whatever the claims', () => {
  const zone = fc.oneof(
    fc.constant(''),
    fc.constant('Z'),
    fc.integer({ min: -48, max: 56 }).map((quarters) => {
      const minutes = Math.abs(quarters) * 15;
      return `${quarters < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    }),
  );
  const two = (n: number) => String(n).padStart(2, '0');
  const published = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.integer({ min: 20, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), zone).map(([day, hour, minute, z]) => `2023-03-${day}T${two(hour)}:${two(minute)}${z}`) },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 28 }).map((day) => `2023-03-${day}`) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  const claims = fc.array(
    fc.record({ source: fc.integer({ min: 1, max: 4 }), facet: fc.constantFrom('a', 'b'), value: fc.constantFrom('one', 'three', 'ten', 'several', null), published }),
    { maxLength: 25 },
  );
  const build = (list: { source: number; facet: string; value: string | null; published: string | null }[]) =>
    timelineOf(list.map((c) => claim(c.source, c.facet, c.value, c.published)));
  /** The instant, independently of the module: a time without a zone as if in UTC, a date at its midnight. */
  const instantOf = (text: string) => Date.parse(text.length === 10 ? `${text}T00:00Z` : /Z|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);

  it('orders the points of every lane, and of every facet, by instant, whatever the input order and zones', () => {
    fc.assert(
      fc.property(claims, (list) => {
        for (const facet of build(list).facets) {
          const ordered = (points: { placement: { at: number } }[]) => points.every((point, i) => i === 0 || points[i - 1]!.placement.at <= point.placement.at);
          assert.ok(ordered(facet.points));
          for (const lane of facet.lanes) assert.ok(ordered(lane.points), lane.source);
          for (const point of facet.points) assert.equal(point.placement.at, instantOf((point.claim as ComparableClaim).published_at!));
          const firsts = facet.lanes.map((lane) => lane.points[0]!.placement.at);
          assert.ok(firsts.every((at, i) => i === 0 || firsts[i - 1]! <= at), 'lanes in the order of each source’s first claim');
        }
      }),
    );
  });

  it('places every claim once: dated in its source’s lane, undated apart; the current one last in its lane', () => {
    fc.assert(
      fc.property(claims, (list) => {
        const timeline = build(list);
        const listed = timeline.facets.flatMap((facet) => [...facet.points, ...facet.undated].map((item) => item.claim.id));
        assert.equal(listed.length, list.length);
        assert.equal(new Set(listed).size, list.length);
        for (const facet of timeline.facets) {
          for (const lane of facet.lanes) {
            assert.ok(lane.points.every((point) => point.claim.source_id === lane.source_id));
            assert.ok(lane.points.slice(0, -1).every((point) => !point.current), 'an undated claim counts as oldest, so the current one is the latest dated');
          }
        }
      }),
    );
  });

  it('marks as the first contradiction the earliest moment two claims that stood at once contradicted, revised ones too', () => {
    // Text that is not a timestamp sorts after every date: a dated claim may be revised by one that cannot be placed.
    const publishedOrNot = fc.oneof({ weight: 8, arbitrary: published }, { weight: 1, arbitrary: fc.constant('last week') });
    const list = fc.array(
      fc.record({ source: fc.integer({ min: 1, max: 4 }), facet: fc.constantFrom('a', 'b'), value: fc.constantFrom('one', 'three', 'ten', 'several', null), published: publishedOrNot }),
      { maxLength: 25 },
    );
    const judgements = fc.array(fc.record({ x: fc.nat(), y: fc.nat(), relation: fc.constantFrom<Relation>('agree', 'contradict', 'unrelated') }), { maxLength: 4 });
    fc.assert(
      fc.property(list, judgements, (listed, judged) => {
        const made = listed.map((c) => claim(c.source, c.facet, c.value, c.published));
        const overrides = made.length === 0 ? [] : judged.map(({ x, y, relation }): RelationOverride => ({ a: made[x % made.length]!.id, b: made[y % made.length]!.id, relation, reason: 'judged', created_at: '2024-02-01T00:00:00' }));
        const comparison = compareIncident(made, SOURCES, overrides);
        const timeline = buildTimeline(comparison.facets, SOURCES);
        for (const [index, facet] of timeline.facets.entries()) {
          // By brute force: each claim stands from its publication until its source's next claim's (undefined: not known).
          const compared = comparison.facets[index]!;
          const instant = (c: ComparableClaim) => (c.published_at === null || c.published_at === 'last week' ? undefined : instantOf(c.published_at));
          const byId = new Map(compared.claims.map((c) => [c.claim.id, c]));
          const standing = compared.claims.map((c) => ({
            id: c.claim.id,
            source: c.claim.source_id,
            value: c.value,
            current: c.current,
            from: instant(c.claim),
            until: c.superseded_by === null ? Infinity : instant(byId.get(c.superseded_by)!.claim),
          }));
          const relationOf = (x: (typeof standing)[number], y: (typeof standing)[number]) =>
            x.current && y.current ? compared.pairs.find((pair) => (pair.a === x.id && pair.b === y.id) || (pair.a === y.id && pair.b === x.id))!.relation : relate(x.value, y.value);
          const stood = (s: (typeof standing)[number], at: number) => (s.until === undefined ? at === s.from : at < s.until);
          let earliest = Infinity;
          for (const [i, x] of standing.entries()) {
            for (const y of standing.slice(i + 1)) {
              if (x.source === y.source || x.from === undefined || y.from === undefined) continue;
              const at = Math.max(x.from, y.from);
              if (stood(x, at) && stood(y, at) && relationOf(x, y) === 'contradict') earliest = Math.min(earliest, at);
            }
          }
          const first = facet.firstContradiction;
          if (earliest === Infinity) {
            assert.equal(first, null);
            assert.ok(facet.points.every((point) => !point.firstContradiction));
            continue;
          }
          assert.equal(first?.at, earliest);
          const [earlier, later] = [first.earlier.claim.id, first.later.claim.id].map((id) => standing.find((s) => s.id === id)!);
          assert.equal(later!.from, earliest, 'the later of the pair was published then');
          assert.ok(earlier!.source !== later!.source && stood(earlier!, earliest) && stood(later!, earliest) && relationOf(earlier!, later!) === 'contradict');
          assert.deepEqual(facet.points.filter((point) => point.firstContradiction).map((point) => point.claim.id), [later!.id]);
        }
      }),
    );
  });

  it('draws no two labels of a lane over each other, and every mark within the drawing', () => {
    fc.assert(
      fc.property(claims, fc.integer({ min: 320, max: 1400 }), (list, width) => {
        const timeline = build(list);
        if (timeline.range === null) return;
        for (const facet of timeline.facets) {
          if (facet.points.length === 0) continue;
          const drawing = drawFacet(facet, timeline.range, width);
          for (const lane of drawing.lanes) {
            for (const point of lane.points) assert.ok(point.x >= 0 && point.x2 <= width, `${point.x}–${point.x2} in ${width}`);
            const labels = lane.points.map((point) => ({ y: point.labelY, left: point.labelX - ([...point.label].length * 7 + 6) / 2, right: point.labelX + ([...point.label].length * 7 + 6) / 2 }));
            for (const [i, a] of labels.entries()) {
              for (const b of labels.slice(i + 1)) assert.ok(a.y !== b.y || a.right <= b.left || b.right <= a.left, JSON.stringify([a, b]));
            }
          }
        }
      }),
    );
  });
});
