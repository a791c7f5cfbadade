/**
 * The comparison of an incident as pages and JSON: the "compare wording" view of a pair of claims,
 * and the analyst's overrides of how a pair relates (forms and API share the schema and the checks).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Response, Router } from 'express';
import { type ClaimPair, compareIncident, type ComparedClaim, type IncidentComparison, type IncidentSummary } from '../compare/comparison.js';
import { formatInterval } from '../compare/values.js';
import { compareWording } from '../compare/wording.js';
import { type ClaimRow, listClaimsForIncident } from '../db/claims.js';
import type { Database } from '../db/database.js';
import type { Incident } from '../db/incidents.js';
import { onChange } from '../db/history.js';
import { listOverrides, removeOverride, setOverride, type StoredOverride } from '../db/overrides.js';
import { listSourcesByIds, type Source } from '../db/sources.js';
import { listStoredSummaries, storeSummary } from '../db/summaries.js';
import { HttpError } from './errors.js';
import { findIncident } from './lookups.js';
import { ClaimPairInput, messagesByField, parseInput, RelationInput } from './schemas.js';

/**
 * Comparisons already computed, per database and incident, most recently used last. Any write
 * forgets the incidents it touches (see `forgetComparisonsOnChange`), so a page never shows a comparison older than the data.
 * Bounded by the claims it holds, so a large database cannot fill the memory with old comparisons.
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

export function forgetComparisons(db: Database): void {
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
 * The comparison code's fingerprint: a hash of its source files, so that summaries stored by another
 * version of it (which may read "100s" differently, say) are made again rather than trusted.
 */
const ENGINE = (() => {
  const directory = fileURLToPath(new URL('../compare/', import.meta.url));
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(directory).sort()) hash.update(file).update(fs.readFileSync(path.join(directory, file)));
  return hash.digest('base64url').slice(0, 16);
})();

/**
 * Incidents' summaries for the list of incidents: stored ones as they are; the others from the cached
 * comparison, or from a comparison made for the purpose and dropped once counted (a list of a
 * thousand incidents must not pull a million claims into the cache), and then stored.
 */
export function incidentSummaries(db: Database, incidentIds: number[]): Map<number, IncidentSummary> {
  const stored = listStoredSummaries(db, ENGINE);
  // One transaction for all that are missing: after an upgrade that is every incident.
  db.transaction(() => {
    for (const incidentId of incidentIds) {
      if (stored.has(incidentId)) continue;
      const summary =
        comparisonCache.get(db)?.get(incidentId)?.comparison.summary ??
        compareFromDatabase(db, incidentId).comparison.summary;
      storeSummary(db, incidentId, ENGINE, summary);
      stored.set(incidentId, summary);
    }
  })();
  return stored;
}

export function compareIncidentClaims(db: Database, incidentId: number): IncidentComparison<ClaimRow> {
  return cachedEntry(db, incidentId).comparison;
}

