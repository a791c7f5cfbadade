import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { type AgreementMatrix, agreementMatrix, agreementRows } from '../actions/agreement.js';
import { loadComparison } from '../actions/comparisons.js';
import { requireIncidentBySlug } from '../actions/incidents.js';
import { AgreementQuery, parseInput } from '../actions/schemas.js';
import { type ClaimPair, type FacetComparison, facetKey, type Relation } from '../compare/comparison.js';
import { parseValue } from '../compare/values.js';
import { getAssessment } from '../db/assessments.js';
import { type ClaimRow, claimNames, type ExportedClaim, exportClaimBatches, getFacetSpelling } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { getDocumentHeading } from '../db/documents.js';
import { getIncidentIncludingDeleted, type Incident, listIncidents } from '../db/incidents.js';
import { getSource } from '../db/sources.js';
import { TooBusy } from '../errors.js';
import { memo } from '../memo.js';
import { ownTurn } from '../slices.js';
import { dataTag, type Handler, pathParam } from './context.js';
import { positionLetter } from './grid.js';
import { incidentGraphChunks } from './jsonld.js';
import { committedBatches } from './streaming.js';

/** The export's columns, the same in this order for CSV and JSON. */
export const EXPORT_COLUMNS = [
  'claim_id', 'incident_id', 'incident_slug', 'incident_title', 'facet', 'source_id', 'source', 'source_kind',
  'source_affiliation', 'via_source_id', 'via', 'statement', 'quote', 'value', 'value_low', 'value_high',
  'published_at', 'url', 'archive_url', 'created_at', 'updated_at', 'document_id', 'document_url', 'span_start', 'span_end',
  'assessment_value', 'assessment_grade', 'assessment_reason', 'facet_canonical',
] as const;

/**
 * What the export writes about each claim's facet (its spelling on the grid, the analyst's
 * assessment), read once per facet (facets are kept under their folded spelling), then found by
 * incident and spelling without building a key per row: the export writes hundreds of thousands of
 * rows a second.
 */
function perFacet<T>(read: (incidentId: number, key: string) => T): (incidentId: number, facet: string) => T {
  const byIncident = new Map<number, Map<string, T>>();
  return (incidentId, facet) => {
    let byFacet = byIncident.get(incidentId);
    if (byFacet === undefined) byIncident.set(incidentId, (byFacet = new Map()));
    let found = byFacet.get(facet);
    if (found === undefined && !byFacet.has(facet)) byFacet.set(facet, (found = read(incidentId, facetKey(facet))));
    return found as T;
  };
}

// Rows read per query, and written per chunk (about 100 KB of CSV, under V8's large-object size):
// both measured, see docs/decisions/003-hand-written-csv-writer.md.
const BATCH_SIZE = 1_000;
const ROWS_PER_CHUNK = 200;

