/**
 * Every route of the app, one per line: method, path, who may call it (see guards.ts), handler.
 * The order matters only where two paths could match one URL: /incidents/new and /incidents/:slug.jsonld before /incidents/:slug.
 * test/fuzz.test.ts fuzzes every write route listed here, and test/docs.test.ts checks that the
 * docs name each path. Every address a page's form posts to answers GET too (`seeOther` in
 * forms.ts), and test/forms-and-provenance.test.ts walks them.
 */
import { Router } from 'express';
import * as accounts from './accounts.js';
import * as admin from './admin.js';
import * as api from './api.js';
import type { BodyKind } from './bodies.js';
import * as claims from './claims.js';
import { joinWrites, whileWriting } from './commits.js';
import { type AppContext, type Handler, idParam } from './context.js';
import * as documents from './documents.js';
import * as exports from './exports.js';
import * as facets from './facets.js';
import { comparePageOr, facetPageOr, incidentOf, seeOther } from './forms.js';
import { GUARDS, guard, type Guard, isWrite } from './guards.js';
import { health } from './health.js';
import * as imports from './imports.js';
import * as incidents from './incidents.js';
import * as judgements from './judgements.js';
import * as report from './report.js';
import * as search from './search.js';
import * as sources from './sources.js';
import * as timeline from './timeline.js';
import { API_PREFIX, urls } from './urls.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  method: Method;
  path: string;
  guard: Guard;
  handler: Handler;
  /** A body larger than the usual 256 KB, and its parser (see bodies.ts). */
  body?: BodyKind;
  /** A POST that only reads (the body is a question, as for /api/extract): guarded as a read. */
  readOnly?: true;
  /**
   * Writes on the import thread, not in the request's write batch: such a request must not count as
   * a write under way, which the import it starts would wait for (db/commits.ts, `asOnlyWriter`).
   */
  importThread?: true;
}

const route = (method: Method, path: string, who: Guard, handler: Handler, options: Pick<Route, 'body' | 'readOnly' | 'importThread'> = {}): Route => ({
  method,
  path,
  guard: who,
  handler,
  ...options,
});

