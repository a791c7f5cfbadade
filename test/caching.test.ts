import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { migrate, openDatabase } from '../src/db/database.js';
import { loadDemo } from '../src/demo.js';
import { EVENING_SLUG, freshApp, GREEN_VILLAGE_SLUG, page } from './helpers.js';

describe('revalidation and compression', () => {
  it('answers a reader who already has the incident page with 304, until the incident changes', async () => {
    const { app, editor } = freshApp({ demo: true });
    const first = await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200);
    const etag = first.headers.etag!;
    assert.ok(etag, 'the page carries an ETag');
    const again = await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200);
    assert.equal(again.headers.etag, etag, 'the same page, the same tag');
    assert.equal(again.text, first.text);
    await request(app).get(`/incidents/${EVENING_SLUG}`).set('If-None-Match', etag).expect(304);

    const claims = (await editor.get(`/api/incidents/${EVENING_SLUG}/claims`)).body.claims;
    await editor.patch(`/api/claims/${claims[0].id}`).set('If-Match', `"${claims[0].version}"`).send({ text: 'Rewritten after a correction.' }).expect(200);
    const changed = await request(app).get(`/incidents/${EVENING_SLUG}`).set('If-None-Match', etag).expect(200);
    assert.notEqual(changed.headers.etag, etag);
    assert.ok(changed.text.includes('Rewritten after a correction.'));
  });

  it('gives signed-in readers their own page (their name in it), revalidated the same way', async () => {
    const { app, signIn } = freshApp({ demo: true });
    const { agent, user } = signIn('viewer', 'Reader Rahimi');
    const signedIn = await agent.get(`/incidents/${EVENING_SLUG}`).expect(200);
    assert.ok(signedIn.text.includes(user.name));
    const anonymous = await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200);
    assert.notEqual(signedIn.headers.etag, anonymous.headers.etag);
    await agent.get(`/incidents/${EVENING_SLUG}`).set('If-None-Match', signedIn.headers.etag!).expect(304);
  });

  it('answers an export the client already holds with 304 and no rows, and a fresh one after any write', async () => {
    const { app, editor } = freshApp({ demo: true });
    const csv = await request(app).get('/claims.csv').expect(200);
    const etag = csv.headers.etag!;
    assert.match(etag, /^W\/"/);
    const unchanged = await request(app).get('/claims.csv').set('If-None-Match', etag).expect(304);
    assert.equal(unchanged.text, '');
    const head = await request(app).head('/claims.csv').expect(200);
    assert.equal(head.headers.etag, etag);
    assert.match(head.headers['content-disposition']!, /claimgrid-claims\.csv/);

    const json = await request(app).get('/claims.json').expect(200);
    const incidentCsv = await request(app).get(`/incidents/${GREEN_VILLAGE_SLUG}/claims.csv`).expect(200);
    assert.equal(new Set([etag, json.headers.etag, incidentCsv.headers.etag]).size, 3, 'each export has its own tag');

    // A source is renamed: its name is in every export, so every tag moves.
    const source = (await editor.get('/api/sources')).body.sources.find((candidate: { name: string }) => candidate.name === 'US Central Command (CENTCOM)');
    await editor.patch(`/api/sources/${source.id}`).set('If-Match', `"${source.version}"`).send({ name: 'CENTCOM, renamed' }).expect(200);
    const renamed = await request(app).get('/claims.csv').set('If-None-Match', etag).expect(200);
    assert.notEqual(renamed.headers.etag, etag);
    assert.ok(renamed.text.includes('"CENTCOM, renamed"'));
    await request(app).get(`/incidents/${GREEN_VILLAGE_SLUG}/claims.csv`).set('If-None-Match', incidentCsv.headers.etag!).expect(200);
  });

  it('compresses pages, exports and API answers (gzip or brotli) for clients that ask, and only for them, and small answers not at all', async () => {
    const { app } = freshApp({ demo: true });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // Node's own client: it hands over the bytes as sent, where supertest would decompress them.
    const raw = (url: string, encoding: string) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http.get({ port, path: url, headers: { 'Accept-Encoding': encoding } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    try {
      for (const url of [`/incidents/${EVENING_SLUG}`, '/claims.csv', `/api/incidents/${EVENING_SLUG}/comparison`]) {
        const plain = await raw(url, 'identity');
        assert.equal(plain.status, 200, url);
        assert.equal(plain.headers['content-encoding'], undefined, url);

        const gzipped = await raw(url, 'gzip');
        assert.equal(gzipped.headers['content-encoding'], 'gzip', url);
        assert.match(gzipped.headers.vary ?? '', /Accept-Encoding/i, url);
        assert.ok(gzipped.body.length < plain.body.length, `${url} is smaller compressed`);
        assert.deepEqual(gunzipSync(gzipped.body), plain.body, `${url} decompresses to the same bytes`);

        const browser = await raw(url, 'gzip, deflate, br');
        const decompress = { gzip: gunzipSync, br: brotliDecompressSync }[browser.headers['content-encoding'] as 'gzip' | 'br'];
        assert.ok(decompress, `${url}: ${browser.headers['content-encoding']}`);
        assert.deepEqual(decompress(browser.body), plain.body, `${url} decompresses to the same bytes`);
      }
      // Setting up a compressor costs more than a few kilobytes would save.
      for (const url of ['/healthz', '/login']) {
        const small = await raw(url, 'gzip, deflate, br');
        assert.ok(small.body.length < 8 * 1024, `${url} is small`);
        assert.equal(small.headers['content-encoding'], undefined, url);
      }
    } finally {
      server.close();
    }
  });
});

describe('stored summaries', () => {
  const contradictionsOnHome = async (app: Parameters<typeof request>[0], slug: string) => {
    const home = page((await request(app).get('/')).text);
    return home(`a[href="/incidents/${slug}"]`).closest('tr').find('td.num').last().text().replace(/\D/g, '');
  };

  it('list incidents from summaries kept in the database, also after a restart, until their incident changes', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-summaries-')), 'claims.sqlite');
    const db = openDatabase(file);
    migrate(db);
    loadDemo(db);
    assert.equal(await contradictionsOnHome(createApp(db), EVENING_SLUG), '1', 'one base vs three bases');
    const evening = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    assert.equal(db.prepare('SELECT count(*) FROM incident_summaries').pluck().get(), 3, 'each listed incident stored');

    // A new process over the same file reads what is stored instead of comparing again: a stored
    // figure made different on purpose shows through.
    db.prepare('UPDATE incident_summaries SET contradict = 7 WHERE incident_id = ?').run(evening);
    db.close();
    const reopened = openDatabase(file);
    const { app, editor } = freshApp({ db: reopened });
    assert.equal(await contradictionsOnHome(app, EVENING_SLUG), '7');

    // Renaming a source changes no incident's status: the stored summaries stay.
    const source = (await editor.get('/api/sources')).body.sources[0];
    await editor.patch(`/api/sources/${source.id}`).set('If-Match', `"${source.version}"`).send({ affiliation: 'Changed' }).expect(200);
    assert.equal(await contradictionsOnHome(app, EVENING_SLUG), '7');

    // Summaries stored by other comparison code are not trusted: it may read values differently.
    reopened.prepare("UPDATE incident_summaries SET engine = 'an older version' WHERE incident_id = ?").run(evening);
    assert.equal(await contradictionsOnHome(app, EVENING_SLUG), '1');
    reopened.prepare('UPDATE incident_summaries SET contradict = 7 WHERE incident_id = ?').run(evening);

    // A write to the incident forgets its summary, which is compared again.
    const claims = (await editor.get(`/api/incidents/${EVENING_SLUG}/claims`)).body.claims;
    await editor.patch(`/api/claims/${claims[0].id}`).set('If-Match', `"${claims[0].version}"`).send({ text: 'Reworded.' }).expect(200);
    assert.equal(await contradictionsOnHome(app, EVENING_SLUG), '1');
  });
});
