/**
 * Incidents' comparisons as the pages and the API read them: computed from the database, kept per
 * incident until a write touches it, and summarised for the list of incidents (stored in the
 * database, so the list need not compare every incident after a restart; see
 * docs/decisions/002-stored-incident-summaries.md).
 */
import { compareIncident, type IncidentComparison, type IncidentSummary } from '../compare/comparison.js';
import { COMPARISON_RULES_VERSION } from '../compare/version.js';
import { type ClaimRow, listClaimsForIncident } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { onChange } from '../db/history.js';
import { listOverrides } from '../db/overrides.js';
import { listSourcesByIds, type Source } from '../db/sources.js';
import { listStoredSummaries, storeSummary } from '../db/summaries.js';

/** Summaries are stored under the rules that made them: another version reads values differently. */
const RULES = String(COMPARISON_RULES_VERSION);

/**
 * Comparisons already computed, per database and incident, most recently used last. Any write
 * forgets the incidents it touches (see `forgetComparisonsOnChange`), so a page never shows a
 * comparison older than the data. Bounded by the claims it holds, so a large database cannot fill
 * the memory with old comparisons.
 */
interface CachedComparison {
  comparison: IncidentComparison<ClaimRow>;
  /** The sources the claims name, as their source or as the outlet they came through. */
  sources: Source[];
  claims: number;
  /** Rendered pieces of the incident page that depend only on the comparison (see `cachedFragment`). */
  fragments: Map<string, unknown>;
}

const comparisonCache = new WeakMap<Database, Map<number, CachedComparison>>();
const MAX_CACHED_CLAIMS = 100_000;

function forgetComparisons(db: Database): void {
  comparisonCache.delete(db);
}

const watched = new WeakSet<Database>();

/**
 * Keeps the caches true to the data: every recorded write forgets what it may have changed, the
 * incident it touched or, for a source, every incident. Also when the write's transaction later
 * rolls back: forgetting too much only costs a recomputation.
 */
export function forgetComparisonsOnChange(db: Database): void {
  if (watched.has(db)) return;
  watched.add(db);
  onChange(db, (incidentId) => {
    if (incidentId === null) return forgetComparisons(db);
    comparisonCache.get(db)?.delete(incidentId);
  });
}

/**
 * Incidents' summaries for the list of incidents: stored ones as they are; the others from the cached
 * comparison, or from a comparison made for the purpose and dropped once counted (a list of a
 * thousand incidents must not pull a million claims into the cache), and then stored.
 */
export function incidentSummaries(db: Database, incidentIds: number[]): Map<number, IncidentSummary> {
  const stored = listStoredSummaries(db, RULES);
  const made = new Map<number, IncidentSummary>();
  for (const incidentId of incidentIds) {
    if (stored.has(incidentId)) continue;
    const summary = comparisonCache.get(db)?.get(incidentId)?.comparison.summary ?? compareFromDatabase(db, incidentId).comparison.summary;
    made.set(incidentId, summary);
    stored.set(incidentId, summary);
  }
  if (made.size > 0) keepSummaries(db, made);
  return stored;
}

/**
 * Stores summaries for the next time, in one transaction (after an upgrade that is every incident).
 * A cache: if the disk refuses the write (full, failing, locked by another program), the list is
 * served all the same and the summaries are made again next time.
 */
function keepSummaries(db: Database, summaries: Map<number, IncidentSummary>): void {
  try {
    db.transaction(() => {
      for (const [incidentId, summary] of summaries) storeSummary(db, incidentId, RULES, summary);
    })();
  } catch (error) {
    console.error(`Could not store ${summaries.size} incident summaries (they will be made again):`, error instanceof Error ? error.message : error);
  }
}

export function getComparison(db: Database, incidentId: number): IncidentComparison<ClaimRow> {
  return cachedEntry(db, incidentId).comparison;
}

/** The sources the incident's claims name, as compared. */
export function getComparedSources(db: Database, incidentId: number): Source[] {
  return cachedEntry(db, incidentId).sources;
}

/** The incident's live claims, the sources they name (read by id, not by scanning the claims again), and their comparison. */
function compareFromDatabase(db: Database, incidentId: number) {
  const claims = listClaimsForIncident(db, incidentId);
  const ids = new Set<number>();
  for (const claim of claims) {
    ids.add(claim.source_id);
    if (claim.via_source_id !== null) ids.add(claim.via_source_id);
  }
  const sources = listSourcesByIds(db, ids);
  return { claims, sources, comparison: compareIncident(claims, sources, listOverrides(db, incidentId)) };
}

/**
 * A rendered piece of the incident page, kept with the comparison it shows and forgotten with it.
 * `key` must name everything besides the comparison that the piece depends on.
 */
export async function cachedFragment<Fragment>(db: Database, incidentId: number, key: string, render: () => Promise<Fragment>): Promise<Fragment> {
  const entry = cachedEntry(db, incidentId);
  let fragment = entry.fragments.get(key) as Fragment | undefined;
  if (fragment === undefined) {
    fragment = await render();
    // A write during the render forgot the entry: keep nothing built from the old data.
    if (comparisonCache.get(db)?.get(incidentId) === entry) entry.fragments.set(key, fragment);
  }
  return fragment;
}

function cachedEntry(db: Database, incidentId: number): CachedComparison {
  let cached = comparisonCache.get(db);
  if (!cached) comparisonCache.set(db, (cached = new Map()));
  const hit = cached.get(incidentId);
  if (hit) {
    cached.delete(incidentId);
    cached.set(incidentId, hit);
    return hit;
  }
  const { comparison, sources, claims } = compareFromDatabase(db, incidentId);
  const entry = { comparison, sources, claims: claims.length, fragments: new Map<string, unknown>() };
  cached.set(incidentId, entry);
  let held = 0;
  for (const other of cached.values()) held += other.claims;
  for (const [oldest, old] of cached) {
    if (held <= MAX_CACHED_CLAIMS || oldest === incidentId) break;
    cached.delete(oldest);
    held -= old.claims;
  }
  return entry;
}
