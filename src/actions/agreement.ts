/**
 * Each source's track record and the source × source agreement matrix: sums, over every live
 * incident, of the tallies stored with the incidents' summaries (see compare/tallies.ts and
 * db/tallies.ts). Incidents not tallied yet are made in the background as summaries are, and the
 * answer says how many are still being counted.
 *
 * A million claims make about 800,000 pair rows, too many to sum in one query without holding the
 * server: they are summed a few incidents per query, from one snapshot, a slice at a time. The sums
 * are kept in memory per database, in parts of INCIDENTS_PER_PART incidents: a write to an incident
 * forgets its part, a write that may touch any (a source) forgets them all, and the next request
 * sums again only what was forgotten. Requests at once share one summing.
 */
import { addPairTallies, addSourceTally, emptyPairTally, emptySourceTally, type PairTally, pairKey, type SourceTally } from '../compare/tallies.js';
import { noBatchOpen } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { onChange } from '../db/history.js';
import { beginSnapshot } from '../db/snapshots.js';
import { listSources, type Source, type SourceKind } from '../db/sources.js';
import { summaryEngine } from '../db/summaries.js';
import { listLiveIncidentIds, listPairTalliesAfter, listTalliedIncidents, sumPairTallies, sumSourceTallies } from '../db/tallies.js';
import { ownTurn, sliceTimer } from '../slices.js';
import { incidentTallies } from './comparisons.js';

/** A source's figures summed across incidents, with the number of incidents it made claims in. */
export type SourceRecord = SourceTally & { incidents: number };

const emptyRecord = (sourceId: number): SourceRecord => ({ ...emptySourceTally(sourceId), incidents: 0 });

/** The sums over every live incident tallied so far. */
export interface AgreementFigures {
  /** Live incidents summed, and live incidents whose tallies are still being made. */
  incidents: number;
  counting: number;
  /** By source id: sources that made or carried a claim in a summed incident. */
  records: Map<number, SourceRecord>;
  /** By `pairKey`: two sources whose current claims met on a facet. */
  pairs: Map<string, PairTally>;
}

/** Incidents whose sums are kept together: a write forgets its incident's part (by id). */
const INCIDENTS_PER_PART = 16;
/** Pair rows summed per query: a few milliseconds' work. */
const ROWS_PER_QUERY = 10_000;
/** Pair sums kept in parts, at most: past it (thousands of sources) only the whole is kept. */
const MAX_KEPT_PAIR_SUMS = 500_000;

interface Part {
  /** The incidents summed, in id order. */
  ids: number[];
  pairs: PairTally[];
  records: SourceRecord[];
}

interface Kept {
  parts: Map<number, Part>;
  /** The whole, while no change has been announced since it was summed with nothing left to count. */
  whole?: AgreementFigures;
  /** Moves with every change announced; `all` with those that may touch any incident, each part's with changes to its incidents. */
  changes: number;
  all: number;
  byPart: Map<number, number>;
  underWay?: { changes: number; done: Promise<AgreementFigures> };
}

const kept = new WeakMap<Database, Kept>();

const partOf = (incidentId: number) => Math.floor(incidentId / INCIDENTS_PER_PART);

function keptFor(db: Database): Kept {
  let entry = kept.get(db);
  if (entry) return entry;
  const fresh: Kept = { parts: new Map(), changes: 0, all: 0, byPart: new Map() };
  kept.set(db, fresh);
  // Also when the write later rolls back: forgetting too much only costs summing again.
  onChange(db, (incidentId) => {
    fresh.changes += 1;
    fresh.whole = undefined;
    if (incidentId === null) {
      fresh.all += 1;
      fresh.parts.clear();
      return;
    }
    const part = partOf(incidentId);
    fresh.byPart.set(part, (fresh.byPart.get(part) ?? 0) + 1);
    fresh.parts.delete(part);
  });
  return fresh;
}

/**
 * The figures across every live incident: kept ones at once; otherwise the incidents not tallied
 * yet are made (waiting up to `waitMs` for them, the rest counted as `counting`) and the stored
 * tallies summed.
 */
export async function agreementFigures(db: Database, { waitMs = 1_000 } = {}): Promise<AgreementFigures> {
  const entry = keptFor(db);
  if (entry.whole) return entry.whole;
  const running = entry.underWay;
  if (running && running.changes === entry.changes) {
    const figures = await running.done;
    // Every request that waited for this summing would otherwise go on in the same turn.
    await ownTurn();
    return figures;
  }
  const done = summedFigures(db, entry, waitMs).finally(() => {
    if (entry.underWay?.done === done) entry.underWay = undefined;
  });
  entry.underWay = { changes: entry.changes, done };
  return done;
}

