/**
 * From a pasted article to claims: the document is kept, its proposals reviewed, the ticked ones
 * saved together (all or none), and the claims point back to the sentence they came from.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DEMO_ARTICLE_FILE } from '../src/demo.js';
import { createIncident } from '../src/db/incidents.js';
import { count, EVENING_SLUG, freshApp, page, snapshot, textOf } from './helpers.js';

const ARTICLE = fs.readFileSync(DEMO_ARTICLE_FILE, 'utf8');

const WIRE = [
  'Strike on Kafr Nabl kills four, monitor says',
  '',
  'An airstrike on the town of Kafr Nabl killed four civilians on Monday, the Syrian Observatory for Human Rights said.',
  '',
  'A Syrian army officer told Reuters that two militants were killed and denied that any civilians had been hurt.',
  '',
  'The strike destroyed three houses, residents said.',
].join('\n');

function newIncident(db: Parameters<typeof createIncident>[0], title = 'Strike on Kafr Nabl') {
  return createIncident(db, { title, occurred_on: '2024-05-06', location: 'Kafr Nabl, Idlib', summary: null });
}

/** The review form's fields as a browser would send them back: every row, as shown. */
function reviewFields($: ReturnType<typeof page>): Record<string, string> {
  const fields: Record<string, string> = {};
  $('form.review-form input, form.review-form textarea, form.review-form select').each((_, element) => {
    const field = $(element);
    const name = field.attr('name');
    if (!name) return;
    if (field.attr('type') === 'checkbox') {
      if (field.attr('checked') !== undefined) fields[name] = field.attr('value') ?? 'on';
    } else if (element.tagName === 'select') {
      fields[name] = field.find('option[selected]').attr('value') ?? field.find('option').first().attr('value') ?? '';
    } else if (element.tagName === 'textarea') {
      fields[name] = field.text();
    } else {
      fields[name] = field.attr('value') ?? '';
    }
  });
  return fields;
}

