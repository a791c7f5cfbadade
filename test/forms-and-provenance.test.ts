/**
 * Issue 13, items 4–7 in part: the compare page leads with what decides a judgement and marks words
 * only between texts in one script; every address a form posts to answers GET; a new source's kind
 * is chosen, never assumed; form hints match their controls; refused forms speak plainly; setting up
 * ends on what to do next; links show the site they lead to; pair links read alike.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { compareWording, dominantScript } from '../src/compare/wording.js';
import { createSetupToken } from '../src/db/sessions.js';
import { ROUTES } from '../src/web/routes.js';
import { urls } from '../src/web/urls.js';
import { domainOf } from '../src/web/views.js';
import { count, EVENING_SLUG, fieldError, fieldValue, freshApp, page, snapshot, textOf } from './helpers.js';

async function post(agent: TestAgent, to: string, body: object): Promise<{ id: number; slug: string }> {
  return (await agent.post(to).send(body).expect(201)).body;
}

/** An English and an Arabic account of one facet, each with a link and an archived copy. */
async function twoScripts(editor: TestAgent) {
  const centcom = await post(editor, '/api/sources', { name: 'CENTCOM', kind: 'military', affiliation: 'US government' });
  const channel = await post(editor, '/api/sources', { name: 'Resistance channel', kind: 'armed group', affiliation: 'Iran-aligned' });
  const incident = await post(editor, '/api/incidents', { title: 'Rockets on the base' });
  const english = await post(editor, `/api/incidents/${incident.id}/claims`, {
    source_id: centcom.id, facet: 'rockets fired', text: 'At least eight rockets were fired at the base.', value: 'at least eight',
    quote: 'at least eight rockets', url: 'https://www.centcom.mil/MEDIA/PRESS-RELEASES/Article/3339', archive_url: 'https://archive.ph/AbCd1',
  });
  const arabic = await post(editor, `/api/incidents/${incident.id}/claims`, {
    source_id: channel.id, facet: 'rockets fired', text: 'أطلقت خمسة صواريخ على القاعدة الأمريكية.', value: 'five',
    quote: 'خمسة صواريخ', url: 'https://t.me/resistance_channel/1234',
  });
  return { incident, english, arabic, compare: urls.compare(incident, { a: english.id, b: arabic.id }) };
}

describe('the wording diff (item 4)', () => {
  it('names the script most of a text is written in', () => {
    const cases: [text: string, script: string | undefined, why: string][] = [
      ['At least eight rockets', 'Latin', 'English'],
      ['أطلقت عشرة صواريخ', 'Arabic', 'Arabic'],
      ['حمله با ۸ موشک', 'Arabic', 'Persian is written in Arabic script'],
      ['Десять ракет', 'Cyrillic', 'Russian'],
      ['十枚のロケット弾', 'Han', 'Japanese: Han and kana count as one'],
      ['CENTCOM: أطلقت عشرة صواريخ', 'Arabic', 'an acronym in another script does not decide'],
      ['10', undefined, 'no letters'],
      ['US', undefined, 'too few letters to say'],
    ];
    for (const [text, script, why] of cases) assert.equal(dominantScript(text), script, why);
  });

  it('shows texts in two scripts whole, saying which, instead of marking every word', () => {
    const result = compareWording('Ten rockets hit the base', 'أطلقت عشرة صواريخ');
    assert.deepEqual(result, {
      left: [{ text: 'Ten rockets hit the base', changed: false }],
      right: [{ text: 'أطلقت عشرة صواريخ', changed: false }],
      tooDifferent: false,
      scripts: { left: 'Latin', right: 'Arabic' },
    });
    assert.equal(compareWording('Ten rockets', 'Eight rockets').scripts, undefined, 'one script: compared word by word');
  });

  it('on the compare page, marks no word between English and Arabic and says the scripts differ', async () => {
    const { editor } = freshApp();
    const { compare } = await twoScripts(editor);
    const $ = page((await editor.get(compare).expect(200)).text);
    assert.equal($('table.wording mark.changed').length, 0);
    const notes = $('table.wording .other-script').map((_, note) => $(note).text()).get();
    assert.equal(notes.length, 2, 'statement and quote');
    assert.match(notes[0]!, /Written in Latin and Arabic script, most likely in different languages/);
  });

  it('leads with the two values and how each was read, the relation, each source’s kind, affiliation and site', async () => {
    const { editor } = freshApp();
    const { compare } = await twoScripts(editor);
    const $ = page((await editor.get(compare).expect(200)).text);
    const order = ['.relation', 'table.pair-facts', 'table.wording', 'form.override-form'].map((selector) => $('main *').index($(selector).first()));
    assert.ok(order.every((at) => at >= 0), JSON.stringify(order));
    assert.deepEqual([...order].sort((x, y) => x - y), order, 'relation and facts first, wording after, the judgement form kept');
    const row = (name: string) => $(`table.pair-facts tr.${name} td`).map((_, cell) => $(cell).text().replace(/\s+/g, ' ').trim()).get();
    assert.deepEqual(row('pair-values'), ['at least eight read as 8 or more', 'five read as exactly 5']);
    assert.deepEqual(row('pair-sources'), ['CENTCOM military · US government', 'Resistance channel armed group · Iran-aligned']);
    assert.deepEqual(row('pair-links'), ['centcom.mil · archive (archive.ph)', 't.me']);
    assert.match(textOf($, '.relation'), /Contradicts read from the values/);
  });
});

