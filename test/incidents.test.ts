import assert from 'node:assert/strict';
import request from 'supertest';
import { describe, it } from 'node:test';
import { saveIncident } from '../src/actions/incidents.js';
import { createUser } from '../src/db/users.js';
import { TooBusy } from '../src/errors.js';
import { MAX_WAITING_RENDERS, RendererBusy, renderSummary } from '../src/render/summaries.js';
import { statusOf } from '../src/web/errors.js';
import { count, fieldError, fieldValue, freshApp, page, snapshot, textOf } from './helpers.js';

describe('incident pages', () => {
  it('create an incident from the form and redirect to its page', async () => {
    const { editor } = freshApp();
    const form = await editor.get('/incidents/new').expect(200);
    assert.equal(page(form.text)('main form').attr('action'), '/incidents');

    const created = await editor
      .post('/incidents')
      .type('form')
      .send({ title: 'Strike on Al-Bukamal', occurred_on: '2023-03-23', location: 'Al-Bukamal', summary: 'Reported *overnight*.' })
      .expect(303);
    assert.equal(created.headers.location, '/incidents/strike-on-al-bukamal');

    const shown = await editor.get('/incidents/strike-on-al-bukamal').expect(200);
    const $ = page(shown.text);
    assert.equal(textOf($, 'h1'), 'Strike on Al-Bukamal');
    assert.match(textOf($, '.meta'), /2023-03-23.*Al-Bukamal/);
    assert.equal($('.summary em').text(), 'overnight');
    assert.match(textOf($, '.empty'), /No claims yet/);
  });

  it('give the same title a distinct slug, and keep the slug when the title changes', async () => {
    const { editor } = freshApp();
    await editor.post('/incidents').type('form').send({ title: 'Attack' }).expect(303, /\/incidents\/attack$/);
    const second = await editor.post('/incidents').type('form').send({ title: 'Attack' }).expect(303);
    assert.equal(second.headers.location, '/incidents/attack-2');
    await editor.post('/incidents/attack/edit').type('form').send({ title: 'Attack on Tanf', version: '1' }).expect(303, /\/incidents\/attack$/);
    const shown = await editor.get('/incidents/attack').expect(200);
    assert.equal(textOf(page(shown.text), 'h1'), 'Attack on Tanf');
  });

  it('never give a slug the pages or the API would read as something else', async () => {
    const { db, editor } = freshApp({ demo: true });
    const one = await editor.post('/incidents').type('form').send({ title: '1' }).expect(303);
    assert.equal(one.headers.location, '/incidents/incident-1', 'not /incidents/1, which the API reads as an id');
    const called = await editor.post('/incidents').type('form').send({ title: 'New' }).expect(303);
    assert.equal(called.headers.location, '/incidents/incident-new', 'not /incidents/new, the form');
    const shown = await editor.get('/incidents/incident-1').expect(200);
    assert.equal(textOf(page(shown.text), 'h1'), '1');
    // A page URL names a slug, never an id: /incidents/1 is not the demo's first incident.
    await editor.get('/incidents/1').expect(404);
    assert.equal(db.prepare("SELECT count(*) FROM incidents WHERE slug LIKE 'incident-%'").pluck().get(), 2);
  });

  it('give slugs to titles in Arabic script', async () => {
    const { editor } = freshApp();
    const created = await editor.post('/incidents').type('form').send({ title: 'هجوم على قاعدة التنف' }).expect(303);
    const shown = await editor.get(created.headers.location!).expect(200);
    assert.equal(textOf(page(shown.text), 'h1'), 'هجوم على قاعدة التنف');
  });

  it('re-show the form with the bad fields named and everything typed kept, writing nothing', async () => {
    const { db, editor } = freshApp();
    const before = snapshot(db);
    const response = await editor
      .post('/incidents')
      .type('form')
      .send({ title: '   ', occurred_on: '2023-02-30', location: 'Deir Ezzor', summary: 'Kept **text**' })
      .expect(400);
    const $ = page(response.text);
    assert.equal(fieldError($, 'title'), 'Title is required');
    assert.equal(fieldError($, 'occurred_on'), 'Date must be a date written YYYY-MM-DD');
    assert.equal(fieldError($, 'location'), undefined);
    assert.equal(fieldValue($, 'occurred_on'), '2023-02-30');
    assert.equal(fieldValue($, 'location'), 'Deir Ezzor');
    assert.equal(fieldValue($, 'summary'), 'Kept **text**');
    assert.match(textOf($, '.problem'), /Nothing was saved/);
    assert.deepEqual(snapshot(db), before);
  });

  it('edit an incident, and refuse a bad edit without changing it', async () => {
    const { db, editor } = freshApp();
    await editor.post('/incidents').type('form').send({ title: 'Original', location: 'Here' });
    const form = await editor.get('/incidents/original/edit').expect(200);
    assert.equal(fieldValue(page(form.text), 'title'), 'Original');

    assert.equal(fieldValue(page(form.text), 'version'), '1', 'the form carries the version it shows');
    const rejected = await editor.post('/incidents/original/edit').type('form').send({ title: '', location: 'There', version: '1' }).expect(400);
    assert.equal(fieldValue(page(rejected.text), 'location'), 'There');
    assert.equal(db.prepare('SELECT location FROM incidents').pluck().get(), 'Here');

    await editor.post('/incidents/original/edit').type('form').send({ title: 'Original', location: 'There', version: '1' }).expect(303);
    assert.equal(db.prepare('SELECT location FROM incidents').pluck().get(), 'There');
  });

  it('ask before deleting an incident, then delete it with its claims', async () => {
    const { db, editor } = freshApp({ demo: true });
    const slug = 'us-airstrikes-on-iran-backed-groups-in-deir-ezzor';
    const confirm = await editor.get(`/incidents/${slug}/delete`).expect(200);
    const $ = page(confirm.text);
    assert.match(textOf($, 'h1'), /Delete the incident "US airstrikes/);
    assert.match(textOf($, 'main'), /Its 4 claims will be hidden with it.*an admin can restore/);
    assert.equal($('main form').attr('method'), 'post');
    assert.equal(count(db, 'incidents'), 3, 'showing the question deletes nothing');

    await editor.post(`/incidents/${slug}/delete`).expect(303, /Found|See Other/);
    assert.equal((await editor.get('/api/incidents')).body.incidents.length, 2);
    assert.equal(((await editor.get('/claims.json')).body as unknown[]).length, 19, 'its claims leave the exports');
    await editor.get(`/incidents/${slug}`).expect(404);
  });

  it('answer unknown incidents with a 404 page', async () => {
    const { editor } = freshApp();
    for (const path of ['/incidents/nope', '/incidents/nope/edit', '/incidents/nope/claims/new', '/incidents/nope/claims.csv']) {
      const response = await editor.get(path).expect(404);
      if (!path.endsWith('.csv')) assert.match(textOf(page(response.text), 'h1'), /Not found/);
    }
    await editor.post('/incidents/nope/edit').type('form').send({ title: 'x' }).expect(404);
  });
});

describe('incident summaries', () => {
  it('are rendered when saved and shown from what was stored', async () => {
    const { db, editor } = freshApp();
    await editor.post('/incidents').type('form').send({ title: 'Rendered once', summary: 'Three **bases** were hit.' }).expect(303);
    assert.equal(db.prepare("SELECT summary_html FROM incidents WHERE slug = 'rendered-once'").pluck().get(), '<p>Three <strong>bases</strong> were hit.</p>\n');
    const $ = page((await editor.get('/incidents/rendered-once').expect(200)).text);
    assert.equal($('.summary strong').text(), 'bases');
  });

  it('refuse Markdown built to stall the renderer, keeping the text typed and writing nothing', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    const slow = '_'.repeat(19_990) + 'a';
    const refused = await editor.post('/incidents').type('form').send({ title: 'Planted summary', summary: slow }).expect(400);
    assert.match(fieldError(page(refused.text), 'summary')!, /^Summary cannot be shown: it takes longer than 2 s to render\. Simplify its Markdown/);
    assert.equal(fieldValue(page(refused.text), 'title'), 'Planted summary');
    const api = await editor.post('/api/incidents').send({ title: 'Planted summary', summary: `${'>'.repeat(5000)} deep` }).expect(400);
    assert.deepEqual(api.body.error.issues, [{ path: 'summary', message: 'Summary nests quotes (>) more than 20 deep' }]);
    assert.deepEqual(snapshot(db), before);
    // The renderer is back for the next summary.
    await editor.post('/api/incidents').send({ title: 'After', summary: '*fine*' }).expect(201);
  });

  it('are refused with 503 and nothing written while as many summaries as the renderer takes on are waiting', async () => {
    const { db } = freshApp();
    const writer = createUser(db, 'writer', 'editor', 'scrypt$unusable').id;
    const before = snapshot(db);
    // One rendering, MAX_WAITING_RENDERS waiting: all queued in this turn, before any can finish.
    const queued = Array.from({ length: MAX_WAITING_RENDERS + 1 }, (_, i) => renderSummary(`*summary ${i}*`));
    await assert.rejects(renderSummary('*one too many*'), RendererBusy);
    const saving = saveIncident(db, { title: 'Saved while busy', summary: '*busy*' }, writer);
    await assert.rejects(saving, (error) => error instanceof TooBusy && /try again in a moment/.test(error.message));
    assert.equal(statusOf(new TooBusy('')), 503);
    assert.deepEqual(snapshot(db), before, 'nothing was written');
    // Those that were queued are rendered all the same, and the renderer takes the next.
    assert.deepEqual(await Promise.all(queued), queued.map((_, i) => `<p><em>summary ${i}</em></p>\n`));
    await saveIncident(db, { title: 'Saved after', summary: '*fine*' }, writer);
  });

  it('saved before they were checked still show, as plain text when they cannot be rendered', async () => {
    const { db, editor } = freshApp();
    const slow = '_'.repeat(19_990) + 'a';
    db.prepare("INSERT INTO incidents (slug, title, summary, created_at, updated_at) VALUES ('old', 'Old', ?, 'now', 'now')").run(slow);
    const $ = page((await editor.get('/incidents/old').expect(200)).text);
    assert.equal($('.summary .summary-plain').text(), slow);
  });

  it('saved before they were checked show as plain text while the renderer is busy, and rendered once it is free again', async () => {
    const { app, db } = freshApp();
    db.prepare("INSERT INTO incidents (slug, title, summary, created_at, updated_at) VALUES ('old', 'Old', '*Emphasis*, then more.', 'now', 'now')").run();
    const queued = Array.from({ length: MAX_WAITING_RENDERS + 1 }, (_, i) => renderSummary(`*queued ${i}*`));
    const busy = page((await request(app).get('/incidents/old').expect(200)).text);
    assert.equal(busy('.summary .summary-plain').text(), '*Emphasis*, then more.');
    await Promise.all(queued);
    // The page shown while busy was not kept for the next reader.
    const free = page((await request(app).get('/incidents/old').expect(200)).text);
    assert.equal(free('.summary em').text(), 'Emphasis');
  });
});
