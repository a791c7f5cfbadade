import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { EVENING_SLUG, fieldError, fieldValue, freshApp, GREEN_VILLAGE_SLUG, page, snapshot, textOf } from './helpers.js';

type Agent = ReturnType<typeof freshApp>['editor'];

async function post(editor: Agent, path: string, body: object) {
  return (await editor.post(path).send(body).expect(201)).body;
}

/** An incident where three sources count rockets: "at least eight", "several", then a revision. */
async function rocketIncident(app: Agent) {
  const official = await post(app, '/api/sources', { name: 'US military official', kind: 'military', affiliation: 'US government' });
  const centcom = await post(app, '/api/sources', { name: 'CENTCOM', kind: 'military', affiliation: 'US government' });
  const iswnews = await post(app, '/api/sources', { name: 'ISWNews', kind: 'media', affiliation: 'Iran-aligned' });
  const alJazeera = await post(app, '/api/sources', { name: 'Al Jazeera', kind: 'media' });
  const incident = await post(app, '/api/incidents', { title: 'Rockets on the base', occurred_on: '2023-03-24' });
  const claim = (body: object) => post(app, `/api/incidents/${incident.id}/claims`, body);
  const claims = {
    eight: await claim({ source_id: official.id, facet: 'rockets fired', text: 'At least eight rockets.', value: 'at least eight', published_at: '2023-03-24T21:00' }),
    several: await claim({ source_id: iswnews.id, facet: 'Rockets  Fired', text: 'Several rockets.', value: 'several', published_at: '2023-03-25T11:52' }),
    ten: await claim({ source_id: centcom.id, facet: 'rockets fired', text: 'Ten rockets.', value: 'ten', published_at: '2023-03-24' }),
    tenRevised: await claim({ source_id: centcom.id, facet: 'rockets fired', text: 'Eleven rockets, on review.', value: 'eleven', published_at: '2023-03-26' }),
    wounded: await claim({ source_id: official.id, via_source_id: alJazeera.id, facet: 'US personnel wounded', text: 'One soldier wounded.', value: 'one' }),
    noCasualties: await claim({ source_id: centcom.id, facet: 'US personnel wounded', text: 'No casualties.', value: 'none' }),
  };
  return { incident, sources: { official, centcom, iswnews, alJazeera }, claims };
}

