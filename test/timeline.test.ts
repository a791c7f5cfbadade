/**
 * An incident's timeline page: claims by the instant each was published (UTC), a lane per source in
 * each facet, revisions as steps, the first contradiction marked, a table saying the same under
 * each drawing, undated claims apart. Driven through the pages, as a reader would.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheerioAPI } from 'cheerio';
import request from 'supertest';
import { createClaim } from '../src/db/claims.js';
import { createIncident } from '../src/db/incidents.js';
import { createSource } from '../src/db/sources.js';
import { EVENING_SLUG, freshApp, page, textOf } from './helpers.js';

type App = ReturnType<typeof freshApp>;

async function addClaim(app: App, slug: string, fields: { source: string; facet: string; value: string; published_at?: string; kind?: string }): Promise<number> {
  const incident = app.db.prepare('SELECT id FROM incidents WHERE slug = ?').pluck().get(slug) as number;
  const { source, kind = 'media', ...claim } = fields;
  const response = await app.editor
    .post(`/api/incidents/${incident}/claims`)
    .send({ new_source_name: source, new_source_kind: kind, text: `${source}: ${claim.value}.`, ...claim })
    .expect(201);
  return response.body.id;
}

async function timelinePage(app: App, slug: string, query = ''): Promise<CheerioAPI> {
  return page((await request(app.app).get(`/incidents/${slug}/timeline${query}`).expect(200)).text);
}

/** The section of the page that draws `facet`. */
function facetSection($: CheerioAPI, facet: string) {
  const section = $('section.timeline-facet').filter((_, element) => $(element).find('h2 a').text().trim() === facet);
  assert.equal(section.length, 1, `a section for “${facet}”`);
  return section;
}

/** Each table row's claim id and cells, in order. */
function tableRows($: CheerioAPI, section: ReturnType<typeof facetSection>) {
  return section
    .find('table.timeline-table tbody tr')
    .toArray()
    .map((row) => ({ claim: Number($(row).attr('data-claim')), cells: $(row).find('td').toArray().map((cell) => $(cell).text().replace(/\s+/g, ' ').trim()) }));
}

