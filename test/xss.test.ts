import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheerioAPI } from 'cheerio';
import { createUser } from '../src/db/users.js';
import { freshApp, page } from './helpers.js';

/** Ways people (and attackers) have got script into pages: tags, handlers, schemes, entities, Markdown. */
export const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<scr<script>ipt>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '<object data="javascript:alert(1)">',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<style>@import "http://evil.example/x.css";</style>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '![x](javascript:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<https://example.org/" onmouseover="alert(1)>',
  '{{ 7 * 7 }}{% raw %}',
  'javascript:alert(1)',
];

// A JSON-LD data block is not run (and holds no "<": see src/web/jsonld.ts); any other script is forbidden.
const FORBIDDEN_ELEMENTS = 'script:not([type="application/ld+json"]), iframe, object, embed, svg, math, style, base, frame, frameset, applet, meta[http-equiv], link:not([rel="stylesheet"][href="/static/style.css"])';
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background'];

/** Fails if the page holds anything that would run script or load from elsewhere. */
function assertInert($: CheerioAPI, where: string): void {
  assert.equal($(FORBIDDEN_ELEMENTS).length, 0, `${where}: no script-bearing or styling element`);
  $('script').each((_, element) => assert.doesNotMatch($(element).html() ?? '', /</, `${where}: no "<" in a JSON-LD block`));
  $('*').each((_, element) => {
    for (const [name, value] of Object.entries((element as { attribs?: Record<string, string> }).attribs ?? {})) {
      assert.ok(!/^on/i.test(name), `${where}: no event handler attribute (${name})`);
      assert.notEqual(name.toLowerCase(), 'style', `${where}: no style attribute`);
      if (URL_ATTRIBUTES.includes(name.toLowerCase())) {
        const scheme = value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
        assert.ok(!/^(javascript|vbscript|data):/.test(scheme), `${where}: no ${scheme.split(':')[0]}: URL in ${name}`);
      }
    }
  });
}

describe('script in stored text', () => {
  it(`never runs: ${PAYLOADS.length} payloads in every text field and in Markdown, on every page that shows them`, async () => {
    const { db, editor, signIn } = freshApp();
    const admin = signIn('admin').agent;
    const incident = (
      await editor
        .post('/api/incidents')
        .send({ title: PAYLOADS.slice(0, 5).join(' '), location: PAYLOADS.slice(5, 10).join(' '), summary: PAYLOADS.join('\n\n') })
        .expect(201)
    ).body;
    const claimIds: number[] = [];
    for (const [index, payload] of PAYLOADS.entries()) {
      const source = (
        await editor.post('/api/sources').send({ name: `${payload} #${index}`, affiliation: payload, notes: payload }).expect(201)
      ).body;
      createUser(db, `${payload} user #${index}`, 'viewer', 'scrypt$unusable');
      const claim = (
        await editor
          .post(`/api/incidents/${incident.id}/claims`)
          .send({ source_id: source.id, facet: index % 2 ? `facet ${payload}` : 'shared facet', text: payload, quote: payload, value: payload })
      ).body;
      assert.ok(claim.id, `${payload}: ${JSON.stringify(claim)}`);
      claimIds.push(claim.id);
      // An edit, so the history page diffs the payload against other text.
      await editor.patch(`/api/claims/${claim.id}`).set('If-Match', '"1"').send({ text: `${payload} (edited)` }).expect(200);
    }
    const [first, second] = [claimIds[0]!, claimIds[2]!];
    await editor.post(`/api/incidents/${incident.id}/relations`).send({ a: first, b: second, relation: 'unrelated', reason: PAYLOADS.join(' ') }).expect(201);
    await editor.delete(`/api/claims/${claimIds[4]}`).expect(204);

    const slug = encodeURIComponent(incident.slug);
    const paths = [
      '/', `/incidents/${slug}`, `/incidents/${slug}/edit`, `/incidents/${slug}/delete`, `/incidents/${slug}/claims/new`,
      `/incidents/${slug}/compare?a=${first}&b=${second}`, '/sources', '/admin/users', '/admin/deleted',
      ...claimIds.slice(0, 6).map((id) => `/claims/${id}`),
      ...[0, 1, 2, 3, 5].map((index) => `/claims/${claimIds[index]}/edit`),
      ...[1, 2, 3].flatMap((id) => [`/sources/${id}`, `/sources/${id}/edit`]),
    ];
    for (const path of paths) {
      const response = await admin.get(path);
      assert.equal(response.status, 200, path);
      assertInert(page(response.text), path);
    }

    // Shown as the text it is, not swallowed.
    const grid = page((await admin.get(`/incidents/${slug}`)).text);
    assert.equal(grid(`#claim-${first} .statement`).text(), '<script>alert(1)</script> (edited)');
    assert.match(grid('.summary').text(), /<svg onload=alert\(1\)>/);
    assert.match(grid('.summary').text(), /\{\{ 7 \* 7 \}\}\{% raw %\}/, 'template syntax is not evaluated');
  });

  it('is refused in URL fields unless the URL is http(s)', async () => {
    const { editor } = freshApp({ demo: true });
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '//evil.example']) {
      const claim = await editor.post('/api/incidents/1/claims').send({ source_id: 1, facet: 'f', text: 't', url }).expect(400);
      assert.equal(claim.body.error.issues[0].path, 'url');
      await editor.post('/api/sources').send({ name: `x ${url}`, url }).expect(400);
    }
  });
});

describe('the inertness check itself', () => {
  it('catches each kind of live markup it looks for', () => {
    for (const html of ['<script>x</script>', '<a href=" JaVa\tScript:x">a</a>', '<img src=x onerror=y>', '<p style="x">', '<svg></svg>', '<meta http-equiv="refresh" content="0">']) {
      assert.throws(() => assertInert(page(`<html><body>${html}</body></html>`), 'sample'), assert.AssertionError, html);
    }
    assertInert(page('<html><body><a href="/incidents/x">fine</a><p>&lt;script&gt;</p></body></html>'), 'sample');
  });
});
