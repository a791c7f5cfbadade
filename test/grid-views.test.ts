/**
 * Reading a wide grid and the lists (issue 13): the grid filtered and ordered with plain GET links,
 * how many source columns are off-screen, a legend, an empty incident that says what to do, user
 * text marked for its own direction, and the list of incidents sorted and searched.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { EVENING_SLUG, freshApp, page, textOf } from './helpers.js';

/** An incident of nine sources: three camps on the dead, an Arabic-language agency among them. */
async function nineSources(editor: ReturnType<typeof freshApp>['editor']) {
  const incident = (await editor.post('/api/incidents').send({ title: 'Shelling of a market', occurred_on: '2024-02-11', location: 'Tal Hamra' }).expect(201)).body;
  const sources: [string, string, string | undefined, string][] = [
    ['SANA', 'media', 'Syrian government', '0'],
    ['Ministry of Health', 'government', 'Syrian government', 'none'],
    ['SOHR', 'NGO', 'UK-based monitor', '12'],
    ['White Helmets', 'NGO', 'opposition-aligned', '11'],
    ['Local resident', 'individual', undefined, 'about 10'],
    ['Reuters', 'media', undefined, 'at least 9'],
    ['Enab Baladi', 'media', 'opposition-aligned', '13'],
    ['Russian MoD', 'military', 'Russian government', '0'],
    ['وكالة الأنباء', 'media', 'Syrian government', '٠'],
  ];
  const claims = sources.map(([name, kind, affiliation, value]) => ({ new_source_name: name, new_source_kind: kind, new_source_affiliation: affiliation, facet: 'people killed', text: name === 'وكالة الأنباء' ? 'قالت الوكالة إن أحداً لم يُقتل.' : `${name}: ${value}.`, value, quote: name === 'وكالة الأنباء' ? 'لم يسقط أي قتيل' : undefined }));
  claims.push({ new_source_name: 'SOHR', new_source_kind: 'NGO', new_source_affiliation: 'UK-based monitor', facet: 'shells fired', text: 'Eight shells.', value: 'eight', quote: undefined });
  await editor.post(`/api/incidents/${incident.id}/claims/batch`).send({ claims }).expect(201);
  return incident as { id: number; slug: string };
}

function columns($: ReturnType<typeof page>): string[] {
  return $('table.grid thead th.source a').map((_, a) => $(a).text().trim()).get();
}

function facets($: ReturnType<typeof page>): string[] {
  return $('table.grid tbody .facet-name').map((_, a) => $(a).text().trim()).get();
}