export const ROUTES: readonly Route[] = [
  route('GET',    '/healthz',                             'anyone',    health),
  route('GET',    '/login',                               'anyone',    accounts.loginPage),
  route('POST',   '/login',                               'anyone',    accounts.login),
  route('POST',   '/logout',                              'signed-in', accounts.logout),
  route('GET',    '/logout',                              'anyone',    seeOther(() => urls.home())),
  route('GET',    '/setup',                               'anyone',    accounts.setupPage),
  route('POST',   '/setup',                               'anyone',    accounts.setup),

  route('GET',    '/',                                    'reader',    incidents.list),
  route('GET',    '/claims.csv',                          'reader',    exports.allClaims('csv')),
  route('GET',    '/claims.json',                         'reader',    exports.allClaims('json')),
  route('GET',    '/comparison.csv',                      'reader',    exports.allComparisons),
  route('GET',    '/search',                              'reader',    search.page),
  route('GET',    '/import',                              'editor',    imports.page),
  route('POST',   '/import',                              'editor',    imports.preview, { body: 'import', importThread: true }),
  route('GET',    '/import/:id',                          'editor',    imports.show),
  route('POST',   '/import/:id',                          'editor',    imports.apply, { importThread: true }),
  route('GET',    '/incidents/new',                       'editor',    incidents.newForm),
  route('POST',   '/incidents',                           'editor',    incidents.create),
  route('GET',    '/incidents',                           'reader',    seeOther((_, response) => (response.locals.canEdit ? urls.newIncident() : urls.home()))),
  route('GET',    '/incidents/:slug.jsonld',              'reader',    exports.incidentJsonLd),
  route('GET',    '/incidents/:slug',                     'reader',    incidents.show),
  route('GET',    '/incidents/:slug/pairs',               'reader',    incidents.pairs),
  route('GET',    '/incidents/:slug/timeline',            'reader',    timeline.show),
  route('GET',    '/incidents/:slug/claims.csv',          'reader',    exports.incidentClaims('csv')),
  route('GET',    '/incidents/:slug/claims.json',         'reader',    exports.incidentClaims('json')),
  route('GET',    '/incidents/:slug/comparison.csv',      'reader',    exports.incidentComparison),
  route('GET',    '/incidents/:slug/pairs.csv',           'reader',    exports.incidentPairs),
  route('GET',    '/incidents/:slug/report.md',           'reader',    report.show),
  route('GET',    '/incidents/:slug/edit',                'editor',    incidents.editForm),
  route('POST',   '/incidents/:slug/edit',                'editor',    incidents.update),
  route('GET',    '/incidents/:slug/delete',              'editor',    incidents.confirmDelete),
  route('POST',   '/incidents/:slug/delete',              'editor',    incidents.remove),
  route('POST',   '/incidents/:id/restore',               'admin',     incidents.restore),
  route('GET',    '/incidents/:id/restore',               'admin',     seeOther(() => urls.adminDeleted())),

  route('GET',    '/incidents/:slug/claims/new',          'editor',    claims.newForm),
  route('POST',   '/incidents/:slug/claims',              'editor',    claims.create),
  route('GET',    '/incidents/:slug/claims',              'reader',    seeOther((request) => urls.newClaim(incidentOf(request)))),
  route('GET',    '/claims/:id',                          'reader',    claims.show),

  route('GET',    '/incidents/:slug/documents/new',       'editor',    documents.newForm),
  route('POST',   '/incidents/:slug/documents',           'editor',    documents.create, { body: 'document' }),
  route('GET',    '/incidents/:slug/documents',           'reader',    seeOther((request) => urls.newDocument(incidentOf(request)))),
  route('GET',    '/incidents/:slug/documents/:id',       'reader',    documents.show),
  route('GET',    '/incidents/:slug/documents/:id/review', 'editor',   documents.reviewForm),
  route('POST',   '/incidents/:slug/documents/:id/review', 'editor',   documents.saveReview, { body: 'review' }),
  route('GET',    '/claims/:id/edit',                     'editor',    claims.editForm),
  route('POST',   '/claims/:id/edit',                     'editor',    claims.update),
  route('GET',    '/claims/:id/delete',                   'editor',    claims.confirmDelete),
  route('POST',   '/claims/:id/delete',                   'editor',    claims.remove),
  route('POST',   '/claims/:id/restore',                  'admin',     claims.restore),
  route('GET',    '/claims/:id/restore',                  'reader',    seeOther((request) => urls.claim({ id: idParam(request, 'Claim') }))),

  route('GET',    '/incidents/:slug/compare',             'reader',    judgements.compare),
  route('POST',   '/incidents/:slug/relations',           'editor',    judgements.save),
  route('GET',    '/incidents/:slug/relations',           'reader',    comparePageOr),
  route('POST',   '/incidents/:slug/relations/delete',    'editor',    judgements.remove),
  route('GET',    '/incidents/:slug/relations/delete',    'reader',    comparePageOr),

  route('GET',    '/incidents/:slug/facet',               'reader',    facets.show),
  route('POST',   '/incidents/:slug/assessments',         'editor',    facets.saveAssessmentForm),
  route('GET',    '/incidents/:slug/assessments',         'reader',    facetPageOr),
  route('POST',   '/incidents/:slug/assessments/delete',  'editor',    facets.removeAssessmentForm),
  route('GET',    '/incidents/:slug/assessments/delete',  'reader',    facetPageOr),
  route('POST',   '/incidents/:slug/facet-links',         'editor',    facets.link),
  route('GET',    '/incidents/:slug/facet-links',         'reader',    facetPageOr),
  route('POST',   '/incidents/:slug/facet-links/delete',  'editor',    facets.unlink),
  route('GET',    '/incidents/:slug/facet-links/delete',  'reader',    facetPageOr),
  route('POST',   '/incidents/:slug/facets/rename',       'editor',    facets.rename),
  route('GET',    '/incidents/:slug/facets/rename',       'reader',    facetPageOr),

  route('GET',    '/sources',                             'reader',    sources.list),
  route('GET',    '/sources/new',                         'editor',    sources.newForm),
  route('GET',    '/sources/agreement',                   'reader',    sources.agreement),
  route('GET',    '/sources/agreement.csv',               'reader',    exports.sourceAgreement('csv')),
  route('GET',    '/sources/agreement.json',              'reader',    exports.sourceAgreement('json')),
  route('POST',   '/sources',                             'editor',    sources.create),
  route('GET',    '/sources/:id',                         'reader',    sources.show),
  route('GET',    '/sources/:id/edit',                    'editor',    sources.editForm),
  route('POST',   '/sources/:id/edit',                    'editor',    sources.update),
  route('GET',    '/sources/:id/delete',                  'editor',    sources.confirmDelete),
  route('POST',   '/sources/:id/delete',                  'editor',    sources.remove),

  route('GET',    '/admin/users',                         'admin',     admin.users),
  route('POST',   '/admin/users',                         'admin',     admin.createUser),
  route('POST',   '/admin/users/:id/role',                'admin',     admin.setRole),
  route('GET',    '/admin/users/:id/role',                'admin',     seeOther(() => urls.adminUsers())),
  route('POST',   '/admin/users/:id/disable',             'admin',     admin.disable),
  route('GET',    '/admin/users/:id/disable',             'admin',     seeOther(() => urls.adminUsers())),
  route('POST',   '/admin/users/:id/tokens',              'admin',     admin.newToken),
  route('GET',    '/admin/users/:id/tokens',              'admin',     seeOther(() => urls.adminUsers())),
  route('POST',   '/admin/users/:id/tokens/revoke',       'admin',     admin.revokeTokens),
  route('GET',    '/admin/users/:id/tokens/revoke',       'admin',     seeOther(() => urls.adminUsers())),
  route('GET',    '/admin/deleted',                       'admin',     admin.deleted),

  route('GET',    '/api/search',                          'reader',    search.json),
  route('POST',   '/api/import',                          'editor',    imports.api, { body: 'import', importThread: true }),
  route('GET',    '/api/sources',                         'reader',    api.listSourcesJson),
  route('POST',   '/api/sources',                         'editor',    api.sources.create),
  route('GET',    '/api/sources/:id',                     'reader',    api.sources.read),
  route('PUT',    '/api/sources/:id',                     'editor',    api.sources.edit),
  route('PATCH',  '/api/sources/:id',                     'editor',    api.sources.edit),
  route('DELETE', '/api/sources/:id',                     'editor',    api.sources.remove),
  route('GET',    '/api/incidents',                       'reader',    api.listIncidentsJson),
  route('POST',   '/api/incidents',                       'editor',    api.incidents.create),
  route('GET',    '/api/incidents/:id',                   'reader',    api.incidents.read),
  route('PUT',    '/api/incidents/:id',                   'editor',    api.incidents.edit),
  route('PATCH',  '/api/incidents/:id',                   'editor',    api.incidents.edit),
  route('DELETE', '/api/incidents/:id',                   'editor',    api.incidents.remove),
  route('POST',   '/api/incidents/:id/restore',           'admin',     api.restoreIncidentJson),
  route('GET',    '/api/incidents/:id/comparison',        'reader',    api.comparison),
  route('POST',   '/api/incidents/:id/relations',         'editor',    api.setJudgement),
  route('DELETE', '/api/incidents/:id/relations',         'editor',    api.deleteJudgement),
  route('PUT',    '/api/incidents/:id/assessments',       'editor',    api.setAssessment),
  route('DELETE', '/api/incidents/:id/assessments',       'editor',    api.deleteAssessment),
  route('POST',   '/api/incidents/:id/facet-links',       'editor',    api.linkFacetsJson),
  route('DELETE', '/api/incidents/:id/facet-links',       'editor',    api.unlinkFacetsJson),
  route('POST',   '/api/incidents/:id/facets/rename',     'editor',    api.renameFacetJson),
  route('GET',    '/api/incidents/:id/claims',            'reader',    api.listClaims),
  route('POST',   '/api/incidents/:id/claims',            'editor',    api.createClaim),
  route('POST',   '/api/incidents/:id/claims/batch',      'editor',    api.createClaims),
  route('POST',   '/api/incidents/:id/documents',         'editor',    api.createDocument, { body: 'document-json' }),
  route('POST',   '/api/extract',                         'reader',    api.extract, { body: 'document-json', readOnly: true }),
  route('GET',    '/api/claims/:id',                      'reader',    api.readClaim),
  route('PUT',    '/api/claims/:id',                      'editor',    api.editClaim),
  route('PATCH',  '/api/claims/:id',                      'editor',    api.editClaim),
  route('DELETE', '/api/claims/:id',                      'editor',    api.deleteClaim),
  route('POST',   '/api/claims/:id/restore',              'admin',     api.restoreClaimJson),
];

