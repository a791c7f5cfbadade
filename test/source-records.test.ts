/**
 * A source's track record (/sources/:id) and the source × source agreement matrix
 * (/sources/agreement, its CSV and JSON): what a reader sees, kept true to the data through writes,
 * deletes and source edits. Driven through the pages and the API, as a user would.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { CheerioAPI } from 'cheerio';
import request from 'supertest';
import { EVENING_SLUG, freshApp, page, textOf } from './helpers.js';

type App = ReturnType<typeof freshApp>;

const MILITARY_OFFICIAL = 'US military official (unnamed)';
const US_OFFICIAL = 'US official (unnamed)';

async function sourceIds(app: App): Promise<Map<string, number>> {
  const { body } = await request(app.app).get('/api/sources').expect(200);
  return new Map(body.sources.map((source: { name: string; id: number }) => [source.name, source.id]));
}

/** The facts of a source's track record as shown: label → text. */
function recordOf($: CheerioAPI): Map<string, string> {
  const facts = new Map<string, string>();
  $('.track-record dl dt').each((_, dt) => {
    facts.set($(dt).text().trim(), $(dt).next('dd').text().replace(/\s+/g, ' ').trim());
  });
  return facts;
}

/** The rows of "Against each other source": name → [agreed, fitted, contradicted, pairs], and the link to the other source. */
function againstOthers($: CheerioAPI): Map<string, { figures: string[]; href: string | undefined }> {
  const rows = new Map<string, { figures: string[]; href: string | undefined }>();
  $('table.against-others tbody tr').each((_, tr) => {
    const link = $(tr).find('td').first().find('a');
    rows.set(link.text().trim(), { figures: $(tr).find('td.num').map((_, td) => $(td).text().replace(/\D/g, '')).get(), href: link.attr('href') });
  });
  return rows;
}

/** The matrix cell of row `row` and column `column`, as its text reads (icons and hidden words aside). */
function cell($: CheerioAPI, row: string, column: string): string {
  const columns = $('table.matrix thead th').map((_, th) => $(th).text().trim()).get();
  const index = columns.indexOf(column);
  assert.notEqual(index, -1, `a column for ${column}`);
  const tr = $('table.matrix tbody tr').filter((_, tr) => $(tr).find('th').find('a').text().trim() === row);
  assert.equal(tr.length, 1, `a row for ${row}`);
  const td = tr.children().eq(index);
  return td.find('[aria-hidden]').remove().end().text().replace(/\s+/g, ' ').trim();
}

async function matrixPage(app: App, query = ''): Promise<CheerioAPI> {
  return page((await request(app.app).get(`/sources/agreement${query}`).expect(200)).text);
}

async function recordPage(app: App, id: number): Promise<CheerioAPI> {
  return page((await request(app.app).get(`/sources/${id}`).expect(200)).text);
}

describe('a source’s track record', () => {
  it('shows the demo’s US military official contradicting the others on how many bases were hit', async () => {
    const app = freshApp({ demo: true });
    const ids = await sourceIds(app);
    const $ = await recordPage(app, ids.get(MILITARY_OFFICIAL)!);
    const record = recordOf($);
    assert.equal(record.get('Claims made'), '2 in 1 incident');
    assert.equal(record.get('Current claims'), '2 (its latest on each facet it spoke on)');
    assert.equal(record.get('In a contradiction'), '✕ 1 of its 2 current claims is in a contradiction (with another source’s, or across facets)');
    assert.equal(record.get('Revised itself'), '0 times');
    assert.equal(record.get('Corroborated'), '0 of its 2 current claims backed by at least one independent voice');
    const others = againstOthers($);
    // One base against ISWNews' three (contradicted), "at least eight" rockets against its "several" (fitted).
    assert.deepEqual(others.get('ISWNews')!.figures, ['0', '1', '1', '2']);
    assert.deepEqual(others.get(US_OFFICIAL)!.figures, ['0', '0', '1', '1']);
    assert.equal(others.get('ISWNews')!.href, `/sources/${ids.get('ISWNews')}`);
    assert.ok(!others.has('US Central Command (CENTCOM)'), 'never on the same facet');

    // An outlet's record counts the claims it carried, not the claims themselves.
    const carrier = recordOf(await recordPage(app, ids.get('Al Jazeera')!));
    assert.equal(carrier.get('Claims made'), '0 in 0 incidents');
    assert.match(carrier.get('Carried as an outlet')!, /^[1-9]\d* claims? of other sources$/);
  });

  it('counts a revision and how far it moved a count', async () => {
    const { app, editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Ministry', kind: 'government' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Strike' }).expect(201)).body;
    for (const [value, published_at] of [['11', '2023-03-24'], ['34', '2023-03-25'], ['110', '2023-03-26']]) {
      await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet: 'killed', text: `${value} killed.`, value, published_at }).expect(201);
    }
    const record = recordOf(page((await request(app).get(`/sources/${source.id}`).expect(200)).text));
    assert.equal(record.get('Revised itself'), '2 times: 2 changes of a count, moving it 99 in all and at most 76 at once');
    assert.equal(record.get('Current claims'), '1 (its latest on each facet it spoke on)');
  });
});

