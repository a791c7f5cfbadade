/** Claims: found, saved one at a time or many together, deleted softly and restored. */
import * as claimRows from '../db/claims.js';
import type { ClaimFields, ClaimRow } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { getDocument } from '../db/documents.js';
import { memo } from '../memo.js';
import { Conflict, type FieldIssue, Invalid, NotFound } from '../errors.js';
import { found, savedOrThrow } from './edits.js';
import { ClaimBatchInput, ClaimInput, fieldIssues, parseInput } from './schemas.js';
import { invalidClaimField, resolveSource } from './sources.js';

/** A claim, deleted or not: deleted claims can still be read and restored. */
export function requireClaimIncludingDeleted(db: Database, id: number): ClaimRow {
  return found(claimRows.getClaimIncludingDeleted(db, id), 'Claim');
}

/** A live claim: NotFound, saying why, for one deleted (or whose incident was). */
export function requireClaim(db: Database, id: number): ClaimRow {
  const claim = requireClaimIncludingDeleted(db, id);
  if (claim.deleted_at !== null) throw new NotFound('Claim not found: it was deleted (an admin can restore it from its page)');
  if (claim.incident_deleted_at !== null) throw new NotFound('Claim not found: its incident was deleted (an admin can restore it)');
  return claim;
}

/**
 * A claim as its own page shows it: a deleted claim too, with a notice, but a claim of a deleted
 * incident only to an admin, who can restore the incident; to anyone else it is not there, as the
 * incident is not.
 */
export function requireClaimToShow(db: Database, id: number, reader: { role: string } | undefined): ClaimRow {
  const claim = requireClaimIncludingDeleted(db, id);
  if (claim.incident_deleted_at !== null && reader?.role !== 'admin') throw new NotFound('Claim not found');
  return claim;
}

/** A document's place in an incident: which incident, and how long its text is (for spans). */
type DocumentBounds = (id: number) => { incidentId: number; length: number } | undefined;

function documentBounds(db: Database): DocumentBounds {
  return memo((id: number) => {
    const document = getDocument(db, id);
    return document && { incidentId: document.incident_id, length: document.text.length };
  });
}

/**
 * The document and span a claim names, checked: the document must be the incident's, the span
 * inside its text. An edit that names no document keeps the one the claim had.
 */
function documentPlace(incidentId: number, input: ClaimInput, bounds: DocumentBounds, kept?: ClaimRow): Pick<ClaimFields, 'document_id' | 'span_start' | 'span_end'> {
  if (input.document_id === undefined) {
    return { document_id: kept?.document_id ?? null, span_start: kept?.span_start ?? null, span_end: kept?.span_end ?? null };
  }
  const document = bounds(input.document_id);
  if (!document || document.incidentId !== incidentId) throw invalidClaimField('document_id', `This incident has no document with id ${input.document_id}`);
  if (input.span_end !== undefined && input.span_end > document.length) {
    throw invalidClaimField('span_end', `Span end is past the end of the document (${document.length} characters)`);
  }
  return { document_id: input.document_id, span_start: input.span_start ?? null, span_end: input.span_end ?? null };
}

/** The fields to store for a checked claim, creating any source it names by a new name. */
function claimFields(db: Database, incidentId: number, input: ClaimInput, actor: number, bounds: DocumentBounds, kept?: ClaimRow): ClaimFields {
  const sourceId = resolveSource(
    db,
    { field: 'source_id', id: input.source_id, newName: input.new_source_name, kind: input.new_source_kind, affiliation: input.new_source_affiliation ?? null },
    actor,
  )!;
  const viaSourceId = resolveSource(db, { field: 'via_source_id', id: input.via_source_id, newName: input.new_via_name, kind: 'media', affiliation: null }, actor);
  if (viaSourceId === sourceId) {
    throw invalidClaimField(input.new_via_name === undefined ? 'via_source_id' : 'new_via_name', 'A source cannot come through itself');
  }
  return {
    source_id: sourceId,
    via_source_id: viaSourceId,
    facet: input.facet,
    text: input.text,
    quote: input.quote ?? null,
    value: input.value ?? null,
    published_at: input.published_at ?? null,
    url: input.url ?? null,
    archive_url: input.archive_url ?? null,
    ...documentPlace(incidentId, input, bounds, kept),
  };
}