describe('comparison API', () => {
  it('returns each facet with its status, claims (current and superseded) and every pair of current claims', async () => {
    const { editor } = freshApp();
    const { incident, sources, claims } = await rocketIncident(editor);
    const response = await editor.get(`/api/incidents/${incident.id}/comparison`).expect(200);
    const { body } = response;
    assert.equal(body.incident.id, incident.id);
    assert.deepEqual(body.sources.map((source: { name: string }) => source.name).sort(), ['Al Jazeera', 'CENTCOM', 'ISWNews', 'US military official']);
    assert.deepEqual(body.summary, { contradict: 2, consistent: 0, agree: 0, single: 0, unassessed: 0, facets: 2 });

    const rockets = body.facets[0];
    assert.equal(rockets.facet, 'rockets fired', 'the first spelling is shown');
    // "several" (3 to 9) cannot be CENTCOM's revised "eleven".
    assert.equal(rockets.status, 'contradict');
    const byId = new Map(rockets.claims.map((claim: { id: number }) => [claim.id, claim]));
    assert.equal(rockets.claims.length, 4);
    assert.deepEqual(byId.get(claims.ten.id), {
      id: claims.ten.id, source_id: sources.centcom.id, source: 'CENTCOM', via_source_id: null, via: null,
      text: 'Ten rockets.', quote: null, value: { text: 'ten', low: 10, high: 10 }, published_at: '2023-03-24',
      current: false, superseded_by: claims.tenRevised.id, status: null, corroborated_by: 0,
    });
    const eight = byId.get(claims.eight.id) as Record<string, unknown>;
    assert.equal(eight.current, true);
    assert.equal(eight.superseded_by, null);
    // "eleven" (CENTCOM, same affiliation as the official: not independent) and "several" (ISWNews) fit it.
    assert.equal(eight.corroborated_by, 1);

    const relation = (a: number, b: number) =>
      rockets.pairs.find((pair: { a: number; b: number }) => pair.a === Math.min(a, b) && pair.b === Math.max(a, b));
    assert.equal(rockets.pairs.length, 3, 'three sources, three pairs; the superseded claim takes no part');
    assert.deepEqual(relation(claims.eight.id, claims.several.id), {
      a: claims.eight.id, b: claims.several.id, relation: 'consistent', origin: 'auto', reason: null, auto: 'consistent', overridden_at: null, overridden_by: null,
    });
    assert.equal(relation(claims.eight.id, claims.tenRevised.id).relation, 'consistent');
    assert.equal(relation(claims.several.id, claims.tenRevised.id).relation, 'contradict');

    const wounded = body.facets[1];
    assert.equal(wounded.facet, 'US personnel wounded');
    assert.equal(wounded.status, 'contradict');
    assert.deepEqual(wounded.pairs.map((pair: { relation: string }) => pair.relation), ['contradict']);
  });

  it('lets an analyst override a pair with a reason, and remove the override again', async () => {
    const { editor } = freshApp();
    const { incident, claims } = await rocketIncident(editor);
    const override = await editor
      .post(`/api/incidents/${incident.id}/relations`)
      .send({ a: claims.noCasualties.id, b: claims.wounded.id, relation: 'unrelated', reason: 'CENTCOM spoke of the morning attack only.' })
      .expect(201);
    assert.equal(override.body.relation, 'unrelated');

    let comparison = (await editor.get(`/api/incidents/${incident.slug}/comparison`)).body;
    const wounded = comparison.facets[1];
    assert.deepEqual(wounded.pairs[0], {
      a: claims.wounded.id, b: claims.noCasualties.id, relation: 'unrelated', origin: 'analyst',
      reason: 'CENTCOM spoke of the morning attack only.', auto: 'contradict', overridden_at: wounded.pairs[0].overridden_at, overridden_by: 'Test Editor',
    });
    assert.match(wounded.pairs[0].overridden_at, /^\d{4}-\d{2}-\d{2}T/);
    assert.equal(wounded.status, 'unassessed', 'with its only pair unrelated, the facet cannot be weighed');
    assert.equal(comparison.summary.contradict, 1, 'only the rockets facet still contradicts');

    // Setting it again replaces the earlier judgement.
    await editor
      .post(`/api/incidents/${incident.id}/relations`)
      .send({ a: claims.wounded.id, b: claims.noCasualties.id, relation: 'consistent', reason: 'Re-read the statement.' })
      .expect(201);
    comparison = (await editor.get(`/api/incidents/${incident.id}/comparison`)).body;
    assert.equal(comparison.facets[1].pairs[0].relation, 'consistent');
    assert.equal(comparison.facets[1].status, 'consistent');

    await editor.delete(`/api/incidents/${incident.id}/relations`).send({ a: claims.wounded.id, b: claims.noCasualties.id }).expect(204);
    comparison = (await editor.get(`/api/incidents/${incident.id}/comparison`)).body;
    assert.equal(comparison.facets[1].pairs[0].origin, 'auto');
    assert.equal(comparison.facets[1].status, 'contradict');
    await editor.delete(`/api/incidents/${incident.id}/relations?a=${claims.wounded.id}&b=${claims.noCasualties.id}`).expect(404);
  });

  it('refuses overrides that name no pair, a bad relation or no reason, changing nothing', async () => {
    const { db, editor } = freshApp();
    const { incident, claims } = await rocketIncident(editor);
    const before = snapshot(db);
    const path = `/api/incidents/${incident.id}/relations`;
    const bad = await editor.post(path).send({ a: claims.eight.id, b: 'x', relation: 'maybe', reason: ' ' }).expect(400);
    assert.deepEqual(bad.body.error.issues.map((issue: { path: string }) => issue.path).sort(), ['b', 'reason', 'relation']);
    const samefacetDifferent = await editor.post(path).send({ a: claims.eight.id, b: claims.wounded.id, relation: 'agree', reason: 'r' }).expect(400);
    assert.match(samefacetDifferent.body.error.message, /not a pair in this incident's comparison/);
    await editor.post(path).send({ a: claims.ten.id, b: claims.eight.id, relation: 'agree', reason: 'superseded' }).expect(400);
    await editor.post(path).send({ a: claims.eight.id, b: 9999, relation: 'agree', reason: 'r' }).expect(400);
    assert.deepEqual(snapshot(db), before);
    assert.equal(db.prepare('SELECT count(*) FROM relation_overrides').pluck().get(), 0);
    await editor.get('/api/incidents/999/comparison').expect(404);
  });
});

describe('comparison pages', () => {
  it('show the demo’s evening attack: “at least eight” and “several” rockets consistent, one base against three contradicting', async () => {
    const { editor } = freshApp({ demo: true });
    const response = await editor.get(`/incidents/${EVENING_SLUG}`).expect(200);
    const $ = page(response.text);
    const row = (facet: string) => $('tr.facet-row').filter((_, tr) => $(tr).find('.facet-name').text().trim() === facet);
    assert.equal(row('rockets fired').find('th .status').text().trim(), '≈ Consistent');
    assert.equal(row('bases targeted').find('th .status').text().trim(), '✕ Contradicts');
    assert.equal(row('US personnel wounded').find('th .status').text().trim(), '● Single source');
    assert.equal(row('drones launched').find('th .status').text().trim(), '? Unassessed');
    assert.match(row('rockets fired').text(), /at least eight\s+read as 8 or more/);
    assert.match(textOf($, '#overview'), /^1 contradiction, 1 consistent, 0 agreeing, 5 single-source, 1 unassessed across 8 facets\.$/);
  });

  it('show the contradiction count on the home page', async () => {
    const { editor } = freshApp({ demo: true });
    const $ = page((await editor.get('/')).text);
    const evening = $('table.incidents tbody tr').filter((_, tr) => /Evening/.test($(tr).text()));
    assert.equal(evening.find('td').last().text().trim(), '✕ 1');
  });

  it('compare the wording of two claims with the differing words marked', async () => {
    const { editor } = freshApp();
    const { incident, claims } = await rocketIncident(editor);
    const response = await editor.get(`/incidents/${incident.slug}/compare?a=${claims.several.id}&b=${claims.eight.id}`).expect(200);
    const $ = page(response.text);
    // The lower claim id is on the left: the official's "at least eight", then ISWNews's "several".
    const statements = $('table.wording tbody tr').first();
    assert.deepEqual(statements.find('td').eq(0).find('mark').map((_, mark) => $(mark).text()).get(), ['At least eight']);
    assert.deepEqual(statements.find('td').eq(1).find('mark').map((_, mark) => $(mark).text()).get(), ['Several']);
    assert.equal(statements.find('td').eq(0).text(), 'At least eight rockets.');
    assert.equal(statements.find('td').eq(1).text(), 'Several rockets.');
    assert.match(textOf($, '.relation'), /Consistent read from the values/);
  });

  it('set and remove an override from the compare page, keeping the analyst’s choice when the reason is missing', async () => {
    const { db, editor } = freshApp();
    const { incident, claims } = await rocketIncident(editor);
    const pair = { a: String(claims.eight.id), b: String(claims.several.id) };
    const missing = await editor.post(`/incidents/${incident.slug}/relations`).type('form').send({ ...pair, relation: 'contradict', reason: '' }).expect(400);
    let $ = page(missing.text);
    assert.equal(fieldError($, 'reason'), 'Reason is required');
    assert.equal(fieldValue($, 'relation'), 'contradict');
    assert.equal(db.prepare('SELECT count(*) FROM relation_overrides').pluck().get(), 0);

    const saved = await editor
      .post(`/incidents/${incident.slug}/relations`)
      .type('form')
      .send({ ...pair, relation: 'contradict', reason: 'ISWNews counts the whole night, not one base.' })
      .expect(303);
    $ = page((await editor.get(saved.headers.location!).expect(200)).text);
    assert.match(textOf($, '.relation'), /^✕ Contradicts set by Test Editor on \d{4}-\d{2}-\d{2}T[\d:.]+Z; automatically ≈ Consistent$/);
    assert.equal(textOf($, '.reason'), 'Reason: “ISWNews counts the whole night, not one base.”');

    const grid = page((await editor.get(`/incidents/${incident.slug}`)).text);
    assert.match(textOf(grid, 'details.pairs'), /Test Editor: ISWNews counts the whole night/);

    await editor.post(`/incidents/${incident.slug}/relations/delete`).type('form').send(pair).expect(303);
    assert.equal(db.prepare('SELECT count(*) FROM relation_overrides').pluck().get(), 0);
  });

  it('refuse to overwrite a judgement another analyst set after the page was opened, keeping the reason typed', async () => {
    const { db, editor, signIn } = freshApp();
    const { incident, claims } = await rocketIncident(editor);
    const compare = `/incidents/${incident.slug}/compare?a=${claims.eight.id}&b=${claims.several.id}`;
    const opened = page((await editor.get(compare)).text);
    const basedOn = opened('input[name="based_on"]').attr('value')!;
    assert.equal(basedOn, 'none');
    const other = signIn('editor', 'Other Analyst').agent;
    await other.post(`/incidents/${incident.slug}/relations`).type('form').send({ a: claims.eight.id, b: claims.several.id, relation: 'agree', reason: 'same count', based_on: 'none' }).expect(303);

    const mine = { a: claims.eight.id, b: claims.several.id, relation: 'contradict', reason: 'my careful reason', based_on: basedOn };
    const refused = await editor.post(`/incidents/${incident.slug}/relations`).type('form').send(mine).expect(409);
    const $ = page(refused.text);
    assert.match(textOf($, '.problem'), /Other Analyst changed the judgement of this pair after you opened it; it is now "agree" \(same count\)/);
    assert.equal(fieldValue($, 'reason'), 'my careful reason');
    assert.equal(db.prepare('SELECT relation FROM relation_overrides').pluck().get(), 'agree', 'theirs kept');
    // Saving again from the page as it is now shown is a deliberate replacement.
    const now = $('input[name="based_on"]').attr('value')!;
    await editor.post(`/incidents/${incident.slug}/relations`).type('form').send({ ...mine, based_on: now }).expect(303);
    assert.equal(db.prepare('SELECT relation FROM relation_overrides').pluck().get(), 'contradict');
  });

  it('answer a compare link that names no pair with a clear 400', async () => {
    const { editor } = freshApp();
    const { incident, claims } = await rocketIncident(editor);
    const response = await editor.get(`/incidents/${incident.slug}/compare?a=${claims.eight.id}&b=${claims.wounded.id}`).expect(400);
    assert.match(textOf(page(response.text), '.error-message'), /not a pair/);
    await editor.get(`/incidents/${incident.slug}/compare?a=1`).expect(400);
  });
});

describe('a facet with many sources', () => {
  it('lists its first pairs on the grid, contradictions first, and all of them on the facet’s pairs page', async () => {
    const { editor } = freshApp();
    const incident = (await editor.post('/api/incidents').send({ title: 'Crowded' }).expect(201)).body;
    for (let n = 1; n <= 8; n++) {
      const source = (await editor.post('/api/sources').send({ name: `Source ${n}` }).expect(201)).body;
      // Seven agree on "ten"; the eighth says "two", contradicting all seven.
      await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet: 'Rockets fired', text: `Claim ${n}`, value: n === 8 ? 'two' : 'ten' }).expect(201);
    }
    const grid = page((await editor.get('/incidents/crowded').expect(200)).text);
    const listed = grid('details.pairs li.pair');
    assert.equal(listed.length, 12, 'twelve of the 28 pairs');
    assert.match(textOf(grid, 'details.pairs summary'), /28 pairs/);
    assert.deepEqual(listed.slice(0, 7).map((_, li) => grid(li).find('.status').first().text().trim()).get(), Array(7).fill('✕ Contradicts'));
    const link = grid('details.pairs a[href*="/pairs?facet="]').attr('href')!;
    assert.equal(link, '/incidents/crowded/pairs?facet=rockets%20fired');

    const all = page((await editor.get(link).expect(200)).text);
    assert.equal(all('li.pair').length, 28);
    assert.match(textOf(all, 'h1'), /^Rockets fired: every pair/);
    await editor.get('/incidents/crowded/pairs?facet=nothing').expect(404);
    await editor.get('/incidents/crowded/pairs').expect(400);
  });
});