describe('adding a document', () => {
  it('stores pasted text with its outlet and hash, and opens the review of its proposals', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const response = await editor
      .post(`/incidents/${incident.slug}/documents`)
      .field('text', WIRE)
      .field('title', 'Strike on Kafr Nabl')
      .field('outlet_name', 'Wire Service')
      .field('url', 'https://example.org/kafr-nabl')
      .field('published_at', '2024-05-06T18:00')
      .expect(303);
    const document = db.prepare('SELECT * FROM documents').get() as Record<string, unknown>;
    assert.equal(response.headers.location, `/incidents/${incident.slug}/documents/${document.id}/review`);
    assert.equal(document.text, WIRE);
    assert.match(String(document.sha256), /^[0-9a-f]{64}$/);
    assert.equal(document.format, 'text');
    const outlet = db.prepare('SELECT name, kind FROM sources WHERE id = ?').get(document.outlet_source_id);
    assert.deepEqual({ ...(outlet as object) }, { name: 'Wire Service', kind: 'media' });

    const review = page((await editor.get(response.headers.location!).expect(200)).text);
    const rows = review('fieldset.proposal');
    assert.ok(rows.length >= 4, `proposals: ${rows.length}`);
    const observatory = rows.filter((_, row) => review(row).find('blockquote').text().includes('Syrian Observatory'));
    assert.equal(observatory.find('input[name$="[source]"]').attr('value'), 'Syrian Observatory for Human Rights (SOHR)');
    assert.equal(observatory.find('input[name$="[via]"]').attr('value'), 'Wire Service');
    assert.equal(observatory.find('input[name$="[take]"]').attr('checked'), 'checked', 'a proposal with a value is ticked');
    assert.equal(observatory.find('mark.cue').text(), 'said', 'the cue is highlighted in the sentence');
    assert.match(observatory.find('.why').text(), /"said" with subject "the Syrian Observatory for Human Rights"/);
    assert.equal(observatory.find('input[name$="[published_at]"]').attr('value'), '2024-05-06T18:00', 'proposals take the document’s time');
  });

  it('finds the document already stored when the same text is pasted again', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const first = await editor.post(`/incidents/${incident.slug}/documents`).type('form').send({ text: WIRE }).expect(303);
    const again = await editor.post(`/incidents/${incident.slug}/documents`).type('form').send({ text: WIRE.replaceAll('\n', '\r\n'), title: 'Again' }).expect(303);
    assert.equal(again.headers.location, `${first.headers.location}?existing=1`);
    assert.equal(count(db, 'documents'), 1);
    assert.equal(db.prepare('SELECT title FROM documents').pluck().get(), 'Strike on Kafr Nabl kills four, monitor says', 'untitled: its first line');
    const review = page((await editor.get(again.headers.location!).expect(200)).text);
    assert.match(textOf(review, '.notice'), /already stored/);
  });

  it('reads an uploaded .txt, .md or .html file; from HTML only the readable text, never its scripts', async () => {
    const { db, app, editor } = freshApp();
    const incident = newIncident(db);
    const html = `<!doctype html><html><head><title>Kafr Nabl strike</title><style>p { color: red }</style><script>alert("head")</script></head>
      <body><nav>Home | World</nav><h1>Strike on Kafr Nabl</h1><p>An airstrike killed <b>four civilians</b>, the monitor said.</p>
      <script>document.write("<img src=x onerror=alert(1)>")</script><p>Residents said <a href="https://x.example">three houses</a> were destroyed.</p></body></html>`;
    const created = await editor.post(`/incidents/${incident.slug}/documents`).attach('file', Buffer.from(html), 'kafr-nabl.html').expect(303);
    const stored = db.prepare('SELECT title, text, format FROM documents').get() as { title: string; text: string; format: string };
    assert.equal(stored.format, 'html');
    assert.equal(stored.title, 'Kafr Nabl strike', 'the page’s title, when none is given');
    assert.match(stored.text, /An airstrike killed four civilians, the monitor said\./);
    assert.doesNotMatch(stored.text, /alert|document\.write|color: red|Home \| World|<[a-z]/i);
    const documentPage = (await request(app).get(created.headers.location!.replace('/review', '')).expect(200)).text;
    assert.doesNotMatch(documentPage, /alert\(|onerror/);

    await editor.post(`/incidents/${incident.slug}/documents`).attach('file', Buffer.from('# Heading\n\nTwo rockets were fired, the army said.'), 'note.md').expect(303);
    await editor.post(`/incidents/${incident.slug}/documents`).attach('file', Buffer.from('\uFEFFTwo drones were shot down, the army said.\r\n'), 'note.txt').expect(303);
    const formats = db.prepare('SELECT format, text FROM documents ORDER BY id').all() as { format: string; text: string }[];
    assert.deepEqual(formats.map((row) => row.format), ['html', 'markdown', 'text']);
    assert.equal(formats[2]!.text, 'Two drones were shot down, the army said.\n', 'byte-order mark dropped, line ends as \\n');
  });

  it('refuses empty, oversized, binary and undecodable input with a clear 4xx, and writes nothing', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const url = `/incidents/${incident.slug}/documents`;
    const before = snapshot(db);
    const cases: [string, () => request.Test, number, RegExp][] = [
      ['empty text', () => editor.post(url).field('text', '   ').field('title', 'Kept'), 400, /The text is empty/],
      ['no text or file', () => editor.post(url).field('title', 'Kept'), 400, /Text is required/],
      ['2 MB of text', () => editor.post(url).field('text', 'Ten rockets were fired. '.repeat(90_000)), 413, /at most 1 MB/],
      ['a PNG renamed .txt', () => editor.post(url).attach('file', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'photo.txt'), 400, /is a PNG image, not text/],
      ['not UTF-8', () => editor.post(url).attach('file', Buffer.from([0x41, 0xff, 0xfe, 0x41, 0xc3]), 'latin.txt'), 400, /not UTF-8/],
      ['a binary file', () => editor.post(url).attach('file', Buffer.from('a\u0000b\u0000c'), 'data.txt'), 400, /binary/],
      ['an HTML file with nothing but a script', () => editor.post(url).attach('file', Buffer.from('<html><script>alert(1)</script></html>'), 'page.html'), 400, /has no readable text/],
      ['an outlet that is no source', () => editor.post(url).field('text', WIRE).field('outlet_source_id', '999'), 400, /No source has id 999/],
      ['an unknown extension', () => editor.post(url).attach('file', Buffer.from('text'), 'report.docx'), 400, /not a \.txt, \.html or \.md file/],
      ['a 6 MB file', () => editor.post(url).attach('file', Buffer.alloc(6 * 1024 * 1024, 'a'), 'big.html'), 413, /larger than 5 MB/],
      ['a file and pasted text', () => editor.post(url).field('text', 'Two drones.').attach('file', Buffer.from('Three drones.'), 'a.txt'), 400, /not both/],
      // A multipart field's bytes that are not UTF-8 arrive decoded with replacement characters.
      ['text that was not UTF-8, in a multipart form', () => editor.post(url).field('text', 'Caf\uFFFD: 10 rockets'), 400, /not sent as UTF-8/],
      ['a bad URL beside good text', () => editor.post(url).field('text', WIRE).field('url', 'javascript:alert(1)'), 400, /URL must be a full http/],
    ];
    for (const [what, send, status, message] of cases) {
      const response = await send().expect(status);
      assert.match(response.text, message, what);
      if (status === 400) {
        const $ = page(response.text);
        assert.equal(textOf($, '.problem h2'), 'Nothing was saved', what);
        if (what === 'empty text') assert.equal($('#title').attr('value'), 'Kept', 'what was typed is kept');
      }
    }
    assert.deepEqual(snapshot(db), before);
  });
});