async function summedFigures(db: Database, entry: Kept, waitMs: number): Promise<AgreementFigures> {
  const engine = summaryEngine();
  await incidentTallies(db, listLiveIncidentIds(db), { waitMs });
  // Only what is committed: the tallies just made are written in the batch open now.
  await noBatchOpen(db);
  const changesAtStart = entry.changes;
  const allAtStart = entry.all;
  const partCountsAtStart = new Map(entry.byPart);
  const snapshot = beginSnapshot(db);
  const figures: AgreementFigures = { incidents: 0, counting: 0, records: new Map(), pairs: new Map() };
  const pause = sliceTimer();
  let keptPairSums = 0;
  const parts = new Set<number>();
  try {
    const tallied = listTalliedIncidents(snapshot.db, engine);
    figures.incidents = tallied.length;
    figures.counting = listLiveIncidentIds(snapshot.db).length - tallied.length;
    for (const [part, incidents] of byPart(tallied)) {
      parts.add(part);
      const ids = incidents.map((incident) => incident.id);
      let summed = entry.parts.get(part);
      if (!summed || !sameIds(summed.ids, ids)) {
        summed = await sumPart(snapshot.db, engine, incidents, snapshot.mayPause ? pause : () => undefined);
        const unchanged = entry.all === allAtStart && (entry.byPart.get(part) ?? 0) === (partCountsAtStart.get(part) ?? 0);
        if (unchanged && keptPairSums + summed.pairs.length <= MAX_KEPT_PAIR_SUMS) entry.parts.set(part, summed);
        else entry.parts.delete(part);
      }
      keptPairSums += summed.pairs.length;
      addPart(figures, summed);
      if (snapshot.mayPause) await pause();
    }
  } finally {
    snapshot.end();
  }
  // Parts whose incidents are all deleted, or not tallied any more.
  for (const part of entry.parts.keys()) if (!parts.has(part)) entry.parts.delete(part);
  if (figures.counting === 0 && entry.changes === changesAtStart) entry.whole = figures;
  return figures;
}

function* byPart(incidents: { id: number; pair_rows: number }[]): Generator<[number, { id: number; pair_rows: number }[]]> {
  let current: { id: number; pair_rows: number }[] = [];
  let part = -1;
  for (const incident of incidents) {
    const its = partOf(incident.id);
    if (its !== part && current.length > 0) {
      yield [part, current];
      current = [];
    }
    part = its;
    current.push(incident);
  }
  if (current.length > 0) yield [part, current];
}

function sameIds(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}

/** One part's incidents summed, ROWS_PER_QUERY pair rows a query; an incident with more is read in pages. */
async function sumPart(db: Database, engine: string, incidents: { id: number; pair_rows: number }[], pause: () => Promise<void> | undefined): Promise<Part> {
  const pairs = new Map<string, PairTally>();
  let batch: number[] = [];
  let batchRows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    addPairTallies(pairs, sumPairTallies(db, engine, batch));
    batch = [];
    batchRows = 0;
    await pause();
  };
  for (const { id, pair_rows } of incidents) {
    if (pair_rows > ROWS_PER_QUERY) {
      await flush();
      for (let after: [number, number] = [0, 0]; ; ) {
        const rows = listPairTalliesAfter(db, engine, id, after[0], after[1], ROWS_PER_QUERY);
        addPairTallies(pairs, rows);
        await pause();
        if (rows.length < ROWS_PER_QUERY) break;
        const last = rows[rows.length - 1]!;
        after = [last.source_a, last.source_b];
      }
      continue;
    }
    if (batchRows + pair_rows > ROWS_PER_QUERY) await flush();
    batch.push(id);
    batchRows += pair_rows;
  }
  await flush();
  const ids = incidents.map((incident) => incident.id);
  return { ids, pairs: [...pairs.values()], records: sumSourceTallies(db, engine, ids) };
}

function addPart(figures: AgreementFigures, part: Part): void {
  for (const row of part.records) {
    let record = figures.records.get(row.source_id);
    if (record === undefined) figures.records.set(row.source_id, (record = emptyRecord(row.source_id)));
    addSourceTally(record, row);
    record.incidents += row.incidents;
  }
  addPairTallies(figures.pairs, part.pairs);
}

/** Two sources' figures, in either order; all zero if their claims never met. */
export function pairFigures(figures: AgreementFigures, a: number, b: number): PairTally {
  return figures.pairs.get(pairKey(a, b)) ?? emptyPairTally(Math.min(a, b), Math.max(a, b));
}

