/**
 * An incident as schema.org JSON-LD, for fact-checking tools and search engines: the incident as an
 * `Event`, each claim as a `Claim` (author: its source; appearance: where it was published and
 * archived), each analyst's assessment of a facet as a `ClaimReview` of that facet's claims, with a
 * `Rating` mapped from the grade (GRADE_RATINGS; docs/api.md, "JSON-LD"). Served whole at
 * `urls.incidentJsonLd` and embedded in the incident page. The nodes are typed with schema-dts, so
 * every type and property name is schema.org's (test/jsonld.test.ts checks the output again
 * against the vocabulary). Identifiers are this site's paths: JSON-LD resolves them against the
 * address of the document that holds them, the same site for the page and the `.jsonld`.
 */
import type { Claim as ClaimNode, ClaimReview, CreativeWork, Event, Graph, Organization, Person, Rating } from 'schema-dts';
import { type AssessmentRow, type Grade, listAssessments } from '../db/assessments.js';
import { type ClaimRow, listClaimsForIncidentInBatches } from '../db/claims.js';
import type { Database } from '../db/database.js';
import type { Incident } from '../db/incidents.js';
import { ownTurn } from '../slices.js';
import { GRADE_CHOICES } from './labels.js';
import { committedBatches } from './streaming.js';
import { urls } from './urls.js';

/** Each grade as a rating from 1 (worst) to 5 (best), in the order of GRADES, strongest first. */
export const GRADE_RATINGS: Record<Grade, number> = { confirmed: 5, fair: 4, weak: 3, contested: 2, discounted: 1 };
export const BEST_RATING = 5;
export const WORST_RATING = 1;

/** The incident pages that embed their JSON-LD: those of up to this many claims (larger ones link to the `.jsonld`). */
export const EMBEDDED_CLAIMS_LIMIT = 2_000;

/** The graph's context: every name in it is schema.org's. */
const SCHEMA_ORG: Graph['@context'] = 'https://schema.org';

const eventId = (incident: Incident) => `${urls.incident(incident)}#incident`;
const assessmentId = (incident: Incident, assessment: AssessmentRow) => `${urls.facet(incident, assessment.facet_key)}#assessment`;

/** The incident as the graph's subject. */
export function eventNode(incident: Incident): Event {
  return {
    '@type': 'Event',
    '@id': eventId(incident),
    name: incident.title,
    url: urls.incident(incident),
    ...(incident.occurred_on === null ? {} : { startDate: incident.occurred_on }),
    ...(incident.location === null ? {} : { location: incident.location }),
    ...(incident.summary === null ? {} : { description: incident.summary }),
  };
}

/** A source as the author of its claims: a person if its kind is 'individual', else an organisation. */
function sourceNode(id: number, name: string, kind: string, affiliation: string | null): Person | Organization {
  const common = { '@id': urls.source({ id }), name };
  if (kind !== 'individual') return { '@type': 'Organization', ...common };
  return { '@type': 'Person', ...common, ...(affiliation === null ? {} : { affiliation: { '@type': 'Organization', name: affiliation } }) };
}

/** A claim: what its source said, when, and where it appeared (through the outlet it came through, if any). */
export function claimNode(incident: Incident, claim: ClaimRow): ClaimNode {
  const appearance: CreativeWork | undefined =
    claim.url === null && claim.archive_url === null
      ? undefined
      : {
          '@type': 'CreativeWork',
          ...(claim.url === null ? {} : { url: claim.url }),
          ...(claim.archive_url === null ? {} : { archivedAt: claim.archive_url }),
          ...(claim.published_at === null ? {} : { datePublished: claim.published_at }),
          ...(claim.via_source_id === null || claim.via_name === null ? {} : { publisher: { '@type': 'Organization', '@id': urls.source({ id: claim.via_source_id }), name: claim.via_name } }),
        };
  return {
    '@type': 'Claim',
    '@id': urls.claim(claim),
    text: claim.text,
    keywords: claim.facet,
    about: { '@id': eventId(incident) },
    author: sourceNode(claim.source_id, claim.source_name, claim.source_kind, claim.source_affiliation),
    ...(claim.published_at === null ? {} : { datePublished: claim.published_at }),
    ...(appearance === undefined ? {} : { appearance }),
    // Where the source itself said it, as far as Claimgrid knows; a claim that came through another
    // outlet (via) was first said elsewhere.
    ...(appearance === undefined || claim.via_source_id !== null ? {} : { firstAppearance: appearance }),
  };
}

