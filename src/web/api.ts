/**
 * The JSON API: the same nouns, schemas and use cases as the pages, answered in JSON.
 * Errors are {"error": {"message", "issues": [{"path", "message"}]}} (see errors.ts).
 * Every edit names the version it started from (If-Match or "version"); a stale one gets 409.
 */
import type { Request, RequestHandler, Response } from 'express';
import { removeClaim, requireClaim, restoreClaim, saveClaim, saveClaims } from '../actions/claims.js';
import { incidentSummaries, type LoadedComparison, loadComparison } from '../actions/comparisons.js';
import { durableForReaders } from '../db/commits.js';
import { committedBatches, partWriter } from './streaming.js';
import { removeIncident, requireIncidentByIdOrSlug, restoreIncident, saveIncident } from '../actions/incidents.js';
import { addDocument, documentProposals, extractClaims } from '../actions/documents.js';
import { linkFacets, removeAssessment, renameFacet, saveAssessment, unlinkFacets } from '../actions/facets.js';
import { removeJudgement, saveJudgement } from '../actions/judgements.js';
import { editVersion } from '../actions/schemas.js';
import { listSourcesWithCounts, removeSource, requireSource, saveSource } from '../actions/sources.js';
import type { ComparedClaim, FacetAssessment } from '../compare/comparison.js';
import type { PartCheck } from '../compare/parts.js';
import type { AssessmentRow } from '../db/assessments.js';
import { parseValue } from '../compare/values.js';
import { type ClaimRow, listClaimsForIncidentInBatches } from '../db/claims.js';
import type { Database } from '../db/database.js';
import type { DocumentRow } from '../db/documents.js';
import type { Proposal } from '../extract/proposals.js';
import type { Incident } from '../db/incidents.js';
import { listIncidents } from '../db/incidents.js';
import { Invalid, UnsupportedFormat } from '../errors.js';
import { type AppContext, actorOf, type Handler, idParam, pathParam } from './context.js';

/** How the API shows a claim: names beside ids, and the value with the interval it was read as. */
function claimJson(claim: ClaimRow) {
  return {
    id: claim.id,
    incident_id: claim.incident_id,
    incident_slug: claim.incident_slug,
    source_id: claim.source_id,
    source: claim.source_name,
    via_source_id: claim.via_source_id,
    via: claim.via_name,
    facet: claim.facet,
    text: claim.text,
    quote: claim.quote,
    value: parseValue(claim.value),
    published_at: claim.published_at,
    url: claim.url,
    archive_url: claim.archive_url,
    document_id: claim.document_id,
    document_url: claim.document_url,
    span_start: claim.span_start,
    span_end: claim.span_end,
    version: claim.version,
    created_at: claim.created_at,
    created_by: claim.created_by_name,
    updated_at: claim.updated_at,
    updated_by: claim.updated_by_name,
    deleted_at: claim.deleted_at,
  };
}

/** A document as the API gives it: its fields and text, and who added it. */
function documentJson(document: DocumentRow) {
  return {
    id: document.id,
    incident_id: document.incident_id,
    title: document.title,
    outlet_source_id: document.outlet_source_id,
    outlet: document.outlet_name,
    url: document.url,
    archive_url: document.archive_url,
    published_at: document.published_at,
    format: document.format,
    sha256: document.sha256,
    characters: document.text.length,
    text: document.text,
    created_at: document.created_at,
    created_by: document.created_by_name,
  };
}

