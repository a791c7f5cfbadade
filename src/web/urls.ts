/**
 * Every URL of the app, built in one place for handlers and templates (where it is the global
 * `urls`): `urls.incident(incident)`, `urls.claimEdit(claim)`. Slugs and query values are encoded
 * here and nowhere else; test/layout.test.ts checks that each URL built here is one the route table
 * serves, and that views and handlers build none by hand.
 */

/** Where the JSON API's routes begin: requests under it are answered in JSON. */
export const API_PREFIX = '/api/';

interface WithId {
  id: number;
}
interface WithSlug {
  slug: string;
}
/** A claim as the pages hold it: its id, and its incident's slug for links into the grid. */
interface ClaimInIncident {
  id: number;
  incident_slug: string;
}

/** What a link to a search carries. */
export interface SearchLink {
  q?: string;
  type?: string;
  source?: number;
  kind?: string;
  affiliation?: string;
  status?: string;
  from?: string;
  to?: string;
  page?: number;
}

const incidentPath = (incident: WithSlug) => `/incidents/${encodeURIComponent(incident.slug)}`;

function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const given = Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return given.length === 0 ? path : `${path}?${given.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&')}`;
}

export const urls = {
  home: () => '/',
  /** A search, its filters and which group and page of its results (see actions/search.ts). */
  search: (link: SearchLink = {}) =>
    withQuery('/search', { q: link.q, type: link.type, source: link.source, kind: link.kind, affiliation: link.affiliation, status: link.status,
      from: link.from, to: link.to, page: link.page === 1 ? undefined : link.page }),
  apiSearch: (link: SearchLink = {}) => withQuery(`${API_PREFIX}search`, { q: link.q, type: link.type }),
  /** The import page, and a preview of an uploaded file (actions/import-previews.ts). */
  imports: (options: { expired?: boolean } = {}) => withQuery('/import', { expired: options.expired ? '1' : undefined }),
  importPreview: (preview: { id: string }) => `/import/${encodeURIComponent(preview.id)}`,
  apiImport: (options: { dryRun?: boolean } = {}) => withQuery(`${API_PREFIX}import`, { dry_run: options.dryRun ? '1' : undefined }),
  stylesheet: () => '/static/style.css',
  health: () => '/healthz',

  newIncident: () => '/incidents/new',
  createIncident: () => '/incidents',
  /** The incident's page; beyond its first page of the grid, `page`. */
  incident: (incident: WithSlug, at: { page?: number } = {}) => withQuery(incidentPath(incident), { page: at.page === 1 ? undefined : at.page }),
  /** The incident's grid as a view shows it (only contradictions, sources of one kind…; see web/grid.ts), on page `page`. */
  incidentView: (incident: WithSlug, view: { only?: string; hide?: string; kind?: string; affiliation?: string; order?: string }, page?: number) =>
    withQuery(incidentPath(incident), { only: view.only, hide: view.hide, kind: view.kind, affiliation: view.affiliation, order: view.order, page: page === 1 ? undefined : page }),
  incidentEdit: (incident: WithSlug) => `${incidentPath(incident)}/edit`,
  incidentDelete: (incident: WithSlug) => `${incidentPath(incident)}/delete`,
  incidentRestore: (incident: WithId) => `/incidents/${incident.id}/restore`,
  /** The incident page with a note on the claim just saved, scrolled to it. */
  incidentAfterSave: (incident: WithSlug, claim: WithId) => `${withQuery(incidentPath(incident), { saved: claim.id })}#claim-${claim.id}`,
  /** The incident's claims by the instant each was published, a lane per source in each facet; beyond its first page, `page`. */
  timeline: (incident: WithSlug, at: { page?: number } = {}) => withQuery(`${incidentPath(incident)}/timeline`, { page: at.page === 1 ? undefined : at.page }),
  incidentPairs: (incident: WithSlug, facetKey: string) => withQuery(`${incidentPath(incident)}/pairs`, { facet: facetKey }),
  /** The incident, its claims and its assessments as schema.org JSON-LD (see web/jsonld.ts). */
  incidentJsonLd: (incident: WithSlug) => `${incidentPath(incident)}.jsonld`,
  incidentClaimsExport: (incident: WithSlug, format: 'csv' | 'json') => `${incidentPath(incident)}/claims.${format}`,
  allClaimsExport: (format: 'csv' | 'json') => `/claims.${format}`,
  /** The comparison as a table: a row per claim per facet (of one incident, or of all). */
  incidentComparisonExport: (incident: WithSlug) => `${incidentPath(incident)}/comparison.csv`,
  allComparisonExport: () => '/comparison.csv',
  /** Every pair of the incident's comparison, a row each. */
  incidentPairsExport: (incident: WithSlug) => `${incidentPath(incident)}/pairs.csv`,
  /** The incident in Markdown for people who write: summary, contradictions in sentences, positions, assessments, claims with their links. */
  incidentReport: (incident: WithSlug) => `${incidentPath(incident)}/report.md`,
  /** The incident's whole comparison, as the API gives it. */
  apiComparison: (incident: WithId) => `${API_PREFIX}incidents/${incident.id}/comparison`,

  newDocument: (incident: WithSlug) => `${incidentPath(incident)}/documents/new`,
  createDocument: (incident: WithSlug) => `${incidentPath(incident)}/documents`,
  /** A document with its claims marked in its text; `at` a claim's mark. */
  document: (incident: WithSlug, document: WithId) => `${incidentPath(incident)}/documents/${document.id}`,
  /** The review of a document's proposed claims; beyond the first page, `page`; `existing` says the text was stored before. */
  documentReview: (incident: WithSlug, document: WithId, at: { page?: number; existing?: boolean } = {}) =>
    withQuery(`${incidentPath(incident)}/documents/${document.id}/review`, { page: at.page === 1 ? undefined : at.page, existing: at.existing ? 1 : undefined }),
  /** The grid after claims were saved together: each marked new. */
  incidentAfterBatch: (incident: WithSlug, claims: WithId[]) =>
    `${withQuery(incidentPath(incident), { added: claims.map((claim) => claim.id).join(',') })}${claims[0] ? `#claim-${claims[0].id}` : ''}`,
  apiExtract: () => `${API_PREFIX}extract`,

  newClaim: (incident: WithSlug, prefill: { facet?: string; source_id?: number } = {}) =>
    withQuery(`${incidentPath(incident)}/claims/new`, prefill),
  createClaim: (incident: WithSlug) => `${incidentPath(incident)}/claims`,
  claim: (claim: WithId) => `/claims/${claim.id}`,
  claimEdit: (claim: WithId) => `/claims/${claim.id}/edit`,
  claimDelete: (claim: WithId) => `/claims/${claim.id}/delete`,
  claimRestore: (claim: WithId) => `/claims/${claim.id}/restore`,
  /** The claim's cell in its incident's grid, on whichever page of the grid holds it. */
  claimInGrid: (claim: ClaimInIncident) => `${withQuery(incidentPath({ slug: claim.incident_slug }), { claim: claim.id })}#claim-${claim.id}`,

  compare: (incident: WithSlug, pair: { a: number; b: number }) => withQuery(`${incidentPath(incident)}/compare`, { a: pair.a, b: pair.b }),
  /**
   * Where the judgement forms post. The pair rides in the query too (the body says it for the save),
   * so that the address a refused form leaves in the address bar leads back to the compare page.
   */
  judgements: (incident: WithSlug, pair?: { a: number; b: number }) => withQuery(`${incidentPath(incident)}/relations`, { a: pair?.a, b: pair?.b }),
  judgementDelete: (incident: WithSlug, pair?: { a: number; b: number }) => withQuery(`${incidentPath(incident)}/relations/delete`, { a: pair?.a, b: pair?.b }),
  /** A facet's page: its positions, the analyst's assessment, part-of links, rename and merge. */
  facet: (incident: WithSlug, facetKey: string) => withQuery(`${incidentPath(incident)}/facet`, { facet: facetKey }),
  // The facet page's forms post with the facet in the query as well, for the same reason as judgements.
  assessments: (incident: WithSlug, facetKey?: string) => withQuery(`${incidentPath(incident)}/assessments`, { facet: facetKey }),
  assessmentDelete: (incident: WithSlug, facetKey?: string) => withQuery(`${incidentPath(incident)}/assessments/delete`, { facet: facetKey }),
  facetLinks: (incident: WithSlug, facetKey?: string) => withQuery(`${incidentPath(incident)}/facet-links`, { facet: facetKey }),
  facetLinkDelete: (incident: WithSlug, facetKey?: string) => withQuery(`${incidentPath(incident)}/facet-links/delete`, { facet: facetKey }),
  facetRename: (incident: WithSlug, facetKey?: string) => withQuery(`${incidentPath(incident)}/facets/rename`, { facet: facetKey }),
  /** The list of every pair under the grid. */
  incidentPairList: (incident: WithSlug) => `${incidentPath(incident)}#pairs`,

  sources: () => '/sources',
  newSource: () => '/sources/new',
  /** A source's page; beyond the first page of its claims, `page`. */
  source: (source: WithId, at: { page?: number } = {}) => withQuery(`/sources/${source.id}`, { page: at.page === 1 ? undefined : at.page }),
  sourceEdit: (source: WithId) => `/sources/${source.id}/edit`,
  sourceDelete: (source: WithId) => `/sources/${source.id}/delete`,
  /** The source × source agreement matrix, of the sources of one kind or affiliation if given. */
  sourceAgreement: (filters: { kind?: string; affiliation?: string } = {}) => withQuery('/sources/agreement', { kind: filters.kind, affiliation: filters.affiliation }),
  sourceAgreementExport: (format: 'csv' | 'json', filters: { kind?: string; affiliation?: string } = {}) =>
    withQuery(`/sources/agreement.${format}`, { kind: filters.kind, affiliation: filters.affiliation }),

  login: (next?: string) => withQuery('/login', { next }),
  logout: () => '/logout',
  /** The one-time link to create the first admin (with its token); without one, what to do next once that is done. */
  setup: (token?: string) => withQuery('/setup', { token }),
  adminUsers: () => '/admin/users',
  adminUserRole: (user: WithId) => `/admin/users/${user.id}/role`,
  adminUserDisable: (user: WithId) => `/admin/users/${user.id}/disable`,
  adminUserTokens: (user: WithId) => `/admin/users/${user.id}/tokens`,
  adminUserTokensRevoke: (user: WithId) => `/admin/users/${user.id}/tokens/revoke`,
  adminDeleted: () => '/admin/deleted',
};

export type Urls = typeof urls;
