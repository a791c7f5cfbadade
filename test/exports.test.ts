import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import request from 'supertest';
import { csvField, EXPORT_COLUMNS, neutraliseFormula } from '../src/actions/exports.js';
import { COMPARISON_COLUMNS, PAIR_COLUMNS } from '../src/web/exports.js';
import { EVENING_SLUG, freshApp, page } from './helpers.js';

/** Text that breaks naive CSV: commas, quotes, both newline kinds, and right-to-left scripts. */
const AWKWARD = {
  text: 'He said "ten, maybe eleven"\nthen\r\ncorrected himself, twice. قال المسؤول: «عشرة صواريخ»، ثم صحّح. گفت: «ده موشک».',
  quote: 'أُطلقت عشرة صواريخ على القاعدة، وفق البيان',
  value: 'ده',
  facet: 'موشک‌های شلیک‌شده',
};

async function incidentWithAwkwardClaim() {
  const { app, db, editor } = freshApp();
  const source = (await editor.post('/api/sources').send({ name: 'خبرگزاری, "Fars"', affiliation: 'IRGC-affiliated' }).expect(201)).body;
  const outlet = (await editor.post('/api/sources').send({ name: 'Al Mayadeen', kind: 'media' }).expect(201)).body;
  const incident = (await editor.post('/api/incidents').send({ title: 'Strike, "disputed"' }).expect(201)).body;
  const claim = (
    await editor
      .post(`/api/incidents/${incident.id}/claims`)
      .send({ ...AWKWARD, source_id: source.id, via_source_id: outlet.id, published_at: '2023-03-24T21:30Z', url: 'https://example.org/a?b=1,2' })
      .expect(201)
  ).body;
  return { app, db, editor, source, outlet, incident, claim };
}

