/**
 * Importing claims: what an analyst already keeps (an export edited in a spreadsheet, a table of
 * their own) comes in through a preview that says exactly what would change, then all at once or not
 * at all. Each test builds its own database; the file-database tests run the import on its thread.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import request from 'supertest';
import { EXPORT_COLUMNS, neutraliseFormula } from '../src/actions/exports.js';
import { startPreview } from '../src/actions/import-previews.js';
import { importFile } from '../src/actions/imports.js';
import { createApp } from '../src/app.js';
import { asOnlyWriter } from '../src/db/commits.js';
import { migrate, openDatabase } from '../src/db/database.js';
import { createUser, createApiToken } from '../src/db/users.js';
import { loadDemo } from '../src/demo.js';
import { DERIVED_COLUMNS, detectDelimiter, IMPORT_COLUMNS, readHeader, restoreFormula } from '../src/extract/tables.js';
import { freshApp, page } from './helpers.js';

type Row = Record<string, string>;

function parseCsv(text: string, delimiter = ','): Row[] {
  return parse(text, { columns: true, bom: true, delimiter }) as Row[];
}

/** A CSV as a spreadsheet program writes it: every cell quoted, the given delimiter and line ending, a BOM if asked. */
function writeCsv(rows: Row[], { delimiter = ',', bom = false, newline = '\r\n' }: { delimiter?: string; bom?: boolean; newline?: string } = {}): string {
  const columns = Object.keys(rows[0]!);
  const line = (cells: string[]) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(delimiter);
  return `${bom ? '\uFEFF' : ''}${[line(columns), ...rows.map((row) => line(columns.map((column) => row[column] ?? '')))].join(newline)}${newline}`;
}

/** The columns an export's reader compares: what the claim says and where it stands, not the ids and times the database gives. */
const CONTENT = ['incident_slug', 'incident_title', 'facet', 'source', 'source_kind', 'source_affiliation', 'via', 'statement', 'quote', 'value', 'published_at', 'url', 'archive_url'] as const;

function content(rows: Row[]): Row[] {
  return rows.map((row) => Object.fromEntries(CONTENT.map((column) => [column, row[column] ?? ''])));
}

const EVENING = 'evening-rocket-and-drone-attacks-on-us-positions-in-eastern-syria';

/** Three cells edited and two rows added, as an analyst would in a spreadsheet. */
function editExport(rows: Row[]): { edited: Row[]; changed: number[] } {
  const edited = rows.map((row) => ({ ...row }));
  const [a, b, c] = [edited[0]!, edited[1]!, edited[2]!];
  a.statement = `${a.statement} (confirmed by a second official)`;
  b.value = '12';
  c.quote = 'We shot down two of the three drones.';
  const template = edited.find((row) => row.incident_slug === EVENING)!;
  const added = (fields: Partial<Row>): Row => ({
    ...Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, ''])),
    incident_id: template.incident_id!, incident_slug: EVENING, incident_title: template.incident_title!, ...fields,
  });
  edited.push(
    added({ facet: 'rockets fired', source_id: template.source_id!, source: template.source!, source_kind: template.source_kind!, source_affiliation: template.source_affiliation!, statement: 'A second statement gave the count again.', value: 'at least 9', published_at: '2023-03-25' }),
    added({ facet: 'soldiers wounded', source: 'Syrian Observatory for Human Rights', source_kind: 'NGO', statement: 'Two soldiers were wounded, the Observatory said.', value: '2', url: 'https://www.syriahr.com/en/example' }),
  );
  return { edited, changed: [a.claim_id, b.claim_id, c.claim_id].map(Number) };
}

/** The demo in a database file of its own (so imports run on their thread), with an editor's API token. */
function demoOnFile() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-import-'));
  const db = openDatabase(path.join(directory, 'claimgrid.sqlite'));
  migrate(db);
  loadDemo(db);
  const token = createApiToken(db, createUser(db, 'importer', 'editor', 'scrypt$unusable').id);
  return { db, app: createApp(db, { loginDelayMs: 0 }), token, directory };
}

function historyCount(db: ReturnType<typeof openDatabase>): number {
  return db.prepare('SELECT count(*) FROM history').pluck().get() as number;
}