describe('the document form for strangers', () => {
  it('is not read, and turns them away', async () => {
    const { app, db } = freshApp();
    const incident = newIncident(db);
    const response = await request(app).post(`/incidents/${incident.slug}/documents`).attach('file', Buffer.alloc(1024 * 1024, 'a'), 'big.txt');
    assert.equal(response.status, 303);
    assert.match(response.headers.location!, /^\/login/);
    assert.equal(count(db, 'documents'), 0);
  });
});

describe('reviewing and saving proposals', () => {
  async function reviewed(_db: ReturnType<typeof freshApp>['db'], editor: ReturnType<typeof freshApp>['editor'], slug: string) {
    const created = await editor.post(`/incidents/${slug}/documents`).type('form').send({ text: WIRE, outlet_name: 'Wire Service', published_at: '2024-05-06' }).expect(303);
    const $ = page((await editor.get(created.headers.location!).expect(200)).text);
    return { url: created.headers.location!, $, fields: reviewFields($) };
  }

  it('saves the ticked rows as claims of the document, then shows the grid with them marked new', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const { url, fields } = await reviewed(db, editor, incident.slug);
    const ticked = Object.keys(fields).filter((name) => name.endsWith('[take]'));
    const saved = await editor.post(url).type('form').send(fields).expect(303);
    const claims = db.prepare('SELECT * FROM claims ORDER BY id').all() as Record<string, unknown>[];
    assert.equal(claims.length, ticked.length);
    assert.ok(claims.every((claim) => claim.document_id === 1 && typeof claim.span_start === 'number' && claim.published_at === '2024-05-06'));
    const killed = claims.find((claim) => claim.value === 'four' && WIRE.slice(claim.span_start as number, claim.span_end as number).includes('Observatory'))!;
    assert.equal(WIRE.slice(killed.span_start as number, killed.span_end as number), 'An airstrike on the town of Kafr Nabl killed four civilians on Monday, the Syrian Observatory for Human Rights said.');
    assert.match(saved.headers.location!, new RegExp(`^/incidents/${incident.slug}\\?added=${claims.map((claim) => claim.id).join('%2C')}#claim-${claims[0]!.id}$`));

    const grid = page((await editor.get(saved.headers.location!).expect(200)).text);
    assert.match(textOf(grid, '.notice'), new RegExp(`Saved ${claims.length} claims together`));
    assert.equal(grid('.claim.new').length, claims.length);
    assert.ok(grid(`#claim-${killed.id} .provenance a`).filter((_, a) => grid(a).attr('href') === `/incidents/${incident.slug}/documents/1`).length === 1, 'the grid links the claim to its document');
  });

  it('marks every saved claim’s span in the document’s text, and lists the proposals not yet taken', async () => {
    const { db, app, editor } = freshApp();
    const incident = newIncident(db);
    const { url, fields } = await reviewed(db, editor, incident.slug);
    // Save only the first ticked row.
    const first = Object.keys(fields).find((name) => name.endsWith('[take]'))!;
    const only = Object.fromEntries(Object.entries(fields).filter(([name]) => !name.endsWith('[take]') || name === first));
    await editor.post(url).type('form').send(only).expect(303);
    const claim = db.prepare('SELECT * FROM claims').get() as { id: number; span_start: number; span_end: number };
    const $ = page((await request(app).get(url.replace('/review', '')).expect(200)).text);
    const mark = $(`#span-${claim.id}`).nextAll('mark').first();
    assert.equal(mark.text(), WIRE.slice(claim.span_start, claim.span_end));
    assert.equal(mark.find('a').attr('href'), `/claims/${claim.id}`);
    assert.equal($('ol.taken li').length, 1);
    assert.equal($('ol.untaken li').length, Object.keys(fields).filter((name) => name.endsWith('[source]')).length - 1);

    // Reviewed again, in a second sitting: the saved proposal shows as taken and is not ticked.
    const again = page((await editor.get(url).expect(200)).text);
    assert.equal(again('fieldset.proposal.taken').length, 1);
    assert.match(textOf(again, 'fieldset.proposal.taken'), new RegExp(`Already saved as claim ${claim.id}`));
  });

  it('saves nothing when a row is bad, and shows every row as the analyst left it with the bad field marked', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const { url, fields } = await reviewed(db, editor, incident.slug);
    const rowsTicked = Object.keys(fields).filter((name) => name.endsWith('[take]')).map((name) => /rows\[(\d+)\]/.exec(name)![1]!);
    const last = rowsTicked.at(-1)!;
    const edited = { ...fields, 'rows[0][statement]': 'My own wording, kept.', [`rows[${last}][facet]`]: '', [`rows[${last}][value]`]: 'x'.repeat(300) };
    const before = snapshot(db);
    const response = await editor.post(url).type('form').send(edited).expect(400);
    assert.deepEqual(snapshot(db), before);
    const $ = page(response.text);
    assert.equal(textOf($, '.problem h2'), 'Nothing was saved');
    assert.equal($(`[id="rows.${last}.facet"]`).attr('aria-invalid'), 'true');
    assert.match(textOf($, `[id="rows.${last}.facet-error"]`), /Facet is required/);
    assert.match(textOf($, `[id="rows.${last}.value-error"]`), /at most 200 characters/);
    assert.equal($('[id="rows.0.statement"]').text(), 'My own wording, kept.');
    assert.equal($(`[id="rows.${last}.value"]`).attr('value'), 'x'.repeat(300));
    assert.deepEqual(reviewFields($), { ...edited, _csrf: reviewFields($)._csrf, page: '1' }, 'every row comes back as sent');
  });

  it('refuses a review sent again (back button, second tab): the proposals already saved are named on their rows', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const { url, fields } = await reviewed(db, editor, incident.slug);
    await editor.post(url).type('form').send(fields).expect(303);
    const saved = count(db, 'claims');
    const again = await editor.post(url).type('form').send(fields).expect(400);
    assert.equal(count(db, 'claims'), saved);
    const $ = page(again.text);
    const firstTicked = Object.keys(fields).find((name) => name.endsWith('[take]'))!.replace(/^rows\[(\d+)\]\[take\]$/, 'rows.$1.take');
    assert.match(textOf($, '.problem'), /Already saved as claim \d+/);
    assert.ok($(`a[href="#${firstTicked}"]`).length === 1, 'the summary links to the row');
  });

  it('names every bad field of every row at once', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const { url, fields } = await reviewed(db, editor, incident.slug);
    const [first, second] = Object.keys(fields).filter((name) => name.endsWith('[take]')).map((name) => /rows\[(\d+)\]/.exec(name)![1]!);
    const response = await editor.post(url).type('form').send({ ...fields, [`rows[${first}][facet]`]: '', [`rows[${second}][source]`]: '' }).expect(400);
    const $ = page(response.text);
    assert.match(textOf($, `[id="rows.${first}.facet-error"]`), /Facet is required/);
    assert.match(textOf($, `[id="rows.${second}.source-error"]`), /Choose a source/);
  });

  it('finds a source by any of its names: "CENTCOM" is US Central Command (CENTCOM), not a new source', async () => {
    const { db, editor } = freshApp({ demo: true });
    const incident = newIncident(db);
    const created = await editor.post(`/incidents/${incident.slug}/documents`).type('form').send({ text: 'Ten rockets were fired at the base, CENTCOM said.', outlet_name: 'ISWNews' }).expect(303);
    const fields = reviewFields(page((await editor.get(created.headers.location!).expect(200)).text));
    const sources = count(db, 'sources');
    await editor.post(created.headers.location!).type('form').send({ ...fields, 'rows[0][source]': 'CENTCOM' }).expect(303);
    assert.equal(count(db, 'sources'), sources);
    assert.equal(db.prepare('SELECT s.name FROM claims c JOIN sources s ON s.id = c.source_id ORDER BY c.id DESC LIMIT 1').pluck().get(), 'US Central Command (CENTCOM)');
  });

  it('answers a row sent by hand with fields missing as the form would: each missing field named', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const { url } = await reviewed(db, editor, incident.slug);
    const response = await editor.post(url).type('form').send({ 'rows[0][take]': 'on' }).expect(400);
    const $ = page(response.text);
    assert.match(textOf($, '[id="rows.0.facet-error"]'), /Facet is required/);
    assert.match(textOf($, '[id="rows.0.statement-error"]'), /Statement is required/);
    assert.doesNotMatch(response.text, /nonoptional/);
    assert.equal(count(db, 'claims'), 0);
  });

  it('says so when nothing is ticked', async () => {
    const { db, editor } = freshApp();
    const incident = newIncident(db);
    const { url, fields } = await reviewed(db, editor, incident.slug);
    const none = Object.fromEntries(Object.entries(fields).filter(([name]) => !name.endsWith('[take]')));
    const response = await editor.post(url).type('form').send(none).expect(400);
    assert.match(response.text, /Tick at least one proposal/);
    assert.equal(count(db, 'claims'), 0);
  });
});

