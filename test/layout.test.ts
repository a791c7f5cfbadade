/**
 * The shape of the code, as docs/layout.md describes it: layers that import in
 * one direction, route modules that do not import each other, named errors turned into statuses in
 * one place, and every internal URL built by the URL builder and served by the route table.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DomainError, NotFound } from '../src/errors.js';
import { ERROR_STATUSES, statusOf } from '../src/web/errors.js';
import { ROUTES } from '../src/web/routes.js';
import { urls } from '../src/web/urls.js';

const SRC = path.join(import.meta.dirname, '..', 'src');
const VIEWS = path.join(import.meta.dirname, '..', 'views');

function sourceFiles(directory = SRC): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const relative = (file: string) => path.relative(SRC, file).replaceAll(path.sep, '/');

/** The files of src/ that `file` imports, relative to src/ ("db/claims.ts"). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import [^;]*? from '(\.[^']+)';/gms)].map((match) =>
    relative(path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts'))),
  );
}

/** What each layer may import, besides itself. */
const MAY_IMPORT: [layer: RegExp, allowed: RegExp][] = [
  [/^compare\//, /^(compare\/|memo\.ts$)/],
  [/^db\//, /^(db\/|compare\/|memo\.ts$|slices\.ts$|auth\/|errors\.ts$)/],
  [/^extract\//, /^(extract\/|compare\/)/],
  [/^actions\//, /^(actions\/|db\/|compare\/|extract\/|render\/|threads\/|errors\.ts$|auth\/|memo\.ts$|slices\.ts$)/],
  [/^render\//, /^(render\/|threads\/queue\.ts$)/],
  // The import thread runs the import use case itself, on a connection of its own.
  [/^threads\/import(s|-worker)\.ts$/, /^(threads\/|actions\/imports\.ts$|actions\/import-files\.ts$|db\/database\.ts$)/],
  [/^threads\//, /^(threads\/|extract\/|db\/search\.ts$|errors\.ts$)/],
  [/^errors\.ts$/, /^$/],
];

describe('the layout of the code', () => {
  it('imports in one direction: compare ← db ← actions ← web, and nothing but app.ts reaches into web', () => {
    const wrong: string[] = [];
    for (const file of sourceFiles()) {
      const from = relative(file);
      for (const target of importsOf(file)) {
        const rule = MAY_IMPORT.find(([layer]) => layer.test(from));
        if (rule && !rule[1].test(target)) wrong.push(`${from} → ${target}`);
        if (target.startsWith('web/') && !from.startsWith('web/') && from !== 'app.ts') wrong.push(`${from} → ${target}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps compare/ and extract/ pure: plain data in and out, nothing from Node that reaches outside', () => {
    const wrong = sourceFiles()
      .filter((file) => /^(compare|extract)\//.test(relative(file)))
      .filter((file) => /from 'node:|\bprocess\.|\bfetch\(|\bDate\.now\(|Math\.random\(/.test(fs.readFileSync(file, 'utf8')))
      .map(relative);
    assert.deepEqual(wrong, []);
  });

  it('keeps the language model off the server’s thread: app.ts reaches extract/reading.ts only through the extraction thread', () => {
    // Values only: `import type` is erased. A worker is started from a file URL, not imported.
    const valueImports = (file: string) =>
      [...fs.readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gms)].map((match) =>
        path.resolve(path.dirname(file), match[1]!.replace(/\.js$/, '.ts')),
      );
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      valueImports(file).forEach(visit);
    };
    visit(path.join(SRC, 'app.ts'));
    assert.ok(reached.has(path.join(SRC, 'actions', 'documents.ts')));
    assert.ok(!reached.has(path.join(SRC, 'extract', 'reading.ts')), 'wink-nlp (150 ms, 40 MB) would load when the server starts');
    assert.ok(!reached.has(path.join(SRC, 'extract', 'files.ts')), 'html-to-text is for the extraction thread');
  });

  it('keeps route modules apart: none imports another, only the route table imports them', () => {
    const table = path.join(SRC, 'web', 'routes.ts');
    const routeModules = new Set(importsOf(table).filter((target) => !/^web\/(bodies|commits|context|forms|guards|urls)\.ts$/.test(target)));
    assert.ok(routeModules.size >= 8, [...routeModules].join());
    const wrong = sourceFiles()
      .filter((file) => file !== table)
      .flatMap((file) => importsOf(file).filter((target) => routeModules.has(target)).map((target) => `${relative(file)} → ${target}`));
    assert.deepEqual(wrong, []);
  });

  it('names errors below the web layer and gives them statuses only in src/web', () => {
    const statuses = /\b(400|401|403|404|409|413|415|428|429|503)\b|\bstatus(Code)?\s*[:=(]\s*\d{3}\b|HttpError/;
    const wrong = sourceFiles()
      .filter((file) => !relative(file).startsWith('web/'))
      .flatMap((file) =>
        fs.readFileSync(file, 'utf8').split('\n').flatMap((line, index) => (statuses.test(line) ? [`${relative(file)}:${index + 1}: ${line.trim()}`] : [])),
      );
    assert.deepEqual(wrong, []);
    const httpErrors = sourceFiles().filter((file) => fs.readFileSync(file, 'utf8').includes('HttpError'));
    assert.deepEqual(httpErrors.map(relative), []);
  });

  it('gives every named error a status', async () => {
    const errors = await import('../src/errors.js');
    const named = (Object.values(errors) as unknown[]).filter((value) => typeof value === 'function' && value.prototype instanceof DomainError);
    assert.ok(named.length >= 10);
    for (const Named of named as (new (message: string, extra: unknown) => DomainError)[]) {
      const status = statusOf(new Named('x', 0));
      assert.ok(ERROR_STATUSES.includes(status) && status >= 400, `${Named.name} → ${status}`);
    }
    class LinkExpired extends NotFound {}
    assert.equal(statusOf(new LinkExpired('gone')), 404, 'a narrower error keeps the status of the one it extends');
  });

  it('builds no internal URL by hand in templates or handlers', () => {
    const inViews = fs
      .readdirSync(VIEWS)
      .flatMap((file) =>
        fs.readFileSync(path.join(VIEWS, file), 'utf8').split('\n').flatMap((line, index) => (/(href|action|src)="\//.test(line) ? [`${file}:${index + 1}`] : [])),
      );
    assert.deepEqual(inViews, []);
    // A string that is a path: '/incidents', `/claims/${id}`. The URL builder and the route table's paths are the exceptions.
    const pathLiteral = /(['"`])\/[a-z][^'"`\s]*\1/;
    const inHandlers = sourceFiles(path.join(SRC, 'web'))
      .filter((file) => !/\/(urls|routes)\.ts$/.test(file))
      .flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').flatMap((line, index) => (pathLiteral.test(line) ? [`${relative(file)}:${index + 1}: ${line.trim()}`] : [])));
    assert.deepEqual(inHandlers, []);
  });

  it('builds only URLs that the route table serves', () => {
    const incident = { id: 7, slug: 'évènement-à-deir-ezzor' };
    const claim = { id: 12, incident_slug: incident.slug };
    const samples: Record<keyof typeof urls, unknown[]> = {
      search: [{ q: 'rockets "Green Village"', type: 'claims', status: 'contradict', from: '2023-03-24', page: 2 }], apiSearch: [{ q: 'x' }],
      imports: [{ expired: true }], importPreview: [{ id: '0f3a' }], apiImport: [{ dryRun: true }],
      home: [], stylesheet: [], health: [], newIncident: [], createIncident: [], incident: [incident], incidentEdit: [incident],
      incidentDelete: [incident], incidentRestore: [incident], incidentAfterSave: [incident, claim], incidentPairs: [incident, 'rockets fired'],
      incidentClaimsExport: [incident, 'csv'], allClaimsExport: ['json'], apiComparison: [incident], newClaim: [incident, { facet: 'a & b', source_id: 3 }],
      createClaim: [incident], claim: [claim], claimEdit: [claim], claimDelete: [claim], claimRestore: [claim], claimInGrid: [claim],
      compare: [incident, { a: 1, b: 2 }], judgements: [incident], judgementDelete: [incident], incidentPairList: [incident], sources: [],
      newSource: [], source: [{ id: 3 }], sourceEdit: [{ id: 3 }], sourceDelete: [{ id: 3 }], login: ['/incidents/x?y=1'], logout: [],
      setup: [], adminUsers: [], adminUserRole: [{ id: 2 }], adminUserDisable: [{ id: 2 }], adminUserTokens: [{ id: 2 }],
      adminUserTokensRevoke: [{ id: 2 }], adminDeleted: [], newDocument: [incident], createDocument: [incident],
      document: [incident, { id: 4 }], documentReview: [incident, { id: 4 }, { page: 2, existing: true }],
      incidentAfterBatch: [incident, [claim, { id: 13 }]], apiExtract: [], facet: [incident, 'rockets fired'], assessments: [incident],
      assessmentDelete: [incident], facetLinks: [incident], facetLinkDelete: [incident], facetRename: [incident],
      incidentView: [incident, { only: 'contradictions', kind: 'armed group', order: 'affiliation' }, 2],
      incidentComparisonExport: [incident], allComparisonExport: [], incidentPairsExport: [incident], incidentReport: [incident],
      sourceAgreement: [{ kind: 'armed group', affiliation: 'US government' }], sourceAgreementExport: ['csv', { kind: 'media' }],
      timeline: [incident, { page: 2 }], incidentJsonLd: [incident],
    };
    const served = ROUTES.map((route) => new RegExp(`^${route.path.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/]+')}$`));
    const unserved = Object.entries(samples).flatMap(([name, args]) => {
      const url = (urls[name as keyof typeof urls] as (...args: unknown[]) => string)(...args);
      const pathOnly = decodeURIComponent(url.split(/[?#]/, 1)[0]!);
      if (name === 'stylesheet') return pathOnly.startsWith('/static/') ? [] : [url];
      return served.some((pattern) => pattern.test(url.split(/[?#]/, 1)[0]!)) && !pathOnly.includes('//') ? [] : [`${name}: ${url}`];
    });
    assert.deepEqual(unserved, []);
    assert.equal(urls.incident(incident), '/incidents/%C3%A9v%C3%A8nement-%C3%A0-deir-ezzor', 'a slug is encoded once');
    assert.equal(urls.newClaim(incident, { facet: 'a & b', source_id: 3 }), `${urls.incident(incident)}/claims/new?facet=a%20%26%20b&source_id=3`);
  });
});
