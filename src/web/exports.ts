import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { type Response, Router } from 'express';
import { type ClaimValue, parseValue } from '../compare/values.js';
import { EXPORTED_CLAIM_COLUMNS, exportClaimBatches } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { findIncident } from './lookups.js';

/** The export's columns, the same in this order for CSV and JSON: the stored ones with the value's interval after it. */
export const EXPORT_COLUMNS = [
  ...EXPORTED_CLAIM_COLUMNS.slice(0, EXPORTED_CLAIM_COLUMNS.indexOf('value') + 1),
  'value_low',
  'value_high',
  ...EXPORTED_CLAIM_COLUMNS.slice(EXPORTED_CLAIM_COLUMNS.indexOf('value') + 1),
];
const VALUE_AT = EXPORTED_CLAIM_COLUMNS.indexOf('value');

/** Batches of export rows, arrays in EXPORT_COLUMNS order; each distinct value phrase is read once per export. */
function* recordBatches(db: Database, incidentId: number | undefined): Generator<unknown[][]> {
  const readings = new Map<unknown, ClaimValue | null>();
  for (const batch of exportClaimBatches(db, incidentId)) {
    for (const row of batch) {
      const phrase = row[VALUE_AT] as string | null;
      let value = readings.get(phrase);
      if (value === undefined) readings.set(phrase, (value = parseValue(phrase)));
      row.splice(VALUE_AT + 1, 0, value?.low ?? null, value?.high ?? null);
    }
    yield batch;
  }
}

const CSV_OPTIONS = {
  columns: EXPORT_COLUMNS,
  record_delimiter: '\r\n',
  cast: { string: (cell: string) => neutraliseFormula(cell) as string },
};

/**
 * CSV text a batch at a time (csv-stringify's quoting, per RFC 4180): one chunk per hundred rows
 * rather than one stream event per row. The first chunk carries the byte-order mark and the header.
 */
function* csvChunks(batches: Iterable<unknown[][]>): Generator<string> {
  let first = true;
  for (const batch of batches) {
    yield stringify(batch, { ...CSV_OPTIONS, header: first, bom: first });
    first = false;
  }
  if (first) yield stringify([], { ...CSV_OPTIONS, header: true, bom: true });
}

/** A JSON array of objects keyed by EXPORT_COLUMNS, a batch at a time. */
function* jsonChunks(batches: Iterable<unknown[][]>): Generator<string> {
  let first = true;
  for (const batch of batches) {
    const objects = batch.map((row) => JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((column, index) => [column, row[index]]))));
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
  response: Response,
  db: Database,
  incidentId: number | undefined,
  filename: string,
  format: 'csv' | 'json',
): Promise<void> {
  response.attachment(`${filename}.${format}`);
  if (format === 'csv') {
    response.type('text/csv; charset=utf-8');
    // The byte-order mark makes spreadsheet programs read Arabic, Persian and other non-Latin text as UTF-8.
    // One chunk read ahead, not sixteen: the socket's own buffer is the queue.
    await pipeline(Readable.from(csvChunks(recordBatches(db, incidentId)), { highWaterMark: 1 }), response);
  } else {
    response.type('application/json; charset=utf-8');
    await pipeline(Readable.from(jsonChunks(recordBatches(db, incidentId)), { highWaterMark: 1 }), response);
  }
}

export function exportRoutes(db: Database): Router {
  const router = Router();
  for (const format of ['csv', 'json'] as const) {
    router.get(`/claims.${format}`, async (_request, response) => {
      await sendExport(response, db, undefined, 'claimgrid-claims', format);
    });
    router.get(`/incidents/:slug/claims.${format}`, async (request, response) => {
      const incident = findIncident(db, request.params.slug);
      await sendExport(response, db, incident.id, `${incident.slug}-claims`, format);
    });
  }
  return router;
}