describe('the API for documents and proposals', () => {
  it('POST /api/extract proposes claims and stores nothing; any reader may ask', async () => {
    const { db, app, tokenFor } = freshApp({ demo: true });
    const viewer = `Bearer ${tokenFor('viewer')}`;
    const before = snapshot(db);
    const response = await request(app)
      .post('/api/extract')
      .set('Authorization', viewer)
      .send({ text: WIRE, outlet: 'Wire Service', published_at: '2024-05-06' })
      .expect(200);
    assert.equal(response.body.sentences, 4);
    const sohr = response.body.proposals.find((p: { value: { text: string } | null }) => p.value?.text === 'four');
    assert.deepEqual(
      { source: sohr.source, via: sohr.via, facet: sohr.facet, value: sohr.value, quote: sohr.quote, published_at: sohr.published_at },
      {
        source: { name: 'Syrian Observatory for Human Rights (SOHR)', id: null, kind: 'NGO' },
        via: { name: 'Wire Service', id: null },
        facet: 'civilians killed',
        value: { text: 'four', low: 4, high: 4 },
        quote: null,
        published_at: '2024-05-06',
      },
    );
    assert.equal(WIRE.slice(sohr.start, sohr.end), sohr.sentence);
    assert.match(sohr.cue, /"said"/);
    assert.deepEqual(snapshot(db), before);
    // Open like other reads when reading is open; a viewer's session needs no CSRF token for it.
    await request(app).post('/api/extract').send({ text: WIRE }).expect(200);
    const privateApp = freshApp({ auth: { readAccess: 'private' } });
    await request(privateApp.app).post('/api/extract').send({ text: WIRE }).expect(401);
  });

  it('POST /api/extract matches an incident’s facets and sources, and refuses bad input', async () => {
    const { app, db } = freshApp({ demo: true });
    const evening = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG);
    const response = await request(app).post('/api/extract').send({ text: ARTICLE, outlet: 'ISWNews', incident_id: evening }).expect(200);
    const wounded = response.body.proposals.find((p: { sentence: string; value: { low: number } | null }) => p.sentence.includes('told Al Jazeera') && p.value?.low === 1);
    assert.equal(wounded.facet, 'US personnel wounded');
    assert.equal(wounded.source.id, db.prepare("SELECT id FROM sources WHERE name = 'US official (unnamed)'").pluck().get());
    assert.equal(wounded.via.id, db.prepare("SELECT id FROM sources WHERE name = 'Al Jazeera'").pluck().get());

    const bad = await request(app).post('/api/extract').send({ outlet: 'x' }).expect(400);
    assert.deepEqual(bad.body.error.issues, [{ path: 'text', message: 'Text is required' }]);
    await request(app).post('/api/extract').send({ text: 'x'.repeat(2 * 1024 * 1024) }).expect(413);
    await request(app).post('/api/extract').send({ text: 'Two drones.', incident_id: 999 }).expect(404);
    await request(app).post('/api/extract').type('form').send({ text: 'Two drones.' }).expect(415);
  });

  it('POST /api/incidents/:id/documents stores the document and answers with its proposals; the same text again finds it', async () => {
    const { app, db, tokenFor } = freshApp();
    const incident = newIncident(db);
    const token = `Bearer ${tokenFor('editor')}`;
    const created = await request(app).post(`/api/incidents/${incident.id}/documents`).set('Authorization', token)
      .send({ text: WIRE, title: 'Kafr Nabl', outlet_name: 'Wire Service', url: 'https://example.org/k', published_at: '2024-05-06T18:00' }).expect(201);
    assert.equal(created.body.existing, false);
    assert.equal(created.body.document.text, WIRE);
    assert.equal(created.body.document.outlet, 'Wire Service');
    assert.ok(created.body.proposals.length >= 4);
    assert.ok(created.body.proposals.every((p: { taken_by_claim_id: null; published_at: string }) => p.taken_by_claim_id === null && p.published_at === '2024-05-06T18:00'));
    const again = await request(app).post(`/api/incidents/${incident.id}/documents`).set('Authorization', token).send({ text: WIRE }).expect(200);
    assert.equal(again.body.existing, true);
    assert.equal(again.body.document.id, created.body.document.id);
    await request(app).post(`/api/incidents/${incident.id}/documents`).set('Authorization', `Bearer ${tokenFor('viewer')}`).send({ text: WIRE }).expect(403);
    const empty = await request(app).post(`/api/incidents/${incident.id}/documents`).set('Authorization', token).send({ text: '' }).expect(400);
    assert.equal(empty.body.error.issues[0].path, 'text');
  });

  it('saves thirty proposals in one transaction: a bad thirtieth writes nothing', async () => {
    const { app, db, tokenFor } = freshApp();
    const incident = newIncident(db);
    const token = `Bearer ${tokenFor('editor')}`;
    const text = Array.from({ length: 30 }, (_, i) => `Official ${i + 1} said ${i + 2} rockets were fired.`).join('\n');
    const { body } = await request(app).post(`/api/incidents/${incident.id}/documents`).set('Authorization', token).send({ text, outlet_name: 'Wire' }).expect(201);
    const claims = body.proposals.slice(0, 30).map((p: { start: number; end: number; facet: string; statement: string; value: { text: string } }) => ({
      new_source_name: 'Army spokesman (unnamed)', new_source_kind: 'military', facet: p.facet, text: p.statement, value: p.value.text,
      document_id: body.document.id, span_start: p.start, span_end: p.end,
    }));
    assert.equal(claims.length, 30);
    const before = snapshot(db);
    const refused = await request(app).post(`/api/incidents/${incident.id}/claims/batch`).set('Authorization', token)
      .send({ claims: [...claims.slice(0, 29), { ...claims[29], span_end: text.length + 5 }] }).expect(400);
    assert.deepEqual(refused.body.error.issues, [{ path: 'claims.29.span_end', message: `Span end is past the end of the document (${text.length} characters)` }]);
    assert.deepEqual(snapshot(db), before);
    const other = newIncident(db, 'Another incident');
    const foreign = await request(app).post(`/api/incidents/${other.id}/claims/batch`).set('Authorization', token).send({ claims: claims.slice(0, 1) }).expect(400);
    assert.match(foreign.body.error.issues[0].message, /This incident has no document with id/);
    const saved = await request(app).post(`/api/incidents/${incident.id}/claims/batch`).set('Authorization', token).send({ claims }).expect(201);
    assert.equal(saved.body.claims.length, 30);
    assert.equal(saved.body.claims[0].document_id, body.document.id);
    assert.equal(text.slice(saved.body.claims[3].span_start, saved.body.claims[3].span_end), 'Official 4 said 5 rockets were fired.');
  });
});

