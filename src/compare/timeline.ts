/**
 * An incident's claims on a line of time: each placed at the instant it was published (in UTC), one
 * lane per source within each facet, a source's revisions as steps, and the moment each facet's
 * first contradiction appeared (weighing every claim while it stood, superseded ones too). Then the
 * drawing's geometry for a given width (x from instants, label rows that do not overlap, ticks), so
 * that the page only places what it is handed.
 * Pure: the comparison in, plain data out.
 *
 * Publication times are read with the one grammar of timestamps.ts, and placed as the comparison
 * orders them (publicationOrderKey), so that a lane's steps run in the order of the grid's revisions:
 * - a date, time and zone: the instant it names (`instant`);
 * - a date and time without a zone: read as if in UTC (`zone-unknown`), and said to be so: the real
 *   instant may lie up to 14 hours either side, which no drawing could show usefully;
 * - a date alone: the whole day, UTC midnight to midnight (`day`), placed at its start, since the
 *   comparison puts a date before any time on that day; the drawing spans the day;
 * - no time, or text that is not a timestamp: not placed; such claims are listed apart, as undated.
 */
import { memo } from '../memo.js';
import { type ClaimPair, type ComparableClaim, type ComparableSource, type ComparedClaim, type FacetComparison, type FacetStatus, relate } from './comparison.js';
import { publishedInUtc, readTimestamp } from './timestamps.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Precision = 'instant' | 'zone-unknown' | 'day';

export interface Placement {
  /** Milliseconds since 1970 UTC: where the claim is placed and ordered. */
  at: number;
  /** The end of what the time allows: the next midnight for a day, else `at`. */
  until: number;
  precision: Precision;
  /** As the table shows it: "2023-03-24 20:00 UTC", "2023-03-24 21:30 (zone not given)", "2023-03-24 (day only)". */
  shown: string;
}

/** Where a publication time places a claim; undefined for none, or for text that is not a timestamp. */
export function placePublication(published: string | null): Placement | undefined {
  if (published === null) return undefined;
  const timestamp = readTimestamp(published.trim());
  if (timestamp === undefined) return undefined;
  const { date, time, zone } = timestamp;
  if (time === undefined) {
    const at = Date.parse(`${date}T00:00:00Z`);
    return { at, until: at + DAY, precision: 'day', shown: `${date} (day only)` };
  }
  const at = Date.parse(`${date}T${time}${zone ?? 'Z'}`);
  return { at, until: at, precision: zone === undefined ? 'zone-unknown' : 'instant', shown: publishedInUtc(published.trim()) };
}

/** A claim as the timeline lists it, with the names of who made it and who carried it. */
export interface TimelineClaim<C> {
  claim: C;
  source: string;
  via: string | null;
  /** The value phrase as written; null when the claim gives none. */
  value: string | null;
  current: boolean;
}

export interface TimelinePoint<C> extends TimelineClaim<C> {
  placement: Placement;
  /** Whether publishing this claim made the facet's first contradiction (it is the later of the pair). */
  firstContradiction: boolean;
}

export interface UndatedClaim<C> extends TimelineClaim<C> {
  /** The publication time as written when it could not be read ("last week"); null when none was given. */
  unreadable: string | null;
}

export interface TimelineLane<C> {
  source_id: number;
  source: string;
  /** The source's dated claims on the facet, oldest first. */
  points: TimelinePoint<C>[];
  /** When the source revised its claim, its values oldest first (undated ones too, first, as the comparison counts them); else empty. */
  steps: string[];
}

export interface FirstContradiction<C> {
  /** When the later of the two was published (the earlier still standing then). */
  at: number;
  /** The comparison's own pair for two current claims; for a superseded claim, the pair as their values relate. */
  pair: ClaimPair;
  earlier: TimelinePoint<C>;
  later: TimelinePoint<C>;
}

export interface FacetTimeline<C> {
  facet: string;
  key: string;
  status: FacetStatus;
  /** One per source with a dated claim, in the order of each source's first claim. */
  lanes: TimelineLane<C>[];
  /** Every dated claim, by instant (then lane, then revision): the table beneath the drawing. */
  points: TimelinePoint<C>[];
  undated: UndatedClaim<C>[];
  /** The earliest contradiction between claims standing at once, superseded ones too; kept when a later revision resolved it. */
  firstContradiction: FirstContradiction<C> | null;
  /** Contradicting pairs that may have stood at once but cannot be placed in time, since a claim of each is undated (or stood until an undated revision). */
  unplacedContradictions: number;
}

