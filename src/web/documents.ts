/** Document pages: add a text, read it with its claims marked, review the claims Claimgrid proposes from it. */
import type { Request, Response } from 'express';
import {
  addDocument, documentProposals, MAX_PROPOSALS, requireDocument, reviewPage, type ReviewedProposal, saveReviewedProposals, type Upload,
} from '../actions/documents.js';
import { requireIncidentBySlug } from '../actions/incidents.js';
import { messagesByField, ReviewQuery } from '../actions/schemas.js';
import { formatInterval } from '../compare/values.js';
import { type ClaimSpan, listClaimSpansOfDocument, listFacets } from '../db/claims.js';
import type { Database } from '../db/database.js';
import type { DocumentRow } from '../db/documents.js';
import type { Incident } from '../db/incidents.js';
import { listSourceChoices } from '../db/sources.js';
import { DomainError } from '../errors.js';
import { actorOf, type Handler, idParam, pathParam } from './context.js';
import { setErrorHeaders, statusOf } from './errors.js';
import { formPage } from './forms.js';
import { KIND_CHOICES } from './labels.js';
import { urls } from './urls.js';

const form = formPage('document_form');

function formContext(db: Database, incident: Incident) {
  return { incident, action: urls.createDocument(incident), sources: listSourceChoices(db) };
}

function incidentAndDocument(request: Request, db: Database): { incident: Incident; document: DocumentRow } {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  return { incident, document: requireDocument(db, incident.id, idParam(request, 'Document')) };
}

export const newForm: Handler = (request, response, { db }) => {
  form.show(response, formContext(db, requireIncidentBySlug(db, pathParam(request, 'slug'))));
};

/** The uploaded file, if one was chosen (a form with an empty file field sends a part without a name). */
function uploadOf(request: Request): Upload | undefined {
  const file = request.file;
  return file && file.originalname !== '' ? { name: file.originalname, bytes: file.buffer } : undefined;
}

export const create: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  await form.save(request, response, formContext(db, incident), async () => {
    const { document, existing } = await addDocument(db, incident.id, request.body, uploadOf(request), actorOf(response));
    return urls.documentReview(incident, document, { existing });
  });
};

/** A stretch of text, and the claims taken from it (none for plain text): the first few, and how many more. */
interface Segment {
  text: string;
  claims: ClaimSpan[];
  more: number;
  /** The claims whose spans begin here, for a link to a claim's place (#span-ID) to land on. */
  anchors: number[];
}

/** Claims named at one mark, at most; the list of claims beside the text has them all. */
const CLAIMS_PER_MARK = 12;

/**
 * The text cut where claims' spans begin and end, each piece with the claims whose span covers it,
 * so the page can mark them in place. Spans may overlap (one quotation, six claims): the pieces are
 * made in one pass over the cuts, keeping the claims open at each.
 */
export function markedText(text: string, claims: ClaimSpan[]): Segment[] {
  const spans = claims.filter((claim) => claim.span_end <= text.length && claim.span_start < claim.span_end);
  const opening = new Map<number, ClaimSpan[]>();
  for (const claim of spans) {
    const list = opening.get(claim.span_start!);
    if (list) list.push(claim);
    else opening.set(claim.span_start!, [claim]);
  }
  const cuts = [...new Set([0, text.length, ...spans.flatMap((claim) => [claim.span_start!, claim.span_end!])])].sort((a, b) => a - b);
  const open = new Set<ClaimSpan>();
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    for (const claim of open) if (claim.span_end! <= start) open.delete(claim);
    for (const claim of opening.get(start) ?? []) open.add(claim);
    const piece = text.slice(start, end);
    const last = segments.at(-1);
    if (open.size === 0 && last && last.claims.length === 0) last.text += piece;
    else {
      const covering: ClaimSpan[] = [];
      for (const claim of open) {
        if (covering.length === CLAIMS_PER_MARK) break;
        covering.push(claim);
      }
      segments.push({ text: piece, claims: covering, more: open.size - covering.length, anchors: (opening.get(start) ?? []).map((claim) => claim.id) });
    }
  }
  return segments;
}

/** Claims listed beside a document's text, at most. */
const CLAIMS_LISTED = 200;

/** Proposals listed beside a document's text, at most. */
const UNTAKEN_LISTED = 100;

export const show: Handler = async (request, response, { db }) => {
  const { incident, document } = incidentAndDocument(request, db);
  const claims = listClaimSpansOfDocument(db, document.id);
  const proposals = await documentProposals(db, document);
  const untaken = proposals.filter((proposal) => proposal.taken === null);
  response.render('document', {
    incident,
    document,
    segments: markedText(document.text, claims),
    // The first of them: the grid (and its exports) have them all.
    claims: claims.slice(0, CLAIMS_LISTED),
    claimCount: claims.length,
    // The first of them: the review pages have all.
    untaken: untaken.slice(0, UNTAKEN_LISTED).map(describeProposal),
    untakenCount: untaken.length,
  });
};

