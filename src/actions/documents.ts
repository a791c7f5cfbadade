/**
 * Documents and the claims proposed from them: a text is stored (or found again by its hash), read
 * into proposals on the extraction thread, reviewed by an analyst, and the ticked proposals saved
 * as claims, all or none. Nothing proposed is saved until the analyst says so.
 */
import { createHash } from 'node:crypto';
import { facetKey } from '../compare/comparison.js';
import { parseValue } from '../compare/values.js';
import type { ClaimRow, ClaimSpan } from '../db/claims.js';
import { listClaimSpansOfDocument, listFacets } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { lastChangeId } from '../db/history.js';
import * as documentRows from '../db/documents.js';
import type { DocumentRow } from '../db/documents.js';
import { getSourceByName, listSources } from '../db/sources.js';
import { type FieldIssue, Invalid, NotFound, TooBusy, TooLarge } from '../errors.js';
import { fold, nameForms } from '../extract/names.js';
import type { Extraction, Proposal } from '../extract/proposals.js';
import { normaliseText, problemWithText } from '../extract/texts.js';
import { ownTurn } from '../slices.js';
import { ExtractorBusy, NotExtractable, proposeClaimsOffThread, readUploadOffThread } from '../threads/extraction.js';
import { saveClaims } from './claims.js';
import { requireIncident } from './incidents.js';
import { ClaimInput, DocumentInput, ExtractInput, fieldIssues, fieldsOf, parseInput, PROPOSALS_PER_PAGE, ReviewInput, ReviewRow } from './schemas.js';
import { resolveSource } from './sources.js';

/** The most text a document holds: an article many times over (a megabyte of UTF-8). */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

/**
 * Proposals made for one text, at most: an article holds tens of claims, a long report hundreds;
 * past this a text is not one analysts review row by row, and the answer stays a size the server
 * sends without holding everyone else up.
 */
export const MAX_PROPOSALS = 2_000;

/** An uploaded HTML page may be larger than its text: scripts, styles and markup are dropped. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

export interface Upload {
  name: string;
  bytes: Uint8Array;
}

function refuseLargeText(text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new TooLarge(`The text is ${megabytes(bytes)} MB; a document holds at most 1 MB of text: split it, or keep the part with the claims`);
  }
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/** Work for the extraction thread, its refusals as the errors a request knows. */
async function offThread<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ExtractorBusy) throw new TooBusy(`Claimgrid is reading other texts: ${error.message}; try again in a moment`);
    if (error instanceof NotExtractable) throw new Invalid(`The text could not be read: ${error.message}`, [{ path: 'text', message: `The text could not be read: ${error.message}` }]);
    throw error;
  }
}

/** The text a document form or request brings: pasted, or read from an uploaded file. */
async function documentText(body: Record<string, unknown>, upload: Upload | undefined): Promise<{ text: string; title: string | null; format: documentRows.DocumentFormat } | FieldIssue> {
  const pasted = typeof body.text === 'string' ? body.text : undefined;
  if (upload) {
    if (pasted !== undefined && pasted.trim() !== '') return { path: 'file', message: 'Paste the text or upload a file, not both' };
    if (upload.bytes.length > MAX_UPLOAD_BYTES) throw new TooLarge(`“${upload.name}” is ${megabytes(upload.bytes.length)} MB; files of up to 5 MB are read`);
    const reading = await offThread(() => readUploadOffThread(upload.name, upload.bytes));
    if ('problem' in reading) return { path: 'file', message: reading.problem };
    refuseLargeText(reading.text);
    return reading;
  }
  if (pasted === undefined) return { path: 'text', message: 'Text is required: paste it, or upload a .txt, .html or .md file' };
  refuseLargeText(pasted);
  const text = normaliseText(pasted);
  const problem = problemWithText(text);
  return problem ? { path: 'text', message: problem } : { text, title: null, format: 'text' };
}

/**
 * Stores the text as a document of the incident, with its outlet (an existing source, or a new one
 * by name); the same text pasted again finds the document already stored. Field problems are
 * named together; a text over 1 MB is TooLarge.
 */
