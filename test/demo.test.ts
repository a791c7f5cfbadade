import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import request from 'supertest';
import { DEMO_ARTICLE_FILE, DEMO_INCIDENTS } from '../src/demo.js';
import { EVENING_SLUG, freshApp, GREEN_VILLAGE_SLUG, page, textOf } from './helpers.js';


/** The grid as a reader sees it: for each facet row, the text of each source's column. */
function gridCells(html: string): { columns: string[]; rows: Map<string, Map<string, string>> } {
  const $ = page(html);
  const columns = $('table.grid thead th.source a').map((_, a) => $(a).text().trim()).get();
  const rows = new Map<string, Map<string, string>>();
  $('table.grid tbody tr').each((_, tr) => {
    const facet = $(tr).find('.facet-name').text().trim();
    const cells = new Map<string, string>();
    $(tr)
      .find('td.cell')
      .each((index, td) => {
        cells.set(columns[index]!, $(td).find('.claim').first().text().replace(/\s+/g, ' ').trim());
      });
    rows.set(facet, cells);
  });
  return { columns, rows };
}

describe('the demo', () => {
  it('lists the seed article’s three incidents on the home page, newest first, with counts', async () => {
    const { app } = freshApp({ demo: true });
    const response = await request(app).get('/').expect(200);
    const $ = page(response.text);
    const titles = $('table.incidents tbody tr td:first-child').map((_, td) => $(td).text().trim()).get();
    assert.deepEqual(titles, [
      'Morning rocket attack on the Green Village compound',
      'Evening rocket and drone attacks on US positions in eastern Syria',
      'US airstrikes on Iran-backed groups in Deir Ezzor',
    ]);
    const evening = $('table.incidents tbody tr').eq(1).find('td').map((_, td) => $(td).text().trim()).get();
    assert.equal(evening[1], '2023-03-24');
    assert.deepEqual(evening.slice(3, 6), ['3', '8', '12'], 'sources, facets, claims');
  });

  it('shows the evening attack’s three sources side by side, claims in facet rows', async () => {
    const { app } = freshApp({ demo: true });
    const response = await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200);
    const { columns, rows } = gridCells(response.text);
    assert.deepEqual(columns, ['ISWNews', 'US military official (unnamed)', 'US official (unnamed)']);
    for (const facet of ['bases targeted', 'rockets fired', 'drones launched', 'US personnel wounded']) {
      assert.ok(rows.has(facet), `a row for ${facet}`);
    }
    const rockets = rows.get('rockets fired')!;
    assert.match(rockets.get('ISWNews')!, /Several rockets were fired/);
    assert.match(rockets.get('ISWNews')!, /several/);
    assert.match(rockets.get('US military official (unnamed)')!, /At least eight rockets/);
    assert.match(rockets.get('US military official (unnamed)')!, /via ISWNews/);
    assert.equal(rockets.get('US official (unnamed)'), '', 'the US official said nothing about rockets');

    const wounded = rows.get('US personnel wounded')!;
    assert.match(wounded.get('US official (unnamed)')!, /A US soldier was wounded/);
    assert.match(wounded.get('US official (unnamed)')!, /via Al Jazeera/);

    const bases = rows.get('bases targeted')!;
    assert.match(bases.get('ISWNews')!, /three/);
    assert.match(bases.get('US military official (unnamed)')!, /one/);
    assert.match(bases.get('US official (unnamed)')!, /three/);
  });

  it('shows CENTCOM’s claims in the Green Village grid, with its verbatim statement', async () => {
    const { app } = freshApp({ demo: true });
    const response = await request(app).get(`/incidents/${GREEN_VILLAGE_SLUG}`).expect(200);
    const { columns, rows } = gridCells(response.text);
    assert.deepEqual(columns, ['ISWNews', 'US Central Command (CENTCOM)']);
    assert.match(rows.get('rockets fired')!.get('US Central Command (CENTCOM)')!, /Ten rockets.*ten/);
    assert.match(rows.get('civilians injured')!.get('US Central Command (CENTCOM)')!, /Two women and two children/);
    assert.match(rows.get('casualties')!.get('US Central Command (CENTCOM)')!, /no casualties/);
    assert.match(textOf(page(response.text), '.quote blockquote'), /injures to two women and two children/);
  });

  it('renders the incident summary from Markdown', async () => {
    const { app } = freshApp({ demo: true });
    const response = await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200);
    const $ = page(response.text);
    assert.equal($('.summary strong').first().text(), '24 March 2023');
  });

  it('quotes the article verbatim', () => {
    const article = fs.readFileSync(DEMO_ARTICLE_FILE, 'utf8');
    for (const incident of DEMO_INCIDENTS) {
      for (const claim of incident.claims) {
        assert.ok(article.includes(claim.quote), `"${claim.quote}" is in the article`);
      }
    }
  });
});

