import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import request from 'supertest';
import type { Database } from '../src/db/database.js';
import { createClaim } from '../src/db/claims.js';
import { createIncident } from '../src/db/incidents.js';
import { createSource } from '../src/db/sources.js';
import { ROUTES, writes } from '../src/web/routes.js';
import { EVENING_SLUG, freshApp, GREEN_VILLAGE_SLUG } from './helpers.js';

/** Every route that writes, from the route table: a new one is fuzzed without anyone listing it here. */
const WRITE_ROUTES = ROUTES.filter(writes).map((route) => [route.method.toLowerCase() as 'post' | 'put' | 'patch' | 'delete', route.path] as const);

/** The field names the schemas know, so generated bodies often reach the checks past the first. */
const FIELDS = ['claims', 'name', 'kind', 'affiliation', 'url', 'notes', 'title', 'occurred_on', 'location', 'summary', 'source_id',
  'new_source_name', 'new_source_kind', 'via_source_id', 'new_via_name', 'facet', 'text', 'quote', 'value', 'published_at',
  'archive_url', 'version', 'a', 'b', 'relation', 'reason', 'role', 'password', '_csrf', '__proto__', 'constructor'];

const awkwardText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '1', '0', '-1', '1e309', 'NaN', 'null', '2023-02-30', '2023-03-24T25:00', 'javascript:alert(1)',
    'http://', 'https://example.org', 'agree', 'editor', 'admin', 'at least eight', '<script>alert(1)</script>', 'a'.repeat(20_001), '\u0000'),
);
const fieldValue = fc.oneof(awkwardText, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(awkwardText, { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 8 }),
  fc.jsonValue({ maxDepth: 2 }),
  fc.anything({ maxDepth: 2 }),
);
const junkPart = fc.constantFrom('9999', '0', '-1', 'abc', '1.5', '%2e%2e', 'new', '1e3', '');
const idPart = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 12 }).map(String), weight: 6 }, { arbitrary: junkPart, weight: 1 });
const slugPart = fc.oneof({ arbitrary: fc.constantFrom(EVENING_SLUG, GREEN_VILLAGE_SLUG, 'refill-1', 'refill-2'), weight: 6 }, { arbitrary: junkPart, weight: 1 });
/** A route and a value for its :id or :slug. */
const route = fc.constantFrom(...WRITE_ROUTES).chain(([method, template]) =>
  (template.includes(':slug') ? slugPart : idPart).map((part) => ({ method, template, path: template.replace(/:id|:slug/, encodeURIComponent(part)) })),
);
const query = fc.dictionary(fc.constantFrom('a', 'b', 'next', 'facet', 'source_id', 'token', 'saved'), awkwardText, { maxKeys: 3 });
// Weighted toward requests that get past the door, so most reach the validation behind it.
const contentType = fc.oneof(
  { arbitrary: fc.constant('natural'), weight: 6 },
  { arbitrary: fc.constantFrom('json', 'form'), weight: 2 },
  { arbitrary: fc.constantFrom('text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x'), weight: 1 },
);
const credentials = fc.oneof(
  { arbitrary: fc.constantFrom('token', 'cookie'), weight: 8 },
  { arbitrary: fc.constantFrom('cookie-no-csrf', 'none'), weight: 1 },
);
const ifMatch = fc.option(fc.oneof(awkwardText, fc.constantFrom('"1"', '"2"', 'W/"1"', '*')), { nil: undefined });

let refills = 0;

/** A new incident with claims by two new sources, for when the fuzzer has deleted everything. */
function refill(db: Database): void {
  refills++;
  const incident = createIncident(db, { title: `Refill ${refills}`, occurred_on: null, location: null, summary: null });
  const sources = [1, 2].map((n) => createSource(db, { name: `Refill source ${refills}.${n}`, kind: 'media', affiliation: null, url: null, notes: null }));
  for (const [index, value] of ['ten', 'at least eight', 'none', 'Syria'].entries()) {
    const fields = { via_source_id: null, facet: `facet ${index % 2}`, text: `Claim ${index}`, quote: null, value, published_at: null, url: null, archive_url: null, document_id: null, span_start: null, span_end: null };
    createClaim(db, incident.id, { ...fields, source_id: sources[index % 2]!.id });
  }
}