describe('a wide grid', () => {
  it('filters facets and sources with plain GET links, the form showing the view it made', async () => {
    const { app, editor } = freshApp();
    const incident = await nineSources(editor);
    const all = page((await request(app).get(`/incidents/${incident.slug}`).expect(200)).text);
    assert.deepEqual(facets(all), ['people killed', 'shells fired']);
    assert.equal(columns(all).length, 9);

    const contradictions = page((await request(app).get(`/incidents/${incident.slug}?only=contradictions`).expect(200)).text);
    assert.deepEqual(facets(contradictions), ['people killed'], 'the single-source facet is not a contradiction');
    assert.match(textOf(contradictions, 'form.grid-view'), /Showing 1 of 2 facets/);
    assert.equal(contradictions('form.grid-view input[name=only]').attr('checked'), 'checked', 'the form shows the view it made');

    assert.deepEqual(facets(page((await request(app).get(`/incidents/${incident.slug}?hide=single`).expect(200)).text)), ['people killed']);

    const ngos = page((await request(app).get(`/incidents/${incident.slug}?kind=NGO`).expect(200)).text);
    assert.deepEqual(columns(ngos), ['SOHR', 'White Helmets']);
    assert.deepEqual(facets(ngos), ['people killed', 'shells fired']);
    const government = page((await request(app).get(`/incidents/${incident.slug}?affiliation=syrian%20government`).expect(200)).text);
    assert.deepEqual(columns(government), ['SANA', 'Ministry of Health', 'وكالة الأنباء']);
    assert.deepEqual(facets(government), ['people killed'], 'no Syrian government source spoke of shells');

    const camps = page((await request(app).get(`/incidents/${incident.slug}?order=affiliation`).expect(200)).text);
    assert.deepEqual(columns(camps), ['White Helmets', 'Enab Baladi', 'Russian MoD', 'SANA', 'Ministry of Health', 'وكالة الأنباء', 'SOHR', 'Local resident', 'Reuters']);

    // A value the form does not offer shows everything rather than an error page.
    assert.deepEqual(facets(page((await request(app).get(`/incidents/${incident.slug}?only=everything&order=x`).expect(200)).text)), ['people killed', 'shells fired']);
    const none = page((await request(app).get(`/incidents/${incident.slug}?kind=nobody`).expect(200)).text);
    assert.match(textOf(none, 'main'), /No facet matches this view\. Show everything\./);
  });

  it('says how many source columns are off-screen at each width it may be given', async () => {
    const { app, editor } = freshApp();
    const incident = await nineSources(editor);
    const $ = page((await request(app).get(`/incidents/${incident.slug}`).expect(200)).text);
    const notes = $('.offscreen span').map((_, span) => [[$(span).attr('class'), $(span).text()]]).get() as unknown as [string, string][];
    assert.equal(notes.length, 9);
    assert.deepEqual(notes[0], ['k-0', '9 of 9 sources off-screen: scroll sideways →']);
    assert.deepEqual(notes[4], ['k-4', '5 of 9 sources off-screen: scroll sideways →']);
  });

  it('explains itself in a legend, and an empty incident says what to do instead of a row of zeros', async () => {
    const { app, editor } = freshApp({ demo: true });
    const legend = textOf(page((await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200)).text), 'details.legend');
    assert.match(legend, /Contradicts/);
    assert.match(legend, /sources sharing an affiliation \(two outlets of one ministry\) count once/);
    const empty = (await editor.post('/api/incidents').send({ title: 'Nothing yet' }).expect(201)).body;
    const $ = page((await editor.get(`/incidents/${empty.slug}`).expect(200)).text);
    assert.equal($('#overview').length, 0, 'no “0 contradictions, 0 consistent…”');
    assert.match(textOf($, 'p.empty'), /No claims yet — add the first, or add a document and take claims from it\./);
  });

  it('marks user text with its own direction, so Arabic reads right to left', async () => {
    const { app, editor } = freshApp();
    const incident = await nineSources(editor);
    const $ = page((await request(app).get(`/incidents/${incident.slug}`).expect(200)).text);
    const arabic = $('td.cell').filter((_, td) => $(td).find('.cell-source').text().trim() === 'وكالة الأنباء');
    assert.equal(arabic.find('.cell-source').attr('dir'), 'auto');
    assert.equal(arabic.find('p.statement').attr('dir'), 'auto');
    assert.equal(arabic.find('.value-text').attr('dir'), 'auto');
    assert.equal(arabic.find('blockquote').attr('dir'), 'auto');
    assert.equal($('thead th.source a').last().attr('dir'), 'auto');
    const css = (await request(app).get('/static/style.css').expect(200)).text;
    assert.doesNotMatch(css.slice(css.indexOf('.quote blockquote')).split('}')[0]!, /italic/, 'no faux italics for scripts that have none');
    assert.match(css, /\.quote blockquote \{[^}]*border-inline-start/);
  });
});

describe('the list of incidents', () => {
  it('sorts by date, most contradictions or latest change, and finds by title or location', async () => {
    const { app, editor, db } = freshApp({ demo: true });
    const titles = async (query: string) => {
      const $ = page((await request(app).get(`/${query}`).expect(200)).text);
      return $('table.incidents tbody tr td:first-child').map((_, td) => $(td).text().trim()).get();
    };
    const byDate = await titles('');
    assert.deepEqual(byDate.slice(0, 1), ['Morning rocket attack on the Green Village compound']);
    const contradictions = await titles('?sort=contradictions');
    assert.equal(contradictions[0], 'Evening rocket and drone attacks on US positions in eastern Syria', 'the only incident with a contradiction');

    // A claim added to the oldest incident makes it the most recently changed.
    const oldest = byDate.at(-1)!;
    const id = db.prepare('SELECT id FROM incidents WHERE title = ?').pluck().get(oldest) as number;
    await editor.post(`/api/incidents/${id}/claims`).send({ new_source_name: 'Pentagon', new_source_kind: 'military', facet: 'strikes', text: 'Two strikes.', value: 'two' }).expect(201);
    assert.equal((await titles('?sort=changed'))[0], oldest);

    assert.deepEqual(await titles('?q=green%20VILLAGE'), ['Morning rocket attack on the Green Village compound']);
    assert.deepEqual(await titles('?q=Hasakah'), ['Evening rocket and drone attacks on US positions in eastern Syria'], 'the location is searched too');
    assert.deepEqual(await titles('?q=100%25'), [], '% is a character here, not a wildcard');
    const $ = page((await request(app).get('/?q=nothing%20like%20this').expect(200)).text);
    assert.match(textOf($, 'p.empty'), /No incident’s title or location holds “nothing like this”/);
  });

  it('keeps each date on one line', async () => {
    const { app } = freshApp({ demo: true });
    const $ = page((await request(app).get('/').expect(200)).text);
    assert.equal($('table.incidents tbody td.date').first().text().trim(), '2023-03-24');
    const css = (await request(app).get('/static/style.css').expect(200)).text;
    assert.match(css, /td\.date[^{]*\{ white-space: nowrap; \}/);
  });
});
