import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { type AgreementMatrix, agreementMatrix, agreementRows } from '../actions/agreement.js';
import { loadComparison } from '../actions/comparisons.js';
import { requireIncidentBySlug } from '../actions/incidents.js';
import { AgreementQuery, parseInput } from '../actions/schemas.js';
import { claimExportChunks, csvField, ROWS_PER_CHUNK } from '../actions/exports.js';
import type { ClaimPair, FacetComparison, Relation } from '../compare/comparison.js';
import type { ClaimRow } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { type Incident, listIncidents } from '../db/incidents.js';
import { TooBusy } from '../errors.js';
import { ownTurn } from '../slices.js';
import { dataTag, type Handler, pathParam } from './context.js';
import { positionLetter } from './grid.js';
import { incidentGraphChunks } from './jsonld.js';
import { committedBatches } from './streaming.js';

/**
 * Streams rows to the client as it reads them: pipeline() waits while the socket's buffer is full,
 * so a whole-database export holds a batch of rows in memory, not the database.
 */
async function sendExport(
  request: Request,
  response: Response,
  db: Database,
  incidentId: number | undefined,
  filename: string,
  format: 'csv' | 'json',
): Promise<void> {
  response.set('ETag', `W/"${format}-${incidentId ?? 'all'}-${dataTag(db)}"`);
  if (request.fresh) {
    response.status(304).end();
    return;
  }
  response.attachment(`${filename}.${format}`);
  response.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  // HEAD asks for the headers only: no need to read a million rows to send none of them.
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const chunks = claimExportChunks(db, incidentId, format, (batches) => committedBatches(db, batches));
  // One chunk read ahead, not sixteen: the socket's own buffer is the queue.
  await pipeline(Readable.from(chunks, { highWaterMark: 1 }), response);
}

export const allClaims = (format: 'csv' | 'json'): Handler => async (request, response, { db }) => {
  await sendExport(request, response, db, undefined, 'claimgrid-claims', format);
};

export const incidentClaims = (format: 'csv' | 'json'): Handler => async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  await sendExport(request, response, db, incident.id, `${incident.slug}-claims`, format);
};

/** The incident as schema.org JSON-LD (web/jsonld.ts), its claims read and sent as the exports are. */
export const incidentJsonLd: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  response.set('ETag', `W/"jsonld-${incident.id}-${dataTag(db)}"`);
  if (request.fresh) return void response.status(304).end();
  response.type('application/ld+json; charset=utf-8');
  if (request.method === 'HEAD') return void response.end();
  await pipeline(Readable.from(incidentGraphChunks(db, incident), { highWaterMark: 1 }), response);
};

/** The comparison export's columns: one row per claim of each facet, current or superseded. */
export const COMPARISON_COLUMNS = [
  'incident_id', 'incident_slug', 'facet', 'facet_status', 'claim_id', 'source_id', 'source', 'via', 'value', 'value_low', 'value_high',
  'current', 'superseded_by', 'claim_status', 'position', 'pairs', 'agree', 'consistent', 'contradict', 'unassessed', 'unrelated', 'corroborated_by',
] as const;

/** The pairs export's columns: one row per pair of current claims of a facet. */
export const PAIR_COLUMNS = [
  'incident_id', 'incident_slug', 'facet', 'claim_a', 'source_a', 'value_a', 'claim_b', 'source_b', 'value_b', 'relation', 'origin', 'auto', 'reason',
  'overridden_by', 'overridden_at',
] as const;

type Tally = Record<Relation, number> & { pairs: number };

/** Pairs tallied between two turns: a facet of a thousand sources has half a million. */
const PAIRS_PER_TURN = 20_000;

/** How many pairs of each relation each claim of a facet takes part in, other requests served every PAIRS_PER_TURN pairs. */
async function talliesOf(pairs: ClaimPair[]): Promise<Map<number, Tally>> {
  const tallies = new Map<number, Tally>();
  const tallyOf = (id: number) => {
    let tally = tallies.get(id);
    if (tally === undefined) tallies.set(id, (tally = { pairs: 0, agree: 0, consistent: 0, contradict: 0, unassessed: 0, unrelated: 0 }));
    return tally;
  };
  for (const [index, { a, b, relation }] of pairs.entries()) {
    if (index % PAIRS_PER_TURN === PAIRS_PER_TURN - 1) await ownTurn();
    for (const tally of [tallyOf(a), tallyOf(b)]) {
      tally[relation] += 1;
      tally.pairs += 1;
    }
  }
  return tallies;
}

