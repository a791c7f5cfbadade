import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { EVENING_SLUG, fieldValue, freshApp, page, snapshot, textOf } from './helpers.js';

function officialClaimId(db: ReturnType<typeof freshApp>['db']): number {
  return db.prepare("SELECT id FROM claims WHERE value = 'at least eight'").pluck().get() as number;
}

/** The fields of a claim's edit form, as the browser would send them back. */
async function editFormFields(editor: TestAgent, id: number): Promise<Record<string, string>> {
  const form = page((await editor.get(`/claims/${id}/edit`)).text);
  return Object.fromEntries(['version', 'source_id', 'via_source_id', 'facet', 'text', 'quote', 'value', 'published_at'].map((name) => [name, fieldValue(form, name) ?? '']));
}

describe('history', () => {
  it('records every change with who and when, and shows a claim’s edits word by word', async () => {
    const { db, editor } = freshApp({ demo: true });
    const id = officialClaimId(db);
    const fields = await editFormFields(editor, id);
    await editor.post(`/claims/${id}/edit`).type('form').send({ ...fields, text: 'At least nine rockets were fired at a US base.', value: 'at least nine' }).expect(303);

    const $ = page((await editor.get(`/claims/${id}`).expect(200)).text);
    const entries = $('ol.history > li');
    assert.equal(entries.length, 2, 'the demo’s creation, then the edit');
    assert.match(textOf($, 'ol.history > li:nth-child(1) .history-head'), /^create by demo data \/ unknown at /);
    assert.match(textOf($, 'ol.history > li:nth-child(2) .history-head'), /^update by Test Editor at \d{4}-/);
    const statement = $('ol.history > li:nth-child(2) tr').filter((_, tr) => $(tr).find('th').text() === 'Statement');
    assert.deepEqual(statement.find('mark.removed').map((_, mark) => $(mark).text()).get(), ['eight', 'in Deir Ezzor province']);
    assert.deepEqual(statement.find('mark.added').map((_, mark) => $(mark).text()).get(), ['nine']);
    const stored = db.prepare("SELECT before, after FROM history WHERE entity = 'claim' AND entity_id = ? AND action = 'update'").get(id) as { before: string; after: string };
    assert.equal(JSON.parse(stored.before).value, 'at least eight');
    assert.equal(JSON.parse(stored.after).value, 'at least nine');
  });

  it('records incident, source and override changes too', async () => {
    const { db, editor } = freshApp({ demo: true });
    await editor.post('/api/sources').send({ name: 'Reuters', kind: 'media' }).expect(201);
    await editor.post('/api/incidents/1/relations').send({ a: 2, b: 8, relation: 'contradict', reason: 'different nights' }).expect(201);
    await editor.delete('/api/incidents/3').expect(204);
    const actions = db.prepare("SELECT entity || ':' || action FROM history WHERE user_id IS NOT NULL ORDER BY id").pluck().all();
    assert.deepEqual(actions, ['source:create', 'override:create', 'incident:delete']);
    const deleted = JSON.parse(db.prepare("SELECT before FROM history WHERE entity = 'incident' AND action = 'delete'").pluck().get() as string);
    assert.equal(deleted.title, 'US airstrikes on Iran-backed groups in Deir Ezzor');
  });

  it('hides a deleted incident with its claims and judgements, and lets an admin restore all of it', async () => {
    const { db, editor, signIn } = freshApp({ demo: true });
    await editor.post('/api/incidents/1/relations').send({ a: 2, b: 8, relation: 'contradict', reason: 'different nights' }).expect(201);
    await editor.post(`/incidents/${EVENING_SLUG}/delete`).expect(303);
    await editor.get(`/incidents/${EVENING_SLUG}`).expect(404);
    assert.doesNotMatch((await editor.get('/')).text, /Evening rocket/);
    assert.equal(((await editor.get('/claims.json')).body as unknown[]).length, 11, 'its 12 claims are not exported');
    await editor.get('/claims/1/edit').expect(404);
    await editor.post('/incidents/1/restore').expect(403);

    const admin = signIn('admin').agent;
    const deletedPage = page((await admin.get('/admin/deleted')).text);
    assert.match(textOf(deletedPage, 'table'), /Evening rocket and drone attacks/);
    await admin.post('/incidents/1/restore').expect(303, /evening-rocket/);
    const comparison = (await editor.get('/api/incidents/1/comparison').expect(200)).body;
    assert.equal(comparison.facets.flatMap((facet: { claims: unknown[] }) => facet.claims).length, 12);
    const rockets = comparison.facets.find((facet: { facet: string }) => facet.facet === 'rockets fired');
    assert.equal(rockets.pairs[0].origin, 'analyst', 'the judgement came back too');
    assert.deepEqual(db.prepare("SELECT action FROM history WHERE entity = 'incident' AND entity_id = 1 ORDER BY id").pluck().all(), ['create', 'delete', 'restore']);
  });
});