/**
 * Validates and stores a claim, creating any source named inline: new, or an edit of `existing`
 * from the version the editor started from. One transaction: a claim that fails (or conflicts)
 * leaves no half-made source behind.
 */
export function saveClaim(db: Database, incidentId: number, body: unknown, actor: number, existing?: { id: number; version: number }): ClaimRow {
  return db.transaction(() => {
    const kept = existing && claimRows.getClaimIncludingDeleted(db, existing.id);
    const fields = claimFields(db, incidentId, parseInput(ClaimInput, body, 'claim'), actor, documentBounds(db), kept);
    const id =
      existing === undefined
        ? claimRows.createClaim(db, incidentId, fields, actor).id
        : savedOrThrow(claimRows.updateClaim(db, existing.id, fields, existing.version, actor), 'This claim').id;
    return claimRows.getClaimIncludingDeleted(db, id)!;
  })();
}

/** Issues of claim number `index` in a batch, their paths prefixed with where it stands ("claims.2.facet"). */
function inBatch(index: number, issues: FieldIssue[]): FieldIssue[] {
  return issues.map(({ path, message }) => ({ path: `claims.${index}.${path}`, message }));
}

function batchRefused(issues: FieldIssue[]): Invalid {
  const rows = new Set(issues.map((issue) => issue.path.split('.', 2)[1]));
  const summary = issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new Invalid(
    `Invalid claims: nothing was saved; ${rows.size} claim${rows.size === 1 ? ' needs' : 's need'} correcting (${summary}${issues.length > 5 ? '; …' : ''})`,
    issues,
  );
}

/**
 * Saves many new claims to one incident, all or none, in one transaction. Every claim is checked
 * before any is stored, and the refusal names each bad claim by its place in the list and field
 * ("claims.2.facet"), so a whole pasted article can be corrected in one go.
 */
export function saveClaims(db: Database, incidentId: number, body: unknown, actor: number): ClaimRow[] {
  const { claims } = parseInput(ClaimBatchInput, body, 'claims');
  const inputs: ClaimInput[] = [];
  const issues: FieldIssue[] = [];
  claims.forEach((claim, index) => {
    const checked = typeof claim === 'object' && claim !== null && !Array.isArray(claim) ? ClaimInput.safeParse(claim) : undefined;
    if (checked?.success) inputs.push(checked.data);
    else issues.push(...inBatch(index, checked ? fieldIssues(checked.error) : [{ path: '(claim)', message: 'Each claim must be an object of fields' }]));
  });
  if (issues.length > 0) throw batchRefused(issues);
  return db.transaction(() => {
    const ids: number[] = [];
    const bounds = documentBounds(db);
    inputs.forEach((input, index) => {
      try {
        ids.push(claimRows.createClaim(db, incidentId, claimFields(db, incidentId, input, actor, bounds), actor).id);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        issues.push(...inBatch(index, error.issues));
      }
    });
    // Thrown inside the transaction, so the sources and claims made before are undone too.
    if (issues.length > 0) throw batchRefused(issues);
    return claimRows.listClaimsByIds(db, ids);
  })();
}

/** Deletes a live claim softly: it leaves the comparison and exports, for an admin to restore. */
export function removeClaim(db: Database, id: number, actor: number): ClaimRow {
  return db.transaction(() => {
    const claim = requireClaim(db, id);
    claimRows.deleteClaim(db, claim.id, actor);
    return claim;
  })();
}

export function restoreClaim(db: Database, id: number, actor: number): ClaimRow {
  return db.transaction(() => {
    const claim = requireClaimIncludingDeleted(db, id);
    if (!claimRows.restoreClaim(db, claim.id, actor)) throw new Conflict('This claim is not deleted');
    return claimRows.getClaimIncludingDeleted(db, claim.id)!;
  })();
}
