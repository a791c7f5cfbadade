import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type TestAgent from 'supertest/lib/agent.js';
import { MATCH_END, MATCH_START, RANK_WINDOW, runSearch, SCAN_WINDOW } from '../src/db/search.js';
import { parseSearch } from '../src/db/search-query.js';
import { migrate, openDatabase, readMigrations } from '../src/db/database.js';
import { EVENING_SLUG, freshApp, page, textOf } from './helpers.js';

/** The titles of a search page's results in one group, as a reader sees them. */
function hitsOf(html: string, group: string): string[] {
  const $ = page(html);
  return $(`section.hits-${group} li.hit .hit-head`).map((_, element) => $(element).text().replace(/\s+/g, ' ').trim()).get();
}

async function searchPage(agent: TestAgent, query: string, status = 200): Promise<string> {
  return (await agent.get(`/search?${query}`).expect(status)).text;
}

describe('search: what it finds', () => {
  it('finds claims by statement, quotation, value and facet; incidents by title, place and summary; sources by name and affiliation; documents by text', async () => {
    const { editor } = freshApp({ demo: true });
    const cases: [query: string, group: string, expected: RegExp][] = [
      ['q=women+children', 'claims', /civilians injured: four/], // statement
      ['q=%22any+damage+or+casualties%22', 'claims', /damage: none/], // quotation (a phrase)
      ['q=%22at+least+eight%22', 'claims', /rockets fired: at least eight/], // value
      ['q=perpetrator', 'claims', /perpetrator/], // facet
      ['q=Green+Village', 'incidents', /Morning rocket attack on the Green Village compound/], // title
      ['q=Deir+Ezzor', 'incidents', /US airstrikes on Iran-backed groups in Deir Ezzor/],
      ['q=al-Omar', 'incidents', /Green Village/], // location
      ['q=CENTCOM', 'sources', /US Central Command \(CENTCOM\)/], // name
      ['q=Qatar', 'sources', /Al Jazeera/], // affiliation
      ['q=Islamic+World+News', 'sources', /ISWNews/], // notes
      ['q=Conoco', 'documents', /./], // the article's text
    ];
    // A summary's excerpt is read as text: its Markdown's emphasis is not shown as asterisks.
    const $ = page(await searchPage(editor, 'q=Shadadi'));
    assert.match(textOf($, 'section.hits-incidents .hit-text'), /Late on 24 March 2023, US positions/);
    for (const [query, group, expected] of cases) {
      const hits = hitsOf(await searchPage(editor, query), group);
      assert.ok(hits.some((hit) => expected.test(hit)), `${query} should find ${expected} among ${group}: ${JSON.stringify(hits)}`);
    }
  });

  it('reads words as words: stems ("rocket" finds "rockets"), folds case and diacritics, and finds Arabic', async () => {
    const { editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'وكالة الأنباء', kind: 'media' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Strike near Dayr al-Zawr' }).expect(201)).body;
    await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet: 'صواريخ', text: 'أُطلقت عشرة صواريخ على القاعدة', value: 'عشرة' }).expect(201);
    await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet: 'rockets fired', text: 'Rockets were fired at the Égypte base', value: 'ten' }).expect(201);
    for (const query of ['rocket', 'ROCKETS', 'fire', 'egypte', 'صواريخ', 'عشرة', 'rock*']) {
      const { body } = await editor.get(`/api/search?q=${encodeURIComponent(query)}&type=claims`).expect(200);
      assert.ok(body.results.claims.total >= 1, `${query} finds a claim`);
    }
    const { body } = await editor.get('/api/search?q=Zawr').expect(200);
    assert.equal(body.results.incidents.total, 1);
  });

  it('marks the matched words, and escapes everything else', async () => {
    const { editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Mallory', kind: 'individual' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Escaping' }).expect(201)).body;
    await editor
      .post(`/api/incidents/${incident.id}/claims`)
      .send({ source_id: source.id, facet: 'rockets <b>fired</b>', text: '<script>alert(1)</script> twelve rockets <img src=x onerror=alert(2)>' })
      .expect(201);
    const html = await searchPage(editor, 'q=rockets');
    assert.ok(!html.includes('<script>alert(1)'), 'no markup from the data');
    assert.ok(!html.includes('<img src=x'), 'no markup from the data');
    const $ = page(html);
    assert.deepEqual($('section.hits-claims mark.match').map((_, mark) => $(mark).text()).get(), ['rockets', 'rockets']);
    assert.match(textOf($, 'section.hits-claims .hit-text'), /<script>alert\(1\)<\/script> twelve rockets <img/);

    const { body } = await editor.get('/api/search?q=rockets').expect(200);
    const hit = body.results.claims.hits[0];
    assert.equal(hit.text, '<script>alert(1)</script> twelve rockets <img src=x onerror=alert(2)>', 'JSON gives the plain text');
    assert.deepEqual(hit.marked.text.filter((run: { match: boolean }) => run.match).map((run: { text: string }) => run.text), ['rockets']);
  });

  it('keeps every word of a text that holds the private characters the marks are made of', async () => {
    const { editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Wire', kind: 'media' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Private use' }).expect(201)).body;
    const text = 'A quokka \uE000fake\uE001 said, and at the end \uE001tail\uE000 more\uE001.';
    await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet: 'animals', text }).expect(201);
    const hit = (await editor.get('/api/search?q=quokka&type=claims').expect(200)).body.results.claims.hits[0];
    assert.equal(hit.text, text);
    assert.deepEqual(hit.marked.text.filter((run: { match: boolean }) => run.match).map((run: { text: string }) => run.text), ['quokka']);
  });

  it('reads a date range as dates in UTC, as the results show them', async () => {
    const { editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Wire', kind: 'media' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Zones' }).expect(201)).body;
    // 10:00 on the 24th at +14:00 is 20:00 on the 23rd in UTC.
    await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet: 'kiribati', text: 'Kiribati time.', published_at: '2023-03-24T10:00+14:00' }).expect(201);
    const count = async (range: string) => (await editor.get(`/api/search?q=kiribati&type=claims&${range}`).expect(200)).body.results.claims.total;
    assert.equal(await count('from=2023-03-24&to=2023-03-24'), 0);
    assert.equal(await count('from=2023-03-23&to=2023-03-23'), 1);
  });

  it('ranks the closer match first: a facet named for the word before a statement that mentions it once', async () => {
    const { editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Reporter', kind: 'media' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Ranking' }).expect(201)).body;
    const post = (facet: string, text: string) => editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet, text }).expect(201);
    await post('time of attack', 'A long statement about many things, among them, in passing, drones, and much else besides that matters.');
    await post('drones launched', 'Drones were launched.');
    const { body } = await editor.get('/api/search?q=drones&type=claims').expect(200);
    assert.deepEqual(body.results.claims.hits.map((hit: { facet: string }) => hit.facet), ['drones launched', 'time of attack']);
  });
});