describe('claims export', () => {
  it('writes RFC 4180 CSV that a CSV parser reads back field for field, non-Latin text included', async () => {
    const { db, editor, source, outlet, incident, claim } = await incidentWithAwkwardClaim();
    const response = await editor.get(`/incidents/${incident.slug}/claims.csv`).buffer(true).expect(200);
    assert.match(response.headers['content-type']!, /^text\/csv; charset=utf-8/);
    assert.match(response.headers['content-disposition']!, /attachment; filename="?strike-disputed-claims\.csv"?$/);
    assert.ok(response.text.includes('"He said ""ten, maybe eleven""\nthen\r\ncorrected himself, twice. قال'), 'quotes doubled, newlines kept inside quotes');
    assert.ok(response.text.startsWith('\uFEFFclaim_id,incident_id,'), 'a UTF-8 byte-order mark, then the header');
    assert.equal(response.text.split('\r\n').length - 1, 2 + 1, 'records end in CRLF (the header, the row, and the CRLF inside the statement)');

    const rows = parse(response.text, { bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(Object.keys(rows[0]!), EXPORT_COLUMNS);
    assert.equal(rows.length, 1);
    const stored = db.prepare('SELECT * FROM claims WHERE id = ?').get(claim.id) as Record<string, unknown>;
    assert.deepEqual(rows[0], {
      claim_id: String(claim.id),
      incident_id: String(incident.id),
      incident_slug: 'strike-disputed',
      incident_title: 'Strike, "disputed"',
      facet: stored.facet,
      source_id: String(source.id),
      source: 'خبرگزاری, "Fars"',
      source_kind: 'other',
      source_affiliation: 'IRGC-affiliated',
      via_source_id: String(outlet.id),
      via: 'Al Mayadeen',
      statement: stored.text,
      quote: stored.quote,
      value: 'ده',
      value_low: '',
      value_high: '',
      published_at: '2023-03-24T21:30Z',
      url: 'https://example.org/a?b=1,2',
      archive_url: '',
      created_at: stored.created_at,
      updated_at: stored.updated_at,
      document_id: '',
      document_url: '',
      span_start: '',
      span_end: '',
      assessment_value: '',
      assessment_grade: '',
      assessment_reason: '',
      facet_canonical: stored.facet,
    });
    assert.equal(rows[0]!.statement, AWKWARD.text);
    assert.equal(rows[0]!.quote, AWKWARD.quote);
    assert.equal(rows[0]!.facet, AWKWARD.facet);
  });

  it('neutralises spreadsheet formulas in CSV cells, leaving the JSON export as stored', async () => {
    const { editor } = freshApp();
    const vectors = ['=HYPERLINK("http://evil.example","click")', '+1+1', '-2+3', '@SUM(A1:A2)', "=cmd|' /C calc'!A0"];
    // Stored text is trimmed, so a leading tab or CR only reaches the CSV writer from other columns.
    assert.equal(neutraliseFormula('\t=1+1'), "'\t=1+1");
    assert.equal(neutraliseFormula('\r=1+1'), "'\r=1+1");
    assert.equal(neutraliseFormula('plain = text'), 'plain = text');
    assert.equal(neutraliseFormula("'as quoted'"), "''as quoted'", 'an apostrophe of its own gets one more, so an import takes exactly one away');
    assert.equal(neutraliseFormula(-5), -5);
    const source = (await editor.post('/api/sources').send({ name: '=IMPORTXML("http://evil.example")' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Formulas' }).expect(201)).body;
    for (const vector of vectors) {
      await editor.post(`/api/incidents/${incident.id}/claims`).send({ source_id: source.id, facet: vector, text: vector, quote: vector }).expect(201);
    }
    const csv = parse((await editor.get('/incidents/formulas/claims.csv').buffer(true)).text, { bom: true, columns: true }) as Record<string, string>[];
    assert.deepEqual(csv.map((row) => row.statement), vectors.map((vector) => `'${vector}`));
    assert.deepEqual(csv.map((row) => row.quote), vectors.map((vector) => `'${vector}`));
    assert.equal(csv[0]!.source, `'=IMPORTXML("http://evil.example")`);
    assert.equal(csv[0]!.claim_id, String(csv[0]!.claim_id).replace(/^'/, ''), 'numbers are left alone');
    const json = (await editor.get('/incidents/formulas/claims.json')).body as Record<string, string>[];
    assert.deepEqual(json.map((row) => row.statement), vectors, 'the JSON keeps the original text');
  });

  it('writes any text as fields a CSV parser reads back exactly, whichever line ending it splits records on', () => {
    const cell = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('a\nb', 'a\rb', '"', ',', '=1', "'"), fc.integer(), fc.constant(null));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 2, maxLength: 6 }), (cells) => {
        const expected = cells.map((value) => (value === null ? '' : String(neutraliseFormula(value))));
        for (const recordDelimiter of ['\r\n', '\n', '\r']) {
          const parsed = parse(cells.map(csvField).join(',') + recordDelimiter, { record_delimiter: recordDelimiter }) as string[][];
          assert.deepEqual(parsed, [expected]);
        }
      }),
      { numRuns: 500 },
    );
    assert.equal(csvField('one\ntwo'), '"one\ntwo"', 'a bare line feed is quoted: spreadsheet programs end a record there');
    assert.equal(csvField('=1\n2'), `"'=1\n2"`, 'a neutralised formula is still quoted');
  });

  it('exports the whole database as CSV, one row per claim, counts read as intervals', async () => {
    const { db, editor } = freshApp({ demo: true });
    const response = await editor.get('/claims.csv').buffer(true).expect(200);
    assert.match(response.headers['content-disposition']!, /filename="?claimgrid-claims\.csv"?$/);
    const rows = parse(response.text, { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(rows.length, db.prepare('SELECT count(*) FROM claims').pluck().get());
    const official = rows.find((row) => row.value === 'at least eight')!;
    assert.equal(official.source, 'US military official (unnamed)');
    assert.equal(official.via, 'ISWNews');
    assert.equal(official.value_low, '8');
    assert.equal(official.value_high, '');
    assert.equal(official.quote, 'one of our bases in Syria’s Deir Ezzor province was targeted by at least eight rockets');
  });

  it('writes the same rows as JSON', async () => {
    const { editor, incident, claim } = await incidentWithAwkwardClaim();
    const response = await editor.get(`/incidents/${incident.slug}/claims.json`).expect(200);
    assert.match(response.headers['content-disposition']!, /filename="?strike-disputed-claims\.json"?$/);
    assert.equal(response.body.length, 1);
    assert.deepEqual(Object.keys(response.body[0]), EXPORT_COLUMNS);
    assert.equal(response.body[0].claim_id, claim.id);
    assert.equal(response.body[0].statement, AWKWARD.text);
    assert.equal(response.body[0].value_low, null);

    const all = await editor.get('/claims.json').expect(200);
    assert.equal(all.body.length, 1);
  });

  it('exports an incident without claims as a header row and an empty array', async () => {
    const { editor } = freshApp();
    const incident = (await editor.post('/api/incidents').send({ title: 'Quiet' })).body;
    const csv = await editor.get('/incidents/quiet/claims.csv').buffer(true).expect(200);
    assert.deepEqual(parse(csv.text, { bom: true }), [EXPORT_COLUMNS]);
    const json = await editor.get(`/incidents/${incident.slug}/claims.json`).expect(200);
    assert.deepEqual(json.body, []);
  });

  it('reads past the first batch, in id order', async () => {
    const { db, editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: 'Counter' })).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Many' })).body;
    const insert = db.prepare(
      `INSERT INTO claims (incident_id, source_id, facet, facet_key, text, created_at, updated_at)
       VALUES (?, ?, 'rockets fired', 'rockets fired', ?, 'now', 'now')`,
    );
    db.transaction(() => {
      for (let n = 0; n < 2500; n++) insert.run(incident.id, source.id, `claim ${n}`);
    })();
    const response = await editor.get('/incidents/many/claims.csv').buffer(true).expect(200);
    const rows = parse(response.text, { bom: true, columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 2500);
    assert.deepEqual(rows.map((row) => row.statement), Array.from({ length: 2500 }, (_, n) => `claim ${n}`));
  });

  it('is linked from the home page and the incident page', async () => {
    const { editor } = freshApp({ demo: true });
    const home = page((await editor.get('/')).text);
    assert.ok(home('a[href="/claims.csv"]').length && home('a[href="/claims.json"]').length);
    const incident = page((await editor.get(`/incidents/${EVENING_SLUG}`)).text);
    assert.ok(incident(`a[href="/incidents/${EVENING_SLUG}/claims.csv"]`).length);
    assert.ok(incident(`a[href="/incidents/${EVENING_SLUG}/claims.json"]`).length);
  });
});

describe('the comparison as tables', () => {
  const csv = (text: string) => parse(text, { bom: true, columns: true }) as Record<string, string>[];

  it('exports a row per claim per facet: its status, position, relation counts and corroboration', async () => {
    const { app, db } = freshApp({ demo: true });
    const response = await request(app).get(`/incidents/${EVENING_SLUG}/comparison.csv`).expect(200).expect('Content-Type', /text\/csv/);
    assert.match(response.headers['content-disposition']!, /evening-rocket.*-comparison\.csv/);
    const rows = csv(response.text);
    assert.deepEqual(Object.keys(rows[0]!), [...COMPARISON_COLUMNS]);
    const claims = db.prepare('SELECT count(*) FROM claims c JOIN incidents i ON i.id = c.incident_id WHERE i.slug = ? AND c.deleted_at IS NULL').pluck().get(EVENING_SLUG);
    assert.equal(rows.length, claims, 'every claim of the incident, once');
    const bases = rows.filter((row) => row.facet === 'bases targeted').map(({ source, value, facet_status, claim_status, position, pairs, agree, contradict, corroborated_by, current }) => ({ source, value, facet_status, claim_status, position, pairs, agree, contradict, corroborated_by, current }));
    assert.deepEqual(bases, [
      { source: 'ISWNews', value: 'three', facet_status: 'contradict', claim_status: 'contradict', position: 'B', pairs: '2', agree: '1', contradict: '1', corroborated_by: '1', current: 'true' },
      { source: 'US military official (unnamed)', value: 'one', facet_status: 'contradict', claim_status: 'contradict', position: 'A', pairs: '2', agree: '0', contradict: '2', corroborated_by: '0', current: 'true' },
      { source: 'US official (unnamed)', value: 'three', facet_status: 'contradict', claim_status: 'contradict', position: 'B', pairs: '2', agree: '1', contradict: '1', corroborated_by: '1', current: 'true' },
    ]);
    assert.ok(rows.filter((row) => row.facet === 'locations hit').every((row) => row.position === '' && row.pairs === '0'), 'one source: no position letter, no pairs');
  });

  it('names each facet by the spelling the grid shows, in the comparison and in the claims export', async () => {
    const { app, editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    await editor.post(`/api/incidents/${incident}/claims`).send({ new_source_name: 'SOHR', new_source_kind: 'NGO', facet: '  Rockets   FIRED ', text: 'Nine rockets.', value: 'nine' }).expect(201);
    const comparison = csv((await request(app).get(`/incidents/${EVENING_SLUG}/comparison.csv`).expect(200)).text);
    assert.deepEqual([...new Set(comparison.filter((row) => row.source === 'SOHR').map((row) => row.facet))], ['rockets fired']);
    const claims = csv((await request(app).get(`/incidents/${EVENING_SLUG}/claims.csv`).expect(200)).text);
    const sohr = claims.find((row) => row.source === 'SOHR')!;
    assert.deepEqual([sohr.facet, sohr.facet_canonical], ['Rockets FIRED', 'rockets fired'], 'as typed, and as a spreadsheet pivot should group it');
  });

  it('exports every pair with both claims, both values, the relation, its origin and the reason', async () => {
    const { app, editor, db } = freshApp({ demo: true });
    const incident = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG) as number;
    await editor.post(`/api/incidents/${incident}/relations`).send({ a: 1, b: 7, relation: 'consistent', reason: 'One base of three.' }).expect(201);
    const rows = csv((await request(app).get(`/incidents/${EVENING_SLUG}/pairs.csv`).expect(200)).text);
    assert.deepEqual(Object.keys(rows[0]!), [...PAIR_COLUMNS]);
    const bases = rows.filter((row) => row.facet === 'bases targeted').map(({ claim_a, value_a, claim_b, value_b, relation, origin, auto, reason }) => [claim_a, value_a, claim_b, value_b, relation, origin, auto, reason]);
    assert.deepEqual(bases, [
      ['1', 'three', '7', 'one', 'consistent', 'analyst', 'contradict', 'One base of three.'],
      ['1', 'three', '10', 'three', 'agree', 'auto', 'agree', ''],
      ['7', 'one', '10', 'three', 'contradict', 'auto', 'contradict', ''],
    ]);
  });

  it('exports every incident’s comparison at /comparison.csv, and answers a client that holds it with 304', async () => {
    const { app, db } = freshApp({ demo: true });
    const response = await request(app).get('/comparison.csv').expect(200);
    const rows = csv(response.text);
    assert.equal(rows.length, db.prepare('SELECT count(*) FROM claims WHERE deleted_at IS NULL').pluck().get());
    assert.equal(new Set(rows.map((row) => row.incident_slug)).size, 3);
    await request(app).get('/comparison.csv').set('If-None-Match', response.headers.etag!).expect(304);
  });
});