/** A route that writes: every method but GET, unless it only reads. */
export function writes(entry: Route): boolean {
  return isWrite(entry.method) && !entry.readOnly;
}

/** Each path's least strict guard: the one that decides who may ask it which methods it has (OPTIONS). */
function optionsGuards(routes: readonly Route[]): Map<string, Guard> {
  const least = new Map<string, Guard>();
  for (const { path, guard: who } of routes) {
    const known = least.get(path);
    if (known === undefined || GUARDS.indexOf(who) < GUARDS.indexOf(known)) least.set(path, who);
  }
  return least;
}

/**
 * The table as an Express router: each route behind its guard (and, for API writes, the check that
 * the body is JSON). Express answers OPTIONS itself for a known path; that answer is guarded too.
 */
export function routeTable(app: AppContext, routes: readonly Route[] = ROUTES): Router {
  const router = Router();
  for (const [path, who] of optionsGuards(routes)) router.options(path, guard(who, app.db, app.auth));
  for (const entry of routes) {
    if (writes(entry) && entry.guard === 'reader') throw new Error(`${entry.method} ${entry.path}: a write needs a guard that names who may write`);
    const checks = [
      guard(entry.guard, app.db, app.auth, { readOnly: entry.readOnly === true }),
      // The import takes a file, as CSV or JSON, in the body or a multipart form (bodies.ts).
      ...(entry.path.startsWith(API_PREFIX) && entry.body !== 'import' ? [api.requireJson] : []),
      ...(writes(entry) && !entry.importThread ? [joinWrites(app.db)] : []),
    ];
    const counted = writes(entry) && !entry.importThread;
    router[entry.method.toLowerCase() as Lowercase<Method>](entry.path, ...checks, (request, response) =>
      counted ? whileWriting(app.db, response, () => entry.handler(request, response, app)) : entry.handler(request, response, app),
    );
  }
  return router;
}