/** A proposal as the API gives it: the fields of a claim to be, and why (see docs/api.md). */
function proposalJson({ marks: _marks, ...proposal }: Proposal & { published_at?: string | null; taken?: { id: number } | null }) {
  const { taken, ...rest } = proposal;
  return taken === undefined ? rest : { ...rest, taken_by_claim_id: taken?.id ?? null };
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

/** A facet's assessment: the best value as read, the positions (by index) it fits with, and who set it. */
function assessmentJson({ assessment, value, fits }: FacetAssessment<AssessmentRow>) {
  return {
    value,
    grade: assessment.grade,
    reason: assessment.reason,
    fits_positions: fits,
    version: assessment.version,
    assessed_at: assessment.updated_at ?? assessment.created_at,
    assessed_by: assessment.assessed_by_name,
  };
}

/** A part exceeding a whole: which claims, on which facets, by which sources. */
function partCheckJson({ kind, part, whole }: PartCheck) {
  const side = ({ facet, claim_id, source_id, low, high }: PartCheck['part']) => ({ facet, claim: claim_id, source: source_id, low, high });
  return { kind, part: side(part), whole: side(whole) };
}

/**
 * GET /api/incidents/:id/comparison: the contract other tools rely on (see docs/api.md). One JSON
 * object, written a facet at a time: a large incident's comparison is megabytes of JSON, and
 * JSON.stringify of all of it at once would hold the server for as long.
 */
function* comparisonJson(incident: Incident, { sources, comparison }: LoadedComparison): Generator<string> {
  const checks = { total: comparison.part_checks.total, listed: comparison.part_checks.checks.map(partCheckJson) };
  yield `{"incident":${JSON.stringify(incident)},"sources":${JSON.stringify(sources)},"summary":${JSON.stringify(comparison.summary)},"part_checks":${JSON.stringify(checks)},"suggested_merges":${JSON.stringify(comparison.suggested_merges)},"facets":[`;
  for (const [index, facet] of comparison.facets.entries()) {
    const positions = facet.positions.map(({ sources, claims, low, high, text, unit, voices }) => ({ sources, claims, low, high, text, ...(unit ? { unit } : {}), voices }));
    const head = JSON.stringify({
      facet: facet.facet,
      status: facet.status,
      span: facet.span,
      positions,
      assessment: facet.assessment && assessmentJson(facet.assessment),
      part_of: facet.part_of.map((other) => other.facet),
      parts: facet.parts.map((other) => other.facet),
      part_checks: facet.part_checks.map(partCheckJson),
      claims: facet.claims.map(comparedClaimJson),
    });
    // The pairs follow in parts: a facet of a thousand sources has half a million.
    yield `${index === 0 ? '' : ','}${head.slice(0, -1)},"pairs":[`;
    for (let from = 0; from < facet.pairs.length; from += PAIRS_PER_PART) {
      const part = facet.pairs.slice(from, from + PAIRS_PER_PART).map(({ a, b, relation, origin, reason, auto, overridden_at, overridden_by }) =>
        JSON.stringify({ a, b, relation, origin, reason, auto, overridden_at, overridden_by }),
      );
      yield `${from === 0 ? '' : ','}${part.join(',')}`;
    }
    yield `],"revisions":${JSON.stringify(facet.revisions)}}`;
  }
  yield ']}';
}

const API_COUNTS_WAIT_MS = 10_000;

/** Pairs written per part of a comparison: a few milliseconds' work. */
const PAIRS_PER_PART = 5_000;

/** PUT replaces every field; PATCH changes only the fields the body names. */
function editBody(request: Request, current: object): unknown {
  if (request.method === 'PATCH') {
    if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) {
      throw new Invalid('Request body must be a JSON object');
    }
    return { ...current, ...request.body };
  }
  return request.body;
}

/** The version the client read, from If-Match or the body's "version" (not the stored row's). */
function clientVersion(request: Request): number {
  return editVersion(request.body, request.get('if-match'));
}

/** The row, with its version as the ETag a client sends back in If-Match. */
function sendVersioned(response: Response, row: { version: number }, body: object = row, status = 200): void {
  response.status(status).set('ETag', `"${row.version}"`).json(body);
}

/** Bodies of API writes are JSON, said so in Content-Type; the route table puts this before each. */
export const requireJson: RequestHandler = (request, _response, next) => {
  if (['POST', 'PUT', 'PATCH'].includes(request.method) && !request.is('application/json')) {
    throw new UnsupportedFormat('Send the request body as JSON with Content-Type: application/json');
  }
  next();
};