describe('claims taken from documents', () => {
  it('carry their document in the CSV and JSON exports', async () => {
    const { app, db } = freshApp({ demo: true });
    db.prepare("UPDATE documents SET url = 'https://iswnews.com/a'").run();
    const csv = parse((await request(app).get(`/incidents/${EVENING_SLUG}/claims.csv`).expect(200)).text, { columns: true, bom: true }) as Record<string, string>[];
    const official = csv.find((row) => row.value === 'at least eight')!;
    assert.equal(official.document_url, 'https://iswnews.com/a');
    assert.equal(ARTICLE.slice(Number(official.span_start), Number(official.span_end)), 'one of our bases in Syria’s Deir Ezzor province was targeted by at least eight rockets');
    const json = (await request(app).get(`/incidents/${EVENING_SLUG}/claims.json`).expect(200)).body as Record<string, unknown>[];
    const same = json.find((row) => row.claim_id === Number(official.claim_id))!;
    assert.deepEqual([same.document_id, same.document_url, same.span_start, same.span_end], [Number(official.document_id), 'https://iswnews.com/a', Number(official.span_start), Number(official.span_end)]);
  });

  it('in the demo, are marked in the seed article, with its other proposals listed beside', async () => {
    const { app, db } = freshApp({ demo: true });
    const documentId = db.prepare('SELECT d.id FROM documents d JOIN incidents i ON i.id = d.incident_id WHERE i.slug = ?').pluck().get(EVENING_SLUG);
    const $ = page((await request(app).get(`/incidents/${EVENING_SLUG}/documents/${documentId}`).expect(200)).text);
    assert.equal(textOf($, 'h1'), 'Resistance Forces Pounded Three US Bases In Syria (Video)');
    assert.ok($('.text mark').length >= 5);
    const ids = $('[id]').map((_, element) => $(element).attr('id')).get();
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [], 'no id twice, however spans overlap');
    // Every claim's link to its place lands, also where two claims share one quotation.
    const claimIds = db.prepare('SELECT c.id FROM claims c JOIN documents d ON d.id = c.document_id WHERE d.id = ? AND c.span_start IS NOT NULL').pluck().all(documentId) as number[];
    assert.deepEqual(claimIds.filter((id) => $(`#span-${id}`).length !== 1), []);
    assert.equal($('ol.taken li').length, 12);
    assert.ok($('ol.untaken li').length >= 1, 'the morning incident’s claims are proposed here but taken in another incident');
    const grid = page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    assert.match(textOf(grid, 'details.documents'), /Documents \(1\)/);
  });
});