/** Where the drawing puts each claim: its x, from the mark's translate(x y). */
function drawnX($: CheerioAPI, section: ReturnType<typeof facetSection>): Map<number, number> {
  return new Map(
    section
      .find('svg g.point')
      .toArray()
      .map((mark) => [Number($(mark).attr('data-claim')), Number(/translate\(([\d.]+) /.exec($(mark).attr('transform') ?? '')![1])]),
  );
}

describe('the timeline of an incident', () => {
  it('the timeline of the demo’s evening attack orders claims by instant across time zones', async () => {
    const app = freshApp({ demo: true });
    // Beside the demo's own times (the official's day, the article's time without a zone), accounts
    // from Tehran (+03:30), Beirut (+03:00) and Washington (-04:00): the clock times as written run
    // in another order than the instants.
    const tasnim = await addClaim(app, EVENING_SLUG, { source: 'Tasnim', facet: 'bases targeted', value: 'three', published_at: '2023-03-25T04:00+03:30' }); // 00:30 UTC
    const centcom = await addClaim(app, EVENING_SLUG, { source: 'US Central Command (CENTCOM)', kind: 'military', facet: 'bases targeted', value: 'one', published_at: '2023-03-24T22:15-04:00' }); // 02:15 UTC
    const mayadeen = await addClaim(app, EVENING_SLUG, { source: 'Al Mayadeen', facet: 'bases targeted', value: 'three', published_at: '2023-03-25T03:10+03:00' }); // 00:10 UTC
    const ids = app.db.prepare("SELECT s.name, c.id FROM claims c JOIN sources s ON s.id = c.source_id JOIN incidents i ON i.id = c.incident_id WHERE i.slug = ? AND c.facet = 'bases targeted'").all(EVENING_SLUG) as { name: string; id: number }[];
    const idOf = (name: string) => ids.find((row) => row.name === name)!.id;
    const official = idOf('US military official (unnamed)');
    const iswnews = idOf('ISWNews');

    const $ = await timelinePage(app, EVENING_SLUG);
    const section = facetSection($, 'bases targeted');
    const rows = tableRows($, section);
    const expected = [official, mayadeen, tasnim, centcom, iswnews];
    assert.deepEqual(rows.map((row) => row.claim), expected, 'the table: by instant, not by the clock times written');
    assert.deepEqual(rows.map((row) => row.cells[0]), [
      '2023-03-24 (day only)',
      '2023-03-25 00:10 UTC',
      '2023-03-25 00:30 UTC',
      '2023-03-25 02:15 UTC',
      '2023-03-25 11:52 (zone not given)',
    ]);
    const xs = drawnX($, section);
    const drawn = expected.map((id) => xs.get(id)!);
    assert.ok(drawn.every((x, i) => i === 0 || drawn[i - 1]! < x), `the drawing: left to right in the same order (${drawn.join(', ')})`);
    // Twenty minutes apart in UTC, and closer than two hours apart as the clocks were written.
    assert.ok(xs.get(tasnim)! - xs.get(mayadeen)! < xs.get(centcom)! - xs.get(tasnim)!);
    // The lanes: one per source, in the order each first spoke.
    assert.deepEqual(section.find('svg text.lane-name').toArray().map((name) => $(name).text().trim()), [
      'US military official (unnamed)',
      'Al Mayadeen',
      'Tasnim',
      'US Central Command (CENTCOM)',
      'ISWNews',
    ]);
    assert.equal(section.find('table time[datetime="2023-03-25T03:10+03:00"]').attr('title'), 'As published: 2023-03-25T03:10+03:00', 'the time as published is kept');
  });

  it('marks the moment the first contradiction appeared, in the drawing and the table', async () => {
    const app = freshApp({ demo: true });
    const mayadeen = await addClaim(app, EVENING_SLUG, { source: 'Al Mayadeen', facet: 'bases targeted', value: 'three', published_at: '2023-03-25T03:10+03:00' });
    const $ = await timelinePage(app, EVENING_SLUG);
    const section = facetSection($, 'bases targeted');
    // The official's "one" (24 March) stood alone until Al Mayadeen's "three".
    assert.match(textOf($, 'section.timeline-facet:first-of-type .first-contradiction'), /First contradiction: 2023-03-25 00:10 UTC, when Al Mayadeen’s “three” met US military official \(unnamed\)’s “one”/);
    const marked = tableRows($, section).filter((row) => row.cells[5] !== '—');
    assert.deepEqual(marked.map((row) => [row.claim, row.cells[5]]), [[mayadeen, '✕ first contradiction, with US military official (unnamed)’s “one”']]);
    const line = section.find('svg .contradiction-line');
    assert.equal(Number(line.attr('x1')), drawnX($, section).get(mayadeen));
    assert.match(section.find('svg .contradiction-label').text(), /✕ first contradiction, 2023-03-25 00:10 UTC/);
    assert.match(section.find('svg desc').text(), /The first contradiction appeared at 2023-03-25 00:10 UTC/);
    // "rockets fired" is consistent ("several", "at least eight"): nothing to mark.
    assert.equal(facetSection($, 'rockets fired').find('.contradiction-line, .first-contradiction').length, 0);
  });

  it('marks a contradiction made by a claim since revised: “five” met “one” before “seven” did', async () => {
    const app = freshApp({ demo: true });
    const five = await addClaim(app, EVENING_SLUG, { source: 'Al Mayadeen', facet: 'bases targeted', value: 'five', published_at: '2023-03-25T09:00Z' });
    const seven = await addClaim(app, EVENING_SLUG, { source: 'Al Mayadeen', facet: 'bases targeted', value: 'seven', published_at: '2023-03-25T10:00Z' });
    const $ = await timelinePage(app, EVENING_SLUG);
    const section = facetSection($, 'bases targeted');
    assert.match(textOf($, 'section.timeline-facet:first-of-type .first-contradiction'), /First contradiction: 2023-03-25 09:00 UTC, when Al Mayadeen’s “five” met US military official \(unnamed\)’s “one”/);
    const rows = tableRows($, section);
    assert.deepEqual(rows.filter((row) => row.cells[5] !== '—').map((row) => [row.claim, row.cells[4], row.cells[5]]), [[five, 'superseded', '✕ first contradiction, with US military official (unnamed)’s “one”']]);
    assert.ok(rows.some((row) => row.claim === seven && row.cells[4] === 'current'));
    assert.equal(Number(section.find('svg .contradiction-line').attr('x1')), drawnX($, section).get(five));
    assert.match(section.find('svg .contradiction-label').text(), /✕ first contradiction, 2023-03-25 09:00 UTC/);
    assert.match(section.find('svg desc').text(), /The first contradiction appeared at 2023-03-25 09:00 UTC, when Al Mayadeen’s “five” met US military official \(unnamed\)’s “one”/);
    assert.match(textOf($, 'details.legend'), /superseded ones too/);
  });

  it('draws a source’s revisions as steps: “wounded: none → 11 → 34 → 64 → 110”', async () => {
    const app = freshApp({ demo: true });
    const values: [string, string][] = [
      ['34', '2023-03-26T09:00-04:00'],
      ['none', '2023-03-24T20:00-04:00'],
      ['110', '2023-03-28T12:00Z'],
      ['11', '2023-03-25T03:00+03:00'],
      ['64', '2023-03-27'],
    ];
    for (const [value, published_at] of values) {
      await addClaim(app, EVENING_SLUG, { source: 'Pentagon', kind: 'government', facet: 'US personnel wounded', value, published_at });
    }
    const $ = await timelinePage(app, EVENING_SLUG);
    const section = facetSection($, 'US personnel wounded');
    const lane = section.find('svg g.lane').filter((_, element) => $(element).find('text.lane-name').text().startsWith('Pentagon'));
    assert.equal(lane.find('text.lane-name').text(), 'Pentagon · revised: none → 11 → 34 → 64 → 110');
    assert.deepEqual(lane.find('text.point-label').toArray().map((label) => $(label).text()), ['none', '11', '34', '64', '110']);
    assert.equal(lane.find('g.point.superseded').length, 4);
    assert.equal(lane.find('g.point.current').length, 1);
    assert.equal(lane.find('line.held').length, 5, 'each value held until the next');
    assert.equal(lane.find('line.held.current').length, 1);
    assert.deepEqual(tableRows($, section).map((row) => [row.cells[3], row.cells[4]]), [
      ['none', 'superseded'],
      ['11', 'superseded'],
      ['34', 'superseded'],
      ['64', 'superseded'],
      ['110', 'current'],
    ]);
    assert.match(section.find('svg desc').text(), /Pentagon revised: none → 11 → 34 → 64 → 110\./);
  });

  it('lists undated claims apart, and draws no facet whose claims are all undated', async () => {
    const app = freshApp({ demo: true });
    const $ = await timelinePage(app, EVENING_SLUG);
    // The US official's four claims through Al Jazeera give no time.
    const undated = $('#undated + p + table tbody tr').toArray().map((row) => $(row).find('td').toArray().map((cell) => $(cell).text().replace(/\s+/g, ' ').trim()).slice(0, 4));
    assert.deepEqual(undated, [
      ['bases targeted', 'US official (unnamed)', 'Al Jazeera', 'three'],
      ['drones launched', 'US official (unnamed)', 'Al Jazeera', 'three'],
      ['US personnel wounded', 'US official (unnamed)', 'Al Jazeera', 'one'],
      ['drones shot down', 'US official (unnamed)', 'Al Jazeera', 'two'],
    ]);
    const drawn = $('section.timeline-facet h2 a').toArray().map((link) => $(link).text());
    assert.ok(!drawn.includes('drones shot down') && !drawn.includes('US personnel wounded'), drawn.join());
    assert.match(textOf($, 'section.timeline-facet:first-of-type'), /And 1 undated claim on this facet, listed apart\./);
  });

  it('is a page a screen reader and a phone can read: each drawing named and described, a table beneath it, no script', async () => {
    const app = freshApp({ demo: true });
    const response = await request(app.app).get(`/incidents/${EVENING_SLUG}/timeline`).expect(200);
    const $ = page(response.text);
    assert.equal($('script').length, 0);
    const drawings = $('svg.timeline');
    assert.ok(drawings.length >= 4);
    for (const svg of drawings.toArray()) {
      assert.equal($(svg).attr('role'), 'img');
      const title = $(`#${$(svg).attr('aria-labelledby')}`);
      assert.match(title.text(), /^Timeline of “.+”, times in UTC$/);
      assert.ok(title.is('title') && title.parent().is(svg));
      assert.ok($(`#${$(svg).attr('aria-describedby')}`).text().length > 20);
      assert.match($(svg).attr('viewBox')!, /^0 0 720 \d+$/);
      const table = $(svg).closest('section').find('table.stack');
      assert.equal(table.length, 1, 'a table equivalent beneath each drawing');
      assert.deepEqual(table.find('thead th').toArray().map((th) => $(th).text()), ['Published (UTC)', 'Source', 'Via', 'Value', 'Standing', 'Contradiction']);
      for (const row of table.find('tbody tr').toArray()) {
        assert.deepEqual($(row).find('td').toArray().slice(1).map((cell) => $(cell).attr('data-label')), ['Source', 'Via', 'Value', 'Standing', 'Contradiction']);
      }
    }
    // The ticks say they are UTC; the legend says what each mark means in words.
    assert.match(textOf($, 'svg.timeline:first-of-type .tick-context'), /24 Mar 2023 · UTC/);
    assert.match(textOf($, 'details.legend'), /zone not given.*day only/s);
  });

  it('is linked from the incident’s page', async () => {
    const { app } = freshApp({ demo: true });
    const $ = page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text);
    assert.equal($('a').filter((_, link) => $(link).text() === 'Timeline').attr('href'), `/incidents/${EVENING_SLUG}/timeline`);
  });

  it('escapes what sources say and keeps right-to-left text in its own direction', async () => {
    const app = freshApp({ demo: true });
    await addClaim(app, EVENING_SLUG, { source: 'وكالة تسنيم', facet: 'bases targeted', value: '<script>alert(1)</script> ثلاث', published_at: '2023-03-25T02:00+03:30' });
    const response = await request(app.app).get(`/incidents/${EVENING_SLUG}/timeline`).expect(200);
    assert.ok(!response.text.includes('<script>alert(1)'));
    const $ = page(response.text);
    const section = facetSection($, 'bases targeted');
    const row = section.find('tbody tr').filter((_, tr) => $(tr).text().includes('وكالة تسنيم'));
    assert.equal(row.find('td[data-label="Source"] a').attr('dir'), 'auto');
    assert.equal(row.find('td[data-label="Value"] a').attr('dir'), 'auto');
    assert.ok(section.find('svg text.lane-name').toArray().some((name) => $(name).text() === 'وكالة تسنيم'));
  });

  it('says so when an incident has no claims, and when none of its claims is dated', async () => {
    const app = freshApp();
    const token = `Bearer ${app.tokenFor('editor')}`;
    const incident = (await request(app.app).post('/api/incidents').set('Authorization', token).send({ title: 'Quiet' }).expect(201)).body;
    let $ = await timelinePage(app, incident.slug);
    assert.match(textOf($, 'main'), /This incident has no claims yet\./);
    await addClaim(app, incident.slug, { source: 'SOHR', facet: 'killed', value: 'four' });
    $ = await timelinePage(app, incident.slug);
    assert.match(textOf($, 'main .empty'), /No claim on this incident gives a time it was published: they are listed below\./);
    assert.equal($('svg.timeline').length, 0);
    assert.equal($('#undated + p + table tbody tr').length, 1);
    await request(app.app).get(`/incidents/${incident.slug}/timeline?page=2`).expect(404);
    await request(app.app).get('/incidents/no-such-incident/timeline').expect(404);
  });

  it('comes in pages for a large incident, every page drawn on the whole incident’s range', async () => {
    const app = freshApp();
    const incident = createIncident(app.db, { title: 'Many facets', occurred_on: null, location: null, summary: null });
    const sources = [1, 2, 3, 4].map((n) => createSource(app.db, { name: `Source ${n}`, kind: 'media', affiliation: null, url: null, notes: null }).id);
    app.db.transaction(() => {
      for (let facet = 0; facet < 130; facet++) {
        for (const [index, source_id] of sources.entries()) {
          createClaim(app.db, incident.id, {
            source_id, via_source_id: null, facet: `facet ${String(facet).padStart(3, '0')}`, text: 'x', quote: null, value: String(index + facet),
            published_at: `2023-03-${String(1 + (facet % 28)).padStart(2, '0')}T12:00Z`, url: null, archive_url: null, document_id: null, span_start: null, span_end: null,
          });
        }
      }
    })();
    const first = await timelinePage(app, incident.slug);
    assert.match(textOf(first, 'nav.pager'), /Page 1 of 2: facets 1–125 of 130\./);
    assert.equal(first('nav.pager a[rel="next"]').attr('href'), `/incidents/${incident.slug}/timeline?page=2`);
    const second = await timelinePage(app, incident.slug, '?page=2');
    assert.equal(second('section.timeline-facet').length, 5);
    const ticks = ($: CheerioAPI) => $('svg.timeline').first().find('.tick-label').toArray().map((tick) => $(tick).text()).join();
    assert.equal(ticks(second), ticks(first), 'one axis for the whole incident');
  });
});