describe('cached comparisons', () => {
  it('follow every kind of write: a claim, a judgement, and a source’s affiliation cited in several incidents', async () => {
    const { app, editor } = freshApp({ demo: true });
    const anonymous = async () => page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    const corroboration = async () => textOf(await anonymous(), '#claim-1 .provenance');
    // ISWNews's "three bases" is backed by the US official's "three", carried by Al Jazeera (Qatar).
    assert.match(await corroboration(), /corroborated by 1 independent source/);
    // Make Al Jazeera share ISWNews's affiliation: the US official's claim, carried by it, is no longer independent.
    const alJazeera = (await editor.get('/api/sources')).body.sources.find((source: { name: string }) => source.name === 'Al Jazeera');
    await editor.patch(`/api/sources/${alJazeera.id}`).set('If-Match', `"${alJazeera.version}"`).send({ affiliation: 'Iran-aligned' }).expect(200);
    assert.doesNotMatch(await corroboration(), /corroborated by/);
    // Another incident's page is unaffected by, and unaware of, this one's changes.
    await request(app).get(`/incidents/${GREEN_VILLAGE_SLUG}`).expect(200);
    await editor.post('/api/incidents/1/relations').send({ a: 1, b: 7, relation: 'unrelated', reason: 'different bases' }).expect(201);
    assert.match(textOf(await anonymous(), '#overview'), /^1 contradiction,/, 'one of the two contradicting pairs judged');
    await editor.post('/api/incidents/1/relations').send({ a: 7, b: 10, relation: 'unrelated', reason: 'different bases' }).expect(201);
    assert.match(textOf(await anonymous(), '#overview'), /^0 contradictions/);
    // And a new claim.
    await editor.post('/api/incidents/1/claims').send({ source_id: 2, facet: 'bases targeted', text: 'Two bases.', value: 'two', published_at: '2023-03-26' }).expect(201);
    assert.match(textOf(await anonymous(), '#overview'), /^1 contradiction,/);
  });
});

describe('comparing the wording of two long, unrelated claims', () => {
  it('shows both whole with a note instead of marking word by word without end', async () => {
    const { editor } = freshApp();
    const incident = (await editor.post('/api/incidents').send({ title: 'Planted text' }).expect(201)).body;
    const words = (prefix: string) => Array.from({ length: 1000 }, (_, i) => `${prefix}${(i * 7919) % 1000}`).join(' ');
    const claims = [];
    for (const [name, text] of [['Left source', words('alpha')], ['Right source', words('omega')]]) {
      claims.push((await editor.post(`/api/incidents/${incident.id}/claims`).send({ new_source_name: name, new_source_kind: 'media', facet: 'rockets fired', text, value: 'ten' }).expect(201)).body);
    }
    const $ = page((await editor.get(`/incidents/${incident.slug}/compare?a=${claims[0].id}&b=${claims[1].id}`).expect(200)).text);
    assert.equal(textOf($, '.too-different'), 'Too different to compare word by word: both are shown whole.');
    assert.equal($('td.diff mark.changed').length, 0);
    assert.match($('td.diff').first().text(), /^alpha0 alpha919 /);
  });
});