const incidentOf = (request: Request, { db }: AppContext) => requireIncidentByIdOrSlug(db, pathParam(request, 'id'));
const sourceOf = (request: Request, { db }: AppContext) => requireSource(db, idParam(request, 'Source'));
const claimOf = (request: Request, { db }: AppContext) => requireClaim(db, idParam(request, 'Claim'));

/**
 * The calls a versioned noun answers alike: create (201), read, edit (PUT or PATCH, from the version
 * the client read) and delete (204), each answer carrying the row's version as its ETag.
 */
function versionedNoun<Row extends { id: number; version: number }>(noun: {
  find: (request: Request, app: AppContext) => Row;
  save: (db: Database, body: unknown, actor: number, existing?: { id: number; version: number }) => Row | Promise<Row>;
  remove: (db: Database, id: number, actor: number) => void;
}): Record<'create' | 'read' | 'edit' | 'remove', Handler> {
  return {
    create: async (request, response, { db }) => {
      const row = await noun.save(db, request.body, actorOf(response));
      sendVersioned(response, row, row, 201);
    },
    read: (request, response, app) => {
      sendVersioned(response, noun.find(request, app));
    },
    edit: async (request, response, app) => {
      const row = noun.find(request, app);
      const version = clientVersion(request);
      sendVersioned(response, await noun.save(app.db, editBody(request, row), actorOf(response), { id: row.id, version }));
    },
    remove: (request, response, app) => {
      noun.remove(app.db, noun.find(request, app).id, actorOf(response));
      response.status(204).end();
    },
  };
}

export const sources = versionedNoun({ find: sourceOf, save: saveSource, remove: removeSource });
export const incidents = versionedNoun({ find: incidentOf, save: saveIncident, remove: removeIncident });

export const listSourcesJson: Handler = async (_request, response, { db }) => {
  response.json({ sources: await listSourcesWithCounts(db) });
};
/**
 * Each incident with its size. An API client waits longer than a page for counts not made yet (after
 * an upgrade, every incident's), up to API_COUNTS_WAIT_MS; those still not made then are null.
 */
export const listIncidentsJson: Handler = async (_request, response, { db }) => {
  const listed = listIncidents(db);
  const { ready } = await incidentSummaries(db, listed.map((incident) => incident.id), { waitMs: API_COUNTS_WAIT_MS });
  const incidents = listed.map((incident) => {
    const counts = ready.get(incident.id);
    return { ...incident, source_count: counts?.sources ?? null, facet_count: counts?.facets ?? null, claim_count: counts?.claims ?? null };
  });
  response.json({ incidents });
};
export const restoreIncidentJson: Handler = (request, response, { db }) => {
  sendVersioned(response, restoreIncident(db, idParam(request, 'Incident'), actorOf(response)));
};

export const comparison: Handler = async (request, response, app) => {
  const incident = incidentOf(request, app);
  const loaded = await loadComparison(app.db, incident.id);
  await durableForReaders(app.db);
  response.type('json');
  if (request.method === 'HEAD') return void response.end();
  const write = partWriter(response);
  for (const part of comparisonJson(incident, loaded)) if (!(await write(part))) return;
  response.end();
};
export const setJudgement: Handler = async (request, response, app) => {
  response.status(201).json(await saveJudgement(app.db, incidentOf(request, app), request.body, actorOf(response)));
};
// The pair may come as a JSON body or as ?a=&b= (some clients send no body with DELETE).
export const deleteJudgement: Handler = (request, response, app) => {
  removeJudgement(app.db, incidentOf(request, app), bodyOrQuery(request), actorOf(response));
  response.status(204).end();
};

/** Sets a facet's assessment: 201 when it is new, 200 when it replaced one (send its version). */
export const setAssessment: Handler = (request, response, app) => {
  const assessment = saveAssessment(app.db, incidentOf(request, app), request.body, request.get('if-match'), actorOf(response));
  sendVersioned(response, assessment, assessment, assessment.version === 1 ? 201 : 200);
};