/** What the timeline needs of a facet's comparison. */
export type ComparedFacet<C> = Pick<FacetComparison<C>, 'facet' | 'key' | 'status' | 'claims' | 'pairs' | 'revisions'>;

export interface TimeRange {
  from: number;
  to: number;
}

export interface Timeline<C> {
  facets: FacetTimeline<C>[];
  /** From the earliest placement to the end of the latest; null when no claim is dated. */
  range: TimeRange | null;
}

/** What a value reads as in a list of steps: "none → 11 → 34". */
export function valueLabel(value: string | null): string {
  return value === null || value.trim() === '' ? 'no value' : value.trim();
}

/**
 * The timeline of `facets` (a page of an incident's comparison, or all of it). The range spans
 * `rangeOver` (by default the same facets), so that the pages of one incident share one axis.
 */
export function buildTimeline<C extends ComparableClaim>(
  facets: ComparedFacet<C>[],
  sources: ComparableSource[],
  { rangeOver = facets }: { rangeOver?: { claims: { claim: ComparableClaim }[] }[] } = {},
): Timeline<C> {
  const names = new Map(sources.map((source) => [source.id, source.name]));
  const nameOf = (id: number) => names.get(id) ?? `Source ${id}`;
  // An incident's claims share a handful of publication times: each is read once, for the range and the lanes.
  const place = memo(placePublication);
  return { facets: facets.map((facet) => facetTimeline<C>(facet, nameOf, place)), range: timeRange(rangeOver, place) };
}

/** The span of every dated claim of `facets`. */
export function timeRange(facets: { claims: { claim: ComparableClaim }[] }[], place = memo(placePublication)): TimeRange | null {
  let from = Infinity;
  let to = -Infinity;
  for (const facet of facets) {
    for (const { claim } of facet.claims) {
      const placement = place(claim.published_at);
      if (placement === undefined) continue;
      from = Math.min(from, placement.at);
      to = Math.max(to, placement.until);
    }
  }
  return from === Infinity ? null : { from, to };
}

function facetTimeline<C extends ComparableClaim>(facet: ComparedFacet<C>, nameOf: (id: number) => string, place: (published: string | null) => Placement | undefined): FacetTimeline<C> {
  const lanesBySource = new Map<number, TimelineLane<C>>();
  const undated: UndatedClaim<C>[] = [];
  const pointById = new Map<number, TimelinePoint<C>>();
  const valueById = new Map<number, string | null>();
  // The comparison lists each source's claims oldest first; sorting by instant keeps that order for ties.
  for (const compared of facet.claims) {
    const { claim } = compared;
    valueById.set(claim.id, claim.value);
    const listed: TimelineClaim<C> = {
      claim,
      source: nameOf(claim.source_id),
      via: claim.via_source_id === null ? null : nameOf(claim.via_source_id),
      value: claim.value,
      current: compared.current,
    };
    const placement = place(claim.published_at);
    if (placement === undefined) {
      const given = claim.published_at?.trim() ?? '';
      undated.push({ ...listed, unreadable: given === '' ? null : given });
      continue;
    }
    const point: TimelinePoint<C> = { ...listed, placement, firstContradiction: false };
    pointById.set(claim.id, point);
    let lane = lanesBySource.get(claim.source_id);
    if (lane === undefined) lanesBySource.set(claim.source_id, (lane = { source_id: claim.source_id, source: listed.source, points: [], steps: [] }));
    lane.points.push(point);
  }
  const byInstant = (a: TimelinePoint<C>, b: TimelinePoint<C>) => a.placement.at - b.placement.at;
  const lanes = [...lanesBySource.values()];
  for (const lane of lanes) lane.points.sort(byInstant);
  // Stable: sources whose first claims share an instant keep the comparison's order.
  lanes.sort((a, b) => byInstant(a.points[0]!, b.points[0]!));
  for (const revised of facet.revisions) {
    const lane = lanesBySource.get(revised.source_id);
    if (lane) lane.steps = revised.claim_ids.map((id) => valueLabel(valueById.get(id) ?? null));
  }
  const points = lanes.flatMap((lane) => lane.points).sort(byInstant);

  const { firstContradiction, unplacedContradictions } = findFirstContradiction(facet, pointById, points);
  if (firstContradiction) firstContradiction.later.firstContradiction = true;
  return { facet: facet.facet, key: facet.key, status: facet.status, lanes, points, undated, firstContradiction, unplacedContradictions };
}

