/**
 * Large incidents and databases: the grid in pages, comparisons read from a snapshot a slice at a
 * time, the list of incidents that answers with what is ready, and checkpoints off the event loop.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import request from 'supertest';
import { saveClaim } from '../src/actions/claims.js';
import { getLoadedComparison, incidentSummaries, loadComparison } from '../src/actions/comparisons.js';
import { checkpointOffThread, stopCheckpoints } from '../src/db/checkpoints.js';
import { type Database, migrate, openDatabase } from '../src/db/database.js';
import { createUser } from '../src/db/users.js';
import { beginSnapshot, closeSnapshotReaders } from '../src/db/snapshots.js';
import { inSlices, SLICE_MS } from '../src/slices.js';
import { compareIncident, RELATIONS } from '../src/compare/comparison.js';
import { buildGrid, GRID_CLAIMS_PER_PAGE } from '../src/web/grid.js';
import { SOURCE_CLAIMS_PER_PAGE } from '../src/web/sources.js';
import { freshApp, page, textOf } from './helpers.js';
import { ROOT } from './server-helpers.js';

function databaseFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-large-')), 'claims.sqlite');
}

/**
 * An incident of `facets` facets, each with a claim from each of `sources` sources (values 1…sources,
 * so every facet contradicts), written straight to the database. Returns the incident's id.
 */
function fillIncident(db: Database, { slug = 'big', facets, sources }: { slug?: string; facets: number; sources: number }): number {
  const now = '2026-12-01T00:00:00.000Z';
  return db.transaction(() => {
    const incidentId = Number(db.prepare('INSERT INTO incidents (slug, title, created_at, updated_at) VALUES (?, ?, ?, ?)').run(slug, `Incident ${slug}`, now, now).lastInsertRowid);
    const sourceIds: number[] = [];
    for (let s = 1; s <= sources; s++) {
      const name = `${slug} source ${s}`;
      const existing = db.prepare('SELECT id FROM sources WHERE name_key = ?').pluck().get(name) as number | undefined;
      sourceIds.push(existing ?? Number(db.prepare('INSERT INTO sources (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)').run(name, name, now, now).lastInsertRowid));
    }
    const insert = db.prepare(
      `INSERT INTO claims (incident_id, source_id, facet, facet_key, text, value, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let f = 1; f <= facets; f++) {
      sourceIds.forEach((sourceId, s) => insert.run(incidentId, sourceId, `facet ${f}`, `facet ${f}`, `Claim ${s + 1} on facet ${f}.`, String(s + 1), now, now));
    }
    return incidentId;
  })();
}

describe('a large incident', () => {
  it(`shows its grid in pages of about ${GRID_CLAIMS_PER_PAGE} claims, each facet on one page, with links between them`, async () => {
    const { app, db } = freshApp();
    // 50 facets of 100 claims: 5,000 claims, three pages of 20, 20 and 10 facets.
    fillIncident(db, { facets: 50, sources: 100 });
    const first = page((await request(app).get('/incidents/big').expect(200)).text);
    assert.equal(first('tr.facet-row').length, 20);
    assert.equal(first('tr.facet-row .facet-name').first().text(), 'facet 1');
    assert.match(textOf(first, 'nav.pager'), /Page 1 of 3: facets 1–20 of 50/);
    assert.match(textOf(first, '#overview'), /50 contradictions/, 'the overview counts every facet, not only this page');
    const next = first('nav.pager a[rel=next]').first().attr('href')!;
    assert.equal(next, '/incidents/big?page=2');

    const last = page((await request(app).get('/incidents/big?page=3').expect(200)).text);
    assert.deepEqual(last('tr.facet-row .facet-name').map((_, name) => last(name).text()).get(), Array.from({ length: 10 }, (_, i) => `facet ${41 + i}`));
    assert.equal(last('tr.facet-row').first().attr('id'), 'facet-41', 'rows keep their place in the whole grid');
    assert.equal(last('nav.pager a[rel=next]').length, 0);
    assert.equal(last('nav.pager a[rel=prev]').first().attr('href'), '/incidents/big?page=2');
  });

  it('opens on the page that holds a claim linked to or just saved', async () => {
    const { app, db, editor } = freshApp();
    const incidentId = fillIncident(db, { facets: 50, sources: 100 });
    const onFacet45 = db.prepare("SELECT id FROM claims WHERE incident_id = ? AND facet = 'facet 45' LIMIT 1").pluck().get(incidentId) as number;
    const linked = page((await request(app).get(`/incidents/big?claim=${onFacet45}`).expect(200)).text);
    assert.equal(linked(`#claim-${onFacet45}`).length, 1);
    assert.match(textOf(linked, 'nav.pager'), /Page 3 of 3/);
    const saved = page((await editor.get(`/incidents/big?saved=${onFacet45}`).expect(200)).text);
    assert.equal(saved(`#claim-${onFacet45}`).length, 1);
    assert.match(textOf(saved, '.notice'), /Saved big source 1’s claim on facet 45/);
  });

  it('refuses a page that is not a number, and says so of one past the last', async () => {
    const { app, db } = freshApp();
    fillIncident(db, { facets: 50, sources: 100 });
    const refused = await request(app).get('/incidents/big?page=two').expect(400);
    assert.match(refused.text, /Page must be a whole number from 1/);
    const past = page((await request(app).get('/incidents/big?page=9').expect(200)).text);
    assert.match(textOf(past, '[role=alert]'), /no page 9/);
    assert.equal(past('[role=alert] a').attr('href'), '/incidents/big');
  });

  it('gives the API the whole comparison, every facet, as one JSON document', async () => {
    const { db, tokenFor, app } = freshApp();
    const incidentId = fillIncident(db, { facets: 50, sources: 100 });
    const answer = await request(app).get(`/api/incidents/${incidentId}/comparison`).set('Authorization', `Bearer ${tokenFor('viewer')}`).expect(200);
    assert.match(answer.headers['content-type']!, /application\/json/);
    assert.equal(answer.body.facets.length, 50);
    assert.equal(answer.body.summary.contradict, 50);
    assert.equal(answer.body.facets[49].claims.length, 100);
    assert.equal(answer.body.facets[49].pairs.length, (100 * 99) / 2);
    const list = await request(app).get('/api/incidents').set('Authorization', `Bearer ${tokenFor('viewer')}`).expect(200);
    assert.deepEqual(
      list.body.incidents.map(({ slug, source_count, facet_count, claim_count }: Record<string, unknown>) => ({ slug, source_count, facet_count, claim_count })),
      [{ slug: 'big', source_count: 100, facet_count: 50, claim_count: 5000 }],
    );
  });
});

