/**
 * Facets as wholes: the analyst's assessment of each (best value, grade, reason; versioned), facets
 * declared part of others and checked against them, and renaming or merging facets with their
 * claims. Driven through the API and the pages, as a user would.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { EVENING_SLUG, freshApp, GREEN_VILLAGE_SLUG, page, snapshot, textOf } from './helpers.js';

type Facet = {
  facet: string;
  span: { low: number; high: number | null } | null;
  positions: { sources: number[]; low: number | null; high: number | null; voices: number }[];
  assessment: { value: { text: string; low: number | null; high: number | null } | null; grade: string; reason: string; fits_positions: number[]; version: number } | null;
  part_of: string[];
  parts: string[];
  part_checks: { kind: string; part: { facet: string; source: number; low: number }; whole: { facet: string; source: number; high: number } }[];
  claims: { id: number; source: string; current: boolean }[];
};

async function comparisonOf(agent: ReturnType<typeof freshApp>['editor'], slug: string) {
  const response = await agent.get(`/api/incidents/${slug}/comparison`).expect(200);
  const facets = new Map<string, Facet>(response.body.facets.map((facet: Facet) => [facet.facet, facet]));
  return { body: response.body, facets };
}

describe('facets checked against each other', () => {
  it('shows CENTCOM contradicting itself in the demo: “civilians injured” is declared part of “casualties”', async () => {
    const { app, editor } = freshApp({ demo: true });
    const { body, facets } = await comparisonOf(editor, GREEN_VILLAGE_SLUG);
    const centcom = body.sources.find((source: { name: string }) => source.name === 'US Central Command (CENTCOM)').id;
    assert.deepEqual(facets.get('civilians injured')!.part_of, ['casualties']);
    assert.deepEqual(facets.get('casualties')!.parts, ['civilians injured']);
    const expected = { kind: 'self', part: { facet: 'civilians injured', source: centcom, low: 4, high: 4 }, whole: { facet: 'casualties', source: centcom, low: 0, high: 0 } };
    assert.equal(body.part_checks.total, 1);
    const withoutClaims = ({ kind, part, whole }: { kind: string; part: Record<string, unknown>; whole: Record<string, unknown> }) => {
      const { claim: _part, ...partSide } = part;
      const { claim: _whole, ...wholeSide } = whole;
      return { kind, part: partSide, whole: wholeSide };
    };
    assert.deepEqual(body.part_checks.listed.map(withoutClaims), [expected]);
    assert.equal(facets.get('casualties')!.part_checks.length, 1, 'the check is listed under both facets');
    assert.equal(facets.get('civilians injured')!.part_checks.length, 1);

    // The grid says so under both facets and marks CENTCOM's claim in both rows.
    const $ = page((await request(app).get(`/incidents/${GREEN_VILLAGE_SLUG}`).expect(200)).text);
    const row = (facet: string) => $('tr.facet-row').filter((_, tr) => $(tr).find('.facet-name').text().trim() === facet);
    assert.match(row('casualties').find('.part-check').text(), /US Central Command \(CENTCOM\) contradicts itself: civilians injured 4 is more than casualties 0/);
    assert.match(row('civilians injured').find('.part-of').text(), /Part of casualties/);
    assert.match(row('civilians injured').find('td.cell .self-contradiction').text(), /contradicts itself: more than its casualties \(0\)/);
    assert.match(row('casualties').find('td.cell .self-contradiction').text(), /contradicts itself: less than its civilians injured \(4\)/);
    assert.match(textOf($, '#overview'), /1 claim on a part exceeds a claim on its whole/);
  });

  it('checks a part from one source against the whole from another, and forgets the check when the link is removed', async () => {
    const { editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(GREEN_VILLAGE_SLUG) as number;
    await editor.post(`/api/incidents/${incident}/claims`).send({ new_source_name: 'Local clinic', new_source_kind: 'NGO', facet: 'Civilians Injured', text: 'Six people were treated.', value: 'six' }).expect(201);
    let { body } = await comparisonOf(editor, GREEN_VILLAGE_SLUG);
    assert.equal(body.part_checks.total, 2);
    assert.deepEqual(body.part_checks.listed.map((check: { kind: string }) => check.kind), ['self', 'cross']);

    await editor.delete(`/api/incidents/${incident}/facet-links`).send({ part: 'civilians injured', whole: 'casualties' }).expect(204);
    ({ body } = await comparisonOf(editor, GREEN_VILLAGE_SLUG));
    assert.equal(body.part_checks.total, 0);
    assert.deepEqual(body.facets.find((facet: Facet) => facet.facet === 'casualties').parts, []);

    const linked = await editor.post(`/api/incidents/${incident}/facet-links`).send({ part: 'CIVILIANS INJURED', whole: 'casualties' }).expect(201);
    assert.equal(linked.body.part, 'civilians injured', 'the facet keeps its own spelling');
    ({ body } = await comparisonOf(editor, GREEN_VILLAGE_SLUG));
    assert.equal(body.part_checks.total, 2);
  });

  it('refuses links that make no sense, naming the field, and changes nothing', async () => {
    const { editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(GREEN_VILLAGE_SLUG) as number;
    const before = snapshot(db);
    const refused = async (body: object, status: number, path: string, message: RegExp) => {
      const response = await editor.post(`/api/incidents/${incident}/facet-links`).send(body).expect(status);
      assert.equal(response.body.error.issues[0].path, path);
      assert.match(response.body.error.message, message);
    };
    await refused({ part: 'casualties', whole: 'civilians injured' }, 400, 'whole', /is already part of/);
    await refused({ part: 'casualties', whole: 'Casualties' }, 400, 'whole', /cannot be part of itself/);
    await refused({ part: 'civilians injured', whole: 'casualties' }, 409, 'whole', /already part of/);
    await refused({ part: 'civilians injured', whole: 'people killed' }, 400, 'whole', /no claims on a facet called “people killed”/);
    await refused({ part: 'civilians injured' }, 400, 'whole', /Whole is required/);
    assert.deepEqual(snapshot(db), before);
  });
});

describe('the analyst’s assessment', () => {
  it('is in the demo’s comparison: three bases, fair, fitting the position that says three', async () => {
    const { editor } = freshApp({ demo: true });
    const { facets } = await comparisonOf(editor, EVENING_SLUG);
    const bases = facets.get('bases targeted')!;
    assert.deepEqual(bases.assessment!.value, { text: 'three', low: 3, high: 3 });
    assert.equal(bases.assessment!.grade, 'fair');
    assert.deepEqual(bases.assessment!.fits_positions, [1]);
    assert.equal(bases.positions[1]!.low, 3);
    assert.deepEqual(bases.span, { low: 1, high: 3 });
    assert.equal(facets.get('rockets fired')!.assessment, null);
  });

  it('takes a column of the grid for readers only where some facet is assessed', async () => {
    const { app } = freshApp({ demo: true });
    const evening = page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    assert.equal(evening('thead th.assessment-col').length, 1);
    const bases = evening('tr.facet-row').filter((_, tr) => evening(tr).find('.facet-name').text().trim() === 'bases targeted');
    assert.match(bases.find('td.assessment-cell').text().replace(/\s+/g, ' '), /fair three read as exactly 3 fits B/);
    const greenVillage = page((await request(app).get(`/incidents/${GREEN_VILLAGE_SLUG}`).expect(200)).text);
    assert.equal(greenVillage('thead th.assessment-col').length, 0, 'no facet is assessed: no column of blanks');
    assert.equal(greenVillage('td.assessment-cell').length, 0);
  });

  it('is created, replaced from the version seen, refused when stale, and removed, each change in the history', async () => {
    const { editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    const url = `/api/incidents/${incident}/assessments`;
    const created = await editor.put(url).send({ facet: 'Rockets Fired', value: 'at least eight', grade: 'weak', reason: 'One official, via ISWNews.' }).expect(201);
    assert.equal(created.headers.etag, '"1"');
    assert.equal(created.body.facet, 'rockets fired');

    const before = snapshot(db);
    const noVersion = await editor.put(url).send({ facet: 'rockets fired', grade: 'fair', reason: 'Later.' }).expect(428);
    assert.equal(noVersion.body.error.issues[0].path, 'version');
    const thoughtNone = await editor.put(url).send({ facet: 'rockets fired', grade: 'fair', reason: 'Mine.', version: 0 }).expect(409);
    assert.match(thoughtNone.body.error.message, /there was none when you started.*“at least eight”, weak/);
    assert.equal(thoughtNone.body.error.current.grade, 'weak', 'theirs goes along, to compare');
    await editor.put(url).send({ facet: 'rockets fired', grade: 'fair', reason: 'Stale.', version: 7 }).expect(409);
    const badGrade = await editor.put(url).send({ facet: 'rockets fired', grade: 'probable', reason: 'x', version: 1 }).expect(400);
    assert.equal(badGrade.body.error.issues[0].path, 'grade');
    assert.match(badGrade.body.error.issues[0].message, /confirmed, fair, weak, contested, discounted/);
    const noReason = await editor.put(url).send({ facet: 'rockets fired', grade: 'fair', version: 1 }).expect(400);
    assert.equal(noReason.body.error.issues[0].path, 'reason');
    const noFacet = await editor.put(url).send({ facet: 'tanks', grade: 'fair', reason: 'x' }).expect(400);
    assert.equal(noFacet.body.error.issues[0].path, 'facet');
    assert.deepEqual(snapshot(db), before, 'no refused edit changed anything');

    const replaced = await editor.put(url).set('If-Match', '"1"').send({ facet: 'rockets fired', value: 'ten', grade: 'contested', reason: 'CENTCOM says ten for the morning.' }).expect(200);
    assert.equal(replaced.body.version, 2);
    const { facets } = await comparisonOf(editor, EVENING_SLUG);
    assert.equal(facets.get('rockets fired')!.assessment!.grade, 'contested');
    assert.equal(facets.get('rockets fired')!.assessment!.version, 2);

    await editor.delete(url).send({ facet: 'rockets fired', version: 1 }).expect(409);
    await editor.delete(url).send({ facet: 'rockets fired', version: 2 }).expect(204);
    await editor.delete(url).send({ facet: 'rockets fired', version: 2 }).expect(404);
    const history = db.prepare("SELECT action, json_extract(coalesce(after, before), '$.grade') AS grade FROM history WHERE entity = 'assessment' AND entity_id = ? ORDER BY id").all(created.body.id);
    assert.deepEqual(history, [
      { action: 'create', grade: 'weak' },
      { action: 'update', grade: 'contested' },
      { action: 'delete', grade: 'contested' },
    ]);
  });

  it('is set from the facet’s page without JavaScript, shown as the facet’s first cell, and carried by the exports', async () => {
    const { app, editor } = freshApp({ demo: true });
    const facetPage = await editor.get(`/incidents/${EVENING_SLUG}/facet?facet=rockets%20fired`).expect(200);
    let $ = page(facetPage.text);
    assert.equal($('form.facet-form input[name=version]').first().val(), '0', 'the form says there was none');

    // A failed save keeps what was typed and names the field.
    const failed = await editor
      .post(`/incidents/${EVENING_SLUG}/assessments`)
      .type('form')
      .send({ facet: 'rockets fired', version: '0', value: 'at least eight', grade: 'weak', reason: '' })
      .expect(400);
    $ = page(failed.text);
    assert.match(textOf($, '#reason-error'), /Reason is required/);
    assert.equal($('input[name=value]').val(), 'at least eight');
    assert.equal($('input[name=grade][value=weak]').attr('checked'), 'checked');

    await editor
      .post(`/incidents/${EVENING_SLUG}/assessments`)
      .type('form')
      .send({ facet: 'rockets fired', version: '0', value: 'at least eight', grade: 'weak', reason: 'One official, via ISWNews.' })
      .expect(303)
      .expect('Location', `/incidents/${EVENING_SLUG}/facet?facet=rockets%20fired`);

    $ = page((await editor.get(`/incidents/${EVENING_SLUG}/facet?facet=rockets%20fired`).expect(200)).text);
    assert.match(textOf($, '.assessment'), /weak · best value at least eight read as 8 or more · fits position A/);
    assert.match(textOf($, '.assessment-history summary'), /History of the assessment \(1 change\)/);
    assert.match(textOf($, '.assessment-history'), /create by Test Editor/);

    // A second analyst who opened the page before that save is refused, and their text kept.
    const stale = await editor
      .post(`/incidents/${EVENING_SLUG}/assessments`)
      .type('form')
      .send({ facet: 'rockets fired', version: '0', value: 'ten', grade: 'fair', reason: 'My reading.' })
      .expect(409);
    $ = page(stale.text);
    assert.match(textOf($, '.problem'), /Someone else changed this facet's assessment/);
    assert.equal($('textarea[name=reason]').text(), 'My reading.');

    $ = page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    const cell = $('tr.facet-row').filter((_, tr) => $(tr).find('.facet-name').text().trim() === 'rockets fired').find('td.assessment-cell');
    assert.match(cell.text().replace(/\s+/g, ' '), /weak at least eight read as 8 or more .*One official, via ISWNews\./);
    assert.equal($('thead th').eq(1).text().trim(), 'Assessment', 'the assessment comes first, before the sources');

    const csv = (await request(app).get(`/incidents/${EVENING_SLUG}/claims.json`).expect(200)).body as Record<string, unknown>[];
    const rockets = csv.filter((row) => row.facet === 'rockets fired');
    assert.ok(rockets.length > 1);
    for (const row of rockets) assert.deepEqual([row.assessment_value, row.assessment_grade], ['at least eight', 'weak']);
    assert.ok(csv.filter((row) => row.facet === 'drones launched').every((row) => row.assessment_grade === null));
  });
});

describe('renaming and merging facets', () => {
  it('renames a facet across the incident: every claim moves with its history, and its links and assessment follow', async () => {
    const { editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(GREEN_VILLAGE_SLUG) as number;
    await editor.put(`/api/incidents/${incident}/assessments`).send({ facet: 'casualties', grade: 'contested', reason: 'CENTCOM says none, then four injured.' }).expect(201);
    const renamed = await editor.post(`/api/incidents/${incident}/facets/rename`).send({ facet: 'casualties', to: 'people hurt or killed' }).expect(200);
    assert.deepEqual(renamed.body, { from: { key: 'casualties', facet: 'casualties' }, to: { key: 'people hurt or killed', facet: 'people hurt or killed' }, merged: false, claims: 1 });

    const { body, facets } = await comparisonOf(editor, GREEN_VILLAGE_SLUG);
    assert.equal(facets.has('casualties'), false);
    const moved = facets.get('people hurt or killed')!;
    assert.equal(moved.assessment!.grade, 'contested');
    assert.deepEqual(moved.parts, ['civilians injured']);
    assert.equal(body.part_checks.total, 1, 'CENTCOM still contradicts itself');
    const claimId = moved.claims[0]!.id;
    const history = db.prepare("SELECT json_extract(before, '$.facet') AS was, json_extract(after, '$.facet') AS now FROM history WHERE entity = 'claim' AND entity_id = ? AND action = 'update'").all(claimId);
    assert.deepEqual(history, [{ was: 'casualties', now: 'people hurt or killed' }]);
  });

  it('suggests near-duplicates and merges one into the other, deleted claims and judgements included', async () => {
    const { editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    const added = await editor
      .post(`/api/incidents/${incident}/claims`)
      .send({ new_source_name: 'SOHR', new_source_kind: 'NGO', facet: 'number of rockets', text: 'Eight rockets.', value: 'eight' })
      .expect(201);
    const deleted = await editor
      .post(`/api/incidents/${incident}/claims`)
      .send({ new_source_name: 'Another monitor', new_source_kind: 'NGO', facet: 'number of rockets', text: 'Nine.', value: 'nine' })
      .expect(201);
    await editor.delete(`/api/claims/${deleted.body.id}`).expect(204);
    let { body } = await comparisonOf(editor, EVENING_SLUG);
    const suggestion = body.suggested_merges.find((merge: { from: string }) => merge.from === 'number of rockets');
    assert.equal(suggestion.into, 'rockets fired', 'into the facet with more claims');

    const merged = await editor.post(`/api/incidents/${incident}/facets/rename`).send({ facet: 'number of rockets', to: suggestion.into }).expect(200);
    assert.equal(merged.body.merged, true);
    assert.equal(merged.body.claims, 2, 'the deleted claim moves too, so that restoring it lands with the rest');
    const facets = (await comparisonOf(editor, EVENING_SLUG)).facets;
    ({ body } = await comparisonOf(editor, EVENING_SLUG));
    assert.equal(facets.has('number of rockets'), false);
    assert.ok(facets.get('rockets fired')!.claims.some((claim) => claim.id === added.body.id));
    assert.deepEqual(body.suggested_merges.filter((merge: { from: string }) => merge.from === 'number of rockets'), []);
    await editor.post(`/api/claims/${deleted.body.id}/restore`).expect(403, /admin/i);
    assert.equal(db.prepare('SELECT facet FROM claims WHERE id = ?').pluck().get(deleted.body.id), 'rockets fired');
  });

  it('moves a facet of many claims a step at a time until none is left, also when only its case changes', async () => {
    const { editor, db } = freshApp();
    const incident = (await editor.post('/api/incidents').send({ title: 'Shelling of a market' }).expect(201)).body;
    const source = (await editor.post('/api/sources').send({ name: 'Monitor', kind: 'NGO' }).expect(201)).body;
    const claims = Array.from({ length: 200 }, (_, index) => ({ source_id: source.id, facet: 'shells fired', text: `Report ${index}.`, value: String(index) }));
    for (let batch = 0; batch < 6; batch++) await editor.post(`/api/incidents/${incident.id}/claims/batch`).send({ claims }).expect(201);
    const renamed = await editor.post(`/api/incidents/${incident.id}/facets/rename`).send({ facet: 'shells fired', to: 'shells launched' }).expect(200);
    assert.equal(renamed.body.claims, 1_200);
    const recased = await editor.post(`/api/incidents/${incident.id}/facets/rename`).send({ facet: 'shells launched', to: 'Shells launched' }).expect(200);
    assert.equal(recased.body.claims, 1_200);
    assert.deepEqual(db.prepare('SELECT facet, count(*) AS n FROM claims GROUP BY facet').all(), [{ facet: 'Shells launched', n: 1_200 }]);
    assert.equal(db.prepare("SELECT count(*) FROM history WHERE entity = 'claim' AND action = 'update'").pluck().get(), 2_400, 'every move is in its claim’s history');
  });

  it('refuses a merge of two assessed facets, changing nothing', async () => {
    const { editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    await editor.put(`/api/incidents/${incident}/assessments`).send({ facet: 'rockets fired', grade: 'weak', reason: 'x' }).expect(201);
    const before = snapshot(db);
    const refused = await editor.post(`/api/incidents/${incident}/facets/rename`).send({ facet: 'rockets fired', to: 'bases targeted' }).expect(409);
    assert.match(refused.body.error.message, /Both “rockets fired” and “bases targeted” have an assessment/);
    const same = await editor.post(`/api/incidents/${incident}/facets/rename`).send({ facet: 'rockets fired', to: 'rockets fired' }).expect(400);
    assert.equal(same.body.error.issues[0].path, 'to');
    await editor.post(`/api/incidents/${incident}/facets/rename`).send({ facet: 'tanks', to: 'armour' }).expect(400);
    assert.deepEqual(snapshot(db), before);
  });

  it('merges from the facet’s page with one click on a suggestion', async () => {
    const { editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    await editor.post(`/api/incidents/${incident}/claims`).send({ new_source_name: 'SOHR', new_source_kind: 'NGO', facet: 'rockets launched', text: 'Eight rockets.', value: 'eight' }).expect(201);
    const grid = page((await editor.get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    assert.match(textOf(grid, '.merge-notice'), /rockets launched/);
    const $ = page((await editor.get(`/incidents/${EVENING_SLUG}/facet?facet=rockets%20launched`).expect(200)).text);
    const button = $('.merge-suggestions form');
    assert.equal(button.find('button').text().trim(), 'Merge “rockets launched” into “rockets fired”');
    const fields = Object.fromEntries(button.find('input').map((_, input) => [[$(input).attr('name'), $(input).val()]]).get());
    await editor.post(button.attr('action')!).type('form').send(fields).expect(303).expect('Location', `/incidents/${EVENING_SLUG}/facet?facet=rockets%20fired`);
    assert.equal(db.prepare("SELECT count(*) FROM claims WHERE facet_key = 'rockets launched'").pluck().get(), 0);
  });
});