/** A claim of a facet as the first contradiction weighs it: when it was published, and until when it stood. */
interface Standing<C> {
  compared: ComparedClaim<C>;
  point: TimelinePoint<C> | undefined;
  /** When it was published; undefined when it cannot be placed (undated). */
  from: number | undefined;
  /** When its source's next claim on the facet was published: Infinity while it stands, undefined when that claim is undated. */
  until: number | undefined;
}

/** Whether a claim published at or before `at` still stood then: undefined when its end cannot be placed and `at` is after its publication. */
function stoodAt<C>(claim: Standing<C>, at: number): boolean | undefined {
  if (claim.until !== undefined) return at < claim.until;
  return at === claim.from ? true : undefined;
}

/**
 * The moment the facet's first contradiction appeared, weighing every claim, superseded ones too:
 * each stands from its publication until its source's next claim on the facet was published. Two
 * claims of different sources contradict when their values do (`relate`), save that two current
 * claims relate as the comparison pairs them, an analyst's judgement included. A contradiction
 * appeared when the later of the two was published, if the earlier still stood then; the first is
 * the earliest (of those completed by one claim, the one whose other claim came first). It stays
 * marked when a later revision resolved it. Pairs that contradict but cannot be placed, since a
 * claim of the pair is undated (or stood until an undated revision), and that may have stood
 * together, are counted apart.
 */
function findFirstContradiction<C extends ComparableClaim>(
  facet: ComparedFacet<C>,
  pointById: Map<number, TimelinePoint<C>>,
  points: TimelinePoint<C>[],
): { firstContradiction: FirstContradiction<C> | null; unplacedContradictions: number } {
  const claims = facet.claims.map((compared): Standing<C> => {
    const point = pointById.get(compared.claim.id);
    return { compared, point, from: point?.placement.at, until: Infinity };
  });
  const byId = new Map(claims.map((claim) => [claim.compared.claim.id, claim]));
  for (const claim of claims) {
    const next = claim.compared.superseded_by;
    if (next !== null) claim.until = byId.get(next)?.from;
  }
  const order = new Map(points.map((point, index) => [point, index]));
  // The pair completed first; of pairs completed by one claim, the one whose other claim came first.
  const completedFirst = (x: FirstContradiction<C>, y: FirstContradiction<C>) =>
    order.get(x.later)! - order.get(y.later)! || order.get(x.earlier)! - order.get(y.earlier)!;
  // Declared wide: weigh() below is what may set it.
  let firstContradiction = null as FirstContradiction<C> | null;
  let unplacedContradictions = 0;

  /** Weighs x and y, of different sources, by time first (cheap), then by `contradict` (their relation). */
  const weigh = (x: Standing<C>, y: Standing<C>, contradict: () => ClaimPair | null) => {
    if (x.from === undefined || y.from === undefined) {
      // An undated claim stood at some unknown time before its source's next claim was published.
      const apart = (undated: Standing<C>, other: Standing<C>) => other.from !== undefined && undated.until !== undefined && other.from >= undated.until;
      if ((x.from === undefined && apart(x, y)) || (y.from === undefined && apart(y, x))) return;
      if (contradict()) unplacedContradictions++;
      return;
    }
    const at = Math.max(x.from, y.from);
    const [stoodX, stoodY] = [stoodAt(x, at), stoodAt(y, at)];
    if (stoodX === false || stoodY === false) return;
    const pair = contradict();
    if (pair === null) return;
    if (stoodX === undefined || stoodY === undefined) {
      unplacedContradictions++;
      return;
    }
    const [earlier, later] = order.get(x.point!)! < order.get(y.point!)! ? [x.point!, y.point!] : [y.point!, x.point!];
    const candidate = { at, pair, earlier, later };
    if (firstContradiction === null || completedFirst(candidate, firstContradiction) < 0) firstContradiction = candidate;
  };

  // Two current claims: as the comparison pairs them.
  for (const pair of facet.pairs) {
    if (pair.relation !== 'contradict') continue;
    const x = byId.get(pair.a);
    const y = byId.get(pair.b);
    if (x !== undefined && y !== undefined) weigh(x, y, () => pair);
  }
  // Every pair with a superseded claim: by their values.
  for (const [i, x] of claims.entries()) {
    if (x.compared.current) continue;
    for (const [j, y] of claims.entries()) {
      // Each pair once: a superseded y only after x.
      if ((j <= i && !y.compared.current) || x.compared.claim.source_id === y.compared.claim.source_id) continue;
      weigh(x, y, () => (relate(x.compared.value, y.compared.value) === 'contradict' ? valuesContradict(x.compared.claim.id, y.compared.claim.id) : null));
    }
  }
  return { firstContradiction, unplacedContradictions };
}