describe('a page whose grid could not be made', () => {
  it('says so in place of the grid, and is made again on reload rather than answered 304', async (t) => {
    t.mock.method(console, 'error', () => {});
    const file = databaseFile();
    const db = openDatabase(file);
    const { app } = freshApp({ db });
    fillIncident(db, { facets: 2, sources: 3 });
    // The grid is read through a connection of its own, which cannot open a file that is not there.
    fs.renameSync(file, `${file}.away`);
    let failed;
    try {
      failed = await request(app).get('/incidents/big').expect(200);
    } finally {
      fs.renameSync(`${file}.away`, file);
    }
    assert.match(textOf(page(failed.text), '[role=alert]'), /The grid could not be shown.*Reload the page to try again/);
    const reload = await request(app).get('/incidents/big').set('If-None-Match', failed.headers.etag!).expect(200);
    assert.equal(page(reload.text)('tr.facet-row').length, 2);
    closeSnapshotReaders(db);
  });
});

describe("a source's page", () => {
  it(`lists its claims ${SOURCE_CLAIMS_PER_PAGE} a page, with the counts of all of them and links between the pages`, async () => {
    const { app, db } = freshApp();
    // One source with a claim on each of 450 facets: three pages.
    fillIncident(db, { facets: 450, sources: 1 });
    const sourceId = db.prepare("SELECT id FROM sources WHERE name = 'big source 1'").pluck().get() as number;
    const first = page((await request(app).get(`/sources/${sourceId}`).expect(200)).text);
    assert.match(textOf(first, 'h2'), /Claims by big source 1 \(450\)/);
    assert.equal(first('table tbody tr').length, SOURCE_CLAIMS_PER_PAGE);
    assert.match(textOf(first, 'nav.pager'), /Page 1 of 3/);
    assert.equal(first('nav.pager a[rel=next]').first().attr('href'), `/sources/${sourceId}?page=2`);
    const last = page((await request(app).get(`/sources/${sourceId}?page=3`).expect(200)).text);
    assert.equal(last('table tbody tr').length, 50);
    assert.equal(last('nav.pager a[rel=next]').length, 0);
    await request(app).get(`/sources/${sourceId}?page=4`).expect(404, /fill 3 pages, not 4/);
    await request(app).get(`/sources/${sourceId}?page=zero`).expect(400, /Page must be a whole number from 1/);
  });
});

