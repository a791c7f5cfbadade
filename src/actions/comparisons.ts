/**
 * Incidents' comparisons as the pages and the API read them: computed from the database, kept per
 * incident until a write touches it, and summarised for the list of incidents (stored in the
 * database, so the list need not compare every incident after a restart; see
 * docs/decisions/002-stored-incident-summaries.md).
 *
 * A large incident is read and compared a slice at a time, from a snapshot of the database, so that
 * other requests are served meanwhile (see docs/decisions/012-large-incidents-in-slices.md).
 */
import {
  compareIncident,
  compareIncidentStepwise,
  type FacetComparison,
  type IncidentComparison,
} from '../compare/comparison.js';
import { type IncidentTallies, tallyIncidentStepwise, tallyRows } from '../compare/tallies.js';
import { type AssessmentRow, listAssessments } from '../db/assessments.js';
import { type ClaimRow, listClaimsForFacet, listClaimsForIncidentInBatches } from '../db/claims.js';
import { joinWriteBatchIfBatching, openBatchCommit } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { onChange } from '../db/history.js';
import { listFacetLinks } from '../db/facet-links.js';
import { listOverrides } from '../db/overrides.js';
import { beginSnapshot } from '../db/snapshots.js';
import { listSourcesByIds, type Source } from '../db/sources.js';
import { type IncidentCounts, listStoredSummaries, storeSummary, summaryEngine } from '../db/summaries.js';
import { deleteTallyRows, insertPairTallies, insertSourceTallies, isTallied, listTalliedIncidentIds, markTallied, storeFacetStatuses } from '../db/tallies.js';
import { BACKGROUND_REST_MS, inSlices, ownTurn, sliceTimer } from '../slices.js';

/** Summaries are stored under the rules that made them: another version reads values differently. */
const RULES = summaryEngine();

/** Claims read per query while loading an incident: a few milliseconds' work each. */
const CLAIMS_PER_READ = 1_000;

/** An incident's comparison with what the pages build from it. */
export interface LoadedComparison {
  comparison: IncidentComparison<ClaimRow, AssessmentRow>;
  /** The sources the claims name, as their source or as the outlet they came through. */
  sources: Source[];
  /** The summary with the incident's size, as the list of incidents shows it. */
  counts: IncidentCounts;
  /** What the comparison says of each source and each two sources, stored with the summary (see compare/tallies.ts). */
  tallies: IncidentTallies;
  /**
   * Rendered pieces of the incident page that depend only on the comparison (see `keepFragment`),
   * kept with it and forgotten with it.
   */
  fragments: Map<string, unknown>;
}

/**
 * Comparisons already computed, per database and incident, most recently used last. Any write
 * forgets the incidents it touches (see `forgetComparisonsOnChange`), so a page never shows a
 * comparison older than the data. Bounded by the claims it holds, so a large database cannot fill
 * the memory with old comparisons.
 */
const comparisonCache = new WeakMap<Database, Map<number, LoadedComparison>>();
const MAX_CACHED_CLAIMS = 100_000;

/**
 * How many changes each incident has seen (and `all`, changes that may touch any incident): a
 * comparison loaded while its incident changed is served to the request that asked for it (it is
 * one consistent snapshot) but not kept, nor its summary stored.
 */
interface Changes {
  all: number;
  byIncident: Map<number, number>;
}
const changesSeen = new WeakMap<Database, Changes>();

/**
 * A number that moves with every change announced for the incident (or for any): what was made
 * from data read when it was N may be kept only while it is still N.
 */
export function incidentChanges(db: Database, incidentId: number): number {
  const changes = changesSeen.get(db);
  return changes === undefined ? 0 : changes.all + (changes.byIncident.get(incidentId) ?? 0);
}

/** Loads under way, per incident, with the change count they started at: requests at once share one. */
const loadsUnderWay = new WeakMap<Database, Map<number, { changes: number; done: Promise<LoadedComparison> }>>();