/** Removes a facet's assessment: {facet, version} as a JSON body or as ?facet=&version=. */
export const deleteAssessment: Handler = (request, response, app) => {
  removeAssessment(app.db, incidentOf(request, app), bodyOrQuery(request), request.get('if-match'), actorOf(response));
  response.status(204).end();
};

export const linkFacetsJson: Handler = (request, response, app) => {
  response.status(201).json(linkFacets(app.db, incidentOf(request, app), request.body, actorOf(response)));
};

export const unlinkFacetsJson: Handler = (request, response, app) => {
  unlinkFacets(app.db, incidentOf(request, app), bodyOrQuery(request), actorOf(response));
  response.status(204).end();
};

export const renameFacetJson: Handler = async (request, response, app) => {
  response.json(await renameFacet(app.db, incidentOf(request, app), request.body, actorOf(response)));
};

/** What a DELETE names: its JSON body, or its query when it has none (some clients send no body with DELETE). */
function bodyOrQuery(request: Request): unknown {
  const hasBody = typeof request.body === 'object' && request.body !== null && Object.keys(request.body).length > 0;
  return hasBody ? request.body : request.query;
}

/**
 * The incident's claims as one JSON document, read 1,000 at a time and written as they are read, as
 * exports are (see `committedBatches`): a large incident's claims are megabytes, which one read and
 * one JSON.stringify would hold the server for.
 */
export const listClaims: Handler = async (request, response, app) => {
  const incident = incidentOf(request, app);
  const write = partWriter(response);
  let first = true;
  for await (const batch of committedBatches(app.db, listClaimsForIncidentInBatches(app.db, incident.id, 1_000))) {
    if (first) response.type('json');
    if (!(await write(`${first ? '{"claims":[' : ','}${batch.map((claim) => JSON.stringify(claimJson(claim))).join(',')}`))) return;
    first = false;
  }
  if (first) return void response.json({ claims: [] });
  await write(']}');
  response.end();
};
export const createClaim: Handler = (request, response, app) => {
  const claim = saveClaim(app.db, incidentOf(request, app).id, request.body, actorOf(response));
  sendVersioned(response, claim, claimJson(claim), 201);
};
export const createClaims: Handler = (request, response, app) => {
  const claims = saveClaims(app.db, incidentOf(request, app).id, request.body, actorOf(response));
  response.status(201).json({ claims: claims.map(claimJson) });
};
/** Proposals for a text, nothing stored: a read, open to anyone who may read. */
export const extract: Handler = async (request, response, app) => {
  const extraction = await extractClaims(app.db, request.body);
  response.json({ sentences: extraction.sentences, truncated: extraction.truncated, proposals: extraction.proposals.map(proposalJson) });
};

/** Stores a document (or finds the same text stored before: 200 instead of 201), and proposes its claims. */
export const createDocument: Handler = async (request, response, app) => {
  const incident = incidentOf(request, app);
  const { document, existing } = await addDocument(app.db, incident.id, request.body, undefined, actorOf(response));
  const proposals = await documentProposals(app.db, document);
  response.status(existing ? 200 : 201).json({ document: documentJson(document), existing, proposals: proposals.map(proposalJson) });
};

export const readClaim: Handler = (request, response, app) => {
  const claim = claimOf(request, app);
  sendVersioned(response, claim, claimJson(claim));
};
export const editClaim: Handler = (request, response, app) => {
  const claim = claimOf(request, app);
  const version = clientVersion(request);
  const saved = saveClaim(app.db, claim.incident_id, editBody(request, claim), actorOf(response), { id: claim.id, version });
  sendVersioned(response, saved, claimJson(saved));
};
export const deleteClaim: Handler = (request, response, app) => {
  removeClaim(app.db, idParam(request, 'Claim'), actorOf(response));
  response.status(204).end();
};
export const restoreClaimJson: Handler = (request, response, { db }) => {
  const restored = restoreClaim(db, idParam(request, 'Claim'), actorOf(response));
  sendVersioned(response, restored, claimJson(restored));
};