// ---------------------------------------------------------------------------
// As pages and exports show them.

/** Which sources the matrix shows: of one kind, of one affiliation (case and spacing aside). */
export interface AgreementFilters {
  kind?: SourceKind;
  affiliation?: string;
}

/** Sources the matrix page shows at most, those with the most current claims: a table of thousands of columns helps no one. */
export const MATRIX_SOURCES_SHOWN = 50;

export interface MatrixSource extends Source {
  record: SourceRecord;
}

/** One pair of sources as the exports write it. */
export interface AgreementRow {
  source_a_id: number;
  source_a: string;
  source_b_id: number;
  source_b: string;
  agree: number;
  consistent: number;
  contradict: number;
  pairs: number;
}

export interface AgreementMatrix {
  incidents: number;
  counting: number;
  /** Every source the filters let through that spoke in a summed incident, by affiliation then name. */
  sources: MatrixSource[];
  /** The MATRIX_SOURCES_SHOWN of them with the most current claims, in the same order. */
  shown: MatrixSource[];
  /** The affiliations to choose from (every source's, not only those shown). */
  affiliations: string[];
  figures: AgreementFigures;
}

const folded = (text: string | null) => (text ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

function passes(filters: AgreementFilters, source: Source): boolean {
  if (filters.kind !== undefined && source.kind !== filters.kind) return false;
  return filters.affiliation === undefined || folded(source.affiliation) === folded(filters.affiliation);
}

/** Sources of one affiliation side by side (those without one last), by name within it. */
function byAffiliationThenName(a: Source, b: Source): number {
  return (
    Number(!a.affiliation) - Number(!b.affiliation) ||
    (a.affiliation ?? '').localeCompare(b.affiliation ?? '', 'en', { sensitivity: 'base' }) ||
    a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) ||
    a.id - b.id
  );
}

export async function agreementMatrix(db: Database, filters: AgreementFilters, { waitMs = 1_000 } = {}): Promise<AgreementMatrix> {
  const figures = await agreementFigures(db, { waitMs });
  const everySource = listSources(db);
  const sources = everySource
    .filter((source) => passes(filters, source) && (figures.records.get(source.id)?.current ?? 0) > 0)
    .map((source) => ({ ...source, record: figures.records.get(source.id)! }))
    .sort(byAffiliationThenName);
  const busiest = new Set(
    [...sources]
      .sort((a, b) => b.record.current - a.record.current || a.id - b.id)
      .slice(0, MATRIX_SOURCES_SHOWN)
      .map((source) => source.id),
  );
  const affiliations = [...new Map(everySource.filter((source) => source.affiliation).map((source) => [folded(source.affiliation), source.affiliation!])).values()].sort((a, b) =>
    a.localeCompare(b, 'en', { sensitivity: 'base' }),
  );
  return { incidents: figures.incidents, counting: figures.counting, sources, shown: sources.filter((source) => busiest.has(source.id)), affiliations, figures };
}

/** Every two sources of the matrix whose claims met, a row each, by the first source's name then the second's. */
export function* agreementRows(matrix: AgreementMatrix): Generator<AgreementRow> {
  const byName = [...matrix.sources].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id - b.id);
  for (const [index, a] of byName.entries()) {
    for (let next = index + 1; next < byName.length; next++) {
      const b = byName[next]!;
      const { agree, consistent, contradict, pairs } = pairFigures(matrix.figures, a.id, b.id);
      if (pairs > 0) yield { source_a_id: a.id, source_a: a.name, source_b_id: b.id, source_b: b.name, agree, consistent, contradict, pairs };
    }
  }
}

/** A source's track record, and its figures with each other source its claims met. */
export interface TrackRecord {
  incidents: number;
  counting: number;
  record: SourceRecord;
  others: (PairTally & { source: Source })[];
}

export async function sourceTrackRecord(db: Database, source: Source, { waitMs = 1_000 } = {}): Promise<TrackRecord> {
  const figures = await agreementFigures(db, { waitMs });
  const others = listSources(db)
    .filter((other) => other.id !== source.id)
    .map((other) => ({ ...pairFigures(figures, source.id, other.id), source: other }))
    .filter((other) => other.pairs > 0)
    .sort((a, b) => b.pairs - a.pairs || a.source.name.localeCompare(b.source.name, 'en', { sensitivity: 'base' }));
  return {
    incidents: figures.incidents,
    counting: figures.counting,
    record: figures.records.get(source.id) ?? emptyRecord(source.id),
    others,
  };
}