/**
 * Keeps the caches true to the data: every recorded write forgets what it may have changed, the
 * incident it touched or, for a source, every incident. Also when the write's transaction later
 * rolls back: forgetting too much only costs a recomputation.
 */
export function forgetComparisonsOnChange(db: Database): void {
  if (changesSeen.has(db)) return;
  const changes: Changes = { all: 0, byIncident: new Map() };
  changesSeen.set(db, changes);
  onChange(db, (incidentId) => {
    if (incidentId === null) {
      changes.all += 1;
      comparisonCache.delete(db);
      return;
    }
    changes.byIncident.set(incidentId, (changes.byIncident.get(incidentId) ?? 0) + 1);
    comparisonCache.get(db)?.delete(incidentId);
  });
}

/**
 * The incident's comparison: the cached one, or one loaded now, a slice at a time (resting between
 * slices with `background`, for work no request waits for). `keep: false`
 * loads without caching (the list of incidents must not pull a million claims into the cache).
 */
export async function loadComparison(db: Database, incidentId: number, { keep = true, background = false } = {}): Promise<LoadedComparison> {
  let underWay = loadsUnderWay.get(db);
  if (!underWay) loadsUnderWay.set(db, (underWay = new Map()));
  for (;;) {
    const hit = comparisonCache.get(db)?.get(incidentId);
    if (hit) {
      touch(db, incidentId, hit);
      return hit;
    }
    const running = underWay.get(incidentId);
    if (running && running.changes === incidentChanges(db, incidentId)) {
      const loaded = await running.done;
      // Every request that waited for this load would otherwise go on in the same turn.
      await ownTurn();
      return loaded;
    }
    // Read only what is committed: a write of the batch open now could still be rolled back. The
    // load begins in the same turn as the last look at the batches, the cache and the loads under way.
    const open = openBatchCommit(db);
    if (!open) break;
    await open.catch(() => {});
  }
  const changes = incidentChanges(db, incidentId);
  const done = loadFromDatabase(db, incidentId, background).finally(() => {
    if (underWay.get(incidentId)?.done === done) underWay.delete(incidentId);
  });
  underWay.set(incidentId, { changes, done });
  const loaded = await done;
  if (keep && changes === incidentChanges(db, incidentId)) remember(db, incidentId, loaded);
  return loaded;
}

/** Whether `loaded` is still the incident's comparison: no write has touched the incident since. */
function isCurrent(db: Database, incidentId: number, loaded: LoadedComparison): boolean {
  return comparisonCache.get(db)?.get(incidentId) === loaded;
}

/**
 * The incident's live claims, the sources they name, its judgements and facet notes, and their comparison: read from one snapshot CLAIMS_PER_READ claims at a time,
 * and compared a slice at a time.
 */
async function loadFromDatabase(db: Database, incidentId: number, background: boolean): Promise<LoadedComparison> {
  const snapshot = beginSnapshot(db);
  let claims: ClaimRow[] = [];
  let sources: Source[];
  let overrides;
  let notes;
  // One timer for the read and the comparison, so that the end of one and the start of the other
  // do not add up to two slices in one turn.
  const pause = sliceTimer({ restMs: background ? BACKGROUND_REST_MS : 0 });
  try {
    for (const batch of listClaimsForIncidentInBatches(snapshot.db, incidentId, CLAIMS_PER_READ)) {
      claims = claims.length === 0 ? batch : claims.concat(batch);
      if (snapshot.mayPause) await pause();
    }
    sources = sourcesNamedBy(snapshot.db, claims);
    overrides = listOverrides(snapshot.db, incidentId);
    notes = { links: listFacetLinks(snapshot.db, incidentId), assessments: listAssessments(snapshot.db, incidentId) };
  } finally {
    snapshot.end();
  }
  const comparison = await inSlices(compareIncidentStepwise(claims, sources, overrides, notes), pause);
  const tallies = await inSlices(tallyIncidentStepwise(comparison), pause);
  const speakers = new Set(claims.map((claim) => claim.source_id)).size;
  const counts = { ...comparison.summary, claims: claims.length, sources: speakers };
  return { comparison, sources, counts, tallies, fragments: new Map() };
}

