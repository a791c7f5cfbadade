import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshApp, page } from './helpers.js';

const SCRIPT = '<script>alert(1)</script>';

describe('untrusted text', () => {
  it('is shown as text, never run, on every page that shows it', async () => {
    const { db, editor } = freshApp();
    const source = (
      await editor.post('/api/sources').send({ name: `Source ${SCRIPT}`, affiliation: SCRIPT, notes: SCRIPT }).expect(201)
    ).body;
    const incident = (
      await editor
        .post('/api/incidents')
        .send({ title: `Incident ${SCRIPT}`, location: SCRIPT, summary: `Summary ${SCRIPT}\n\n<img src=x onerror=alert(1)> [link](javascript:alert(1))` })
        .expect(201)
    ).body;
    const claim = (
      await editor
        .post(`/api/incidents/${incident.id}/claims`)
        .send({ source_id: source.id, facet: `facet ${SCRIPT}`, text: `Statement ${SCRIPT}`, quote: SCRIPT, value: SCRIPT })
        .expect(201)
    ).body;
    // A second source so the claim shows beside another one.
    const other = (await editor.post('/api/sources').send({ name: 'Other' })).body;
    await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: other.id, facet: `facet ${SCRIPT}`, text: 'x' });

    const pages = ['/', `/incidents/${incident.slug}`, `/incidents/${incident.slug}/edit`, `/incidents/${incident.slug}/claims/new`,
      `/incidents/${incident.slug}/delete`, '/sources', `/sources/${source.id}`, `/sources/${source.id}/edit`,
      `/claims/${claim.id}/edit`, `/claims/${claim.id}/delete`];
    for (const path of pages) {
      const response = await editor.get(path).expect(200);
      assert.ok(!response.text.includes(SCRIPT), `${path} has no live script tag`);
      assert.ok(!/<img[^>]*onerror/i.test(response.text), `${path} has no event handler`);
      assert.ok(!/href="javascript:/i.test(response.text), `${path} has no javascript: link`);
      const $page = page(response.text);
      assert.equal($page('script:not([type="application/ld+json"])').length, 0, `${path} has no script element but a JSON-LD data block`);
      $page('script[type="application/ld+json"]').each((_, data) => assert.ok(!$page(data).text().includes('<'), `${path}: no < inside the data block`));
    }
    const grid = await editor.get(`/incidents/${incident.slug}`);
    const $ = page(grid.text);
    assert.match($(`#claim-${claim.id} .statement`).text(), /Statement <script>alert\(1\)<\/script>/, 'shown as the text it is');
    assert.match($('.summary').text(), /Summary <script>alert\(1\)<\/script>/, 'raw HTML in Markdown shown as text');
    assert.match($('.summary').text(), /<img src=x onerror=alert\(1\)>/);

    // Rejected input is echoed back into the form: escaped there too.
    const rejected = await editor.post(`/incidents/${incident.slug}/claims`).type('form').send({ text: SCRIPT, facet: '' }).expect(400);
    assert.ok(!rejected.text.includes(SCRIPT));
    assert.equal(page(rejected.text)('textarea[name="text"]').text(), SCRIPT);
    db.close();
  });
});

describe('server errors', () => {
  it('show a 500 page that gives away no detail, and a JSON 500 on the API', async (t) => {
    const logged = t.mock.method(console, 'error', () => {});
    const { db, editor } = freshApp();
    db.close();
    const html = await editor.get('/').expect(500);
    assert.match(html.text, /Something went wrong/);
    assert.ok(!/database connection|TypeError|at .*\.ts:\d+/.test(html.text), 'no error detail or stack trace');
    const json = await editor.get('/api/incidents').expect(500);
    assert.deepEqual(json.body, { error: { message: 'Something went wrong on our side. The error has been logged.', issues: [] } });
    assert.equal(logged.mock.callCount(), 2, 'the detail went to the log');
  });
});