describe('reading a table to import', () => {
  it('matches columns by name whatever their case, spaces and order, and knows every column the export writes', () => {
    const header = readHeader([' Statement ', 'SOURCE KIND', 'incident', 'Source', 'facet', 'my notes', 'value_low']);
    assert.deepEqual(header.columns, ['statement', 'source_kind', 'incident', 'source', 'facet', undefined, undefined]);
    assert.deepEqual(header.ignored, ['my notes']);
    assert.equal(header.labels.statement, 'Statement');
    const known = new Set<string>([...Object.keys(IMPORT_COLUMNS), ...DERIVED_COLUMNS]);
    assert.deepEqual(EXPORT_COLUMNS.filter((column) => !known.has(column)), []);
  });

  it('finds the delimiter from the first line, outside quotes', () => {
    assert.equal(detectDelimiter('incident;source;facet;statement'), ';');
    assert.equal(detectDelimiter('incident\tsource\tfacet'), '\t');
    assert.equal(detectDelimiter('"a;b;c",source,facet'), ',');
  });

  it('gives back every text the export protected against formulas, exactly', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.constantFrom("'=1", "''", "'", "'+x", '=1', '-')).map((text) => text), (text) => {
        assert.equal(restoreFormula(String(neutraliseFormula(text))), text);
      }),
      { numRuns: 500 },
    );
  });
});

describe('importing an edited export', () => {
  it('CSV: the preview lists exactly the five changes, and applying them gives an export equal to the edited file', async () => {
    const { db, editor } = freshApp({ demo: true });
    const exported = parseCsv((await editor.get('/claims.csv').expect(200)).text);
    const { edited, changed } = editExport(exported);

    const previewed = await editor.post('/import').attach('file', Buffer.from(writeCsv(edited)), 'claims.csv').expect(303);
    const previewPage = await editor.get(previewed.headers.location!).expect(200);
    const $ = page(previewPage.text);
    assert.deepEqual($('ul.import-counts li').map((_, li) => $(li).text().replace(/\s+/g, ' ').trim()).get(), [
      '2 claims to add', '1 to update'.replace('1', '3'), `${exported.length - 3} unchanged`, '0 new incidents', '1 new source', '0 bad rows',
    ]);
    assert.deepEqual($('#updated-heading ~ h3 a').map((_, a) => $(a).text()).get(), changed.map((id) => `claim ${id}`));
    // Each change is shown as what changes: the statement word by word, the others before and after.
    assert.match($('#updated-heading').parent().text(), /confirmed by a second official/);
    assert.equal($('#updated-heading').parent().find('mark.changed.added').first().text(), '(confirmed by a second official)');
    assert.deepEqual($('table.import-created tbody tr td:nth-child(6)').map((_, td) => $(td).text()).get(), [edited.at(-2)!.statement, edited.at(-1)!.statement]);
    assert.match($('#new-sources-heading').parent().text(), /Syrian Observatory for Human Rights: NGO/);
    const before = historyCount(db);

    const digest = $('input[name=digest]').val() as string;
    await editor.post(previewed.headers.location!).type('form').send({ digest }).expect(303);
    const done = page((await editor.get(previewed.headers.location!).expect(200)).text);
    assert.match(done('.notice').text(), new RegExp(`Imported: 2 claims added, 3 updated, ${exported.length - 3} unchanged; 1 new source`));

    const after = parseCsv((await editor.get('/claims.csv').expect(200)).text);
    assert.deepEqual(content(after), content(edited));
    // The claims kept their ids and when they were made; the two new ones come last, as the file has them.
    assert.deepEqual(after.slice(0, exported.length).map((row) => [row.claim_id, row.created_at]), exported.map((row) => [row.claim_id, row.created_at]));
    assert.equal(after.find((row) => row.claim_id === String(changed[1]))!.value_low, '12');
    // Five claims and one source, each in the history as the importing editor's.
    const recorded = db.prepare('SELECT entity, action, u.name FROM history h JOIN users u ON u.id = h.user_id WHERE h.id > ? ORDER BY h.id').all(before) as { entity: string; action: string; name: string }[];
    assert.deepEqual(recorded.map((entry) => `${entry.entity} ${entry.action} ${entry.name}`).sort(), [
      'claim create Test Editor', 'claim create Test Editor', 'claim update Test Editor', 'claim update Test Editor', 'claim update Test Editor', 'source create Test Editor',
    ]);

    // The same file again changes nothing.
    const again = await editor.post('/import').attach('file', Buffer.from(writeCsv(edited)), 'claims.csv').expect(303);
    const againPage = page((await editor.get(again.headers.location!).expect(200)).text);
    assert.match(againPage('.notice').text(), /Nothing to import: every row is already there/);
    assert.equal(againPage('input[name=digest]').length, 0);
  });

  it('JSON, through the API: a dry run lists the changes and writes nothing; the import with its digest applies them', async () => {
    const { db, tokenFor } = freshApp({ demo: true });
    const token = tokenFor('editor');
    const api = (url: string) => request(createApp(db, { loginDelayMs: 0 })).post(url).set('Authorization', `Bearer ${token}`);
    const rows = (await request(createApp(db)).get('/claims.json').set('Authorization', `Bearer ${token}`).expect(200)).body as Record<string, unknown>[];
    const asText = rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)])));
    const { edited } = editExport(asText);
    const file = JSON.stringify(edited.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === '' ? null : /_id$|^span_/.test(key) && value !== '' ? Number(value) : value]))), null, 2);
    const before = historyCount(db);

    const dry = await api('/api/import?dry_run=1').type('application/json').send(file).expect(200);
    assert.deepEqual(dry.body.counts, { created: 2, updated: 3, unchanged: rows.length - 3, invalid: 0, new_incidents: 0, new_sources: 1, warnings: 0 });
    assert.equal(dry.body.format, 'json');
    assert.equal(dry.body.applied, false);
    assert.deepEqual(dry.body.updated.map((row: { changes: { field: string }[] }) => row.changes.map((change) => change.field)), [['statement'], ['value'], ['quote']]);
    assert.equal(historyCount(db), before);

    const applied = await api(`/api/import?expect=${dry.body.digest}`).type('application/json').send(file).expect(200);
    assert.equal(applied.body.applied, true);
    assert.equal(applied.body.digest, dry.body.digest);
    const after = (await request(createApp(db)).get('/claims.json').set('Authorization', `Bearer ${token}`).expect(200)).body as Record<string, unknown>[];
    assert.deepEqual(content(after.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? '' : String(value)])))), content(edited));
  });

  it('a semicolon-delimited CSV with a BOM, as a European spreadsheet program saves it, uploaded as a multipart form to the API', async () => {
    const { editor } = freshApp({ demo: true });
    const exported = parseCsv((await editor.get('/claims.csv').expect(200)).text);
    const { edited } = editExport(exported);
    const file = writeCsv(edited, { delimiter: ';', bom: true });
    const dry = await editor.post('/api/import?dry_run=1').attach('file', Buffer.from(file), 'claims.csv').expect(200);
    assert.equal(dry.body.delimiter, ';');
    assert.deepEqual([dry.body.counts.created, dry.body.counts.updated, dry.body.counts.invalid], [2, 3, 0]);
    await editor.post(`/api/import?expect=${dry.body.digest}`).attach('file', Buffer.from(file), 'claims.csv').expect(200);
    assert.deepEqual(content(parseCsv((await editor.get('/claims.csv').expect(200)).text)), content(edited));
  });
});

