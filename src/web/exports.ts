import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { type Response, Router } from 'express';
import { parseValue } from '../compare/values.js';
import { type ClaimRow, exportClaims } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { findIncident } from './lookups.js';

/** One export row per claim: the same columns, in this order, for CSV and JSON. */
export function exportRecord(claim: ClaimRow) {
  const value = parseValue(claim.value);
  return {
    claim_id: claim.id,
    incident_id: claim.incident_id,
    incident_slug: claim.incident_slug,
    incident_title: claim.incident_title,
    facet: claim.facet,
    source_id: claim.source_id,
    source: claim.source_name,
    source_kind: claim.source_kind,
    source_affiliation: claim.source_affiliation,
    via_source_id: claim.via_source_id,
    via: claim.via_name,
    statement: claim.text,
    quote: claim.quote,
    value: claim.value,
    value_low: value?.low ?? null,
    value_high: value?.high ?? null,
    published_at: claim.published_at,
    url: claim.url,
    archive_url: claim.archive_url,
    created_at: claim.created_at,
    updated_at: claim.updated_at,
  };
}

export const EXPORT_COLUMNS = Object.keys(exportRecord({} as ClaimRow));

function* records(db: Database, incidentId: number | undefined) {
  for (const claim of exportClaims(db, incidentId)) yield exportRecord(claim);
}

/**
 * A spreadsheet runs a cell that starts with =, +, -, @ (or a tab or carriage return before one) as
 * a formula: a claim quoting "=HYPERLINK(…)" must not become a live link in an analyst's Excel. Such
 * text cells get a leading apostrophe, which spreadsheets show as text; numbers and JSON are untouched.
 */
export function neutraliseFormula(cell: unknown): unknown {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function* spreadsheetSafe(rows: Iterable<Record<string, unknown>>) {
  for (const row of rows) {
    yield Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, neutraliseFormula(cell)]));
  }
}

function* jsonArray(items: Iterable<unknown>): Generator<string> {
  let first = true;
  for (const item of items) {
    yield (first ? '[\n' : ',\n') + JSON.stringify(item);
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
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
    const csv = stringify({ header: true, columns: EXPORT_COLUMNS, bom: true, record_delimiter: '\r\n' });
    await pipeline(Readable.from(spreadsheetSafe(records(db, incidentId))), csv, response);
  } else {
    response.type('application/json; charset=utf-8');
    await pipeline(Readable.from(jsonArray(records(db, incidentId))), response);
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