/**
 * The incidents' comparisons as CSV, an incident at a time (each loaded a slice at a time, as its
 * page is), ROWS_PER_CHUNK rows a chunk: `comparison` rows per claim, or `pairs` rows per pair.
 */
async function* comparisonCsvChunks(db: Database, incidents: Incident[], kind: 'comparison' | 'pairs'): AsyncGenerator<string> {
  yield `\uFEFF${(kind === 'comparison' ? COMPARISON_COLUMNS : PAIR_COLUMNS).join(',')}\r\n`;
  for (const incident of incidents) {
    // One incident's comparison is kept as its page keeps it; a whole-database export keeps none.
    const { comparison } = await loadComparison(db, incident.id, { keep: incidents.length === 1 });
    const lead = `${incident.id},${csvField(incident.slug)}`;
    let chunk = '';
    let rows = 0;
    for (const facet of comparison.facets) {
      const facetFields = `${lead},${csvField(facet.facet)}`;
      const rowsOfFacet = kind === 'comparison' ? comparisonRows(facet, facetFields, await talliesOf(facet.pairs)) : pairRows(facet, facetFields);
      for (const row of rowsOfFacet) {
        chunk += row;
        if (++rows % ROWS_PER_CHUNK === 0) {
          yield chunk;
          chunk = '';
          await ownTurn();
        }
      }
    }
    if (chunk !== '') yield chunk;
    await ownTurn();
  }
}

function* comparisonRows(facet: FacetComparison<ClaimRow>, facetFields: string, tallies: Map<number, Tally>): Generator<string> {
  // Letters as the grid gives them, when there is more than one position to tell apart.
  const letterOf = new Map(facet.positions.length > 1 ? facet.positions.flatMap((position, index) => position.claims.map((id) => [id, positionLetter(index)] as const)) : []);
  for (const { claim, value, current, superseded_by, status, corroborated_by } of facet.claims) {
    const tally = tallies.get(claim.id);
    const counts = [tally?.pairs ?? 0, tally?.agree ?? 0, tally?.consistent ?? 0, tally?.contradict ?? 0, tally?.unassessed ?? 0, tally?.unrelated ?? 0].join(',');
    yield `${facetFields},${facet.status},${claim.id},${claim.source_id},${csvField(claim.source_name)},${csvField(claim.via_name)},${csvField(claim.value)},${csvField(value?.low)},${csvField(value?.high)},${current},${csvField(superseded_by)},${csvField(status)},${csvField(letterOf.get(claim.id))},${counts},${current ? corroborated_by : ''}\r\n`;
  }
}

function* pairRows(facet: FacetComparison<ClaimRow>, facetFields: string): Generator<string> {
  const claimById = new Map(facet.claims.map((compared) => [compared.claim.id, compared.claim]));
  for (const pair of facet.pairs) {
    const a = claimById.get(pair.a)!;
    const b = claimById.get(pair.b)!;
    yield `${facetFields},${a.id},${csvField(a.source_name)},${csvField(a.value)},${b.id},${csvField(b.source_name)},${csvField(b.value)},${pair.relation},${pair.origin},${pair.auto},${csvField(pair.reason)},${csvField(pair.overridden_by)},${csvField(pair.overridden_at)}\r\n`;
  }
}

async function sendComparisonExport(request: Request, response: Response, db: Database, incidents: Incident[], filename: string, kind: 'comparison' | 'pairs', tagOf: string): Promise<void> {
  response.set('ETag', `W/"${kind}-${tagOf}-${dataTag(db)}"`);
  if (request.fresh) return void response.status(304).end();
  response.attachment(`${filename}.csv`);
  response.type('text/csv; charset=utf-8');
  if (request.method === 'HEAD') return void response.end();
  await pipeline(Readable.from(comparisonCsvChunks(db, incidents, kind), { highWaterMark: 1 }), response);
}