/** The sources the claims name, as their source or as the outlet they came through: read by id, not by scanning the claims again. */
function sourcesNamedBy(db: Database, claims: ClaimRow[]): Source[] {
  const ids = new Set<number>();
  for (const claim of claims) {
    ids.add(claim.source_id);
    if (claim.via_source_id !== null) ids.add(claim.via_source_id);
  }
  return listSourcesByIds(db, ids);
}

function remember(db: Database, incidentId: number, loaded: LoadedComparison): void {
  let cached = comparisonCache.get(db);
  if (!cached) comparisonCache.set(db, (cached = new Map()));
  cached.set(incidentId, loaded);
  let held = 0;
  for (const other of cached.values()) held += other.counts.claims;
  for (const [oldest, old] of cached) {
    if (held <= MAX_CACHED_CLAIMS || oldest === incidentId) break;
    cached.delete(oldest);
    held -= old.counts.claims;
  }
}

/** Marks the entry most recently used. */
function touch(db: Database, incidentId: number, loaded: LoadedComparison): void {
  const cached = comparisonCache.get(db)!;
  cached.delete(incidentId);
  cached.set(incidentId, loaded);
}

/** The incident's comparison if it is loaded and current; undefined otherwise (then `loadComparison` it). */
export function getLoadedComparison(db: Database, incidentId: number): LoadedComparison | undefined {
  return comparisonCache.get(db)?.get(incidentId);
}

/** Keeps a piece of the incident page made from `loaded`, unless a write has forgotten `loaded` since. */
export function keepFragment(db: Database, incidentId: number, loaded: LoadedComparison, key: string, fragment: unknown): void {
  if (isCurrent(db, incidentId, loaded)) loaded.fragments.set(key, fragment);
}

/**
 * One facet of the incident, compared on its own (a facet's comparison depends on its own claims
 * only): for the pages and checks about one facet, without loading the whole incident.
 */
export function compareOneFacet(db: Database, incidentId: number, facetKey: string): FacetComparison<ClaimRow> | undefined {
  const claims = listClaimsForFacet(db, incidentId, facetKey);
  const [facet] = compareIncident(claims, sourcesNamedBy(db, claims), listOverrides(db, incidentId)).facets;
  return facet;
}

/** The incidents' summaries for the list of incidents, and how many are still being made. */
export interface Summaries {
  ready: Map<number, IncidentCounts>;
  /** Incidents whose summary is being made in the background: the list shows them as counting. */
  counting: number;
}

/** Summary-making under way, per database: one at a time, whatever number of lists are asked for. */
const summarising = new WeakMap<Database, Promise<void>>();

/**
 * Incidents' summaries for the list of incidents: stored ones and those of cached comparisons at
 * once; the others are made (compared a slice at a time, then stored for next time) while the list
 * waits up to `waitMs`, and go on being made in the background after that, so a list after an
 * upgrade (every incident to compare) answers with what is ready.
 */
export async function incidentSummaries(db: Database, incidentIds: number[], { waitMs = 1_000 } = {}): Promise<Summaries> {
  const ready = await whenMade(db, incidentIds, waitMs, () => readySummaries(db, incidentIds));
  return { ready, counting: countMissing(incidentIds, ready) };
}

/** The incidents whose tallies are stored, and how many of those asked for are still being made. */
export interface Tallied {
  ready: Set<number>;
  counting: number;
}

/**
 * Which of the incidents have their tallies stored, for sums over stored rows (a source's track
 * record, the agreement matrix). The others are made with their summaries, by the same work (a
 * comparison that is only cached is stored from the cache), while the caller waits up to
 * `waitMs`, and in the background after that.
 */
export async function incidentTallies(db: Database, incidentIds: number[], { waitMs = 1_000 } = {}): Promise<Tallied> {
  const ready = await whenMade(db, incidentIds, waitMs, () => new Set(listTalliedIncidentIds(db, RULES)));
  return { ready, counting: countMissing(incidentIds, ready) };
}