/** The pair of two claims whose values contradict, as the comparison would write it. */
function valuesContradict(x: number, y: number): ClaimPair {
  const [a, b] = x < y ? [x, y] : [y, x];
  return { a, b, relation: 'contradict', origin: 'auto', reason: null, auto: 'contradict', overridden_at: null, overridden_by: null };
}

// ---------------------------------------------------------------------------
// Ticks on the axis, in UTC.

export interface Tick {
  at: number;
  /** "21:00", "24 Mar", "Mar", "2023". */
  label: string;
  /** What the label leaves out, where it changes: the date above the first time of each day, the year above days and months. */
  context: string | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Steps measured in milliseconds; beyond them, calendar months and years. */
const FIXED_STEPS = [1, 5, 10, 15, 30].map((m) => m * MINUTE).concat([1, 2, 3, 6, 12].map((h) => h * HOUR), [1, 2, 7, 14].map((d) => d * DAY));
/** Steps in months: up to half a year, then years by 1, 2 and 5 times a power of ten, as far as need be. */
function* monthSteps(): Generator<number> {
  yield* [1, 2, 3, 6];
  for (let years = 1; ; years *= 10) for (const times of [1, 2, 5]) yield 12 * years * times;
}

const two = (n: number) => String(n).padStart(2, '0');
const dayOf = (date: Date) => `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}`;

/**
 * At most `most` ticks within the range, on round instants of the finest step that allows it:
 * minutes and hours within a day, days over weeks, months and years beyond.
 */
export function chooseTicks({ from, to }: TimeRange, most: number): Tick[] {
  const limit = Math.max(1, most);
  for (const step of FIXED_STEPS) {
    // Weeks begin on Mondays (1970 began on a Thursday); shorter steps on round multiples of themselves.
    const offset = step >= 7 * DAY ? 4 * DAY : 0;
    const first = Math.ceil((from - offset) / step) * step + offset;
    if (Math.floor((to - first) / step) + 1 > limit) continue;
    const instants: number[] = [];
    for (let at = first; at <= to; at += step) instants.push(at);
    return step < DAY ? timeTicks(instants) : dayTicks(instants);
  }
  const start = new Date(from);
  const firstMonth = start.getUTCFullYear() * 12 + start.getUTCMonth() + (start.getUTCDate() === 1 && from % DAY === 0 ? 0 : 1);
  const end = new Date(to);
  const lastMonth = end.getUTCFullYear() * 12 + end.getUTCMonth();
  // Ticks fall on round multiples of the step: every 5 years from 2025, every 1000 from 3000.
  let step = 1;
  for (step of monthSteps()) if (Math.floor(lastMonth / step) - Math.ceil(firstMonth / step) + 1 <= limit) break;
  const ticks: Tick[] = [];
  let previousYear: number | undefined;
  for (let month = Math.ceil(firstMonth / step) * step; month <= lastMonth && ticks.length < limit; month += step) {
    const year = Math.floor(month / 12);
    const monthOfYear = month - year * 12;
    // Not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.
    const at = new Date(0).setUTCFullYear(year, monthOfYear, 1);
    const yearly = step % 12 === 0;
    ticks.push({ at, label: yearly ? String(year) : MONTHS[monthOfYear]!, context: yearly || year === previousYear ? null : String(year) });
    previousYear = year;
  }
  return ticks;
}

function timeTicks(instants: number[]): Tick[] {
  let previousDay: string | undefined;
  return instants.map((at) => {
    const date = new Date(at);
    const day = `${dayOf(date)} ${date.getUTCFullYear()}`;
    const tick = { at, label: `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}`, context: day === previousDay ? null : day };
    previousDay = day;
    return tick;
  });
}

function dayTicks(instants: number[]): Tick[] {
  let previousYear: number | undefined;
  return instants.map((at) => {
    const date = new Date(at);
    const year = date.getUTCFullYear();
    const tick = { at, label: dayOf(date), context: year === previousYear ? null : String(year) };
    previousYear = year;
    return tick;
  });
}

// ---------------------------------------------------------------------------
// The drawing: geometry in the units of the SVG's viewBox.

/** The width the drawing is made for: at this width its text is 12 px, and the page never shows it narrower (it scrolls). */
export const DRAWING_WIDTH = 720;
const INSET = 16;
/** Tick labels: the context line, then the label; grid lines begin below them. */
const AXIS_HEIGHT = 40;
const CONTRADICTION_BAND = 20;
/** A lane: its source's name, rows of value labels, the track, and room below it. */
const NAME_LINE = 20;
const LABEL_ROW = 15;
const BELOW_TRACK = 14;
/** Widths of text, generous so that labels never overlap: per character at 12 px, and at 13 px bold. */
const CHAR = 7;
const NAME_CHAR = 7.6;
const LABEL_CHARS = 24;
const TICK_SPACING = 84;

export interface DrawnTick extends Tick {
  x: number;
  anchor: 'start' | 'middle' | 'end';
}

export interface DrawnPoint {
  claim_id: number;
  x: number;
  /** For a day: where the day ends. */
  x2: number;
  precision: Precision;
  current: boolean;
  firstContradiction: boolean;
  label: string;
  labelX: number;
  labelY: number;
  /** For the pointer: the source, the value in full, when, and whether it still stands. */
  title: string;
}

export interface DrawnLane {
  source: string;
  /** " · revised: none → 11 → 34", cut to fit; '' when the source did not revise. */
  steps: string;
  nameY: number;
  trackY: number;
  /** Where the lane's rule is drawn, beneath it. */
  bottom: number;
  /** Each claim's value held from its publication to the next claim's, the current one to the end. */
  held: { x1: number; x2: number; current: boolean }[];
  points: DrawnPoint[];
}

export interface FacetDrawing {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number };
  ticks: DrawnTick[];
  lanes: DrawnLane[];
  contradiction: { x: number; label: string; labelX: number; labelY: number; anchor: 'start' | 'end' } | null;
  /** What the drawing shows, in words, for its <desc>. */
  description: string;
}