/** Values for the parameters of a route's path, and a query that a form's action could carry. */
function plausible(routePath: string, adminId: number): string {
  const filled = routePath
    .replace(':slug', EVENING_SLUG)
    .replace(/^\/admin\/users\/:id/, `/admin/users/${adminId}`)
    .replace(':id', '1');
  return `${filled}?facet=rockets%20fired&a=1&b=7`;
}

describe('every address a form posts to answers GET (item 5a)', () => {
  const formPosts = ROUTES.filter((route) => route.method === 'POST' && !route.path.startsWith('/api/'));

  it('walks every POST route of the route table: a GET of it is never “Nothing at …”', async () => {
    const { signIn } = freshApp({ demo: true });
    const admin = signIn('admin');
    assert.ok(formPosts.length >= 25);
    const lost: string[] = [];
    for (const route of formPosts) {
      const address = plausible(route.path, admin.user.id);
      const answer = await admin.agent.get(address).redirects(3);
      if (answer.status !== 200) lost.push(`GET ${address} → ${answer.status}`);
    }
    assert.deepEqual(lost, []);
  });

  it('lands where the form was: the claim form, the compare page of the pair, the facet page', async () => {
    const { app, editor } = freshApp({ demo: true });
    const incident = { slug: EVENING_SLUG };
    const landing = async (address: string, agent: TestAgent = editor) => (await agent.get(address).expect(303)).headers.location;
    assert.equal(await landing(urls.createClaim(incident)), urls.newClaim(incident));
    assert.equal(await landing(urls.createDocument(incident)), urls.newDocument(incident));
    assert.equal(await landing(urls.createIncident()), urls.newIncident());
    assert.equal(await landing(urls.createIncident(), request.agent(app)), urls.home(), 'a reader gets the list');
    assert.equal(await landing(urls.judgements(incident, { a: 1, b: 7 })), urls.compare(incident, { a: 1, b: 7 }));
    assert.equal(await landing(urls.judgementDelete(incident, { a: 1, b: 7 })), urls.compare(incident, { a: 1, b: 7 }));
    assert.equal(await landing(urls.judgements(incident)), urls.incident(incident));
    for (const form of [urls.assessments, urls.assessmentDelete, urls.facetLinks, urls.facetLinkDelete, urls.facetRename]) {
      assert.equal(await landing(form(incident, 'rockets fired')), urls.facet(incident, 'rockets fired'));
      assert.equal(await landing(form(incident)), urls.incident(incident));
    }
  });

  it('a refused form’s address, reloaded or shared, shows the form again', async () => {
    const { editor } = freshApp({ demo: true });
    const address = urls.createClaim({ slug: EVENING_SLUG });
    const refused = page((await editor.post(address).type('form').send({ facet: '' }).expect(400)).text);
    assert.equal(refused('form.claim-form').attr('action'), address, 'the address the browser now shows');
    const again = await editor.get(address).redirects(1).expect(200);
    assert.equal(page(again.text)('form.claim-form').length, 1);
  });

  it('the judgement and facet forms post to addresses that name their pair and facet', async () => {
    const { editor } = freshApp({ demo: true });
    const incident = { slug: EVENING_SLUG };
    const compare = page((await editor.get(urls.compare(incident, { a: 1, b: 7 })).expect(200)).text);
    assert.equal(compare('form.override-form').attr('action'), urls.judgements(incident, { a: 1, b: 7 }));
    const refused = page((await editor.post(urls.judgements(incident, { a: 1, b: 7 })).type('form').send({ a: '1', b: '7', relation: 'agree', reason: '' }).expect(400)).text);
    assert.equal(refused('form.override-form').attr('action'), urls.judgements(incident, { a: 1, b: 7 }));
    const facet = page((await editor.get(urls.facet(incident, 'rockets fired')).expect(200)).text);
    const actions = facet('main form[method="post"]').map((_, form) => facet(form).attr('action')).get();
    assert.ok(actions.length >= 3);
    for (const action of actions) assert.match(action, /\?facet=rockets%20fired$/, action);
  });
});