describe('the pairs a grid row lists', () => {
  it('are the first of all its pairs in reading order, however many there are and however judged', () => {
    const claimsArbitrary = fc.array(fc.record({ source: fc.integer({ min: 1, max: 12 }), value: fc.constantFrom('1', '2', '2', 'two', 'several', 'none', null) }), { minLength: 2, maxLength: 24 });
    fc.assert(
      fc.property(claimsArbitrary, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...RELATIONS))), fc.integer({ min: 1, max: 15 }), (rows, judged, limit) => {
        const claims = rows.map((row, i) => ({
          id: i + 1, source_id: row.source, via_source_id: null, facet: 'rockets', value: row.value, published_at: null, created_at: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`,
        }));
        const overrides = judged.map(([a, b, relation]) => ({ a: (a % claims.length) + 1, b: (b % claims.length) + 1, relation, reason: 'checked', created_at: '2026-01-02' }));
        const comparison = compareIncident(claims, [], overrides.filter((o) => o.a !== o.b));
        // The grid's rows want claim rows; these carry what the pairs need.
        const grid = (pairLimit: number) => buildGrid(comparison as never, pairLimit).rows[0]!;
        const all = grid(Infinity).pairs.map(({ pair }) => pair);
        assert.deepEqual(grid(limit).pairs.map(({ pair }) => pair), all.slice(0, limit));
        assert.equal(grid(limit).pairCount, all.length);
      }),
    );
  });
});

describe('an answer written in parts', () => {
  it('waits for a client that reads slowly without piling up listeners, compressed or not', async () => {
    const { app, db, tokenFor } = freshApp();
    const incidentId = fillIncident(db, { facets: 50, sources: 100 });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      for (const encoding of ['gzip', 'identity']) {
        const bytes = await new Promise<number>((resolve, reject) => {
          const headers = { 'Accept-Encoding': encoding, Authorization: `Bearer ${tokenFor('viewer')}` };
          http.get({ port, host: '127.0.0.1', path: `/api/incidents/${incidentId}/comparison`, headers }, (response) => {
            let received = 0;
            // A slow client: it takes a break after every chunk, so the server's buffer fills.
            response.on('data', (chunk: Buffer) => {
              received += chunk.length;
              response.pause();
              setTimeout(() => response.resume(), 1);
            });
            response.on('end', () => resolve(received));
          }).on('error', reject);
        });
        assert.ok(bytes > 100_000, `${encoding}: ${bytes} bytes`);
      }
    } finally {
      server.close();
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings.filter((warning) => /MaxListeners|memory leak/.test(warning)), []);
  });
});

describe('comparing a slice at a time', () => {
  it(`runs long work in slices of about ${SLICE_MS} ms, serving what waits in between, and returns what it made`, async () => {
    let servedMeanwhile = 0;
    const ticker = setInterval(() => servedMeanwhile++, 0);
    function* work() {
      // Ten steps of 6 ms each: 60 ms in all, which one slice may not hold.
      for (let step = 0; step < 10; step++) {
        const until = performance.now() + 6;
        while (performance.now() < until);
        yield;
      }
      return 'done';
    }
    try {
      assert.equal(await inSlices(work()), 'done');
    } finally {
      clearInterval(ticker);
    }
    assert.ok(servedMeanwhile > 0, 'other work ran between slices');
  });

  it('reads an incident from a snapshot: writes made meanwhile are not half in it', () => {
    const db = openDatabase(databaseFile());
    migrate(db);
    const incidentId = fillIncident(db, { facets: 1, sources: 3 });
    const snapshot = beginSnapshot(db);
    try {
      const countClaims = () => snapshot.db.prepare('SELECT count(*) FROM claims WHERE incident_id = ?').pluck().get(incidentId);
      assert.equal(countClaims(), 3);
      db.prepare("UPDATE claims SET deleted_at = 'now' WHERE incident_id = ?").run(incidentId);
      assert.equal(countClaims(), 3, 'the snapshot still sees the claims as they were when it began');
    } finally {
      snapshot.end();
    }
    const after = beginSnapshot(db);
    assert.equal(after.db.prepare('SELECT count(*) FROM claims WHERE incident_id = ? AND deleted_at IS NULL').pluck().get(incidentId), 0);
    after.end();
    closeSnapshotReaders(db);
    db.close();
  });

  it('keeps a comparison until a write touches its incident, and compares the same from a file as in memory', async () => {
    const onDisk = openDatabase(databaseFile());
    const inMemory = openDatabase(':memory:');
    const { app } = freshApp({ db: onDisk });
    freshApp({ db: inMemory });
    const id = fillIncident(onDisk, { facets: 30, sources: 40 });
    fillIncident(inMemory, { facets: 30, sources: 40 });
    const fromDisk = await loadComparison(onDisk, id);
    assert.deepEqual(fromDisk.comparison, (await loadComparison(inMemory, id)).comparison);
    assert.equal(getLoadedComparison(onDisk, id), fromDisk, 'kept');
    assert.deepEqual(fromDisk.counts, { ...fromDisk.comparison.summary, claims: 1200, sources: 40 });
    const sourceId = onDisk.prepare('SELECT id FROM sources LIMIT 1').pluck().get() as number;
    saveClaim(onDisk, id, { source_id: sourceId, facet: 'facet 1', text: 'A correction.', value: '7' }, createUser(onDisk, 'writer', 'editor', 'scrypt$unusable').id);
    assert.equal(getLoadedComparison(onDisk, id), undefined, 'the write forgot it');
    const page1 = page((await request(app).get('/incidents/big').expect(200)).text);
    assert.match(textOf(page1, '#overview'), /30 contradictions/);
    assert.ok(getLoadedComparison(onDisk, id), 'the page loaded it again');
    closeSnapshotReaders(onDisk);
  });
});

describe('the list of incidents', () => {
  it('answers with the counts that are ready, marks the others as counting, and stores them once made', async () => {
    const { app, db } = freshApp();
    fillIncident(db, { slug: 'first', facets: 5, sources: 4 });
    fillIncident(db, { slug: 'second', facets: 3, sources: 2 });
    const ids = (db.prepare('SELECT id FROM incidents ORDER BY id').pluck().all() as number[]);
    const notYet = await incidentSummaries(db, ids, { waitMs: 0 });
    assert.equal(notYet.counting, 2, 'none is ready at once: both are being made');
    const all = await incidentSummaries(db, ids, { waitMs: Infinity });
    assert.equal(all.counting, 0);
    assert.deepEqual(all.ready.get(ids[0]!), { facets: 5, contradict: 5, consistent: 0, agree: 0, single: 0, unassessed: 0, claims: 20, sources: 4 });
    assert.equal(db.prepare('SELECT count(*) FROM incident_summaries').pluck().get(), 2, 'stored for the next start');

    const home = page((await request(app).get('/').expect(200)).text);
    const row = home('table.incidents tbody tr').filter((_, tr) => home(tr).text().includes('Incident first'));
    assert.deepEqual(row.find('td.num').map((_, td) => home(td).text().trim()).get(), ['4', '5', '20', '✕ 5']);
  });

  it('shows an incident whose counts are not ready yet as counting, and says to reload', async () => {
    const { app } = freshApp();
    const incident = { id: 1, slug: 'slow', title: 'Slow', occurred_on: null, location: null, counts: undefined };
    const html = await new Promise<string>((resolve, reject) =>
      app.render('home', { incidents: [incident], counting: 1 }, (error, rendered) => (error ? reject(error) : resolve(rendered))),
    );
    const home = page(html);
    assert.equal(textOf(home, 'td.counting'), 'counting…');
    assert.match(textOf(home, '.notice'), /still being counted for 1 incident .*reload in a moment/);
  });
});

describe('the threads of the server', () => {
  it('keep no process alive once their work is done: checkpoints, syncs and password hashes', async () => {
    const script = `
      import fs from 'node:fs';
      import { hashPassword } from './src/auth/secrets.ts';
      import { checkpointOffThread } from './src/db/checkpoints.ts';
      import { migrate, openDatabase } from './src/db/database.ts';
      import { diskSyncs } from './src/db/disk-syncs.ts';
      const file = ${JSON.stringify(databaseFile())};
      const db = openDatabase(file);
      migrate(db);
      checkpointOffThread(db, 20);
      await diskSyncs.syncFile(fs.openSync(file, 'r+'));
      await hashPassword('a long enough password');
      console.log('all done');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const killer = setTimeout(() => child.kill(), 30_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(killer);
    assert.equal(signal, null, 'the process ended by itself, not killed after 30 s');
    assert.equal(code, 0);
    assert.match(output, /all done/);
  });
});

describe('checkpoints', () => {
  it('are made by a thread of their own: commits on the server connection never checkpoint', async () => {
    const file = databaseFile();
    const db = openDatabase(file);
    migrate(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = fs.statSync(file).size;
    // A thread that would checkpoint only a minute from now: the commit itself must not.
    checkpointOffThread(db, 60_000);
    try {
      assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
      // Well past SQLite's 1,000-page threshold for checkpointing inside a commit.
      fillIncident(db, { facets: 1_000, sources: 40 });
      assert.ok(fs.statSync(`${file}-wal`).size > 4_096_000, 'the commit wrote over 1,000 pages to the WAL');
      assert.equal(fs.statSync(file).size, sizeBefore, 'and copied none into the database file');
      await stopCheckpoints(db);
      checkpointOffThread(db, 20);
      for (let waited = 0; fs.statSync(file).size === sizeBefore && waited < 200; waited++) await sleep(50);
      assert.ok(fs.statSync(file).size > sizeBefore, 'the thread copied them into the database file');
    } finally {
      await stopCheckpoints(db);
      db.close();
    }
  });
});