function countMissing(incidentIds: number[], ready: { has(id: number): boolean }): number {
  return incidentIds.reduce((missing, id) => missing + (ready.has(id) ? 0 : 1), 0);
}

/**
 * What `readyOf` finds ready once the summaries (and tallies) of `incidentIds` are made, or once
 * `waitMs` has passed: the making goes on in the background.
 */
async function whenMade<Ready extends { has(id: number): boolean }>(db: Database, incidentIds: number[], waitMs: number, readyOf: () => Ready): Promise<Ready> {
  storeMadeSummaries(db);
  const deadline = performance.now() + waitMs;
  // A round waits for the summary-making under way, which may have begun for other incidents (an
  // earlier list): the second round's covers these. One that failed is not tried a third time.
  for (let round = 1; ; round++) {
    const ready = readyOf();
    const missing = incidentIds.filter((id) => !ready.has(id));
    const left = deadline - performance.now();
    if (missing.length === 0 || left <= 0 || round > 2) return ready;
    let making = summarising.get(db);
    if (!making) {
      making = makeSummaries(db, missing).finally(() => summarising.delete(db));
      summarising.set(db, making);
    }
    if (left === Infinity) {
      await making;
      continue;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([making.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, left, true)))]);
    clearTimeout(timer);
    if (timedOut) return readyOf();
  }
}

/**
 * Summaries made in this process, with the incident's change count they were made at: the list
 * shows them even when the disk would not store them.
 */
const madeSummaries = new WeakMap<Database, Map<number, MadeSummary>>();

interface MadeSummary {
  changes: number;
  summary: IncidentCounts;
  tallies: IncidentTallies;
}

/**
 * Source and pair rows stored in one transaction with their summary, at most: an incident of
 * thousands of sources has millions, stored after it a piece at a time (see `storeLargeTallies`).
 */
const TALLY_ROWS_PER_WRITE = 2_000;

/** Tallies to store a piece at a time, with the incident's change count they were made at. */
const largeTallies = new WeakMap<Database, Map<number, MadeSummary>>();

function readySummaries(db: Database, incidentIds: number[]): Map<number, IncidentCounts> {
  const stored = listStoredSummaries(db, RULES);
  const cached = comparisonCache.get(db);
  const made = madeSummaries.get(db);
  for (const id of incidentIds) {
    if (stored.has(id)) continue;
    const madeHere = made?.get(id);
    const summary = cached?.get(id)?.counts ?? (madeHere?.changes === incidentChanges(db, id) ? madeHere.summary : undefined);
    if (summary) stored.set(id, summary);
  }
  return stored;
}

/**
 * Makes and stores the summaries of the incidents that have none. A cache: if the disk refuses the
 * write (full, failing, locked by another program), the summaries are kept in memory and stored
 * when it takes them. A summary of an incident written to meanwhile is neither kept nor stored.
 */
async function makeSummaries(db: Database, incidentIds: number[]): Promise<void> {
  for (const incidentId of incidentIds) {
    // The server may be shutting down.
    if (!db.open) return;
    // A summary shown from a cached comparison is not stored yet, nor are its tallies.
    if (isTallied(db, incidentId, RULES) && readySummaries(db, [incidentId]).has(incidentId)) continue;
    if (largeTallies.get(db)?.has(incidentId)) continue;
    const changes = incidentChanges(db, incidentId);
    let loaded: LoadedComparison;
    try {
      loaded = await loadComparison(db, incidentId, { keep: false, background: true });
    } catch (error) {
      console.error(`Could not summarise incident ${incidentId} for the list of incidents:`, error instanceof Error ? error.message : error);
      continue;
    }
    if (changes !== incidentChanges(db, incidentId) || !db.open) continue;
    let made = madeSummaries.get(db);
    if (!made) madeSummaries.set(db, (made = new Map()));
    made.set(incidentId, { changes, summary: loaded.counts, tallies: loaded.tallies });
    storeMadeSummaries(db);
    await storeLargeTallies(db);
  }
}