describe('a new source’s kind (item 5b)', () => {
  it('starts blank on the claim form, and is required when a new source is named', async () => {
    const { db, editor } = freshApp({ demo: true });
    const $ = page((await editor.get(urls.newClaim({ slug: EVENING_SLUG })).expect(200)).text);
    assert.equal($('select[name="new_source_kind"] option').first().attr('value'), '');
    assert.equal(fieldValue($, 'new_source_kind'), undefined, 'nothing chosen for the user');
    const before = snapshot(db);
    const refused = page(
      (await editor.post(urls.createClaim({ slug: EVENING_SLUG })).type('form').send({ new_source_name: 'Local clinic', new_source_kind: '', facet: 'civilians injured', text: 'Six were treated.' }).expect(400)).text,
    );
    assert.match(fieldError(refused, 'new_source_kind')!, /^Choose the new source's kind/);
    assert.equal(fieldValue(refused, 'new_source_name'), 'Local clinic');
    assert.deepEqual(snapshot(db), before);
    await editor.post(urls.createClaim({ slug: EVENING_SLUG })).type('form').send({ new_source_name: 'Local clinic', new_source_kind: 'NGO', facet: 'civilians injured', text: 'Six were treated.' }).expect(303);
    assert.equal(db.prepare("SELECT kind FROM sources WHERE name = 'Local clinic'").pluck().get(), 'NGO');
  });

  it('is a clear 400 naming new_source_kind for an API client that names a new source without one', async () => {
    const { db, editor } = freshApp({ demo: true });
    const sources = count(db, 'sources');
    const single = await editor.post(`/api/incidents/${EVENING_SLUG}/claims`).send({ new_source_name: 'Local clinic', facet: 'x', text: 'x' }).expect(400);
    assert.deepEqual(single.body.error.issues, [{ path: 'new_source_kind', message: "Choose the new source's kind (government, military, armed group, media, NGO, individual, other)" }]);
    const batch = await editor.post(`/api/incidents/${EVENING_SLUG}/claims/batch`).send({ claims: [{ new_source_name: 'Local clinic', facet: 'x', text: 'x' }] }).expect(400);
    assert.deepEqual(batch.body.error.issues.map((issue: { path: string }) => issue.path), ['claims.0.new_source_kind']);
    // An existing source, by id or by its name, needs no kind: it has its own.
    await editor.post(`/api/incidents/${EVENING_SLUG}/claims`).send({ source_id: 1, facet: 'x', text: 'x' }).expect(201);
    await editor.post(`/api/incidents/${EVENING_SLUG}/claims`).send({ new_source_name: 'iswnews', facet: 'y', text: 'y' }).expect(201);
    assert.equal(count(db, 'sources'), sources);
  });
});

describe('the incident date (item 5c)', () => {
  it('is a text field whose hint gives an example the field and the server both take', async () => {
    const { db, editor } = freshApp();
    const $ = page((await editor.get(urls.newIncident()).expect(200)).text);
    const field = $('input[name="occurred_on"]');
    // A date control shows the browser's own format (03/24/2023), which no written hint can match.
    assert.equal(field.attr('type'), 'text');
    const hint = textOf($, '#occurred_on-hint');
    const example = /\d{4}-\d{2}-\d{2}/.exec(hint)?.[0];
    assert.ok(example, hint);
    assert.match(hint, /24 March 2023/, 'the example read out, so day and month cannot be mistaken');
    assert.match(example, new RegExp(`^(?:${field.attr('pattern')})$`));
    await editor.post(urls.createIncident()).type('form').send({ title: 'Dated', occurred_on: example }).expect(303);
    assert.equal(db.prepare("SELECT occurred_on FROM incidents WHERE title = 'Dated'").pluck().get(), example);
  });
});

describe('refused forms speak plainly (item 5d)', () => {
  it('the judgement form: the friendly summary, not the validator’s text', async () => {
    const { editor } = freshApp({ demo: true });
    const refused = page((await editor.post(urls.judgements({ slug: EVENING_SLUG }, { a: 1, b: 7 })).type('form').send({ a: '1', b: '7', relation: 'agree', reason: '' }).expect(400)).text);
    assert.equal(textOf(refused, '.problem h2'), 'Nothing was saved');
    assert.equal(refused('.problem a[href="#reason"]').text(), 'Reason is required');
    assert.doesNotMatch(textOf(refused, 'main'), /Invalid relation/);
    assert.equal(fieldError(refused, 'reason'), 'Reason is required');
  });

  it('the setup form: the friendly summary, not the validator’s text', async () => {
    const { app, db } = freshApp();
    const token = createSetupToken(db);
    const agent = request.agent(app);
    const form = page((await agent.get(urls.setup(token)).expect(200)).text);
    assert.equal(form('main form').attr('action'), urls.setup(token), 'a refused form’s address still holds the link');
    const csrf = form('input[name="_csrf"]').attr('value')!;
    const refused = page((await agent.post(urls.setup(token)).type('form').send({ _csrf: csrf, token, name: '', password: 'short' }).expect(400)).text);
    assert.equal(textOf(refused, '.problem h2'), 'Nothing was saved');
    assert.deepEqual(refused('.problem li a').map((_, link) => `${refused(link).attr('href')} ${refused(link).text()}`).get(), [
      '#name Name is required',
      '#password Password must be at least 12 characters',
    ]);
    assert.doesNotMatch(textOf(refused, 'main'), /Invalid setup/);
    await agent.get(urls.setup(token)).expect(200);
  });
});

describe('destructive buttons (item 5e)', () => {
  it('stand apart from Cancel, on confirm pages and beside forms', async () => {
    const { editor } = freshApp({ demo: true });
    const confirm = page((await editor.get(urls.claimDelete({ id: 1 })).expect(200)).text);
    const actions = confirm('form.confirm .form-actions');
    assert.equal(actions.find('button.danger').text(), 'Delete');
    assert.ok(actions.find('a.cancel').hasClass('apart'), 'Cancel set apart from Delete');
    const edit = page((await editor.get(urls.claimEdit({ id: 1 })).expect(200)).text);
    assert.ok(edit('.form-actions a.danger-link').hasClass('apart'));
    const css = fs.readFileSync(path.join(import.meta.dirname, '..', 'public', 'style.css'), 'utf8');
    const rule = /\.form-actions \.apart \{[^}]*margin-inline-start: (\d+(?:\.\d+)?)rem/.exec(css);
    assert.ok(rule && Number(rule[1]) >= 2, 'at least 2rem between them');
  });
});

describe('after setup (item 5f)', () => {
  it('lands on a page that says what to do next', async () => {
    const { app, db } = freshApp();
    const token = createSetupToken(db);
    const agent = request.agent(app);
    const csrf = page((await agent.get(urls.setup(token))).text)('input[name="_csrf"]').attr('value')!;
    const done = await agent.post(urls.setup(token)).type('form').send({ _csrf: csrf, token, name: 'Ada', password: 'a long enough password' }).expect(303);
    assert.equal(done.headers.location, urls.setup());
    const $ = page((await agent.get(done.headers.location!).expect(200)).text);
    assert.equal(textOf($, 'h1'), 'Claimgrid is set up');
    const next = $('ol.next-steps a').map((_, link) => $(link).attr('href')).get();
    assert.deepEqual(next, [urls.newIncident(), urls.adminUsers(), urls.home()]);
    // To anyone else, the used link is dead as before.
    await request(app).get(urls.setup(token)).expect(404);
  });
});

describe('provenance at a glance (item 6)', () => {
  it('the `domain` filter: the host a reader names, as the URL parser gives it', () => {
    const cases: [address: unknown, domain: string][] = [
      ['https://www.centcom.mil/MEDIA/PRESS-RELEASES/', 'centcom.mil'],
      ['https://t.me/resistance_channel/1234', 't.me'],
      ['http://WWW.Example.org:8080/x', 'example.org'],
      ['https://www2.example.org/', 'www2.example.org'],
      ['https://wwwexample.org/', 'wwwexample.org'],
      ['https://www.www.example.org/', 'www.example.org'],
      ['https://сайт.рф/', 'xn--80aswg.xn--p1ai'],
      ['https://xn--pple-43d.com/', 'xn--pple-43d.com'],
      ['not a url', ''],
      [null, ''],
      [undefined, ''],
    ];
    for (const [address, domain] of cases) assert.equal(domainOf(address), domain, String(address));
  });

  it('claim, source, document and compare pages show the site, with the archive beside it', async () => {
    const { editor } = freshApp();
    const { incident, english } = await twoScripts(editor);
    const claim = page((await editor.get(urls.claim(english)).expect(200)).text);
    assert.equal(textOf(claim, '.links a.domain'), 'centcom.mil');
    assert.equal(claim('.links a.domain').attr('href'), 'https://www.centcom.mil/MEDIA/PRESS-RELEASES/Article/3339');
    assert.equal(textOf(claim, '.links a.archive'), 'archive (archive.ph)');

    const source = await post(editor, '/api/sources', { name: 'Channel', kind: 'media', url: 'https://t.me/s/channel' });
    const sourcePage = page((await editor.get(urls.source(source)).expect(200)).text);
    assert.equal(textOf(sourcePage, 'dl.facts a.domain'), 't.me');
    const centcomPage = page((await editor.get(urls.source({ id: 1 })).expect(200)).text);
    assert.equal(textOf(centcomPage, 'td.links'), 'centcom.mil · archive (archive.ph)');

    const stored = (await editor.post(`/api/incidents/${incident.id}/documents`).send({
      text: 'CENTCOM said at least eight rockets were fired.', title: 'Statement', url: 'https://www.centcom.mil/statement', archive_url: 'https://web.archive.org/web/2023/x',
    }).expect(201)).body.document;
    for (const address of [urls.document(incident, stored), urls.documentReview(incident, stored)]) {
      const $ = page((await editor.get(address).expect(200)).text);
      assert.equal(textOf($, '.meta a.domain'), 'centcom.mil', address);
      assert.equal(textOf($, '.meta a.archive'), 'archive (web.archive.org)', address);
    }
  });
});

describe('pair links and judging (item 7, in part)', () => {
  it('read “Compare wording…” wherever a reader meets them', async () => {
    const { app } = freshApp({ demo: true });
    const pairLinks: string[] = [];
    for (const address of [urls.incident({ slug: EVENING_SLUG }), urls.incidentPairs({ slug: EVENING_SLUG }, 'bases targeted')]) {
      const $ = page((await request(app).get(address).expect(200)).text);
      $('a[href*="/compare?"]').each((_, link) => {
        pairLinks.push($(link).text());
      });
    }
    assert.ok(pairLinks.length >= 2);
    assert.deepEqual([...new Set(pairLinks)], ['Compare wording…']);
  });

  it('tell an anonymous reader on the compare page to sign in to judge the pair, and a viewer that it needs an editor', async () => {
    const { app, signIn } = freshApp({ demo: true });
    const compare = urls.compare({ slug: EVENING_SLUG }, { a: 1, b: 7 });
    const anonymous = page((await request(app).get(compare).expect(200)).text);
    assert.equal(anonymous('form.override-form').length, 0);
    const link = anonymous('.judge-hint a');
    assert.equal(link.text(), 'Sign in to judge this pair');
    assert.equal(link.attr('href'), urls.login(compare));
    const viewer = page((await signIn('viewer').agent.get(compare).expect(200)).text);
    assert.match(textOf(viewer, '.judge-hint'), /needs an editor account/);
  });
});