/** The export's claim rows (see `committedBatches`), ROWS_PER_CHUNK at a time, each chunk in a turn of its own. */
async function* exportedRows(db: Database, incidentId: number | undefined): AsyncGenerator<ExportedClaim[]> {
  for await (const batch of committedBatches(db, exportClaimBatches(db, incidentId, BATCH_SIZE))) {
    for (let start = 0; start < batch.length; start += ROWS_PER_CHUNK) {
      if (start > 0) await ownTurn();
      yield batch.slice(start, start + ROWS_PER_CHUNK);
    }
  }
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field per RFC 4180, formulas neutralised. Written here rather than with a library (see
 * docs/decisions/003-hand-written-csv-writer.md); test/exports.test.ts parses it back.
 */
export function csvField(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  const text = String(neutraliseFormula(cell));
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV text ROWS_PER_CHUNK rows at a time (not one stream event per row), each row in
 * EXPORT_COLUMNS order. The fields for an incident, a source or a value phrase are written once per
 * export. The first chunk carries the byte-order mark (so spreadsheet programs read Arabic, Persian
 * and other non-Latin text as UTF-8) and the header.
 */
async function* csvChunks(db: Database, incidentId: number | undefined): AsyncGenerator<string> {
  // Each incident's, source's and value phrase's fields are written once per export, not per row.
  const incidentFields = memo((id: number) => {
    const incident = getIncidentIncludingDeleted(db, id);
    return `${id},${csvField(incident?.slug)},${csvField(incident?.title)}`;
  });
  const sourceFields = memo((id: number) => {
    const source = getSource(db, id);
    return `${id},${csvField(source?.name)},${csvField(source?.kind)},${csvField(source?.affiliation)}`;
  });
  const viaFields = memo((id: number | null) => (id === null ? ',' : `${id},${csvField(getSource(db, id)?.name)}`));
  const documentFields = memo((id: number | null) => (id === null ? ',' : `${id},${csvField(getDocumentHeading(db, id)?.url)}`));
  const assessmentFields = perFacet((incident, key) => {
    const assessment = getAssessment(db, incident, key);
    return assessment ? `${csvField(assessment.value)},${csvField(assessment.grade)},${csvField(assessment.reason)}` : ',,';
  });
  const canonicalField = perFacet((incident, key) => csvField(getFacetSpelling(db, incident, key)));
  const valueFields = memo((phrase: string | null) => {
    const value = parseValue(phrase);
    return `${csvField(phrase)},${csvField(value?.low)},${csvField(value?.high)}`;
  });
  yield `\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`;
  for await (const batch of exportedRows(db, incidentId)) {
    let chunk = '';
    for (const [id, incident, facet, source, via, text, quote, phrase, published, url, archive, created, updated, document, spanStart, spanEnd] of batch) {
      chunk += `${id},${incidentFields(incident)},${csvField(facet)},${sourceFields(source)},${viaFields(via)},${csvField(text)},${csvField(quote)},${valueFields(phrase)},${csvField(published)},${csvField(url)},${csvField(archive)},${csvField(created)},${csvField(updated)},${documentFields(document)},${csvField(spanStart)},${csvField(spanEnd)},${assessmentFields(incident, facet)},${canonicalField(incident, facet)}\r\n`;
    }
    yield chunk;
  }
}

/** A JSON array of objects keyed by EXPORT_COLUMNS, ROWS_PER_CHUNK at a time. */
async function* jsonChunks(db: Database, incidentId: number | undefined): AsyncGenerator<string> {
  const names = claimNames(db);
  const reading = memo((phrase: string | null) => parseValue(phrase));
  const assessmentOf = perFacet((incident, key) => getAssessment(db, incident, key));
  const canonicalOf = perFacet((incident, key) => getFacetSpelling(db, incident, key) ?? null);
  let first = true;
  for await (const batch of exportedRows(db, incidentId)) {
    const objects = batch.map(([id, incident, facet, source, via, text, quote, phrase, published, url, archive, created, updated, document, spanStart, spanEnd]) => {
      const { slug, title } = names.incident(incident);
      const { name, kind, affiliation } = names.source(source);
      const value = reading(phrase);
      const assessment = assessmentOf(incident, facet);
      return JSON.stringify({
        claim_id: id, incident_id: incident, incident_slug: slug, incident_title: title, facet,
        source_id: source, source: name, source_kind: kind, source_affiliation: affiliation,
        via_source_id: via, via: via === null ? null : names.source(via).name,
        statement: text, quote, value: phrase, value_low: value?.low ?? null, value_high: value?.high ?? null,
        published_at: published, url, archive_url: archive, created_at: created, updated_at: updated,
        document_id: document, document_url: document === null ? null : (names.document(document)?.url ?? null),
        span_start: spanStart, span_end: spanEnd,
        assessment_value: assessment?.value ?? null, assessment_grade: assessment?.grade ?? null, assessment_reason: assessment?.reason ?? null,
        facet_canonical: canonicalOf(incident, facet),
      } satisfies Record<(typeof EXPORT_COLUMNS)[number], unknown>);
    });
    yield (first ? '[\n' : ',\n') + objects.join(',\n');
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

/**
 * A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or carriage return before one) as
 * a formula: a claim quoting "=HYPERLINK(…)" must not become a live link in an analyst's Excel. Such
 * text cells get a leading apostrophe, which spreadsheets show as text; numbers and JSON are untouched.
 */
export function neutraliseFormula(cell: unknown): unknown {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}


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
  const chunks = format === 'csv' ? csvChunks(db, incidentId) : jsonChunks(db, incidentId);
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