/** The range with room at both ends, so that marks at its ends are not cut; an instant alone gets an hour either side. */
export function paddedRange({ from, to }: TimeRange): TimeRange {
  const pad = to === from ? HOUR : Math.max((to - from) * 0.04, MINUTE);
  return { from: from - pad, to: to + pad };
}

function cut(text: string, chars: number): string {
  const characters = [...text];
  return characters.length <= chars ? text : `${characters.slice(0, Math.max(1, chars - 1)).join('')}…`;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The drawing of one facet's timeline on the incident's time range (see `Timeline.range`). */
export function drawFacet<C extends { id: number }>(facet: FacetTimeline<C>, range: TimeRange, width = DRAWING_WIDTH): FacetDrawing {
  const { from, to } = paddedRange(range);
  const left = INSET;
  const right = width - INSET;
  const xOf = (at: number) => round(left + ((at - from) / (to - from)) * (right - left));
  const ticks = chooseTicks({ from, to }, Math.floor((right - left) / TICK_SPACING)).map((tick): DrawnTick => {
    const x = xOf(tick.at);
    const anchor = x < left + 30 ? 'start' : x > right - 30 ? 'end' : 'middle';
    return { ...tick, x, anchor };
  });
  const top = AXIS_HEIGHT + (facet.firstContradiction ? CONTRADICTION_BAND : 0);
  let y = top;
  const lanes = facet.lanes.map((lane): DrawnLane => {
    // A day's label is centred over its day.
    const labelAt = (point: TimelinePoint<C>) => (point.placement.precision === 'day' ? (xOf(point.placement.at) + xOf(point.placement.until)) / 2 : xOf(point.placement.at));
    const placed = placeLabels(lane.points.map((point) => ({ x: labelAt(point), label: cut(valueLabel(point.value), LABEL_CHARS) })), left, right);
    const rows = Math.max(1, ...placed.map((label) => label.row + 1));
    const nameY = y + 15;
    const trackY = y + NAME_LINE + rows * LABEL_ROW + 8;
    const points = lane.points.map((point, index): DrawnPoint => {
      const x = xOf(point.placement.at);
      const label = placed[index]!;
      return {
        claim_id: point.claim.id,
        x,
        x2: Math.max(xOf(point.placement.until), x + 6),
        precision: point.placement.precision,
        current: point.current,
        firstContradiction: point.firstContradiction,
        label: label.text,
        labelX: label.x,
        labelY: trackY - 10 - label.row * LABEL_ROW,
        title: `${lane.source}: ${valueLabel(point.value)} — ${point.placement.shown}${point.current ? '' : ', since revised'}`,
      };
    });
    const held = points.map((point, index) => ({ x1: point.x, x2: points[index + 1]?.x ?? right, current: point.current }));
    const steps = lane.steps.length > 1 ? ` · revised: ${lane.steps.join(' → ')}` : '';
    const room = Math.floor((right - left) / NAME_CHAR);
    const source = cut(lane.source, room);
    const drawn = { source, steps: cut(steps, Math.max(0, room - [...source].length)), nameY, trackY, bottom: trackY + BELOW_TRACK, held, points };
    y = drawn.bottom;
    return drawn;
  });
  const first = facet.firstContradiction;
  let contradiction: FacetDrawing['contradiction'] = null;
  if (first) {
    const x = xOf(first.at);
    const toTheLeft = x > left + (right - left) * 0.6;
    contradiction = { x, label: `✕ first contradiction, ${first.later.placement.shown}`, labelX: toTheLeft ? x - 5 : x + 5, labelY: AXIS_HEIGHT + 14, anchor: toTheLeft ? 'end' : 'start' };
  }
  return { width, height: y + 4, plot: { left, right, top: AXIS_HEIGHT - 4 }, ticks, lanes, contradiction, description: describeFacet(facet) };
}

/**
 * Rows for labels centred over their points, the nearest row to the track first, so that no two
 * overlap: each goes in the first row where it clears the label before it, else a new row.
 */
function placeLabels(labels: { x: number; label: string }[], left: number, right: number): { text: string; x: number; row: number }[] {
  const rowEnds: number[] = [];
  const placed: { text: string; x: number; row: number }[] = [];
  const leftToRight = labels.map((label, index) => ({ ...label, index })).sort((a, b) => a.x - b.x);
  for (const { x, label, index } of leftToRight) {
    const half = ([...label].length * CHAR + 6) / 2;
    const centre = Math.min(Math.max(x, left + half), right - half);
    let row = rowEnds.findIndex((end) => end + 4 <= centre - half);
    if (row === -1) row = rowEnds.push(0) - 1;
    rowEnds[row] = centre + half;
    placed[index] = { text: label, x: round(centre), row };
  }
  return placed;
}

/** The facet's timeline in a few sentences: the drawing's description, for those who cannot see it. */
export function describeFacet<C>(facet: FacetTimeline<C>): string {
  const { points, lanes, undated } = facet;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const sentences: string[] = [];
  if (points.length > 0) {
    const last = points.at(-1)!;
    const span = points.length === 1 ? `at ${points[0]!.placement.shown}` : `from ${points[0]!.placement.shown} to ${last.placement.shown}`;
    sentences.push(`${plural(points.length, 'dated claim')} by ${plural(lanes.length, 'source')}, ${span}.`);
  }
  for (const lane of lanes) if (lane.steps.length > 1) sentences.push(`${lane.source} revised: ${lane.steps.join(' → ')}.`);
  const first = facet.firstContradiction;
  if (first) {
    sentences.push(
      `The first contradiction appeared at ${first.later.placement.shown}, when ${first.later.source}’s “${valueLabel(first.later.value)}” met ${first.earlier.source}’s “${valueLabel(first.earlier.value)}”.`,
    );
  } else if (facet.unplacedContradictions > 0) {
    sentences.push('The facet has a contradiction, but an undated claim keeps its moment unknown.');
  }
  if (undated.length > 0) sentences.push(`${plural(undated.length, 'undated claim')} listed apart.`);
  return sentences.join(' ');
}
