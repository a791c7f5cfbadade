import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { getClaimIncludingDeleted, listDeletedClaims } from '../src/db/claims.js';
import { count, EVENING_SLUG, fieldError, fieldValue, freshApp, page, snapshot, textOf } from './helpers.js';

function sourceId(db: ReturnType<typeof freshApp>['db'], name: string): number {
  return db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(name) as number;
}

describe('claim form', () => {
  it('offers the incident’s facets as suggestions and the known sources to pick from', async () => {
    const { editor } = freshApp({ demo: true });
    const response = await editor.get(`/incidents/${EVENING_SLUG}/claims/new`).expect(200);
    const $ = page(response.text);
    const facets = $('#facet-suggestions option').map((_, option) => $(option).attr('value')).get();
    assert.ok(facets.includes('rockets fired') && facets.includes('US personnel wounded'));
    const sources = $('select[name="source_id"] option').map((_, option) => $(option).text()).get();
    assert.ok(sources.includes('US Central Command (CENTCOM) (US government)'));
  });

  it('pre-fills facet and source from the grid’s add links', async () => {
    const { db, editor } = freshApp({ demo: true });
    const id = sourceId(db, 'US official (unnamed)');
    const response = await editor.get(`/incidents/${EVENING_SLUG}/claims/new?facet=rockets%20fired&source_id=${id}`).expect(200);
    const $ = page(response.text);
    assert.equal(fieldValue($, 'facet'), 'rockets fired');
    assert.equal(fieldValue($, 'source_id'), String(id));
  });

  it('adds a claim by an existing source and redirects to it in the grid', async () => {
    const { db, editor } = freshApp({ demo: true });
    const centcom = sourceId(db, 'US Central Command (CENTCOM)');
    const response = await editor
      .post(`/incidents/${EVENING_SLUG}/claims`)
      .type('form')
      .send({
        source_id: String(centcom),
        facet: '  Rockets   fired ',
        text: 'CENTCOM counted 11 rockets, "most" intercepted, near the base.',
        value: 'eleven',
        published_at: '2023-03-25 09:00',
        url: 'https://www.centcom.mil/MEDIA/PRESS-RELEASES/',
      })
      .expect(303);
    const claimId = db.prepare('SELECT max(id) FROM claims').pluck().get();
    assert.equal(response.headers.location, `/incidents/${EVENING_SLUG}?saved=${claimId}#claim-${claimId}`);
    const confirmation = page((await editor.get(response.headers.location!).expect(200)).text);
    assert.equal(
      textOf(confirmation, '.notice'),
      'Saved US Central Command (CENTCOM)’s claim on Rockets fired. Its value “eleven” was read as exactly 11; if that is wrong, reword it.',
    );

    const stored = db.prepare('SELECT * FROM claims WHERE id = ?').get(claimId) as Record<string, unknown>;
    assert.equal(stored.facet, 'Rockets fired', 'spaces folded');
    assert.equal(stored.facet_key, 'rockets fired');
    assert.equal(stored.published_at, '2023-03-25T09:00');
    assert.equal(stored.quote, null, 'an empty field is stored as no value');

    const grid = await editor.get(`/incidents/${EVENING_SLUG}`).expect(200);
    const $ = page(grid.text);
    assert.match(textOf($, `#claim-${claimId}`), /CENTCOM counted 11 rockets, "most" intercepted/);
    // It joined the existing facet row rather than starting a new one.
    assert.equal($('.facet-name').filter((_, el) => /rockets fired/i.test($(el).text())).length, 1);
  });

  it('creates a source named inline, and an outlet named inline, with the claim', async () => {
    const { db, editor } = freshApp({ demo: true });
    await editor
      .post(`/incidents/${EVENING_SLUG}/claims`)
      .type('form')
      .send({
        source_id: '',
        new_source_name: 'Syrian Observatory for Human Rights',
        new_source_kind: 'NGO',
        new_source_affiliation: 'UK-based monitor',
        new_via_name: 'Reuters',
        facet: 'rockets fired',
        text: 'Nine rockets were fired.',
        value: 'nine',
      })
      .expect(303);
    const claim = db
      .prepare(
        `SELECT s.name, s.kind, s.affiliation, v.name AS via, v.kind AS via_kind FROM claims c
           JOIN sources s ON s.id = c.source_id JOIN sources v ON v.id = c.via_source_id
          ORDER BY c.id DESC LIMIT 1`,
      )
      .get();
    assert.deepEqual(claim, { name: 'Syrian Observatory for Human Rights', kind: 'NGO', affiliation: 'UK-based monitor', via: 'Reuters', via_kind: 'media' });
  });

  it('reuses an existing source when a new source is named with different case', async () => {
    const { db, editor } = freshApp({ demo: true });
    const sources = count(db, 'sources');
    await editor
      .post(`/incidents/${EVENING_SLUG}/claims`)
      .type('form')
      .send({ new_source_name: 'iswnews', new_source_kind: 'media', facet: 'rockets fired', text: 'Again.' })
      .expect(303);
    assert.equal(count(db, 'sources'), sources);
  });

  it('names every bad field, keeps everything typed and writes nothing', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    const typed = {
      source_id: '',
      new_source_name: '',
      facet: '',
      text: 'صواريخ أطلقت على القاعدة — "quoted", with commas',
      quote: 'موشک‌ها شلیک شدند',
      value: 'at least eight',
      published_at: 'yesterday',
      url: 'javascript:alert(1)',
      archive_url: 'not a url',
    };
    const response = await editor.post(`/incidents/${EVENING_SLUG}/claims`).type('form').send(typed).expect(400);
    const $ = page(response.text);
    assert.equal(fieldError($, 'source_id'), 'Choose a source, or name a new one');
    assert.equal(fieldError($, 'facet'), 'Facet is required');
    assert.match(fieldError($, 'published_at')!, /Published must be a date/);
    assert.equal(fieldError($, 'url'), 'URL must be a full http:// or https:// address');
    assert.equal(fieldError($, 'archive_url'), 'Archive URL must be a full http:// or https:// address');
    assert.equal(fieldError($, 'text'), undefined);
    for (const field of ['text', 'quote', 'value', 'published_at', 'url', 'archive_url'] as const) {
      assert.equal(fieldValue($, field), typed[field], `${field} kept`);
    }
    assert.deepEqual(snapshot(db), before);
  });

  it('rolls back a new source when the claim itself is refused', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    await editor
      .post(`/incidents/${EVENING_SLUG}/claims`)
      .type('form')
      .send({ new_source_name: 'Brand new source', new_source_kind: 'media', facet: 'rockets fired', text: 'x', via_source_id: '9999' })
      .expect(400);
    assert.deepEqual(snapshot(db), before);
  });

  it('edits a claim, keeping the user’s text on a bad edit', async () => {
    const { db, editor } = freshApp({ demo: true });
    const id = db.prepare("SELECT id FROM claims WHERE value = 'at least eight'").pluck().get() as number;
    const form = await editor.get(`/claims/${id}/edit`).expect(200);
    let $ = page(form.text);
    assert.equal(fieldValue($, 'value'), 'at least eight');
    assert.equal(fieldValue($, 'facet'), 'rockets fired');
    const values = {
      version: fieldValue($, 'version')!,
      source_id: fieldValue($, 'source_id')!,
      via_source_id: fieldValue($, 'via_source_id')!,
      facet: 'rockets fired',
      text: 'Eight rockets, revised wording.',
      value: 'eight',
      published_at: 'not a date',
    };
    const rejected = await editor.post(`/claims/${id}/edit`).type('form').send(values).expect(400);
    $ = page(rejected.text);
    assert.equal(fieldValue($, 'text'), 'Eight rockets, revised wording.');
    assert.equal(textOf($, '#value-reading'), 'Read as: exactly 8', 'the typed value, read');
    assert.match(fieldError($, 'published_at')!, /^Published must be a date/);
    assert.equal(db.prepare('SELECT value FROM claims WHERE id = ?').pluck().get(id), 'at least eight');

    await editor.post(`/claims/${id}/edit`).type('form').send({ ...values, published_at: '2023-03-24' }).expect(303);
    assert.equal(db.prepare('SELECT value FROM claims WHERE id = ?').pluck().get(id), 'eight');
  });

  it('asks before deleting a claim, then deletes it', async () => {
    const { db, editor } = freshApp({ demo: true });
    const id = db.prepare("SELECT id FROM claims WHERE value = 'at least eight'").pluck().get() as number;
    const confirm = await editor.get(`/claims/${id}/delete`).expect(200);
    assert.match(textOf(page(confirm.text), 'main'), /At least eight rockets were fired/);
    assert.equal(db.prepare('SELECT count(*) FROM claims WHERE id = ?').pluck().get(id), 1);
    await editor.post(`/claims/${id}/delete`).expect(303);
    // Gone from the comparison, kept (marked deleted) for restoring.
    assert.notEqual(db.prepare('SELECT deleted_at FROM claims WHERE id = ?').pluck().get(id), null);
    const grid = await editor.get(`/incidents/${EVENING_SLUG}`).expect(200);
    assert.equal(page(grid.text)(`#claim-${id}`).length, 0);
    await editor.get(`/claims/${id}/edit`).expect(404);
  });

  it('answers unknown claims with 404', async () => {
    const { editor } = freshApp();
    await editor.get('/claims/999/edit').expect(404);
    await editor.get('/claims/abc/edit').expect(404);
    await editor.post('/claims/999/delete').expect(404);
  });
});