export async function addDocument(
  db: Database,
  incidentId: number,
  body: unknown,
  upload: Upload | undefined,
  actor: number,
): Promise<{ document: DocumentRow; existing: boolean }> {
  const fields = fieldsOf(body);
  const read = await documentText(fields, upload);
  const checked = DocumentInput.safeParse({ ...fields, text: 'text' in read ? read.text : 'x' });
  const issues = [...('text' in read ? [] : [read]), ...(checked.success ? [] : fieldIssues(checked.error))];
  if (issues.length > 0 || !checked.success || !('text' in read)) {
    throw new Invalid(`Invalid document: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, issues);
  }
  const input = checked.data;
  const sha256 = createHash('sha256').update(read.text).digest('hex');
  // Reading and hashing a megabyte of text took one turn; storing it, with its words indexed for
  // search (14–33 ms for a megabyte, by the trigger of migration 015), takes another.
  await ownTurn();
  return db.transaction(() => {
    const stored = documentRows.getDocumentByHash(db, incidentId, sha256);
    if (stored) return { document: stored, existing: true };
    const outlet = outletOf(db, input, actor);
    const created = documentRows.createDocument(
      db,
      incidentId,
      {
        title: input.title ?? read.title ?? firstLine(read.text),
        outlet_source_id: outlet,
        url: input.url ?? null,
        archive_url: input.archive_url ?? null,
        published_at: input.published_at ?? null,
        format: read.format,
        text: read.text,
        sha256,
      },
      actor,
    );
    return { document: documentRows.getDocument(db, created.id)!, existing: false };
  })();
}

/** The document's outlet, found or created, its refusal named as the document's. */
function outletOf(db: Database, input: DocumentInput, actor: number): number | null {
  try {
    return resolveSource(db, { field: input.outlet_source_id !== undefined ? 'outlet_source_id' : 'outlet_name', id: input.outlet_source_id, newName: input.outlet_name, kind: 'media', affiliation: null }, actor);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    throw new Invalid(`Invalid document: ${error.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, error.issues);
  }
}

/** A pasted article's first line is its headline, as a title when none is given (if it is short enough to be one). */
function firstLine(text: string): string | null {
  const line = text.trim().split('\n', 1)[0]!.trim();
  return line.length > 0 && line.length <= 200 ? line : null;
}

/** The incident's document: NotFound for another incident's, or none. */
export function requireDocument(db: Database, incidentId: number, id: number): DocumentRow {
  const document = documentRows.getDocument(db, id);
  if (!document || document.incident_id !== incidentId) throw new NotFound('Document not found');
  return document;
}

/** Proposals for a text, matched to Claimgrid's sources and (given an incident) that incident's facets. */
export async function extractClaims(db: Database, body: unknown): Promise<Extraction> {
  const input = parseInput(ExtractInput, body, 'text');
  refuseLargeText(input.text);
  const facets = input.incident_id === undefined ? [] : listFacets(db, requireIncident(db, input.incident_id).id);
  const extraction = await offThread(() =>
    proposeClaimsOffThread(normaliseText(input.text), { outlet: input.outlet ?? null, sources: listSources(db), facets, maxProposals: MAX_PROPOSALS }),
  );
  return input.published_at === undefined ? extraction : { ...extraction, proposals: extraction.proposals.map((p) => ({ ...p, published_at: input.published_at })) };
}

/** A proposal as the review shows it: its place in the list, and the claim already taken from it, if any. */
export interface ReviewedProposal extends Proposal {
  index: number;
  published_at: string | null;
  taken: ClaimSpan | null;
}

/**
 * Proposals made lately, by document and the data they were matched against (the last change id:
 * sources and facets change only with a write). Pages of a document, its review and its API answer
 * share one reading of the text, and a reader reloading a page costs no second one.
 */
const madeProposals = new WeakMap<Database, Map<string, Promise<Proposal[]>>>();
const PROPOSALS_KEPT = 16;

function proposalsOf(db: Database, document: DocumentRow): Promise<Proposal[]> {
  const key = `${document.id}:${lastChangeId(db)}`;
  let kept = madeProposals.get(db);
  if (!kept) madeProposals.set(db, (kept = new Map()));
  let made = kept.get(key);
  if (!made) {
    const context = { outlet: document.outlet_name, sources: listSources(db), facets: listFacets(db, document.incident_id), maxProposals: MAX_PROPOSALS };
    made = offThread(() => proposeClaimsOffThread(document.text, context)).then(({ proposals }) => proposals);
    // A refusal (the thread busy, the text too slow) is not kept: the next request tries again.
    made.catch(() => kept.delete(key));
    kept.set(key, made);
    if (kept.size > PROPOSALS_KEPT) kept.delete(kept.keys().next().value!);
  }
  return made;
}

/** All of a document's proposals, each with the claim taken from it if one was. */
export async function documentProposals(db: Database, document: DocumentRow): Promise<ReviewedProposal[]> {
  const proposals = await proposalsOf(db, document);
  const taken = takenClaims(listClaimSpansOfDocument(db, document.id));
  return proposals.map((proposal, index) => ({
    ...proposal,
    index,
    published_at: document.published_at,
    taken: taken.take({ start: proposal.start, end: proposal.end, facet: proposal.facet, source: proposal.source.name, value: proposal.value }),
  }));
}

/** What a proposal (or a review row) says: where in the text, which facet, whose, what value. */
interface Said {
  start: number;
  end: number;
  facet: string | undefined;
  source: string | undefined;
  value: { low: number | null; high: number | null } | null;
}

/**
 * The claims of a document, found by what they say. A claim was taken from a proposal when it came
 * from the same stretch of text and says the same thing: the same facet, or the same source with
 * the same value (an analyst may rename a facet). Indexed both ways, so that thousands of proposals
 * against thousands of claims cost no more than their number.
 */
function takenClaims(claims: ClaimSpan[]) {
  const byFacet = new Map<string, ClaimSpan[]>();
  const bySaying = new Map<string, ClaimSpan[]>();
  const saying = (source: string, value: { low: number | null; high: number | null } | null) => `${fold(source)}\u0000${value?.low ?? ''}\u0000${value?.high ?? ''}`;
  for (const claim of claims) {
    const value = parseValue(claim.value);
    for (const [map, key] of [[byFacet, claim.facet_key], [bySaying, saying(claim.source_name, value)]] as const) {
      const list = map.get(key);
      if (list) list.push(claim);
      else map.set(key, [claim]);
    }
  }
  const used = new Set<number>();
  return {
    /** The first claim not yet matched that was taken from what `said` says. */
    take(said: Said): ClaimSpan | null {
      const candidates = [
        ...(said.facet === undefined ? [] : (byFacet.get(facetKey(said.facet)) ?? [])),
        ...(said.source === undefined ? [] : (bySaying.get(saying(said.source, said.value)) ?? [])),
      ];
      const found = candidates.find((claim) => !used.has(claim.id) && claim.span_end > said.start && claim.span_start < said.end) ?? null;
      if (found) used.add(found.id);
      return found;
    },
  };
}

/** One page of a document's proposals for review, in the order they stand in the text. */
export function reviewPage(proposals: ReviewedProposal[], page: number | undefined): { rows: ReviewedProposal[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(proposals.length / PROPOSALS_PER_PAGE));
  const current = Math.min(Math.max(1, page ?? 1), pages);
  return { rows: proposals.slice((current - 1) * PROPOSALS_PER_PAGE, current * PROPOSALS_PER_PAGE), page: current, pages };
}

/** Where a claim field's issue shows on a review row. */
const ROW_FIELD: Record<string, string> = {
  source_id: 'source', new_source_name: 'source', new_source_kind: 'source_kind', via_source_id: 'via', new_via_name: 'via', text: 'statement',
};

/**
 * Saves the ticked rows of a review as claims of the document, in one transaction: all or none.
 * A refusal names each bad field by its row ("rows.3.facet"), so the form can mark it.
 */
export function saveReviewedProposals(db: Database, document: DocumentRow, body: unknown, actor: number): ClaimRow[] {
  const { rows } = parseInput(ReviewInput, body, 'review');
  const issues: FieldIssue[] = [];
  const claims: Record<string, unknown>[] = [];
  const rowOfClaim: number[] = [];
  const sourceNamed = sourceFinder(db);
  const taken = takenClaims(listClaimSpansOfDocument(db, document.id));
  rows.forEach((raw, index) => {
    const checked = ReviewRow.safeParse(raw ?? {});
    if (!checked.success) {
      if ((raw as { take?: unknown } | null)?.take !== undefined) issues.push(...fieldIssues(checked.error).map(({ path, message }) => ({ path: `rows.${index}.${path}`, message })));
      return;
    }
    const row = checked.data;
    if (!row.take) return;
    // The same proposal saved twice (a form sent again, from the back button or a second tab).
    const span = { start: Number(row.span_start), end: Number(row.span_end) };
    const value = typeof row.value === 'string' ? parseValue(row.value) : null;
    const twin = Number.isFinite(span.start) && Number.isFinite(span.end) ? taken.take({ ...span, facet: typeof row.facet === 'string' ? row.facet : undefined, source: row.source, value }) : null;
    if (twin) issues.push({ path: `rows.${index}.take`, message: `Already saved as claim ${twin.id} (${twin.source_name}, ${twin.facet}${twin.value ? `: ${twin.value}` : ''}): untick it` });
    const source = row.source === undefined ? undefined : sourceNamed(row.source);
    const via = row.via === undefined ? undefined : sourceNamed(row.via);
    rowOfClaim.push(index);
    claims.push({
      ...(source ? { source_id: source.id } : { new_source_name: row.source, new_source_kind: row.source_kind }),
      ...(row.via === undefined ? {} : via ? { via_source_id: via.id } : { new_via_name: row.via }),
      facet: row.facet,
      text: row.statement,
      quote: row.quote,
      value: row.value,
      published_at: row.published_at ?? document.published_at,
      url: document.url ?? undefined,
      archive_url: document.archive_url ?? undefined,
      document_id: document.id,
      span_start: row.span_start,
      span_end: row.span_end,
    });
  });
  if (issues.length === 0 && claims.length === 0) {
    throw new Invalid('Nothing was saved: tick the proposals to save', [{ path: 'rows', message: 'Tick at least one proposal to save' }]);
  }
  const onRows = (claimIssues: FieldIssue[]) =>
    claimIssues.map(({ path, message }) => {
      const [, claim, field] = /^claims\.(\d+)\.(.+)$/.exec(path) ?? [];
      return claim === undefined ? { path, message } : { path: `rows.${rowOfClaim[Number(claim)]}.${ROW_FIELD[field!] ?? field}`, message };
    });
  if (issues.length > 0) {
    // Every problem at once: the claims' own checks too, which need nothing stored.
    claims.forEach((claim, index) => {
      const checked = ClaimInput.safeParse(claim);
      if (!checked.success) issues.push(...onRows(fieldIssues(checked.error).map(({ path, message }) => ({ path: `claims.${index}.${path}`, message }))));
    });
    throw reviewRefused(issues);
  }
  try {
    return saveClaims(db, document.incident_id, { claims }, actor);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    throw reviewRefused(onRows(error.issues));
  }
}

/**
 * A source named in a review: by its name, or by any form of it the extractor knows ("CENTCOM" for
 * "US Central Command (CENTCOM)"), so that typing an alias does not make a second source.
 */
function sourceFinder(db: Database): (name: string) => { id: number } | undefined {
  let byForm: Map<string, { id: number }> | undefined;
  return (name) => {
    const exact = getSourceByName(db, name);
    if (exact) return exact;
    if (!byForm) {
      byForm = new Map();
      for (const source of listSources(db)) for (const form of nameForms(source.name)) if (!byForm.has(form)) byForm.set(form, source);
    }
    for (const form of nameForms(name)) {
      const found = byForm.get(form);
      if (found) return found;
    }
    return undefined;
  };
}

function reviewRefused(issues: FieldIssue[]): Invalid {
  const rows = new Set(issues.map((issue) => issue.path.split('.', 2)[1]));
  return new Invalid(`Nothing was saved: ${rows.size} row${rows.size === 1 ? ' needs' : 's need'} correcting`, issues);
}
