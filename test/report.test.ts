import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from 'cheerio';
import fc from 'fast-check';
import { Marked } from 'marked';
import request from 'supertest';
import { escapeMarkdown, summaryMarkdown } from '../src/web/report.js';
import { EVENING_SLUG, freshApp, GREEN_VILLAGE_SLUG } from './helpers.js';

/** GFM as the project reads it, raw HTML left as HTML: any tag the escaped text made shows. */
const marked = new Marked({ gfm: true, async: false });
const html = (markdown: string) => marked.parse(markdown) as string;

/** The elements and plain text of rendered Markdown. */
function rendered(markdown: string): { tags: string[]; text: string } {
  const $ = load(html(markdown), null, false);
  return { tags: $('*').toArray().map((element) => (element as { tagName: string }).tagName), text: $.root().text().replace(/\s+/g, ' ').trim() };
}

/** What the text reads as once whitespace means what it means in a paragraph. */
const plain = (text: string) => text.replaceAll('\0', '\uFFFD').replace(/[ \t\n\r\f\v]+/g, ' ').trim();

/** Text heavy in what Markdown reads as structure, with ordinary letters, digits and non-Latin text between. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'#*_`[]()<>!|~&;:@\\-+=.)/ \t\n\r'.split('')),
    fc.constantFrom('a', 'Z', '1', '0', 'x', 'é', 'ق', '“', '\0'),
    fc.constantFrom('www.', 'http://', 'https://x.y', 'a@b.co', '&amp;', '&#35;', '<script>', '](javascript:alert(1))', '```', '---', '1. ', '> ', '# ', '<!--', '<https://e.org>'),
  ),
  maxLength: 40,
});

async function reportOf(slug: string) {
  const { app } = freshApp({ demo: true });
  return request(app).get(`/incidents/${slug}/report.md`).buffer(true).expect(200);
}

describe('incident report', () => {
  it('writes the evening incident: title, summary, facets, positions, the assessment, every claim with its source and time, the contradictions in sentences', async () => {
    const response = await reportOf(EVENING_SLUG);
    const text = response.text;
    assert.match(text, /^# Evening rocket and drone attacks on US positions in eastern Syria\n/);
    assert.ok(text.includes('## Summary\n\nLate on **24 March 2023**'), 'the summary, its own Markdown kept');
    for (const facet of ['bases targeted', 'rockets fired', 'drones launched', 'locations hit', 'perpetrator', 'US military response', 'US personnel wounded', 'drones shot down']) {
      assert.ok(text.includes(`\n### ${facet}\n`), `a heading for ${facet}`);
    }
    const bases = text.slice(text.indexOf('### bases targeted'), text.indexOf('### rockets fired'));
    assert.ok(bases.includes('- **A** (1): US military official (unnamed)'), bases);
    assert.ok(bases.includes('- **B** (3): ISWNews, US official (unnamed)'), bases);
    assert.match(bases, /\*\*Analyst's assessment\*\*: best value “three” \(fits position B\); grade \*\*fair\*\*\./);
    assert.ok(bases.includes('> ISWNews and a US official speaking to Al Jazeera'), 'the reason');
    assert.ok(bases.includes('- **ISWNews**, 2023-03-25 11:52 (zone not given): Resistance groups targeted three US bases in eastern Syria.'));
    assert.ok(bases.includes('- **US military official (unnamed)** via ISWNews, 2023-03-24: One US base'));
    assert.ok(bases.includes('- **US official (unnamed)** via Al Jazeera, time not given: Three US bases'));
    assert.equal(text.match(/^- \*\*[^*]+\*\*( via [^,]+)?, /gm)?.length, 12, 'every claim, once');
    assert.ok(text.includes('- On *bases targeted*, ISWNews says “three”; US military official (unnamed) says “one”: these cannot both be true.'));
    assert.ok(text.includes('- On *bases targeted*, US military official (unnamed) says “one”; US official (unnamed) says “three”: these cannot both be true.'));
    // Rendered, it is a document: one title, the sections, no raw HTML.
    const { tags } = rendered(text);
    assert.equal(tags.filter((tag) => tag === 'h1').length, 1);
    assert.equal(tags.filter((tag) => tag === 'h3').length, 8);
  });

  it('spells out CENTCOM contradicting itself in the morning incident: no casualties, four civilians injured', async () => {
    const { text } = await reportOf(GREEN_VILLAGE_SLUG);
    assert.ok(
      text.includes(
        '- US Central Command (CENTCOM) contradicts itself: it says “four” on *civilians injured* and “none” on *casualties*; *civilians injured* are counted among *casualties*, so these cannot both be true.',
      ),
      text.slice(0, 1500),
    );
  });

  it('is a Markdown file named after the incident', async () => {
    const response = await reportOf(EVENING_SLUG);
    assert.match(response.headers['content-type']!, /^text\/markdown; charset=utf-8/);
    assert.match(response.headers['content-disposition']!, new RegExp(`^attachment; filename="?${EVENING_SLUG}-report\\.md"?$`));
    const { app } = freshApp({ demo: true });
    await request(app).get('/incidents/no-such-incident/report.md').expect(404);
    const head = await request(app).head(`/incidents/${EVENING_SLUG}/report.md`).expect(200);
    assert.match(head.headers['content-type']!, /^text\/markdown/);
  });

  it('is linked from the incident page', async () => {
    const { app } = freshApp({ demo: true });
    const page = await request(app).get(`/incidents/${EVENING_SLUG}`).expect(200);
    assert.ok(page.text.includes(`<a href="/incidents/${EVENING_SLUG}/report.md">Report (Markdown)</a>`));
  });

  it('escapes user text: rendered, it is the same text in one paragraph, with no heading, link, HTML or other structure', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const escaped = escapeMarkdown(text);
        assert.ok(!escaped.includes('\n'), 'one line');
        const expected = plain(text);
        for (const [markdown, wrappers] of [
          [escaped, ['p']],
          [`- **${escapeMarkdown('source')}**: ${escaped}`, ['ul', 'li', 'strong']],
          [`# ${escaped}`, ['h1']],
        ] as const) {
          const { tags, text: shown } = rendered(markdown);
          if (expected === '' && markdown === escaped) {
            assert.deepEqual(tags, []);
            continue;
          }
          assert.deepEqual([...new Set(tags)].sort(), [...wrappers].sort(), `only ${wrappers.join(', ')} for ${JSON.stringify(text)} → ${JSON.stringify(markdown)}: ${html(markdown)}`);
          const prefix = markdown === escaped || markdown.startsWith('#') ? '' : 'source: ';
          assert.equal(shown, `${prefix}${expected}`.trim(), `the same text for ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps a hostile claim as text in the report, and the summary below the report\'s headings', async () => {
    const { editor } = freshApp();
    const source = (await editor.post('/api/sources').send({ name: '[Evil](javascript:alert(1)) | *Outlet*', kind: 'media' }).expect(201)).body;
    const incident = (await editor.post('/api/incidents').send({ title: 'Hostile # text', summary: '# A heading in the summary\n\n<script>alert(1)</script> and **bold**' }).expect(201)).body;
    const claimText = '# Breaking | `rm -rf` <img src=x onerror=alert(1)> [click](https://evil.example) *now*\n\n- a list';
    await editor
      .post(`/api/incidents/${incident.id}/claims`)
      .send({ source_id: source.id, facet: '<b>facet</b>', text: claimText, value: '3', url: 'https://example.org/a_(b)', published_at: '2023-03-24T23:00+03:00' })
      .expect(201);
    const { text } = await editor.get(`/incidents/${incident.slug}/report.md`).buffer(true).expect(200);
    const out = rendered(text);
    assert.deepEqual(
      [...new Set(out.tags)].sort(),
      ['a', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'li', 'p', 'strong', 'ul', 'em', 'br'].filter((tag) => out.tags.includes(tag)).sort(),
      'no img, script, b or code',
    );
    assert.ok(!out.tags.includes('img') && !out.tags.includes('script') && !out.tags.includes('b') && !out.tags.includes('code'));
    const $ = load(html(text), null, false);
    assert.deepEqual($('a').toArray().map((a) => $(a).attr('href')), ['https://example.org/a_(b)'], 'the claim\'s own link only');
    assert.equal($('h1').text(), 'Hostile # text');
    assert.equal($('h4').text(), 'A heading in the summary', 'the summary\'s heading under the report\'s');
    assert.ok(out.text.includes(`${plain(claimText)}`), 'the claim text, as typed');
    assert.ok(out.text.includes('[Evil](javascript:alert(1)) | *Outlet*'), 'the source name, as typed');
    assert.ok(out.text.includes('<script>alert(1)</script>'), 'HTML in the summary shown as text');
    assert.ok(text.includes('2023-03-24 20:00 UTC'), 'the time in UTC, as the pages show it');
  });

  it('puts the summary\'s headings below the report\'s own', () => {
    assert.equal(summaryMarkdown('# One\n## Two\n\n   ### Three\n####### not a heading'), '#### One\n##### Two\n\n###### Three\n####### not a heading');
  });
});