/** Every incident's comparison, one row per claim per facet. */
export const allComparisons: Handler = async (request, response, { db }) => {
  await sendComparisonExport(request, response, db, listIncidents(db), 'claimgrid-comparison', 'comparison', 'all');
};

export const incidentComparison: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  await sendComparisonExport(request, response, db, [incident], `${incident.slug}-comparison`, 'comparison', String(incident.id));
};

export const incidentPairs: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  await sendComparisonExport(request, response, db, [incident], `${incident.slug}-pairs`, 'pairs', String(incident.id));
};

/** The agreement export's columns: one row per two sources whose current claims met on a facet. */
export const AGREEMENT_COLUMNS = ['source_a_id', 'source_a', 'source_b_id', 'source_b', 'agree', 'consistent', 'contradict', 'pairs'] as const;

/** How long an export of the agreement matrix waits for incidents still being tallied, as the API's list of incidents does. */
const AGREEMENT_WAIT_MS = 10_000;

async function* agreementCsvChunks(matrix: AgreementMatrix): AsyncGenerator<string> {
  yield `\uFEFF${AGREEMENT_COLUMNS.join(',')}\r\n`;
  let chunk = '';
  let rows = 0;
  for (const { source_a_id, source_a, source_b_id, source_b, agree, consistent, contradict, pairs } of agreementRows(matrix)) {
    chunk += `${source_a_id},${csvField(source_a)},${source_b_id},${csvField(source_b)},${agree},${consistent},${contradict},${pairs}\r\n`;
    if (++rows % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
      await ownTurn();
    }
  }
  if (chunk !== '') yield chunk;
}

/** `{incidents, counting, sources: [{…, record}], pairs: [row, …]}`, ROWS_PER_CHUNK sources or rows a chunk. */
async function* agreementJsonChunks(matrix: AgreementMatrix): AsyncGenerator<string> {
  yield `{"incidents": ${matrix.incidents}, "counting": ${matrix.counting},\n"sources": [`;
  const sources = matrix.sources.map(({ id, name, kind, affiliation, record: { source_id: _, ...record } }) => JSON.stringify({ id, name, kind, affiliation, record }));
  for (let start = 0; start < sources.length; start += ROWS_PER_CHUNK) {
    yield (start === 0 ? '\n' : ',\n') + sources.slice(start, start + ROWS_PER_CHUNK).join(',\n');
  }
  yield '\n],\n"pairs": [';
  let chunk: string[] = [];
  let first = true;
  for (const row of agreementRows(matrix)) {
    chunk.push(JSON.stringify(row));
    if (chunk.length === ROWS_PER_CHUNK) {
      yield (first ? '\n' : ',\n') + chunk.join(',\n');
      first = false;
      chunk = [];
      await ownTurn();
    }
  }
  if (chunk.length > 0) yield (first ? '\n' : ',\n') + chunk.join(',\n');
  yield '\n]}\n';
}

/**
 * The agreement matrix of the sources the query's filters let through: CSV, a row per two sources,
 * or JSON with each source's record too. Incidents still being tallied after AGREEMENT_WAIT_MS are
 * said in the JSON (`counting`); a CSV has nowhere to say so, and is refused until they are done.
 */
export const sourceAgreement = (format: 'csv' | 'json'): Handler => async (request, response, { db }) => {
  const filters = parseInput(AgreementQuery, request.query, 'agreement matrix');
  const matrix = await agreementMatrix(db, filters, { waitMs: AGREEMENT_WAIT_MS });
  if (format === 'csv' && matrix.counting > 0) {
    throw new TooBusy(`${matrix.counting} incident${matrix.counting === 1 ? ' is' : 's are'} still being compared, and the matrix would leave them out: nothing is sent yet; try again in a moment`);
  }
  response.attachment(`claimgrid-source-agreement.${format}`);
  response.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  if (request.method === 'HEAD') return void response.end();
  const chunks = format === 'csv' ? agreementCsvChunks(matrix) : agreementJsonChunks(matrix);
  await pipeline(Readable.from(chunks, { highWaterMark: 1 }), response);
};