describe('refusing what cannot be imported', () => {
  it('a file with one bad row among 1,000 writes nothing, and names the row, the column and the reason', async () => {
    const { db, editor } = freshApp({ demo: true });
    const rows = Array.from({ length: 1000 }, (_, index) => ({
      Incident: EVENING, Source: 'US Central Command (CENTCOM)', Facet: 'rockets fired', Statement: `Report ${index + 1} of the rockets.`, Value: String(index % 20), 'Published At': '2023-03-24',
    }));
    rows[636]!['Published At'] = '24/03/2023';
    const before = historyCount(db);
    const refused = await editor.post('/api/import').type('text/csv').send(writeCsv(rows)).expect(400);
    assert.match(refused.body.error.message, /^1 of 1000 rows cannot be imported, so nothing was \(line 638, Published At: Published must be a date/);
    assert.deepEqual(refused.body.error.issues.map((issue: { path: string }) => issue.path), ['line 638: Published At']);
    assert.equal(historyCount(db), before);
    const dry = await editor.post('/api/import?dry_run=1').type('text/csv').send(writeCsv(rows)).expect(200);
    assert.deepEqual(dry.body.errors, [{ row: 637, line: 638, column: 'Published At', message: 'Published must be a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM, optionally with seconds and a zone); "24/03/2023" looks rewritten by a spreadsheet program: format the column as text, or as YYYY-MM-DD' }]);
    assert.equal(dry.body.counts.created, 999);
  });

  it('refuses, at 409, an import whose preview no longer holds: a claim it updates was edited meanwhile', async () => {
    const { db, editor } = freshApp({ demo: true });
    const exported = parseCsv((await editor.get('/claims.csv').expect(200)).text);
    const { edited, changed } = editExport(exported);
    const previewed = await editor.post('/import').attach('file', Buffer.from(writeCsv(edited)), 'claims.csv').expect(303);
    const digest = page((await editor.get(previewed.headers.location!)).text)('input[name=digest]').val() as string;
    const claim = (await editor.get(`/api/claims/${changed[0]}`).expect(200)).body;
    await editor.put(`/api/claims/${changed[0]}`).set('If-Match', `"${claim.version}"`).send({ source_id: claim.source_id, facet: claim.facet, text: 'Someone else’s wording.' }).expect(200);
    const before = historyCount(db);
    const refused = await editor.post(previewed.headers.location!).type('form').send({ digest }).expect(409);
    assert.match(page(refused.text)('.problem').text(), /has changed since the preview/);
    assert.equal(historyCount(db), before);
  });

  it('says what is wrong with a file that is no table of claims, and writes nothing', async () => {
    const { db, editor } = freshApp({ demo: true });
    const before = historyCount(db);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d2a5650000000049454e44ae426082', 'hex');
    const cases: [Buffer | string, string, number, RegExp][] = [
      [png, 'picture.csv', 400, /not UTF-8 text/],
      ['', 'empty.csv', 400, /Choose a file to import/],
      ['\uFEFF\r\n\r\n', 'blank.csv', 400, /The file is empty/],
      ['name,date,notes\r\nx,y,z\r\n', 'other.csv', 400, /No column of the first line is one Claimgrid knows/],
      ['incident,facet,statement\r\nx,y,z\r\n', 'partial.csv', 400, /The file has no source \(or source_id\) column/],
      ['[{"incident": "x"', 'broken.json', 400, /not valid JSON|holds no claims/],
      ['{"claims": 3}', 'object.json', 400, /must be a list of claims/],
      ['incident,source,facet,statement\r\n"x,y,z,w\r\n', 'quote.csv', 400, /never closed/],
    ];
    for (const [body, name, status, message] of cases) {
      const answer = await editor.post('/api/import?dry_run=1').attach('file', Buffer.from(body), name);
      assert.equal(answer.status, status, name);
      assert.match(answer.body.error.message, message, name);
    }
    const huge = Buffer.alloc(50 * 1000 * 1000, 'a');
    const tooLarge = await editor.post('/api/import').type('text/csv').send(huge);
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.body.error.message, /larger than 40 MB/);
    assert.equal(historyCount(db), before);
  });

  it('lets only editors import', async () => {
    const { signIn } = freshApp({ demo: true });
    const viewer = signIn('viewer').agent;
    await viewer.get('/import').expect(403);
    await viewer.post('/api/import?dry_run=1').type('text/csv').send('incident,source,facet,statement\r\n').expect(403);
  });
});