/** A proposal's sentence cut at its cue and its value, for the review to highlight them. */
function sentencePieces(proposal: ReviewedProposal): { text: string; mark?: 'cue' | 'value' }[] {
  const marks = [
    ...(proposal.marks.cue ? [{ span: proposal.marks.cue, mark: 'cue' as const }] : []),
    ...(proposal.marks.value ? [{ span: proposal.marks.value, mark: 'value' as const }] : []),
  ]
    .filter(({ span }) => span[0] >= proposal.start && span[1] <= proposal.end)
    .sort((a, b) => a.span[0] - b.span[0]);
  const pieces: { text: string; mark?: 'cue' | 'value' }[] = [];
  let at = proposal.start;
  for (const { span, mark } of marks) {
    if (span[0] < at) continue;
    pieces.push({ text: proposal.sentence.slice(at - proposal.start, span[0] - proposal.start) });
    pieces.push({ text: proposal.sentence.slice(span[0] - proposal.start, span[1] - proposal.start), mark });
    at = span[1];
  }
  pieces.push({ text: proposal.sentence.slice(at - proposal.start) });
  return pieces.filter((piece) => piece.text !== '');
}

function describeProposal(proposal: ReviewedProposal) {
  return { ...proposal, pieces: sentencePieces(proposal), reading: proposal.value ? formatInterval(proposal.value) : '' };
}

/** A review row as first shown: ticked when it has a value or a quote, and not already taken. */
function rowValues(proposal: ReviewedProposal): Record<string, unknown> {
  return {
    take: proposal.taken === null && (proposal.value !== null || proposal.quote !== null) ? 'on' : undefined,
    source: proposal.source.name,
    source_kind: proposal.source.kind,
    via: proposal.via?.name ?? '',
    facet: proposal.facet,
    value: proposal.value?.text ?? '',
    statement: proposal.statement,
    quote: proposal.quote ?? '',
    published_at: proposal.published_at ?? '',
    span_start: proposal.start,
    span_end: proposal.end,
  };
}

/**
 * The review form's rows from its fields ("rows[3][facet]"), as a list: forms are parsed flat (no
 * nested objects from query strings), and this is the one place that reads the indexed names.
 */
function submittedRows(body: unknown): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    const match = /^rows\[(\d{1,3})\]\[([a-z_]{1,20})\]$/.exec(key);
    if (match) (rows[Number(match[1])] ??= {})[match[2]!] = value;
  }
  return Array.from(rows, (row) => row ?? {});
}

async function showReview(
  response: Response,
  db: Database,
  { incident, document }: { incident: Incident; document: DocumentRow },
  at: { page?: number; existing?: boolean; submitted?: Record<string, unknown>[]; error?: DomainError },
): Promise<void> {
  const proposals = await documentProposals(db, document);
  const { rows, page, pages } = reviewPage(proposals, at.page);
  response.status(at.error ? statusOf(at.error) : 200).render('document_review', {
    incident,
    document,
    rows: rows.map((proposal, index) => ({ ...describeProposal(proposal), values: at.submitted?.[index] ?? rowValues(proposal) })),
    total: proposals.length,
    truncated: proposals.length >= MAX_PROPOSALS,
    maxProposals: MAX_PROPOSALS,
    takenCount: proposals.filter((proposal) => proposal.taken !== null).length,
    page,
    pages,
    existing: at.existing === true,
    sources: listSourceChoices(db),
    facets: listFacets(db, incident.id),
    kindOptions: KIND_CHOICES,
    errors: at.error ? messagesByField(at.error.issues) : {},
    problem: at.error?.message,
  });
}

export const reviewForm: Handler = async (request, response, { db }) => {
  const query = ReviewQuery.parse(request.query);
  await showReview(response, db, incidentAndDocument(request, db), { page: query.page, existing: query.existing !== undefined });
};

export const saveReview: Handler = async (request, response, { db }) => {
  const found = incidentAndDocument(request, db);
  const rows = submittedRows(request.body);
  try {
    const saved = saveReviewedProposals(db, found.document, { rows }, actorOf(response));
    response.redirect(303, urls.incidentAfterBatch(found.incident, saved));
  } catch (error) {
    // Nothing was saved: the page comes back with every row as the analyst left it, each bad field marked.
    if (!(error instanceof DomainError)) throw error;
    setErrorHeaders(error, request, response);
    const page = ReviewQuery.parse({ page: (request.body as Record<string, unknown>).page }).page;
    await showReview(response, db, found, { page, submitted: rows, error });
  }
};