/** The rating a grade gives (GRADE_RATINGS). */
export function ratingOf(grade: Grade): Rating {
  return {
    '@type': 'Rating',
    ratingValue: GRADE_RATINGS[grade],
    bestRating: BEST_RATING,
    worstRating: WORST_RATING,
    alternateName: grade,
    ratingExplanation: GRADE_CHOICES.find((choice) => choice.value === grade)?.meaning ?? grade,
  };
}

/** An analyst's assessment of a facet, reviewing the facet's claims (by their ids). */
export function reviewNode(incident: Incident, assessment: AssessmentRow, claimIds: readonly number[]): ClaimReview {
  return {
    '@type': 'ClaimReview',
    '@id': assessmentId(incident, assessment),
    url: urls.facet(incident, assessment.facet_key),
    about: { '@id': eventId(incident) },
    claimReviewed: assessment.value === null ? assessment.facet : `${assessment.facet}: ${assessment.value}`,
    itemReviewed: claimIds.map((id) => ({ '@id': urls.claim({ id }) })),
    reviewRating: ratingOf(assessment.grade),
    reviewBody: assessment.reason,
    datePublished: assessment.created_at,
    ...(assessment.updated_at === null ? {} : { dateModified: assessment.updated_at }),
  };
}

/** The claims of each assessed facet, by the facet's key. */
function claimsOfAssessed(assessments: readonly AssessmentRow[]): { add: (claim: ClaimRow) => void; of: (assessment: AssessmentRow) => number[] } {
  const byKey = new Map(assessments.map((assessment) => [assessment.facet_key, [] as number[]]));
  return { add: (claim) => byKey.get(claim.facet_key)?.push(claim.id), of: (assessment) => byKey.get(assessment.facet_key) ?? [] };
}

const BATCH_SIZE = 1_000;
const CLAIMS_PER_CHUNK = 200;

/**
 * The incident's graph as JSON text in parts, `{"@context": "https://schema.org", "@graph": [...]}`:
 * the event, its live claims in id order, then its assessments. Claims are read a batch at a time
 * (as the exports read them, see `committedBatches`), CLAIMS_PER_CHUNK a part, each part in a turn of
 * its own. Past `maxClaims` claims it stops, and returns false; true once the graph is whole.
 */
export async function* incidentGraphChunks(db: Database, incident: Incident, maxClaims = Infinity): AsyncGenerator<string, boolean> {
  const assessments = listAssessments(db, incident.id);
  const reviewed = claimsOfAssessed(assessments);
  let claims = 0;
  yield `{"@context":${JSON.stringify(SCHEMA_ORG)},"@graph":[${JSON.stringify(eventNode(incident))}`;
  for await (const batch of committedBatches(db, listClaimsForIncidentInBatches(db, incident.id, Math.min(BATCH_SIZE, maxClaims + 1)))) {
    claims += batch.length;
    if (claims > maxClaims) return false;
    for (let start = 0; start < batch.length; start += CLAIMS_PER_CHUNK) {
      if (start > 0) await ownTurn();
      const part = batch.slice(start, start + CLAIMS_PER_CHUNK);
      part.forEach(reviewed.add);
      yield part.map((claim) => `,${JSON.stringify(claimNode(incident, claim))}`).join('');
    }
  }
  yield `${assessments.map((assessment) => `,${JSON.stringify(reviewNode(incident, assessment, reviewed.of(assessment)))}`).join('')}]}\n`;
  return true;
}

/**
 * The graph to embed in the incident page, made safe to place inside a `<script
 * type="application/ld+json">` element: no `<` is left (each is written `\u003c`, the same string to
 * a JSON parser), so no text can close the element or open a comment. Undefined if the incident has
 * more than EMBEDDED_CLAIMS_LIMIT claims (no more than one batch past the limit is read).
 */
export async function embeddedJsonLd(db: Database, incident: Incident): Promise<string | undefined> {
  const chunks = incidentGraphChunks(db, incident, EMBEDDED_CLAIMS_LIMIT);
  let text = '';
  for (;;) {
    const next = await chunks.next();
    if (next.done) return next.value ? text.trimEnd().replaceAll('<', '\\u003c') : undefined;
    text += next.value;
  }
}