describe('importing a table of one’s own', () => {
  it('reads a minimal table pasted from a spreadsheet (tabs), making the incident and the sources it names, and restoring protected cells', async () => {
    const { editor } = freshApp({ demo: true });
    const pasted = [
      'Facet\tINCIDENT\tsource\tSource Kind\tstatement\tvalue\tquote\tNotes',
      'civilians killed\tStrike on Al-Bukamal, 24 March\tSyrian Observatory for Human Rights\tNGO\tSix civilians were killed, the Observatory said.\t6\t\'=HYPERLINK("x")\tfrom a call',
      'civilians killed\tStrike on Al-Bukamal, 24 March\tUS Central Command (CENTCOM)\t\t"No civilians were harmed,\nCENTCOM said."\t0\t\t',
      'civilians killed\tStrike on Al-Bukamal, 24 March\tSANA\t\tState media said nine were killed.\t9\t\t',
    ].join('\n');
    const previewed = await editor.post('/import').field('text', pasted).expect(303);
    const $ = page((await editor.get(previewed.headers.location!).expect(200)).text);
    assert.match($('p.meta').text(), /tabs between cells · 3 rows/);
    assert.deepEqual($('table.import-errors tbody tr').map((_, tr) => $(tr).find('td').map((__, td) => $(td).text()).get().join(' | ')).get(), [
      // The statement above it runs over two lines, as a quoted cell may.
      'line 5 | Source Kind | "SANA" is a new source: give its kind in a source_kind column (one of: government, military, armed group, media, NGO, individual, other)',
    ]);
    assert.match($('p.hint').text(), /Columns read past.*Notes/);

    const fixed = pasted.replace('SANA\t\t', 'SANA\tmedia\t');
    const again = await editor.post('/import').field('text', fixed).expect(303);
    const preview = page((await editor.get(again.headers.location!).expect(200)).text);
    assert.match(preview('#new-incidents-heading').parent().text(), /Strike on Al-Bukamal, 24 March \(first on line 2\)/);
    assert.deepEqual(preview('#new-sources-heading').parent().find('li').map((_, li) => preview(li).text().replace(/\s+/g, ' ').trim()).get(), [
      'Syrian Observatory for Human Rights: NGO (first on line 2)', 'SANA: media (first on line 5)',
    ]);
    await editor.post(again.headers.location!).type('form').send({ digest: preview('input[name=digest]').val() }).expect(303);
    const claims = (await editor.get('/incidents/strike-on-al-bukamal-24-march/claims.json').expect(200)).body as Record<string, string>[];
    assert.deepEqual(claims.map((claim) => [claim.source, claim.value, claim.quote]), [
      ['Syrian Observatory for Human Rights', '6', '=HYPERLINK("x")'], ['US Central Command (CENTCOM)', '0', null], ['SANA', '9', null],
    ]);
    assert.equal(claims[1]!.statement, 'No civilians were harmed,\nCENTCOM said.');
    // An existing source's kind is not changed by a row that says otherwise: the preview says so.
    const other = await editor.post('/api/import?dry_run=1').type('text/csv').send('incident,source,source_kind,facet,statement\r\nstrike-on-al-bukamal-24-march,"US Central Command (CENTCOM)",government,civilians killed,Still none.\r\n').expect(200);
    assert.deepEqual(other.body.warnings.map((warning: { column: string; message: string }) => `${warning.column}: ${warning.message}`), [
      'source_kind: US Central Command (CENTCOM) is filed as military, not government; an import does not change sources (edit it on its page)',
    ]);
  });

  it('refuses rows that would update claims the database does not have, or update one twice', async () => {
    const { editor } = freshApp({ demo: true });
    const file = [
      'claim_id,incident,source,facet,statement',
      `999,${EVENING},"US Central Command (CENTCOM)",rockets fired,x`,
      `1,${EVENING},"US Central Command (CENTCOM)",rockets fired,Changed once.`,
      `1,${EVENING},"US Central Command (CENTCOM)",rockets fired,Changed twice.`,
    ].join('\n');
    const dry = await editor.post('/api/import?dry_run=1').type('text/csv').send(file).expect(200);
    assert.deepEqual(dry.body.errors.map((issue: { line: number; column: string; message: string }) => `${issue.line} ${issue.column}: ${issue.message.split('.')[0]}`), [
      '2 claim_id: No claim has id 999',
      '4 claim_id: Claim 1 is updated by an earlier row too (line 3): keep one of the two rows',
    ]);
  });

  it('round-trips any text through the CSV export and back unchanged', async () => {
    const { db, editor } = freshApp({ demo: true });
    const claimId = db.prepare('SELECT min(id) FROM claims').pluck().get() as number;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((text) => text.trim() !== ''), async (text) => {
        const statement = text.trim();
        fc.pre(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\p{Cs}]/u.test(statement));
        db.prepare('UPDATE claims SET text = ?, quote = ? WHERE id = ?').run(statement, statement, claimId);
        const csv = (await editor.get('/claims.csv').expect(200)).text;
        const dry = await editor.post('/api/import?dry_run=1').type('text/csv').send(csv).expect(200);
        assert.deepEqual([dry.body.counts.unchanged, dry.body.counts.updated, dry.body.counts.invalid], [23, 0, 0], JSON.stringify(statement));
      }),
      { numRuns: 40 },
    );
  });
});