describe('positions in the demo', () => {
  it('show who sides with whom on the evening attack’s bases: 1 against 3', async () => {
    const { app, db } = freshApp({ demo: true });
    const $ = page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    const row = $('tr.facet-row').filter((_, tr) => $(tr).find('.facet-name').text().trim() === 'bases targeted');
    assert.equal(
      row.find('.positions').text().replace(/\s+/g, ' ').trim(),
      '2 positions: A 1 — US military official (unnamed) · B 3 — ISWNews, US official (unnamed)',
    );
    // The military official's cell: position A, contradicting B.
    const cells = row.find('td');
    const official = cells.filter((_, td) => $(td).find('.statement').text().includes('One US base'));
    assert.equal(official.find('.position-key').text().trim(), 'A');
    assert.match(official.find('.against').text(), /contradicts B \(3\)/);

    const evening = db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(EVENING_SLUG);
    const { body } = await request(app).get(`/api/incidents/${evening}/comparison`).expect(200);
    const bases = body.facets.find((facet: { facet: string }) => facet.facet === 'bases targeted');
    const name = (id: number) => body.sources.find((source: { id: number }) => source.id === id).name;
    assert.deepEqual(
      bases.positions.map((p: { sources: number[]; low: number; high: number; voices: number }) => [p.sources.map(name), p.low, p.high, p.voices]),
      [[['US military official (unnamed)'], 1, 1, 1], [['ISWNews', 'US official (unnamed)'], 3, 3, 2]],
    );
    assert.deepEqual(bases.span, { low: 1, high: 3 });
  });

  it('name a contradiction that runs along affiliation lines', async () => {
    const { app, tokenFor } = freshApp();
    const token = `Bearer ${tokenFor('editor')}`;
    const incident = (await request(app).post('/api/incidents').set('Authorization', token).send({ title: 'Strike on Kafr Nabl' }).expect(201)).body;
    const claims = [
      { new_source_name: 'SANA', new_source_kind: 'media', new_source_affiliation: 'Syrian government', facet: 'people killed', text: 'None were killed.', value: 'none' },
      { new_source_name: 'Syrian Ministry of Defence', new_source_kind: 'government', new_source_affiliation: 'Syrian government', facet: 'people killed', text: 'No one was killed.', value: 'no one' },
      { new_source_name: 'SOHR', new_source_kind: 'NGO', new_source_affiliation: 'UK-based monitor', facet: 'people killed', text: 'Three were killed.', value: 'three' },
    ];
    await request(app).post(`/api/incidents/${incident.id}/claims/batch`).set('Authorization', token).send({ claims }).expect(201);
    const $ = page((await request(app).get(`/incidents/${incident.slug}`).expect(200)).text);
    assert.equal($('.positions').text().replace(/\s+/g, ' ').trim(), '2 positions: A 0 — SANA, Syrian Ministry of Defence (1 independent voice) · B 3 — SOHR');
    assert.equal($('.affiliation-lines').text().trim(), 'Along affiliation lines: Syrian government: 0 · UK-based monitor: 3');
  });

  it('name the first six positions of a facet of many, and count the rest', async () => {
    const { app, tokenFor } = freshApp();
    const token = `Bearer ${tokenFor('editor')}`;
    const incident = (await request(app).post('/api/incidents').set('Authorization', token).send({ title: 'Ten sources, ten counts' })).body;
    const claims = Array.from({ length: 10 }, (_, n) => ({ new_source_name: `Witness ${n + 1}`, new_source_kind: 'individual', facet: 'people killed', text: 'x', value: String(n * 10) }));
    await request(app).post(`/api/incidents/${incident.id}/claims/batch`).set('Authorization', token).send({ claims }).expect(201);
    const $ = page((await request(app).get(`/incidents/${incident.slug}`).expect(200)).text);
    assert.match($('.positions').text().replace(/\s+/g, ' ').trim(), /^10 positions: A 0 — Witness 1 · B 10 — Witness 2 · .* · F 50 — Witness 6 · and 4 more$/);
    assert.equal($('.against').first().text().trim(), 'contradicts B (10), C (20), D (30), E (40), F (50) and 4 more');
  });
});