/** A cheap fingerprint of every write this connection has made since it opened. */
function writesSoFar(db: Database): number {
  return db.prepare('SELECT total_changes()').pluck().get() as number;
}

/** Failed sign-ins on record: a refused sign-in records one, which is what it is for. */
function loginFailures(db: Database): number {
  return db.prepare('SELECT count(*) FROM login_failures').pluck().get() as number;
}

function sessionAlive(db: Database, cookie: string): boolean {
  const token = cookie.split('=')[1]!;
  return db.prepare('SELECT 1 FROM sessions WHERE token_hash = ?').get(createHash('sha256').update(token).digest('hex')) !== undefined;
}

describe('random and malformed requests to every write route', () => {
  it('never get a 5xx, and a rejected request changes nothing', async () => {
    const { app, db, tokenFor, signIn } = freshApp({ demo: true });
    // Users the fuzzer may disable or demote; its own accounts get ids above any it generates.
    for (let n = 1; n <= 40; n++) tokenFor(n % 3 ? 'editor' : 'viewer', `target ${n}`);
    const token = tokenFor('admin', 'Fuzzer');
    let browser = signIn('admin', 'Fuzzing browser');
    let requests = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        route, query, body, contentType, ifMatch, credentials,
        async ({ method, path }, params, payload, kind, match, sender) => {
          const type = kind === 'natural' ? (path.startsWith('/api/') ? 'json' : 'form') : kind;
          // POST /logout ends the browser's session; sign it in again so later requests still get in.
          if (!sessionAlive(db, browser.cookie)) browser = signIn('admin');
          let call = request(app)[method](path).query(params);
          if (sender === 'token') call = call.set('Authorization', `Bearer ${token}`);
          if (sender.startsWith('cookie')) call = call.set('Cookie', browser.cookie);
          if (sender === 'cookie') call = call.set('X-CSRF-Token', browser.csrf);
          if (match !== undefined) call = call.set('If-Match', String(match).replace(/[^\t\x20-\x7e]/g, ''));
          // Deletes that succeed empty the database; refill it so later requests still find rows.
          if (db.prepare('SELECT count(*) FROM claims WHERE deleted_at IS NULL').pluck().get() === 0) refill(db);
          const before = writesSoFar(db);
          const failuresBefore = loginFailures(db);
          let sent: string;
          try {
            sent = type === 'json' || type === 'form' ? '' : JSON.stringify(payload) ?? '';
          } catch {
            sent = '';
          }
          const response = await (type === 'json' || type === 'form' ? call.type(type).send(payload as object) : call.set('Content-Type', type).send(sent)).catch(
            (error: { status?: number; response?: { status: number } }) => error.response ?? { status: error.status ?? 0 },
          );
          requests++;
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          assert.ok(response.status > 0 && response.status < 500, `${method.toUpperCase()} ${path} answered ${response.status}`);
          if (response.status >= 400 || (response.status === 303 && sender === 'none')) {
            const recordedFailures = loginFailures(db) - failuresBefore;
            assert.equal(writesSoFar(db) - before, recordedFailures, `${method.toUpperCase()} ${path} was refused (${response.status}) but wrote`);
          }
        },
      ),
      { numRuns: 2500, seed: 20261124 },
    );
    assert.ok(requests >= 2500);
    // Most requests got past authentication to the checks on what they carry.
    assert.ok((statuses.get(400) ?? 0) > 300, JSON.stringify([...statuses]));
    assert.ok([200, 201, 204].some((status) => (statuses.get(status) ?? 0) > 0), 'and some were valid');
  });
});