describe('a claim of a deleted incident', () => {
  it('is not there for anyone but an admin, who sees why and can restore the incident', async () => {
    const { app, db, editor, signIn } = freshApp({ demo: true });
    const id = officialClaimId(db);
    await editor.post(`/incidents/${EVENING_SLUG}/delete`).expect(303);
    for (const reader of [request(app), editor, signIn('viewer').agent]) {
      const gone = await reader.get(`/claims/${id}`).expect(404);
      assert.doesNotMatch(gone.text, /At least eight rockets/);
    }
    const admin = signIn('admin').agent;
    const shown = page((await admin.get(`/claims/${id}`).expect(200)).text);
    assert.match(textOf(shown, '.problem'), /The incident of this claim was deleted on/);
    await admin.post(shown('form[action$="/restore"]').attr('action')!).expect(303);
    await request(app).get(`/claims/${id}`).expect(200);
  });
});

describe('deleting a claim', () => {
  it('hides it everywhere, and lets an admin (not an editor) restore it', async () => {
    const { db, editor, signIn } = freshApp({ demo: true });
    const id = officialClaimId(db);
    await editor.post(`/claims/${id}/delete`).expect(303);
    const exported = (await editor.get(`/incidents/${EVENING_SLUG}/claims.json`)).body as { claim_id: number }[];
    assert.ok(!exported.some((row) => row.claim_id === id), 'not exported');
    assert.equal(exported.length, 11);
    const deletedPage = page((await editor.get(`/claims/${id}`).expect(200)).text);
    assert.match(textOf(deletedPage, '.problem'), /This claim was deleted on/);
    assert.equal(deletedPage('form[action$="/restore"]').length, 0, 'editors see no restore button');
    await editor.post(`/claims/${id}/restore`).expect(403);

    const admin = signIn('admin').agent;
    const list = page((await admin.get('/admin/deleted').expect(200)).text);
    assert.match(textOf(list, 'table'), /At least eight rockets/);
    await admin.post(`/claims/${id}/restore`).expect(303);
    const grid = page((await editor.get(`/incidents/${EVENING_SLUG}`)).text);
    assert.equal(grid(`#claim-${id}`).length, 1);
    const actions = db.prepare("SELECT action FROM history WHERE entity = 'claim' AND entity_id = ? ORDER BY id").pluck().all(id);
    assert.deepEqual(actions, ['create', 'delete', 'restore']);
  });
});