describe('search: always the current data', () => {
  it('forgets a deleted claim at once, finds an edit’s new words and not its old ones, and finds a restored claim again', async () => {
    const { editor, signIn } = freshApp();
    const count = async (q: string) => (await editor.get(`/api/search?q=${encodeURIComponent(q)}&type=claims`).expect(200)).body.results.claims.total as number;
    const source = (await editor.post('/api/sources').send({ name: 'Wire', kind: 'media' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Edits' }).expect(201)).body;
    const claim = (await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet: 'shells', text: 'A zebra crossing was shelled.' }).expect(201)).body;
    assert.equal(await count('zebra'), 1);

    await editor.patch(`/api/claims/${claim.id}`).send({ text: 'A barrage of howitzer shells was fired.', version: claim.version }).expect(200);
    assert.equal(await count('howitzer'), 1);
    assert.equal(await count('zebra'), 0, 'the old words are gone');

    await editor.delete(`/api/claims/${claim.id}`).expect(204);
    assert.equal(await count('howitzer'), 0);

    await signIn('admin').agent.post(`/api/claims/${claim.id}/restore`).send({}).expect(200);
    assert.equal(await count('howitzer'), 1);
  });

  it('leaves out a deleted incident with its claims and documents, and brings them back when it is restored', async () => {
    const { editor, signIn } = freshApp({ demo: true });
    const incident = (await editor.get('/api/incidents').expect(200)).body.incidents.find((row: { slug: string }) => row.slug === EVENING_SLUG);
    const totals = async () => {
      const { results } = (await editor.get('/api/search?q=eight').expect(200)).body;
      return [results.incidents.total, results.claims.total] as const;
    };
    const before = await totals();
    assert.ok(before[1] > 0);
    await editor.delete(`/api/incidents/${incident.id}`).expect(204);
    assert.deepEqual(await totals(), [0, 0]);
    assert.equal((await editor.get('/api/search?q=Evening&type=incidents').expect(200)).body.results.incidents.total, 0);
    await signIn('admin').agent.post(`/api/incidents/${incident.id}/restore`).send({}).expect(200);
    assert.deepEqual(await totals(), before);
  });

  it('finds a renamed source by its new name only', async () => {
    const { editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Old Name Agency', kind: 'media' }).expect(201)).body;
    await editor.patch(`/api/sources/${source.id}`).send({ name: 'Fresh Title Press', version: source.version }).expect(200);
    assert.equal((await editor.get('/api/search?q=Agency').expect(200)).body.results.sources.total, 0);
    assert.equal((await editor.get('/api/search?q=Fresh').expect(200)).body.results.sources.total, 1);
  });

  it('indexes what an existing database already holds when it is upgraded, deleted claims and incidents left out', () => {
    const db = openDatabase(':memory:');
    migrate(db, readMigrations().filter((migration) => migration.version < 15));
    const now = '2023-03-24T00:00:00Z';
    db.prepare("INSERT INTO sources (id, name, name_key, kind, created_at, updated_at) VALUES (1, 'Old Wire', 'old wire', 'media', ?, ?)").run(now, now);
    db.prepare("INSERT INTO incidents (id, slug, title, created_at, updated_at) VALUES (1, 'kept', 'Kept incident', ?, ?), (2, 'gone', 'Gone incident', ?, ?)").run(now, now, now, now);
    db.prepare("UPDATE incidents SET deleted_at = ? WHERE id = 2").run(now);
    const claim = db.prepare("INSERT INTO claims (incident_id, source_id, facet, facet_key, text, created_at, updated_at, deleted_at) VALUES (?, 1, 'mortars', 'mortars', ?, ?, ?, ?)");
    claim.run(1, 'Mortars hit the kept base.', now, now, null);
    claim.run(1, 'Mortars hit, said a deleted claim.', now, now, now);
    claim.run(2, 'Mortars hit the gone base.', now, now, null);
    migrate(db);
    const results = runSearch(db, { match: parseSearch('mortars').match, filters: {}, pages: { claims: { limit: 10, offset: 0 }, incidents: { limit: 10, offset: 0 } }, engine: '0' });
    assert.deepEqual(results.claims!.hits.map((hit) => hit.text), [`${MATCH_START}Mortars${MATCH_END} hit the kept base.`]);
    assert.equal(runSearch(db, { match: parseSearch('incident').match, filters: {}, pages: { incidents: { limit: 10, offset: 0 } }, engine: '0' }).incidents!.total, 1);
  });

  it('answers from its own thread on a database file, and sees each write as soon as it is answered', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-search-'));
    const db = openDatabase(path.join(dir, 'search.sqlite'));
    try {
      const { editor } = freshApp({ db, demo: true });
      const { body } = await editor.get('/api/search?q=CENTCOM').expect(200);
      assert.equal(body.results.sources.total, 1);
      const source = (await editor.post('/api/sources').send({ name: 'Brand New Monitor', kind: 'NGO' }).expect(201)).body;
      assert.equal((await editor.get('/api/search?q=Monitor').expect(200)).body.results.sources.hits[0].id, source.id);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('search: filters, groups and pages', () => {
  const WORDS = 'q=rockets OR drones OR bases';

  it('narrows claims by source, kind, affiliation, facet status and dates, and the filters combine', async () => {
    const { db, editor } = freshApp({ demo: true });
    const centcom = db.prepare("SELECT id FROM sources WHERE name LIKE 'US Central Command%'").pluck().get() as number;
    type Hit = { source_name: string; facet_status: string; published_at: string | null };
    const claims = async (filters: string) => {
      const { body } = await editor.get(`/api/search?type=claims&${WORDS}&${filters}`).expect(200);
      return body.results.claims as { total: number; hits: Hit[] };
    };
    const all = await claims('');
    const kinds = new Map(db.prepare('SELECT name, kind FROM sources').all().map((row) => [(row as { name: string }).name, (row as { kind: string }).kind]));
    const expectOnly = (rule: (hit: Hit) => boolean) => all.hits.filter(rule).length;
    assert.equal(all.hits.length, all.total, 'every match on one page, to count the filters against');

    const bySource = await claims(`source=${centcom}`);
    assert.ok(bySource.total > 0 && bySource.hits.every((hit) => hit.source_name.startsWith('US Central Command')));
    const byKind = await claims('kind=military');
    assert.equal(byKind.total, expectOnly((hit) => kinds.get(hit.source_name) === 'military'));
    const byAffiliation = await claims('affiliation=us+GOVERNMENT');
    assert.ok(byAffiliation.total >= byKind.total, 'affiliation matches whatever the case');
    const contradicted = await claims('status=contradict');
    assert.equal(contradicted.total, expectOnly((hit) => hit.facet_status === 'contradict'));
    assert.ok(contradicted.total > 0);
    const dated = await claims('from=2023-03-24&to=2023-03-24');
    assert.equal(dated.total, expectOnly((hit) => hit.published_at?.startsWith('2023-03-24') === true), 'undated claims are left out of a date range');

    const combined = await claims('kind=military&status=contradict&from=2023-03-24');
    const both = (hit: Hit) => kinds.get(hit.source_name) === 'military' && hit.facet_status === 'contradict' && (hit.published_at ?? '') >= '2023-03-24';
    assert.equal(combined.total, expectOnly(both));
    assert.ok(combined.total > 0 && combined.total < all.total);
  });

  it('knows each claim’s facet status right after a write, without the list of incidents being asked for first', async () => {
    const { editor } = freshApp({ demo: true });
    const contradicted = async () => (await editor.get('/api/search?type=claims&q=rockets OR drones OR bases OR damage&status=contradict').expect(200)).body.results.claims;
    const before = await contradicted();
    assert.ok(before.total > 0);
    const claim = (await editor.get(`/api/claims/${before.hits[0].id}`).expect(200)).body;
    await editor.patch(`/api/claims/${claim.id}`).send({ text: `${claim.text} (edited)`, version: claim.version }).expect(200);
    const after = await contradicted();
    assert.equal(after.total, before.total);
    const { body } = await editor.get('/api/search?type=claims&q=rockets').expect(200);
    assert.ok(body.results.claims.hits.every((hit: { facet_status: string | null }) => hit.facet_status !== null), 'every hit shows its facet’s status');
    assert.equal(body.statuses_counting, 0);
  });

  it('leaves out the groups a filter cannot narrow, and says so', async () => {
    const { editor } = freshApp({ demo: true });
    const { body } = await editor.get('/api/search?q=rockets&status=contradict').expect(200);
    assert.deepEqual(Object.keys(body.results), ['claims']);
    assert.deepEqual(body.groups_left_out, ['incidents', 'sources', 'documents']);
    const $ = page(await searchPage(editor, 'q=rockets&kind=military'));
    assert.match(textOf($, '.search-results'), /Not searched, because a filter does not apply to them: incidents\./);
    assert.equal($('#kind option[selected]').attr('value'), 'military', 'the filter stays set in the form');
  });

  it('shows a few of each group, links to all of one group, and pages through it with the filters kept', async () => {
    const { editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Wire', kind: 'media' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Many claims' }).expect(201)).body;
    const claims = Array.from({ length: 45 }, (_, n) => ({ source_id: source.id, facet: `salvo ${n}`, text: `Salvo number ${n} of rockets.`, published_at: '2023-03-24' }));
    await editor.post(`/api/incidents/${incident.id}/claims/batch`).send({ claims }).expect(201);

    const $ = page(await searchPage(editor, 'q=salvo&kind=media'));
    assert.equal($('section.hits-claims li.hit').length, 10);
    assert.match(textOf($, 'section.hits-claims h2'), /Claims \(45\)/);
    const more = $('section.hits-claims .more a').attr('href')!;
    assert.equal(more, '/search?q=salvo&type=claims&kind=media');

    const second = page(await searchPage(editor, 'q=salvo&type=claims&kind=media&page=2'));
    assert.equal(second('li.hit').length, 20);
    assert.match(textOf(second, 'nav.pager'), /Page 2 of 3/);
    assert.equal(second('nav.pager a[rel=next]').attr('href'), '/search?q=salvo&type=claims&kind=media&page=3');
    await editor.get('/search?q=salvo&type=claims&page=4').expect(404);
  });

  it('past RANK_WINDOW matches ranks the newest and says so; with filters looks back a while and says how far', async () => {
    const { db, editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Wire', kind: 'media' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'A flood of claims' }).expect(201)).body;
    const insert = db.prepare(`INSERT INTO claims (incident_id, source_id, facet, facet_key, text, created_at, updated_at) VALUES (?, ?, 'salvo', 'salvo', ?, '2023-03-24', '2023-03-24')`);
    db.transaction(() => {
      for (let n = 0; n <= RANK_WINDOW; n++) insert.run(incident.id, source.id, n === 0 ? 'The oldest salvo salvo salvo.' : `Salvo ${n}.`);
    })();
    const all = (await editor.get('/api/search?q=salvo&type=claims').expect(200)).body.results.claims;
    assert.equal(all.total, RANK_WINDOW + 1);
    assert.equal(all.ranked_among, RANK_WINDOW);
    assert.ok(!all.hits.some((hit: { text: string }) => hit.text.includes('oldest')), 'the oldest match, best by bm25, is outside the window');
    const $all = page(await searchPage(editor, 'q=salvo'));
    assert.match(textOf($all, 'section.hits-claims'), /More than 20,000 match: the newest 20,000 are ranked/);
    // Filtered, matches are looked at newest first for a while; the answer says how far back it looked.
    const filtered = (await editor.get('/api/search?q=salvo&type=claims&kind=media').expect(200)).body.results.claims;
    assert.equal(filtered.more, true);
    assert.ok(filtered.scanned >= SCAN_WINDOW && filtered.scanned <= RANK_WINDOW && filtered.total === filtered.scanned, JSON.stringify(filtered));
    const $ = page(await searchPage(editor, 'q=salvo&kind=media'));
    assert.match(textOf($, 'section.hits-claims h2'), /Claims \([\d,]+ or more\)/);
    assert.match(textOf($, 'section.hits-claims'), /Found among the newest [\d,]+ claims with these words/);
  });

  it('is in the header of every page, and a search is a link to share', async () => {
    const { editor } = freshApp({ demo: true });
    for (const url of ['/', '/sources', `/incidents/${EVENING_SLUG}`]) {
      const $ = page((await editor.get(url).expect(200)).text);
      assert.equal($('header form[role=search]').attr('action'), '/search');
      assert.equal($('header form[role=search] input[type=search]').attr('name'), 'q');
    }
  });
});

describe('search: hostile and mistaken queries', () => {
  it('answers a query that cannot mean anything with a message beside the box, never a 500', async () => {
    const { editor } = freshApp({ demo: true });
    const cases: [string, RegExp][] = [
      ['AND', /"AND" needs a word before it/],
      ['rockets OR', /"OR" needs a word after it/],
      ['"Green Village', /quotation mark is not closed/],
      ['-drones', /not only what to leave out/],
      ['rockets OR -drones', /not one to leave out/],
      ['a*', /at least two letters/],
      ['!!! ()', /Type a word/],
    ];
    for (const [q, message] of cases) {
      const $ = page(await searchPage(editor, `q=${encodeURIComponent(q)}`, 400));
      assert.match(textOf($, '#q-error'), message, q);
      assert.equal($('#q').attr('value'), q, 'what was typed is kept');
      const { body } = await editor.get(`/api/search?q=${encodeURIComponent(q)}`).expect(400);
      assert.equal(body.error.issues[0].path, 'q');
    }
  });

  it('reads FTS5 syntax typed into the box as words, not as operators', async () => {
    const { editor } = freshApp({ demo: true });
    for (const q of ['rock\u0000ets', '\u0000rockets', '"rock\u0000"', 'rockets\u0000*', 'NEAR(rockets drones)', 'facet:rockets', '^rockets', 'rockets + drones', '{text quote}: ten', 'rockets "" drones']) {
      await editor.get(`/search?q=${encodeURIComponent(q)}`).expect(200);
    }
    assert.equal(parseSearch('NEAR(rockets drones)').match, '("NEAR(rockets" AND "drones)")');
    assert.equal(parseSearch('"Green Village" OR rock* -drones NOT ten').match, '((("Green Village") OR ("rock" *)) NOT "drones") NOT "ten"');
  });

  it('never answers 5xx, whatever the query string (property)', async () => {
    const { editor } = freshApp({ demo: true });
    const word = fc.constantFrom('rockets', 'AND', 'OR', 'NOT', '"', '*', '-', '(', ')', 'NEAR', ':', '^', '+', 'ten', 'صواريخ', '\u0000', '\uE000', '%', '\\');
    // 'binary': any code point, control characters and lone surrogates included; words glued together as well as spaced.
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.array(word, { maxLength: 8 }).chain((words) => fc.constantFrom(words.join(' '), words.join(''))),
    );
    const query = fc.record(
      {
        q: text,
        type: fc.oneof(fc.constantFrom('all', 'claims', 'sources', 'incidents', 'documents'), fc.string({ maxLength: 8 })),
        page: fc.oneof(fc.integer({ min: -2, max: 5 }).map(String), fc.string({ maxLength: 4 })),
        status: fc.oneof(fc.constantFrom('contradict', 'agree'), fc.string({ maxLength: 6 })),
        from: fc.oneof(fc.constantFrom('2023-03-24', '2023-02-30'), fc.string({ maxLength: 10 })),
        source: fc.oneof(fc.integer().map(String), fc.string({ maxLength: 4 })),
      },
      { requiredKeys: ['q'] },
    );
    await fc.assert(
      fc.asyncProperty(query, fc.boolean(), async (fields, json) => {
        const search = new URLSearchParams(fields as Record<string, string>).toString();
        const response = await editor.get(`${json ? '/api/search' : '/search'}?${search}`);
        assert.ok(response.status < 500, `${response.status} for ${search}: ${response.text.slice(0, 300)}`);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a bad filter by name, and nothing matching is not an error', async () => {
    const { editor } = freshApp({ demo: true });
    for (const [query, field] of [['from=yesterday', 'from'], ['from=2023-02-30', 'from'], ['to=2023-13-45', 'to'], ['source=0x1', 'source'], ['source=1e3', 'source'], ['status=bogus', 'status'], ['kind=spy', 'kind'], ['from=2023-03-25&to=2023-03-24', 'to'], ['source=abc', 'source'], ['type=people', 'type']]) {
      const { body } = await editor.get(`/api/search?q=rockets&${query}`).expect(400);
      assert.deepEqual(body.error.issues.map((issue: { path: string }) => issue.path), [field], query);
    }
    const $ = page(await searchPage(editor, 'q=zeppelin'));
    assert.match(textOf($, '.search-results'), /Nothing matches zeppelin/);
  });
});