describe('the agreement matrix', () => {
  it('shows every two sources’ figures the same both ways, with a key, linked from the list of sources', async () => {
    const app = freshApp({ demo: true });
    const sources = page((await request(app.app).get('/sources').expect(200)).text);
    assert.equal(sources('main a:contains("which sources move together")').attr('href'), '/sources/agreement');
    const $ = await matrixPage(app);
    assert.equal(cell($, MILITARY_OFFICIAL, 'ISWNews'), 'agreed 0 fitted 1 contradicted 1');
    assert.equal(cell($, 'ISWNews', MILITARY_OFFICIAL), 'agreed 0 fitted 1 contradicted 1');
    assert.equal(cell($, US_OFFICIAL, 'ISWNews'), 'agreed 1 fitted 0 contradicted 0 could not be weighed 1');
    assert.equal(cell($, 'ISWNews', 'US Central Command (CENTCOM)'), 'agreed 0 fitted 0 contradicted 0 could not be weighed 1', 'two places named differently');
    assert.equal(cell($, MILITARY_OFFICIAL, 'US Central Command (CENTCOM)'), 'never on the same facet');
    assert.equal(cell($, 'ISWNews', 'ISWNews'), 'itself');
    assert.match(textOf($, '.agreement-key'), /agreed: the same value.*fitted: values that can both be true.*contradicted: values that cannot both be true.*could not be weighed/);
    assert.match(textOf($, 'main'), /across all 3 incidents/);
    // Colour only helps: every cell says its numbers.
    const mixed = $('table.matrix td.tone-mixed').first();
    assert.match(mixed.attr('title')!, /0 agreed, 1 fitted, 1 contradicted, of 2 pairs of claims/);
  });

  it('changes at once when an incident is written to, and leaves out a deleted incident’s claims', async () => {
    const app = freshApp({ demo: true });
    const ids = await sourceIds(app);
    assert.equal(cell(await matrixPage(app), MILITARY_OFFICIAL, US_OFFICIAL), 'agreed 0 fitted 0 contradicted 1');
    await app.editor
      .post(`/api/incidents/${EVENING_SLUG}/claims`)
      .send({ source_id: ids.get(US_OFFICIAL), facet: 'Rockets fired', text: 'At least eight rockets.', value: 'at least eight' })
      .expect(201);
    assert.equal(cell(await matrixPage(app), MILITARY_OFFICIAL, US_OFFICIAL), 'agreed 1 fitted 0 contradicted 1');
    assert.deepEqual(againstOthers(await recordPage(app, ids.get(MILITARY_OFFICIAL)!)).get(US_OFFICIAL)!.figures, ['1', '0', '1', '2']);

    await app.editor.delete(`/api/incidents/${EVENING_SLUG}`).expect(204);
    const $ = await matrixPage(app);
    assert.equal($('table.matrix tbody th').filter((_, th) => $(th).find('a').text().trim() === MILITARY_OFFICIAL).length, 0, 'its only incident is deleted');
    assert.match(textOf($, 'main'), /across all 2 incidents/);
    assert.equal(textOf(await recordPage(app, ids.get(MILITARY_OFFICIAL)!), '.track-record .empty'), 'No claims in an incident counted so far.');

    const admin = app.signIn('admin').agent;
    const incident = app.db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    await admin.post(`/api/incidents/${incident}/restore`).send({}).expect(200);
    assert.equal(cell(await matrixPage(app), MILITARY_OFFICIAL, US_OFFICIAL), 'agreed 1 fitted 0 contradicted 1');
  });

  it('counts corroboration again when a source’s affiliation changes whom it is independent of', async () => {
    const app = freshApp({ demo: true });
    const ids = await sourceIds(app);
    // ISWNews' three bases are backed by the US official, of another affiliation.
    assert.match(recordOf(await recordPage(app, ids.get('ISWNews')!)).get('Corroborated')!, /^1 of its/);
    const official = (await app.editor.get(`/api/sources/${ids.get(US_OFFICIAL)}`).expect(200)).body;
    await app.editor.patch(`/api/sources/${official.id}`).set('If-Match', `"${official.version}"`).send({ affiliation: 'Iran-aligned' }).expect(200);
    assert.match(recordOf(await recordPage(app, ids.get('ISWNews')!)).get('Corroborated')!, /^0 of its/, 'one affiliation is one voice');
  });

  it('keeps the tallies in the database with the summaries, and forgets an incident’s with any write to it', async () => {
    const app = freshApp({ demo: true });
    await matrixPage(app);
    const incident = app.db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    const rows = (table: string) => app.db.prepare(`SELECT count(*) FROM ${table} WHERE incident_id = ?`).pluck().get(incident) as number;
    assert.equal(rows('tallied_incidents'), 1);
    assert.ok(rows('source_pair_tallies') > 0 && rows('source_tallies') > 0 && rows('facet_statuses') > 0);
    assert.equal(rows('incident_summaries'), 1);
    const statuses = app.db.prepare('SELECT facet_key, status FROM facet_statuses WHERE incident_id = ? ORDER BY facet_key').all(incident);
    assert.deepEqual(statuses.find((row) => (row as { facet_key: string }).facet_key === 'bases targeted'), { facet_key: 'bases targeted', status: 'contradict' });

    await app.editor.patch(`/api/incidents/${incident}`).set('If-Match', '"1"').send({ location: 'Deir Ezzor province' }).expect(200);
    assert.equal(rows('tallied_incidents'), 0, 'forgotten inside the write');
    assert.equal(rows('facet_statuses'), 0);
    // The incident's page keeps its comparison in memory only; the matrix stores its tallies from it.
    await request(app.app).get(`/incidents/${EVENING_SLUG}`).expect(200);
    assert.equal(rows('tallied_incidents'), 0);
    await matrixPage(app);
    assert.equal(rows('tallied_incidents'), 1, 'made again when next needed');
  });

  it('counts an incident of many sources, its tallies stored a piece at a time, and replaces them after a write', async () => {
    const app = freshApp();
    const now = '2026-01-01T00:00:00.000Z';
    const incident = Number(app.db.prepare("INSERT INTO incidents (slug, title, created_at, updated_at) VALUES ('crowd', 'Crowd', ?, ?)").run(now, now).lastInsertRowid);
    const sources = 70;
    app.db.transaction(() => {
      for (let s = 1; s <= sources; s++) {
        const id = Number(app.db.prepare('INSERT INTO sources (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)').run(`Witness ${s}`, `witness ${s}`, now, now).lastInsertRowid);
        app.db.prepare("INSERT INTO claims (incident_id, source_id, facet, facet_key, text, value, created_at, updated_at) VALUES (?, ?, 'killed', 'killed', 'Killed.', ?, ?, ?)").run(incident, id, String(s), now, now);
      }
    })();
    const pairsOf = (n: number) => (n * (n - 1)) / 2;
    let json = (await request(app.app).get('/sources/agreement.json').expect(200)).body;
    assert.equal(json.pairs.length, pairsOf(sources), 'more than one write’s worth of rows');
    assert.ok(json.pairs.every((pair: { contradict: number; pairs: number }) => pair.contradict === 1 && pair.pairs === 1));
    const stored = () => app.db.prepare('SELECT count(*) FROM source_pair_tallies WHERE incident_id = ?').pluck().get(incident);
    assert.equal(stored(), pairsOf(sources));

    const newcomer = (await app.editor.post('/api/sources').send({ name: 'Newcomer', kind: 'individual' }).expect(201)).body;
    await app.editor.post(`/api/incidents/${incident}/claims`).send({ source_id: newcomer.id, facet: 'killed', text: 'Three.', value: '3' }).expect(201);
    json = (await request(app.app).get('/sources/agreement.json').expect(200)).body;
    assert.equal(json.pairs.length, pairsOf(sources + 1));
    assert.equal(stored(), pairsOf(sources + 1), 'the old rows replaced, none left over');
    const newcomers = json.pairs.filter((pair: { source_a: string; source_b: string }) => pair.source_a === 'Newcomer' || pair.source_b === 'Newcomer');
    assert.equal(newcomers.filter((pair: { agree: number }) => pair.agree === 1).length, 1, 'Witness 3 says three too');
  });

  it('shows only the sources of a kind or an affiliation (case and spacing aside)', async () => {
    const app = freshApp({ demo: true });
    const rowsOf = ($: CheerioAPI) => $('table.matrix tbody th a').map((_, a) => $(a).text().trim()).get();
    assert.deepEqual(rowsOf(await matrixPage(app, '?kind=military')), ['US Central Command (CENTCOM)', MILITARY_OFFICIAL]);
    const $ = await matrixPage(app, '?affiliation=us%20%20GOVERNMENT');
    assert.deepEqual(rowsOf($), ['Joe Biden', 'US Central Command (CENTCOM)', MILITARY_OFFICIAL, US_OFFICIAL]);
    assert.equal($('select[name="affiliation"] option[selected]').text(), 'US government');
    assert.equal($('a:contains("CSV")').attr('href'), '/sources/agreement.csv?affiliation=us%20GOVERNMENT', 'the exports keep the filter');
    assert.equal(textOf(await matrixPage(app, '?kind=NGO'), 'main .empty'), 'Fewer than two of these sources have spoken in an incident counted so far.');
  });

  it('refuses a filter that is not one, naming the field', async () => {
    const app = freshApp({ demo: true });
    await request(app.app).get('/sources/agreement?kind=pirate').expect(400, /Kind must be one of: government, military/);
    await request(app.app).get('/sources/agreement.csv?kind=pirate').expect(400);
    const json = await request(app.app).get('/sources/agreement.json?kind=media&kind=NGO').expect(400);
    assert.deepEqual(json.body.error.issues.map((issue: { path: string }) => issue.path), ['kind']);
    await request(app.app).get(`/sources/agreement?affiliation=${'x'.repeat(201)}`).expect(400, /Affiliation must be at most 200 characters/);
  });

  it('exports a row per two sources as CSV, formulas neutralised, and the figures with each source’s record as JSON', async () => {
    const app = freshApp({ demo: true });
    const ids = await sourceIds(app);
    const sneaky = (await app.editor.post('/api/sources').send({ name: '=HYPERLINK("http://evil.example")', kind: 'individual' }).expect(201)).body;
    await app.editor.post(`/api/incidents/${EVENING_SLUG}/claims`).send({ source_id: sneaky.id, facet: 'bases targeted', text: 'Two.', value: 'two' }).expect(201);

    const csv = await request(app.app).get('/sources/agreement.csv').buffer(true).expect(200);
    assert.match(csv.headers['content-type']!, /^text\/csv; charset=utf-8/);
    assert.match(csv.headers['content-disposition']!, /attachment; filename="?claimgrid-source-agreement\.csv"?$/);
    const rows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]!), ['source_a_id', 'source_a', 'source_b_id', 'source_b', 'agree', 'consistent', 'contradict', 'pairs']);
    const row = rows.find((r) => r.source_a === 'ISWNews' && r.source_b === MILITARY_OFFICIAL)!;
    assert.deepEqual(row, { source_a_id: String(ids.get('ISWNews')), source_a: 'ISWNews', source_b_id: String(ids.get(MILITARY_OFFICIAL)), source_b: MILITARY_OFFICIAL, agree: '0', consistent: '1', contradict: '1', pairs: '2' });
    assert.ok(rows.some((r) => r.source_a === `'=HYPERLINK("http://evil.example")`), 'a name that would run as a formula is shown as text');

    const json = await request(app.app).get('/sources/agreement.json?kind=military').expect(200);
    assert.match(json.headers['content-type']!, /^application\/json/);
    assert.equal(json.body.counting, 0);
    assert.equal(json.body.incidents, 3);
    assert.deepEqual(json.body.sources.map((source: { name: string }) => source.name), ['US Central Command (CENTCOM)', MILITARY_OFFICIAL]);
    const official = json.body.sources.find((source: { name: string }) => source.name === MILITARY_OFFICIAL);
    assert.deepEqual(official.record, { claims: 2, carried: 0, current: 2, contradicted: 1, revisions: 0, count_revisions: 0, revision_total: 0, revision_largest: 0, corroborated: 0, incidents: 1 });
    // CENTCOM's "no casualties" and its four injured civilians contradict each other across facets (a part check).
    const centcom = json.body.sources.find((source: { name: string }) => source.name === 'US Central Command (CENTCOM)');
    assert.equal(centcom.record.contradicted, 2);
    assert.deepEqual(json.body.pairs, [], 'the two military sources never spoke on one facet');
    const all = await request(app.app).get('/sources/agreement.json').expect(200);
    assert.equal(all.body.pairs.length, rows.length, 'the same pairs as the CSV');
  });
});