describe('the incident page for readers who are not signed in', () => {
  it('shows a claim added after it was last shown (nothing stale is kept)', async () => {
    const { app, editor } = freshApp({ demo: true });
    const before = page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    assert.doesNotMatch(textOf(before, 'table.grid'), /Fourteen rockets/);
    assert.equal(before('.account a[href="/login"]').length, 1);
    await editor.post(`/incidents/${EVENING_SLUG}/claims`).type('form').send({ source_id: '3', facet: 'rockets fired', text: 'Fourteen rockets.', value: 'fourteen' }).expect(303);
    const after = page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    assert.match(textOf(after, 'table.grid'), /Fourteen rockets\./);
    assert.equal(after('.claim-actions a[href$="/edit"]').length, 0, 'no edit links for readers');
    const signedIn = page((await editor.get(`/incidents/${EVENING_SLUG}`)).text);
    assert.match(textOf(signedIn, '.account'), /Test Editor/);
    assert.ok(signedIn('.claim-actions a[href$="/edit"]').length > 0);
  });
});

describe('claim rows', () => {
  it('carry every stored field and the names beside them, under their own names', async () => {
    const { db, editor, signIn } = freshApp({ demo: true });
    const outlet = sourceId(db, 'Al Jazeera');
    const incident = (await editor.get(`/api/incidents/${EVENING_SLUG}`)).body;
    const created = (
      await editor
        .post(`/api/incidents/${incident.id}/claims`)
        .send({ source_id: sourceId(db, 'ISWNews'), via_source_id: outlet, facet: 'Drones launched', text: 'Three drones.', quote: 'three drones', value: 'three', published_at: '2023-03-24T21:00Z', url: 'https://example.org/a', archive_url: 'https://archive.example/a' })
        .expect(201)
    ).body;
    const { agent: admin } = signIn('admin', 'Admin Amini');
    await admin.patch(`/api/claims/${created.id}`).set('If-Match', '"1"').send({ text: 'Three drones, two shot down.' }).expect(200);
    await admin.delete(`/api/claims/${created.id}`).expect(204);

    const expected = db
      .prepare(
        `SELECT c.*, i.slug AS incident_slug, i.title AS incident_title, i.deleted_at AS incident_deleted_at,
                s.name AS source_name, s.kind AS source_kind, s.affiliation AS source_affiliation, v.name AS via_name,
                d.title AS document_title, d.url AS document_url,
                creator.name AS created_by_name, editor.name AS updated_by_name
           FROM claims c JOIN incidents i ON i.id = c.incident_id JOIN sources s ON s.id = c.source_id
           LEFT JOIN sources v ON v.id = c.via_source_id LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN users creator ON creator.id = c.created_by
           LEFT JOIN users editor ON editor.id = c.updated_by WHERE c.id = ?`,
      )
      .get(created.id) as Record<string, unknown>;
    const row = getClaimIncludingDeleted(db, created.id)!;
    assert.deepEqual({ ...row }, expected);
    assert.equal(row.created_by_name, 'Test Editor');
    assert.equal(row.updated_by_name, 'Admin Amini');
    assert.equal(row.via_name, 'Al Jazeera');
    assert.ok(row.deleted_at && row.deleted_by);
    assert.deepEqual({ ...listDeletedClaims(db)[0] }, expected);
  });
});