describe('two people editing at once', () => {
  it('refuses the second save from the same version with 409, showing their change beside the user’s kept text', async () => {
    const { db, editor, signIn } = freshApp({ demo: true });
    const other = signIn('editor', 'Other Editor').agent;
    const id = officialClaimId(db);
    const fields = await editFormFields(editor, id);

    await other.post(`/claims/${id}/edit`).type('form').send({ ...fields, text: 'Their wording: eight rockets.', value: 'eight' }).expect(303);
    const before = snapshot(db);
    const mine = { ...fields, text: 'My wording: at least eight rockets, one base.', value: 'at least eight' };
    const conflict = await editor.post(`/claims/${id}/edit`).type('form').send(mine).expect(409);
    assert.deepEqual(snapshot(db), before, 'nothing overwritten');

    const $ = page(conflict.text);
    assert.match(textOf($, '.conflict h2'), /Someone else changed this while you were editing/);
    assert.match(textOf($, '.conflict .theirs'), /Their wording: eight rockets\./);
    assert.equal(fieldValue($, 'text'), 'My wording: at least eight rockets, one base.', 'the user’s own text kept');
    assert.equal(fieldValue($, 'version'), '2', 'saving again now means: I have seen their version');
    await editor.post(`/claims/${id}/edit`).type('form').send({ ...mine, version: '2' }).expect(303);
    assert.equal(db.prepare('SELECT text FROM claims WHERE id = ?').pluck().get(id), 'My wording: at least eight rockets, one base.');
  });

  it('keeps the user’s text when the claim was deleted while they edited it', async () => {
    const { db, editor, signIn } = freshApp({ demo: true });
    const other = signIn('editor', 'Other Editor').agent;
    const id = officialClaimId(db);
    const fields = await editFormFields(editor, id);

    await other.post(`/claims/${id}/delete`).type('form').send({}).expect(303);
    const before = snapshot(db);
    const mine = { ...fields, text: 'An hour of careful rewording.', value: 'at least eight' };
    const refused = await editor.post(`/claims/${id}/edit`).type('form').send(mine).expect(404);
    assert.deepEqual(snapshot(db), before, 'nothing saved, nothing restored');
    const $ = page(refused.text);
    assert.match(textOf($, '.problem'), /This claim was deleted while you were editing it, so nothing was saved\./);
    assert.equal(fieldValue($, 'text'), 'An hour of careful rewording.');
    assert.equal(fieldValue($, 'value'), 'at least eight');
  });

  it('keeps the user’s text when the incident was deleted while they edited it or one of its claims', async () => {
    const { db, editor, signIn } = freshApp({ demo: true });
    const other = signIn('editor', 'Other Editor').agent;
    const id = officialClaimId(db);
    const claimFields = await editFormFields(editor, id);
    const incidentForm = page((await editor.get(`/incidents/${EVENING_SLUG}/edit`)).text);
    const incidentFields = Object.fromEntries(['version', 'title', 'occurred_on', 'location', 'summary'].map((name) => [name, fieldValue(incidentForm, name) ?? '']));

    await other.post(`/incidents/${EVENING_SLUG}/delete`).type('form').send({}).expect(303);
    const before = snapshot(db);
    const incident = page((await editor.post(`/incidents/${EVENING_SLUG}/edit`).type('form').send({ ...incidentFields, title: 'My better title' }).expect(404)).text);
    assert.match(textOf(incident, '.problem'), /This incident was deleted while you were editing it/);
    assert.equal(fieldValue(incident, 'title'), 'My better title');
    const claim = page((await editor.post(`/claims/${id}/edit`).type('form').send({ ...claimFields, text: 'Reworded.' }).expect(404)).text);
    assert.equal(fieldValue(claim, 'text'), 'Reworded.');
    assert.deepEqual(snapshot(db), before, 'nothing saved');
  });

  it('answers a stale API edit with 409 and the current version, and an edit naming no version with 428', async () => {
    const { db, editor } = freshApp({ demo: true });
    const id = officialClaimId(db);
    await editor.patch(`/api/claims/${id}`).set('If-Match', '"1"').send({ value: 'eight' }).expect(200);
    const before = snapshot(db);
    const stale = await editor.patch(`/api/claims/${id}`).set('If-Match', '"1"').send({ value: 'nine' }).expect(409);
    assert.equal(stale.body.error.current.version, 2);
    assert.equal(stale.body.error.current.value, 'eight');
    const unversioned = await editor.patch(`/api/claims/${id}`).send({ value: 'nine' }).expect(428);
    assert.deepEqual(unversioned.body.error.issues, [{ path: 'version', message: 'Version is required' }]);
    await editor.put('/api/sources/1').set('If-Match', 'yesterday').send({ name: 'ISWNews' }).expect(400);
    assert.deepEqual(snapshot(db), before);
  });
});
