/**
 * The timeline's core: publication times placed as instants (UTC), lanes per source in each facet,
 * revisions as steps, the moment a contradiction first appeared, ticks, and the drawing's geometry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type ComparableClaim, type ComparableSource, compareIncident } from '../src/compare/comparison.js';
import { buildTimeline, chooseTicks, drawFacet, paddedRange, placePublication, type Timeline } from '../src/compare/timeline.js';

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

  it('marks as the first contradiction no later than any placed contradicting pair completes', () => {
    fc.assert(
      fc.property(claims, (list) => {
        const comparison = compareIncident(list.map((c) => claim(c.source, c.facet, c.value, c.published)), SOURCES, []);
        const timeline = buildTimeline(comparison.facets, SOURCES);
        for (const [index, facet] of timeline.facets.entries()) {
          const instants = new Map(facet.points.map((point) => [point.claim.id, point.placement.at]));
          const completions = comparison.facets[index]!.pairs
            .filter((pair) => pair.relation === 'contradict' && instants.has(pair.a) && instants.has(pair.b))
            .map((pair) => Math.max(instants.get(pair.a)!, instants.get(pair.b)!));
          if (completions.length === 0) assert.equal(facet.firstContradiction, null);
          else assert.equal(facet.firstContradiction!.at, Math.min(...completions));
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
