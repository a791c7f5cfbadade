/** Saving many claims at once: all of them or none, and a refusal that names each bad claim and field. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { saveClaims } from '../src/actions/claims.js';
import { Invalid } from '../src/errors.js';
import { count, EVENING_SLUG, freshApp, page, snapshot, textOf } from './helpers.js';

const BATCH = `/api/incidents/${EVENING_SLUG}/claims/batch`;

/** Three claims from the seed article's US official, told to Al Jazeera, both sources new. */
const AL_JAZEERA_CLAIMS = [
  { new_source_name: 'US official (unnamed), batch', new_source_kind: 'government', new_via_name: 'Al Jazeera (batch)', facet: 'US personnel wounded', text: 'One soldier was wounded.', value: 'one' },
  { new_source_name: 'US official (unnamed), batch', new_source_kind: 'government', new_via_name: 'Al Jazeera (batch)', facet: 'drones launched', text: 'Three drones were launched.', value: 'three' },
  { new_source_name: 'US official (unnamed), batch', new_source_kind: 'government', new_via_name: 'Al Jazeera (batch)', facet: 'drones shot down', text: 'Two of the drones were shot down.', value: 'two' },
];

describe('saving many claims at once', () => {
  it('saves every claim in one go, creating the sources they name once, and shows them in the grid', async () => {
    const { app, db, editor } = freshApp({ demo: true });
    const claimsBefore = count(db, 'claims');
    const sourcesBefore = count(db, 'sources');
    const saved = await editor.post(BATCH).send({ claims: AL_JAZEERA_CLAIMS }).expect(201);
    assert.equal(saved.body.claims.length, 3);
    assert.deepEqual(
      saved.body.claims.map((claim: { facet: string; value: unknown; source: string; via: string }) => [claim.facet, claim.value, claim.source, claim.via]),
      [
        ['US personnel wounded', { text: 'one', low: 1, high: 1 }, 'US official (unnamed), batch', 'Al Jazeera (batch)'],
        ['drones launched', { text: 'three', low: 3, high: 3 }, 'US official (unnamed), batch', 'Al Jazeera (batch)'],
        ['drones shot down', { text: 'two', low: 2, high: 2 }, 'US official (unnamed), batch', 'Al Jazeera (batch)'],
      ],
    );
    assert.equal(count(db, 'claims'), claimsBefore + 3);
    assert.equal(count(db, 'sources'), sourcesBefore + 2, 'the source and the outlet, each made once');
    const grid = page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    assert.match(textOf(grid, `#claim-${saved.body.claims[2].id}`), /Two of the drones were shot down\./);
  });

  it('saves none when one claim is wrong, and names each bad claim by its place and field', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    const claims = [AL_JAZEERA_CLAIMS[0], { ...AL_JAZEERA_CLAIMS[1], facet: '' }, AL_JAZEERA_CLAIMS[2], { source_id: 1, text: 'No facet, bad date.', published_at: '2023-02-30' }, 'not a claim'];
    const refused = await editor.post(BATCH).send({ claims }).expect(400);
    assert.deepEqual(refused.body.error.issues, [
      { path: 'claims.1.facet', message: 'Facet is required' },
      { path: 'claims.3.facet', message: 'Facet is required' },
      { path: 'claims.3.published_at', message: 'Published must be a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM, optionally with seconds and a zone)' },
      { path: 'claims.4.(claim)', message: 'Each claim must be an object of fields' },
    ]);
    assert.match(refused.body.error.message, /nothing was saved; 3 claims need correcting/);
    assert.deepEqual(snapshot(db), before);
  });

  it('undoes the claims and sources saved before a claim that names no source', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    const claims = [...AL_JAZEERA_CLAIMS, { source_id: 9999, facet: 'rockets fired', text: 'Eleven rockets.', value: 'eleven' }];
    const refused = await editor.post(BATCH).send({ claims }).expect(400);
    assert.deepEqual(refused.body.error.issues, [{ path: 'claims.3.source_id', message: 'No source has id 9999' }]);
    assert.deepEqual(snapshot(db), before, 'no claim, no new source, no history');
  });

  it('refuses a batch that is not a list of 1 to 200 claims', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = snapshot(db);
    for (const [body, message] of [
      [{}, 'Claims must be a list of claims'],
      [{ claims: {} }, 'Claims must be a list of claims'],
      [{ claims: [] }, 'Claims must hold at least one claim'],
      [{ claims: Array.from({ length: 201 }, () => AL_JAZEERA_CLAIMS[0]) }, 'Claims must hold at most 200 claims'],
    ] as const) {
      const refused = await editor.post(BATCH).send(body).expect(400);
      assert.deepEqual(refused.body.error.issues, [{ path: 'claims', message }]);
    }
    await editor.post(BATCH).send([AL_JAZEERA_CLAIMS[0]]).expect(400, /must be sent as an object of fields/);
    await editor.post('/api/incidents/no-such-incident/claims/batch').send({ claims: AL_JAZEERA_CLAIMS }).expect(404);
    assert.deepEqual(snapshot(db), before);
  });

  it('is for editors: anonymous callers get 401 and viewers 403, writing nothing', async () => {
    const { app, db, tokenFor } = freshApp({ demo: true });
    const before = snapshot(db);
    await request(app).post(BATCH).send({ claims: AL_JAZEERA_CLAIMS }).expect(401);
    await request(app).post(BATCH).set('Authorization', `Bearer ${tokenFor('viewer')}`).send({ claims: AL_JAZEERA_CLAIMS }).expect(403);
    assert.deepEqual(snapshot(db).slice(0, 5), before.slice(0, 5));
  });

  it('is one use case, called the same way from any door', () => {
    const { db, signIn } = freshApp({ demo: true });
    const actor = signIn('editor').user.id;
    const before = count(db, 'claims');
    assert.throws(() => saveClaims(db, 1, { claims: [{ facet: 'x' }] }, actor), (error) => error instanceof Invalid && error.issues.some((issue) => issue.path === 'claims.0.source_id') && /1 claim needs correcting/.test(error.message));
    assert.equal(count(db, 'claims'), before);
    assert.equal(saveClaims(db, 1, { claims: [{ source_id: 1, facet: 'x', text: 'y' }] }, actor).length, 1);
    assert.equal(count(db, 'claims'), before + 1);
  });
});