describe('what a preview promises, an import does', () => {
  const ALL = ['incident', 'claim_id', 'source', 'source_kind', 'facet', 'statement'] as const;
  /** Rows made of the awkward cases: names spelled two ways, a slug for a new title, copies of a claim beside its edit. */
  const rowOf = (original: string) =>
    fc.record({
      incident: fc.constantFrom(EVENING, 'Brand New Thing', 'brand-new-thing', 'BRAND  NEW THING'),
      claim_id: fc.constantFrom('', '', '1', '2'),
      source: fc.constantFrom('Al Jazeera', 'al jazeera', 'Foo Agency', 'FOO AGENCY'),
      source_kind: fc.constantFrom('media', 'Media'),
      facet: fc.constantFrom('bases targeted', 'rockets fired'),
      statement: fc.constantFrom(original, `${original} Edited.`, 'Another account.'),
    });

  async function checkPreviewThenImport(api: (url: string, file: string) => Promise<request.Response>, original: string) {
    await fc.assert(
      fc.asyncProperty(fc.array(rowOf(original), { minLength: 1, maxLength: 8 }), async (rows) => {
        const file = `${ALL.join(',')}\n${rows.map((row) => ALL.map((column) => `"${row[column]}"`).join(',')).join('\n')}\n`;
        const dry = await api('/api/import?dry_run=1', file);
        assert.equal(dry.status, 200, JSON.stringify(dry.body));
        const applied = await api(`/api/import?expect=${dry.body.digest}`, file);
        if (dry.body.counts.invalid > 0) return assert.equal(applied.status, 400);
        assert.equal(applied.status, 200, `${file}\n${JSON.stringify(applied.body)}`);
        assert.deepEqual(applied.body.counts, dry.body.counts);
      }),
      { numRuns: 25 },
    );
  }

  it('in memory: the same decisions, and the same digest, whether the rows are only read or written too', async () => {
    const { db, editor } = freshApp({ demo: true });
    const original = db.prepare('SELECT text FROM claims WHERE id = 1').pluck().get() as string;
    await checkPreviewThenImport((url, file) => editor.post(url).type('text/csv').send(file), original);
  });

  it('on a database file, on the import thread: the same', async () => {
    const { db, app, token, directory } = demoOnFile();
    const original = db.prepare('SELECT text FROM claims WHERE id = 1').pluck().get() as string;
    await checkPreviewThenImport((url, file) => request(app).post(url).set('Authorization', `Bearer ${token}`).type('text/csv').send(file), original);
    // A JSON file's unknown fields are listed there too (they are known once its first item is read).
    const json = await request(app).post('/api/import?dry_run=1').set('Authorization', `Bearer ${token}`).type('json').send(JSON.stringify([{ incident: EVENING, source: 'Al Jazeera', facet: 'x', statement: 'y', Statment: 'z' }])).expect(200);
    assert.deepEqual(json.body.ignored_columns, ['Statment']);
    db.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('imports a new incident named once by its title and once by the slug that title gives, as one incident, and the file again changes nothing', async () => {
    const { editor } = freshApp({ demo: true });
    const file = 'incident,source,facet,statement\nKharkiv strike,Al Jazeera,rockets fired,Ten rockets.\nkharkiv-strike,Al Jazeera,drones launched,Two drones.\n';
    const first = await editor.post('/api/import').type('text/csv').send(file).expect(200);
    assert.deepEqual([first.body.counts.new_incidents, first.body.counts.created, first.body.incidents.map((incident: { slug: string }) => incident.slug)], [1, 2, ['kharkiv-strike']]);
    const again = await editor.post('/api/import?dry_run=1').type('text/csv').send(file).expect(200);
    assert.deepEqual([again.body.counts.unchanged, again.body.counts.created, again.body.counts.new_incidents], [2, 0, 0]);
  });

  it('never lets a new row vanish into a claim the file updates: a copy of a claim before its edit is a new claim', async () => {
    const { db, editor } = freshApp({ demo: true });
    const original = db.prepare('SELECT text FROM claims WHERE id = 5').pluck().get() as string;
    const claim = db.prepare('SELECT i.slug, s.name, c.facet FROM claims c JOIN incidents i ON i.id = c.incident_id JOIN sources s ON s.id = c.source_id WHERE c.id = 5').get() as { slug: string; name: string; facet: string };
    const file = writeCsv([
      { claim_id: '', incident: claim.slug, source: claim.name, facet: claim.facet, statement: original },
      { claim_id: '5', incident: claim.slug, source: claim.name, facet: claim.facet, statement: `${original} Revised.` },
    ]);
    const dry = await editor.post('/api/import?dry_run=1').type('text/csv').send(file).expect(200);
    assert.deepEqual([dry.body.counts.created, dry.body.counts.updated, dry.body.counts.unchanged], [1, 1, 0]);
  });
});

describe('the details a spreadsheet gets wrong', () => {
  it('matches incident titles whatever their case (in any script) and spacing, and CRLF in a stored text to LF in the file', async () => {
    const { db, editor } = freshApp({ demo: true });
    await editor.post('/api/incidents').send({ title: 'Удар по Харкову' }).expect(201);
    db.prepare("UPDATE claims SET quote = 'line one' || char(13, 10) || 'line two' WHERE id = 1").run();
    const exported = parseCsv((await editor.get('/claims.csv').expect(200)).text);
    const lf = writeCsv(exported.map((row) => ({ ...row, quote: row.quote!.replace('\r\n', '\n') })), { newline: '\n' });
    const dry = await editor.post('/api/import?dry_run=1').type('text/csv').send(lf).expect(200);
    assert.deepEqual([dry.body.counts.unchanged, dry.body.counts.updated], [exported.length, 0]);
    const titled = await editor.post('/api/import?dry_run=1').type('text/csv').send('incident,source,facet,statement\n"удар  по харкову",Al Jazeera,x,y\n').expect(200);
    assert.deepEqual([titled.body.counts.new_incidents, titled.body.created[0].incident], [0, 'удар-по-харкову']);
  });

  it('refuses an outlet emptied beside its id still given, and a short row that would empty a claim’s fields', async () => {
    const { editor } = freshApp({ demo: true });
    const exported = parseCsv((await editor.get('/claims.csv').expect(200)).text);
    const carried = exported.find((row) => row.via !== '')!;
    const dry = await editor.post('/api/import?dry_run=1').type('text/csv').send(writeCsv(exported.map((row) => (row === carried ? { ...row, via: '' } : row)))).expect(200);
    assert.deepEqual(dry.body.errors.map((issue: { column: string; message: string }) => `${issue.column}: ${issue.message}`), [
      `via: via is empty, but via_source_id still names source ${carried.via_source_id}: empty both to remove the outlet, or give the name`,
    ]);
    const short = await editor.post('/api/import?dry_run=1').type('text/csv').send(`claim_id,incident,source,facet,statement,quote\n1,${EVENING},ISWNews,bases targeted,Three bases.\n`).expect(200);
    assert.match(short.body.errors[0].message, /^The row has 1 cell fewer than the first line has columns: the missing ones would empty claim 1's fields/);
  });

  it('reads a kind in any case, the line "sep=;" Excel writes, and refuses a file with a header and no rows', async () => {
    const { editor } = freshApp({ demo: true });
    const dry = await editor.post('/api/import?dry_run=1').type('text/csv').send(`sep=;\r\nincident;source;source_kind;facet;statement\r\n${EVENING};Syrian Observatory;ngo;rockets fired;Six rockets.\r\n`).expect(200);
    assert.deepEqual([dry.body.delimiter, dry.body.new_sources[0].kind, dry.body.created[0].line], [';', 'NGO', 3]);
    const empty = await editor.post('/api/import?dry_run=1').type('text/csv').send('incident,source,facet,statement\r\n').expect(400);
    assert.match(empty.body.error.message, /no rows below its first line/);
  });

  it('keeps a text that begins with an apostrophe as it is, through CSV and JSON alike', async () => {
    const { db, editor } = freshApp({ demo: true });
    db.prepare('UPDATE claims SET text = ?, quote = ? WHERE id = 1').run("'=as typed", "'quoted'");
    for (const format of ['csv', 'json'] as const) {
      const exported = (await editor.get(`/claims.${format}`).expect(200)).text;
      const dry = await editor.post('/api/import?dry_run=1').type(format === 'csv' ? 'text/csv' : 'application/json').send(exported).expect(200);
      assert.deepEqual([dry.body.counts.updated, dry.body.counts.unchanged], [0, 23], format);
    }
  });

  it('refuses at 409, not 400, a claim deleted between the preview and the import', async () => {
    const { editor } = freshApp({ demo: true });
    const file = writeCsv([{ claim_id: '3', incident: EVENING, source: 'Al Jazeera', facet: 'x', statement: 'Changed.' }]);
    const dry = await editor.post('/api/import?dry_run=1').type('text/csv').send(file).expect(200);
    assert.equal(dry.body.counts.invalid, 0, JSON.stringify(dry.body.errors));
    await editor.delete('/api/claims/3').expect(204);
    await editor.post(`/api/import?expect=${dry.body.digest}`).type('text/csv').send(file).expect(409);
  });

  it('does not read the body of someone who may not import', async (t) => {
    const { app, signIn } = freshApp({ demo: true });
    const body = Buffer.alloc(3 * 1024 * 1024, 'a');
    const stored = t.mock.method(fs, 'createWriteStream');
    const stranger = await request(app).post('/api/import').set('Cookie', 'claimgrid_session=bogus').type('text/csv').send(body);
    assert.ok([401, 403].includes(stranger.status), String(stranger.status));
    const viewer = signIn('viewer').agent;
    await viewer.post('/api/import').type('text/csv').send(body).expect(403);
    await viewer.post('/import').attach('file', body, 'claims.csv').expect(403);
    assert.equal(stored.mock.callCount(), 0, 'no upload was written anywhere');
  });
});

describe('a preview of many long changes', () => {
  it('compares the words of the first changes, and shows the rest before and after, so that the page is made in bounded time', async () => {
    const { db, editor } = freshApp({ demo: true });
    const long = (seed: string) => Array.from({ length: 1200 }, (_, index) => `${seed}${index % 7}`).join(' ');
    db.prepare('UPDATE claims SET text = ? WHERE id <= 20').run(long('word'));
    const exported = parseCsv((await editor.get('/claims.csv').expect(200)).text);
    const edited = exported.map((row) => (Number(row.claim_id) <= 20 ? { ...row, statement: long('term') } : row));
    const previewed = await editor.post('/import').attach('file', Buffer.from(writeCsv(edited)), 'claims.csv').expect(303);
    const $ = page((await editor.get(previewed.headers.location!).expect(200)).text);
    const rows = $('#updated-heading').parent().find('table.wording tbody tr');
    assert.equal(rows.length, 20);
    const compared = rows.filter((_, row) => $(row).find('td.diff').length > 0).length;
    assert.ok(compared > 0 && compared < 20, `${compared} of 20 compared word by word`);
    assert.match(rows.last().text(), /term0 term1/, 'the rest are shown whole');
  });
});

describe('a long import, as the page shows it', () => {
  it('counts the rows as it reads them, and the page says how far it is and reloads itself until it is done', async () => {
    const { app, db, signIn } = freshApp({ demo: true });
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-progress-'));
    const file = path.join(directory, 'rows.csv');
    fs.writeFileSync(file, `incident,source,facet,statement\n${Array.from({ length: 12_000 }, (_, index) => `${EVENING},Al Jazeera,rockets fired,Report ${index}.`).join('\n')}\n`);
    const seen: number[] = [];
    await importFile(db, { path: file }, { actor: null, dryRun: true, onProgress: (rows) => seen.push(rows) });
    assert.deepEqual(seen, [5000, 10000]);

    const editor = signIn('editor');
    const kept = startPreview(db, editor.user.id, 'rows.csv', { path: file });
    assert.deepEqual(kept.running && { what: kept.running.what, rows: kept.running.rows }, { what: 'preview', rows: 0 });
    const render = (context: object) =>
      new Promise<string>((resolve, reject) => app.render('import_preview', { errors: {}, values: {}, listed: 200, ...context }, (error, html) => (error ? reject(error) : resolve(html!))));
    const reading = page(await render({ preview: kept, running: { what: 'preview', rows: 5000 }, reloadEvery: 2 }));
    assert.equal(reading('meta[http-equiv=refresh]').attr('content'), '2');
    assert.equal(reading('h1').text(), 'Reading the file');
    assert.match(reading('.notice').text(), /Reading: 5000 rows so far/);
    assert.equal(reading('form.import-apply').length, 0);

    await kept.running!.done;
    assert.equal(kept.running, undefined);
    const importing = page(await render({ preview: kept, running: { what: 'import', rows: 10000 }, reloadEvery: 2, report: kept.report }));
    assert.equal(importing('h1').text(), 'Importing');
    assert.equal(importing('progress').attr('max'), '12000');
    assert.equal(importing('form.import-apply').length, 0, 'no second click while it runs');

    const done = page((await editor.agent.get(`/import/${kept.id}`).expect(200)).text);
    assert.equal(done('meta[http-equiv=refresh]').length, 0, 'done: no more reloading');
    assert.match(done('ul.import-counts').text(), /12000\s*claims to add/);
    fs.rmSync(directory, { recursive: true, force: true });
  });
});

describe('importing into a database file, on the import thread', () => {
  it('counts a write whose client gave up while it waited for an import only until it is done: later writes and imports go on', { timeout: 30_000 }, async () => {
    const { db, app, token, directory } = demoOnFile();
    let release!: () => void;
    const importing = asOnlyWriter(db, () => new Promise<void>((resolve) => (release = resolve)));
    const gaveUp = await request(app).post('/api/incidents').set('Authorization', `Bearer ${token}`).send({ title: 'Never mind' }).timeout(200).then(
      () => 'answered',
      (error: { timeout?: number }) => (error.timeout ? 'gave up' : 'failed'),
    );
    assert.equal(gaveUp, 'gave up');
    // Time for the server to see the connection close, as it would long before a real import ends.
    await sleep(100);
    release();
    await importing;
    // Had the write that gave up been counted as under way, this would wait for it for ever.
    assert.equal(await asOnlyWriter(db, async () => 'next import'), 'next import');
    await request(app).post('/api/incidents').set('Authorization', `Bearer ${token}`).send({ title: 'Later' }).expect(201);
    db.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('imports off the event loop, and a write sent meanwhile waits for the import instead of being refused', async () => {
    const { db, app, token, directory } = demoOnFile();
    const rows = Array.from({ length: 3000 }, (_, index) => ({ incident: 'A long list', source: 'US Central Command (CENTCOM)', facet: `facet ${index % 40}`, statement: `Statement ${index}.`, value: String(index) }));
    const importing = request(app).post('/api/import').set('Authorization', `Bearer ${token}`).type('text/csv').send(writeCsv(rows));
    const writing = request(app).post('/api/incidents').set('Authorization', `Bearer ${token}`).send({ title: 'Written meanwhile' });
    const [imported, written] = await Promise.all([importing, writing]);
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    assert.equal(imported.body.counts.created, 3000);
    assert.equal(written.status, 201, JSON.stringify(written.body));
    // The server's own pages see what the thread wrote, at once.
    const list = await request(app).get('/api/incidents').set('Authorization', `Bearer ${token}`).expect(200);
    const long = (list.body.incidents as { slug: string; claim_count: number }[]).find((incident) => incident.slug === 'a-long-list');
    assert.equal(long?.claim_count, 3000);
    db.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });
});
