import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { count, freshApp, snapshot } from './helpers.js';

describe('JSON API', () => {
  it('creates a source, an incident and claims with the documented shapes', async () => {
    const { editor } = freshApp();
    const source = await editor
      .post('/api/sources')
      .send({ name: 'US Central Command (CENTCOM)', kind: 'military', affiliation: 'US government' })
      .expect(201);
    assert.equal(typeof source.body.id, 'number');
    assert.equal(source.body.name, 'US Central Command (CENTCOM)');
    assert.equal(source.body.kind, 'military');

    const incident = await editor
      .post('/api/incidents')
      .send({ title: 'Green Village rocket attack', occurred_on: '2023-03-24', location: 'Deir Ezzor' })
      .expect(201);
    assert.equal(typeof incident.body.id, 'number');
    assert.equal(incident.body.slug, 'green-village-rocket-attack');

    const count = await editor
      .post(`/api/incidents/${incident.body.id}/claims`)
      .send({ source_id: source.body.id, facet: 'rockets fired', text: 'Ten rockets were fired.', value: 'at least eight', published_at: '2023-03-24' })
      .expect(201);
    assert.equal(typeof count.body.id, 'number');
    assert.deepEqual(count.body.value, { text: 'at least eight', low: 8, high: null });
    assert.equal(count.body.source, 'US Central Command (CENTCOM)');

    const place = await editor
      .post(`/api/incidents/${incident.body.id}/claims`)
      .send({ source_id: source.body.id, facet: 'location', text: 'In Syria.', value: 'Syria' })
      .expect(201);
    assert.deepEqual(place.body.value, { text: 'Syria', low: null, high: null });

    const none = await editor
      .post(`/api/incidents/${incident.body.slug}/claims`)
      .send({ source_id: String(source.body.id), facet: 'perpetrator', text: 'Unknown.' })
      .expect(201);
    assert.equal(none.body.value, null);

    const listed = await editor.get(`/api/incidents/${incident.body.id}/claims`).expect(200);
    assert.deepEqual(listed.body.claims.map((claim: { facet: string }) => claim.facet), ['rockets fired', 'location', 'perpetrator']);
  });

  it('reads, updates (PUT and PATCH) and deletes each noun', async () => {
    const { db, editor } = freshApp({ demo: true });
    const incidents = await editor.get('/api/incidents').expect(200);
    assert.equal(incidents.body.incidents.length, 3);
    const id = incidents.body.incidents[0].id;

    const read = await editor.get(`/api/incidents/${id}`).expect(200);
    assert.equal(read.headers.etag, '"1"', 'the version, as an ETag to send back in If-Match');
    const patched = await editor.patch(`/api/incidents/${id}`).set('If-Match', read.headers.etag!).send({ location: 'Omar oil field' }).expect(200);
    assert.equal(patched.body.location, 'Omar oil field');
    assert.equal(patched.body.title, incidents.body.incidents[0].title, 'PATCH keeps the fields it does not name');
    assert.equal(patched.headers.etag, '"2"');

    const replaced = await editor.put(`/api/incidents/${id}`).send({ title: 'Renamed', version: 2 }).expect(200);
    assert.equal(replaced.body.location, null, 'PUT replaces every field');

    const claims = await editor.get(`/api/incidents/${id}/claims`).expect(200);
    const claim = claims.body.claims[0];
    const edited = await editor.patch(`/api/claims/${claim.id}`).send({ value: 'eleven', version: claim.version }).expect(200);
    assert.deepEqual(edited.body.value, { text: 'eleven', low: 11, high: 11 });
    assert.equal(edited.body.text, claim.text);
    assert.equal(edited.body.updated_by, 'Test Editor');

    const sources = await editor.get('/api/sources').expect(200);
    const biden = sources.body.sources.find((source: { name: string }) => source.name === 'Joe Biden');
    await editor.patch(`/api/sources/${biden.id}`).set('If-Match', '"1"').send({ notes: 'President of the United States' }).expect(200);
    assert.equal((await editor.get(`/api/sources/${biden.id}`).expect(200)).body.notes, 'President of the United States');

    await editor.delete(`/api/claims/${claim.id}`).expect(204);
    await editor.get(`/api/claims/${claim.id}`).expect(404);
    await editor.delete(`/api/incidents/${id}`).expect(204);
    assert.equal((await editor.get('/api/incidents')).body.incidents.length, 2);
    await editor.get(`/api/incidents/${id}`).expect(404);
    assert.equal(count(db, 'incidents'), 3, 'kept, marked deleted, for an admin to restore');
  });

  it('answers bad input with 400 and the bad fields named, writing nothing', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    const incident = (await editor.get('/api/incidents')).body.incidents[0];

    const response = await editor
      .post(`/api/incidents/${incident.id}/claims`)
      .send({ source_id: 'abc', facet: '', text: 42, url: 'javascript:alert(1)' })
      .expect(400);
    assert.match(response.body.error.message, /^Invalid claim: /);
    const issues = Object.fromEntries(response.body.error.issues.map((issue: { path: string; message: string }) => [issue.path, issue.message]));
    assert.equal(issues.source_id, 'Source must be an id number');
    assert.equal(issues.facet, 'Facet is required');
    assert.equal(issues.text, 'Statement must be text');
    assert.equal(issues.url, 'URL must be a full http:// or https:// address');

    const unknownSource = await editor
      .post(`/api/incidents/${incident.id}/claims`)
      .send({ source_id: 9999, facet: 'x', text: 'y' })
      .expect(400);
    assert.deepEqual(unknownSource.body.error.issues, [{ path: 'source_id', message: 'No source has id 9999' }]);

    const noTitle = await editor.post('/api/incidents').send({}).expect(400);
    assert.deepEqual(noTitle.body.error.issues, [{ path: 'title', message: 'Title is required' }]);
    assert.deepEqual(snapshot(db), before);
  });

  it('answers bodies that are not objects, and impossible time zones, with 400', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    for (const body of ['null', '42', '"text"', '[{"name": "x"}]']) {
      const response = await editor.post('/api/sources').set('Content-Type', 'application/json').send(body).expect(400);
      assert.deepEqual(response.body.error.issues, [{ path: '(body)', message: 'The source must be sent as an object of fields' }]);
    }
    const huge = await editor.post('/api/incidents/1/claims').send({ source_id: 1e300, facet: 'f', text: 't' }).expect(400);
    assert.deepEqual(huge.body.error.issues, [{ path: 'source_id', message: 'Source must be an id number' }]);
    const zone = await editor.post('/api/incidents/1/claims').send({ source_id: 1, facet: 'f', text: 't', published_at: '2023-03-24T10:00+99:99' }).expect(400);
    assert.equal(zone.body.error.issues[0].path, 'published_at');
    assert.deepEqual(snapshot(db), before);
  });

  it('answers a taken source name with 409', async () => {
    const { editor } = freshApp({ demo: true });
    const response = await editor.post('/api/sources').send({ name: 'ISWNEWS' }).expect(409);
    assert.deepEqual(response.body, {
      error: { message: 'A source named "ISWNEWS" already exists', issues: [{ path: 'name', message: 'A source named "ISWNEWS" already exists' }] },
    });
  });

  it('refuses to delete a source that claims cite, with 409', async () => {
    const { db, editor } = freshApp({ demo: true });
    const id = db.prepare("SELECT id FROM sources WHERE name = 'ISWNews'").pluck().get();
    const response = await editor.delete(`/api/sources/${id}`).expect(409);
    assert.match(response.body.error.message, /cited by 19 claims/);
  });

  it('answers unknown ids with a JSON 404', async () => {
    const { editor } = freshApp();
    for (const path of ['/api/incidents/99', '/api/incidents/99/claims', '/api/claims/7', '/api/sources/abc', '/api/nothing-here']) {
      const response = await editor.get(path).expect(404);
      assert.equal(typeof response.body.error.message, 'string', path);
      assert.deepEqual(response.body.error.issues, []);
    }
  });

  it('answers malformed JSON with 400, non-JSON with 415 and an oversized body with 413', async () => {
    const { db, editor } = freshApp();
    const malformed = await editor.post('/api/sources').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    assert.equal(malformed.body.error.message, 'Request body is not valid JSON');

    const form = await editor.post('/api/sources').type('form').send({ name: 'x' }).expect(415);
    assert.match(form.body.error.message, /application\/json/);

    const huge = await editor.post('/api/sources').send({ name: 'x', notes: 'a'.repeat(300_000) }).expect(413);
    assert.match(huge.body.error.message, /larger than the/);
    assert.equal(count(db, 'sources'), 0);
  });
});