/** The sources the incident's claims name, as compared. */
export function comparedSources(db: Database, incidentId: number): Source[] {
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

export interface PairInContext {
  facet: string;
  pair: ClaimPair;
  left: ComparedClaim<ClaimRow>;
  right: ComparedClaim<ClaimRow>;
}

/** The pair of claims {a, b} as the comparison sees it, or a 400 naming why it is not one. */
export function findPair(comparison: IncidentComparison<ClaimRow>, a: number, b: number): PairInContext {
  const [low, high] = a < b ? [a, b] : [b, a];
  for (const facet of comparison.facets) {
    const pair = facet.pairs.find((candidate) => candidate.a === low && candidate.b === high);
    if (!pair) continue;
    const claim = (id: number) => facet.claims.find((compared) => compared.claim.id === id)!;
    return { facet: facet.facet, pair, left: claim(low), right: claim(high) };
  }
  const message =
    `Claims ${a} and ${b} are not a pair in this incident's comparison: ` +
    'both must be current claims of different sources on the same facet';
  throw new HttpError(400, message, [{ path: 'b', message }]);
}

/** Validates an override and stores it. Shared by the form and the API. */
export function saveOverride(db: Database, incident: Incident, body: unknown, actor: number): StoredOverride {
  const input = parseInput(RelationInput, body, 'relation');
  const { pair } = findPair(compareIncidentClaims(db, incident.id), input.a, input.b);
  if (input.based_on !== undefined && input.based_on !== (pair.overridden_at ?? 'none')) {
    const theirs = pair.origin === 'analyst' ? `"${pair.relation}" (${pair.reason})` : 'none';
    throw new HttpError(
      409,
      `${pair.overridden_by ?? 'Someone'} changed the judgement of this pair after you opened it; it is now ${theirs}. Nothing was overwritten: look again, then save.`,
      [{ path: 'relation', message: 'Changed by someone else since you opened this page' }],
    );
  }
  return setOverride(db, incident.id, input, input.relation, input.reason, actor);
}

/** Removes the override of a pair; the automatic relation applies again. */
export function dropOverride(db: Database, incident: Incident, body: unknown, actor: number): void {
  const pair = parseInput(ClaimPairInput, body, 'pair');
  if (!removeOverride(db, incident.id, pair, actor)) {
    throw new HttpError(404, `No override is set for claims ${pair.a} and ${pair.b}`);
  }
}

function comparedClaimJson({ claim, value, current, superseded_by, status, corroborated_by }: ComparedClaim<ClaimRow>) {
  return {
    id: claim.id,
    source_id: claim.source_id,
    source: claim.source_name,
    via_source_id: claim.via_source_id,
    via: claim.via_name,
    text: claim.text,
    quote: claim.quote,
    value,
    published_at: claim.published_at,
    current,
    superseded_by,
    status,
    corroborated_by,
  };
}

/** GET /api/incidents/:id/comparison: the contract other tools rely on (see README). */
export function comparisonJson(incident: Incident, sources: Source[], comparison: IncidentComparison<ClaimRow>) {
  return {
    incident,
    sources,
    summary: comparison.summary,
    facets: comparison.facets.map((facet) => ({
      facet: facet.facet,
      status: facet.status,
      claims: facet.claims.map(comparedClaimJson),
      pairs: facet.pairs.map(({ a, b, relation, origin, reason, auto, overridden_at, overridden_by }) => ({
        a,
        b,
        relation,
        origin,
        reason,
        auto,
        overridden_at,
        overridden_by,
      })),
      revisions: facet.revisions,
    })),
  };
}

/** The compare-wording page of a pair, with the override form showing `values` and `errors`. */
function showPair(
  db: Database,
  response: Response,
  incident: Incident,
  pairIds: { a: number; b: number },
  form?: { values: unknown; errors: Record<string, string>; status: number; problem: string },
): void {
  const found = findPair(compareIncidentClaims(db, incident.id), pairIds.a, pairIds.b);
  response.status(form?.status ?? 200).render('compare', {
    incident,
    ...found,
    statements: compareWording(found.left.claim.text, found.right.claim.text),
    quotes:
      found.left.claim.quote && found.right.claim.quote ? compareWording(found.left.claim.quote, found.right.claim.quote) : null,
    readings: [formatInterval(found.left.value), formatInterval(found.right.value)],
    values: form?.values ?? { relation: found.pair.relation, reason: found.pair.reason ?? '' },
    errors: form?.errors ?? {},
    problem: form?.problem,
  });
}

export function comparisonRoutes(db: Database): Router {
  const router = Router();
  const comparePage = (incident: Incident, pair: { a: number; b: number }) =>
    `/incidents/${encodeURIComponent(incident.slug)}/compare?a=${pair.a}&b=${pair.b}`;

  router.get('/incidents/:slug/compare', (request, response) => {
    const incident = findIncident(db, request.params.slug);
    showPair(db, response, incident, parseInput(ClaimPairInput, request.query, 'pair'));
  });

  router.post('/incidents/:slug/relations', (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const pair = parseInput(ClaimPairInput, request.body, 'pair');
    try {
      saveOverride(db, incident, request.body, response.locals.user!.id);
    } catch (error) {
      if (!(error instanceof HttpError) || error.issues.length === 0) throw error;
      // Keep the analyst's reason and choice on the page, with the problem named beside the field.
      showPair(db, response, incident, pair, { values: request.body, errors: messagesByField(error.issues), status: error.status, problem: error.message });
      return;
    }
    response.redirect(303, comparePage(incident, pair));
  });

  router.post('/incidents/:slug/relations/delete', (request, response) => {
    const incident = findIncident(db, request.params.slug);
    const pair = parseInput(ClaimPairInput, request.body, 'pair');
    dropOverride(db, incident, pair, response.locals.user!.id);
    response.redirect(303, comparePage(incident, pair));
  });

  return router;
}