/** Stores the summaries made but not yet stored (the disk refused them before), dropping those of incidents changed since. */
function storeMadeSummaries(db: Database): void {
  const made = madeSummaries.get(db);
  if (!made || made.size === 0 || !db.open) return;
  for (const [incidentId, { changes }] of made) if (changes !== incidentChanges(db, incidentId)) made.delete(incidentId);
  try {
    joinWriteBatchIfBatching(db);
    const large: [number, MadeSummary][] = [];
    db.transaction(() => {
      for (const [incidentId, entry] of made) {
        storeSummary(db, incidentId, RULES, entry.summary);
        storeFacetStatuses(db, incidentId, RULES, entry.tallies.facets);
        // Old rows are replaced here only if they are few too.
        if (tallyRows(entry.tallies) > TALLY_ROWS_PER_WRITE || deleteTallyRows(db, incidentId, TALLY_ROWS_PER_WRITE) === TALLY_ROWS_PER_WRITE) {
          large.push([incidentId, entry]);
          continue;
        }
        insertSourceTallies(db, incidentId, RULES, entry.tallies.sources);
        insertPairTallies(db, incidentId, RULES, entry.tallies.pairs);
        markTallied(db, incidentId, RULES, entry.tallies.pairs.length);
      }
    })();
    made.clear();
    if (large.length > 0) {
      let queue = largeTallies.get(db);
      if (!queue) largeTallies.set(db, (queue = new Map()));
      for (const [incidentId, entry] of large) queue.set(incidentId, entry);
    }
  } catch (error) {
    console.error(`Could not store the summary of ${made.size} incident(s) (kept in memory, stored when the disk takes them):`, error instanceof Error ? error.message : error);
  }
}

/**
 * Stores the tallies too large for one transaction, TALLY_ROWS_PER_WRITE rows a turn of the event
 * loop: the incident's old rows deleted (with its mark, so that none of them counts meanwhile), the
 * new ones written, and the mark last. An incident written to meanwhile is left unmarked; its next
 * tally replaces what was written.
 */
async function storeLargeTallies(db: Database): Promise<void> {
  const queue = largeTallies.get(db);
  for (const [incidentId, entry] of queue ?? []) {
    queue!.delete(incidentId);
    try {
      await storeTalliesInPieces(db, incidentId, entry);
    } catch (error) {
      console.error(`Could not store the tallies of incident ${incidentId} (made again when next needed):`, error instanceof Error ? error.message : error);
    }
  }
}

async function storeTalliesInPieces(db: Database, incidentId: number, { changes, tallies }: MadeSummary): Promise<void> {
  /** Writes one piece in a turn of its own, unless the incident has changed since its tallies were made. */
  const write = async (piece: () => void): Promise<boolean> => {
    await ownTurn();
    if (!db.open || changes !== incidentChanges(db, incidentId)) return false;
    joinWriteBatchIfBatching(db);
    db.transaction(piece)();
    return true;
  };
  let more = true;
  while (more) if (!(await write(() => (more = deleteTallyRows(db, incidentId, TALLY_ROWS_PER_WRITE) === TALLY_ROWS_PER_WRITE)))) return;
  for (let start = 0; start < tallies.sources.length; start += TALLY_ROWS_PER_WRITE) {
    if (!(await write(() => insertSourceTallies(db, incidentId, RULES, tallies.sources.slice(start, start + TALLY_ROWS_PER_WRITE))))) return;
  }
  for (let start = 0; start < tallies.pairs.length; start += TALLY_ROWS_PER_WRITE) {
    if (!(await write(() => insertPairTallies(db, incidentId, RULES, tallies.pairs.slice(start, start + TALLY_ROWS_PER_WRITE))))) return;
  }
  await write(() => markTallied(db, incidentId, RULES, tallies.pairs.length));
}
