/**
 * Claimgrid in a real browser (issue 13): headless Chromium, driven by playwright-core, walks a first
 * user's way from the one-time setup link to a CSV export, and reads a grid of nine sources at
 * desktop and phone widths. Every page state on the way is checked with axe-core and, on the phone,
 * for a page wider than the window; screenshots go to test-results/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { openDatabase, migrate } from '../src/db/database.js';
import { createApiToken, createUser } from '../src/db/users.js';
import { checkPage, chromiumMissing, clearScreenshots, IN_CI, launchChromium, SCREENSHOTS, whyNotOnScreen, withPage, WIDTHS } from './browser-helpers.js';
import { type RunningServer, startServer, stopServer, tempDatabase, waitForOutput } from './server-helpers.js';

const missing = chromiumMissing();
// Without a browser the tests are skipped with the reason shown, except in CI, where a missing
// browser is a broken set-up and must not pass as green: there each test fails saying why.
const skip = missing && !IN_CI ? `skipped: ${missing}` : false;
if (skip) console.warn(`Browser tests ${skip}.`);

/** Submits the form and waits for the page it leads to (a POST answered by a redirect, or the form again). */
async function submit(page: Page, form: string): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), page.locator(`${form} button[type=submit]`).first().click()]);
  await page.waitForLoadState('load');
}

async function follow(page: Page, link: string): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), page.locator(link).first().click()]);
  await page.waitForLoadState('load');
}

function text(page: Page, selector: string): Promise<string> {
  return page.locator(selector).first().innerText();
}

describe('in a real browser', () => {
  let launched: Browser | undefined;
  const servers: RunningServer[] = [];

  before(async () => {
    if (missing) return;
    launched = await launchChromium();
    clearScreenshots();
  });

  function chromium(): Browser {
    if (!launched) throw new Error(`The browser tests cannot run: ${missing}. CI is set, so they fail instead of being skipped.`);
    return launched;
  }

  after(async () => {
    await launched?.close();
    for (const server of servers) await stopServer(server);
  });

  it('takes a first user from the setup link to a judged contradiction and its CSV export, every page accessible and fitting a phone', { skip, timeout: 300_000 }, async (t) => {
    const browser = chromium();
    const server = await startServer({ DATABASE_PATH: tempDatabase(), DEMO: 'off' });
    servers.push(server);
    const [, setupLink] = await waitForOutput(server, /one-time link:\s+(\S+)/);

    await withPage(browser, async (page) => {
      await page.goto(setupLink!);
      await checkPage(t, page, 'setup');

      // Too short a password: refused, the name kept.
      await page.fill('#name', 'Ada Admin');
      await page.fill('#password', 'short');
      await submit(page, 'form[action^="/setup"]');
      assert.equal(await page.inputValue('#name'), 'Ada Admin');
      assert.ok((await page.locator('[role=alert]').count()) > 0, 'the refusal is announced');
      await checkPage(t, page, 'setup refused');

      await page.fill('#password', 'correct horse battery staple');
      await submit(page, 'form[action^="/setup"]');
      assert.equal(await page.locator('form[action^="/setup"]').count(), 0, 'the setup form is done with');
      assert.match(await text(page, 'header'), /Ada Admin/, 'and the new admin is signed in');
      assert.match(await text(page, 'main'), /What to do next/, 'the page after setup says what to do next');
      await checkPage(t, page, 'after setup');

      // Out and back in through the sign-in form, as on any later day.
      await submit(page, 'header form[action^="/logout"]');
      assert.match(await text(page, 'header'), /Sign in/);
      await checkPage(t, page, 'home, signed out, empty');
      await follow(page, 'header a[href^="/login"]');
      await checkPage(t, page, 'sign in');
      await page.fill('#name', 'Ada Admin');
      await page.fill('#password', 'correct horse battery staple');
      await submit(page, 'form[action^="/login"]');
      assert.match(await text(page, 'header'), /Ada Admin/);
      await checkPage(t, page, 'home, signed in, empty');

      await follow(page, 'header a[href="/incidents/new"]');
      await checkPage(t, page, 'new incident');
      await page.fill('#title', 'Rocket attack on Green Village');
      await page.fill('#occurred_on', '2023-03-24');
      await page.fill('#location', 'Green Village, Deir Ezzor');
      await page.fill('#summary', 'Rockets struck the **Green Village** compound in the morning.');
      await submit(page, 'form[action^="/incidents"]');
      assert.equal(await text(page, 'h1'), 'Rocket attack on Green Village');
      await checkPage(t, page, 'incident, no claims');
      const incidentUrl = new URL(page.url()).pathname;

      // The first claim, with its statement forgotten: refused, and everything typed is kept.
      await follow(page, `a[href="${incidentUrl}/claims/new"]`);
      await checkPage(t, page, 'new claim');
      await page.selectOption('#source_id', '');
      await page.fill('#new_source_name', 'CENTCOM');
      await page.selectOption('#new_source_kind', 'military');
      await page.fill('#new_source_affiliation', 'US government');
      await page.fill('#facet', 'rockets fired');
      await page.fill('#value', 'at least eight');
      await page.fill('#published_at', '2023-03-24');
      await page.fill('#url', 'https://www.centcom.mil/MEDIA/PRESS-RELEASES/');
      await submit(page, `form[action^="${incidentUrl}/claims"]`);
      assert.equal(await page.locator('#text').getAttribute('aria-invalid'), 'true', 'the statement is marked as the problem');
      assert.ok((await page.locator('[role=alert]').count()) > 0, 'a summary of what went wrong is announced');
      assert.equal(await page.inputValue('#new_source_name'), 'CENTCOM');
      assert.equal(await page.inputValue('#value'), 'at least eight');
      await checkPage(t, page, 'new claim refused');

      await page.fill('#text', 'CENTCOM said at least eight rockets were fired at the compound.');
      await submit(page, `form[action^="${incidentUrl}/claims"]`);
      assert.equal(new URL(page.url()).pathname, incidentUrl, 'a saved claim lands on its grid');
      await checkPage(t, page, 'grid, one claim');

      // The second source says two: at least eight cannot be two.
      await follow(page, `a[href="${incidentUrl}/claims/new"]`);
      await page.selectOption('#source_id', '');
      await page.fill('#new_source_name', 'Islamic Resistance in Syria');
      await page.selectOption('#new_source_kind', 'armed group');
      await page.fill('#new_source_affiliation', 'Iran-aligned');
      await page.fill('#facet', 'rockets fired');
      await page.fill('#text', 'The group said it fired two rockets.');
      await page.fill('#quote', 'two rockets targeted the occupiers’ base');
      await page.fill('#value', 'two');
      await submit(page, `form[action^="${incidentUrl}/claims"]`);
      assert.equal(new URL(page.url()).pathname, incidentUrl);
      const row = page.locator('tr.facet-row', { has: page.locator('th.facet', { hasText: 'rockets fired' }) });
      assert.match(await row.getAttribute('class') ?? '', /\brow-contradict\b/, 'the facet is marked as a contradiction');
      assert.equal(await row.locator('td.cell-contradict').count(), 2, 'both sides of the contradiction are marked');
      assert.ok(await row.locator('.status-contradict').first().isVisible(), 'the contradiction is shown in words, not colour alone');
      await checkPage(t, page, 'grid, a contradiction');

      await follow(page, `a[href^="${incidentUrl}/compare?"]`);
      assert.match(await text(page, 'main'), /at least eight/);
      assert.match(await text(page, 'main'), /two/);
      await checkPage(t, page, 'compare');

      // A judgement without its reason is refused; with one, it is the pair's relation.
      await page.selectOption('#relation', 'consistent');
      await submit(page, `form[action^="${incidentUrl}/relations"]`);
      assert.equal(await page.locator('#reason').getAttribute('aria-invalid'), 'true', 'the missing reason is marked');
      await checkPage(t, page, 'compare, judgement refused');
      const reason = 'CENTCOM counts rockets launched; the group counts those aimed at the base.';
      await page.selectOption('#relation', 'consistent');
      await page.fill('#reason', reason);
      await submit(page, `form[action^="${incidentUrl}/relations"]`);
      assert.match(await text(page, 'main'), /Ada Admin/, 'the judgement says who made it');
      assert.ok((await text(page, 'main')).includes(reason));
      await checkPage(t, page, 'compare, judged');

      await page.goto(new URL(incidentUrl, page.url()).href);
      assert.match(await row.getAttribute('class') ?? '', /\brow-consistent\b/, 'the analyst’s judgement decides the facet’s status');
      // textContent: the pairs of a facet no longer contradicting are folded away, one click off.
      assert.ok((await page.locator('main').textContent())!.includes(reason), 'the grid’s list of pairs holds the judgement and its reason');
      await checkPage(t, page, 'grid, judged');

      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`a[href="${incidentUrl}/claims.csv"]`).first().click()]);
      const csv = fs.readFileSync((await download.path())!, 'utf8');
      const rows: Record<string, string>[] = parse(csv, { bom: true, columns: true });
      assert.deepEqual(
        rows.map((r) => [r.source, r.source_kind, r.facet, r.value, r.statement]).sort(),
        [
          ['CENTCOM', 'military', 'rockets fired', 'at least eight', 'CENTCOM said at least eight rockets were fired at the compound.'],
          ['Islamic Resistance in Syria', 'armed group', 'rockets fired', 'two', 'The group said it fired two rockets.'],
        ],
      );
      assert.equal(rows.find((r) => r.source === 'CENTCOM')?.url, 'https://www.centcom.mil/MEDIA/PRESS-RELEASES/');

      // Claims taken from a pasted text: stored, proposed, reviewed, saved, and marked in the text.
      await follow(page, `a[href="${incidentUrl}/documents/new"]`);
      await checkPage(t, page, 'new document');
      await page.fill(
        '#text',
        'Rockets struck the Green Village compound in eastern Syria on Friday morning, residents of the nearby town said. ' +
          'A US official told Al Jazeera that at least eight rockets hit the compound. ' +
          'The official said that no US personnel were wounded, and that the attack was still being investigated.',
      );
      await page.fill('#title', 'Rockets hit Green Village, US official says');
      await page.fill('#outlet_name', 'Al Jazeera');
      await submit(page, `form[action^="${incidentUrl}/documents"]`);
      assert.match(new URL(page.url()).pathname, /\/documents\/\d+\/review$/, 'a stored text leads to its proposals');
      assert.ok((await page.locator('form[action$="/review"] input[type=checkbox]:checked').count()) > 0, 'proposals with a value come ticked');
      await checkPage(t, page, 'review proposals');
      await submit(page, 'form[action$="/review"]');
      assert.equal(new URL(page.url()).pathname, incidentUrl, 'saved proposals land on the grid');
      await checkPage(t, page, 'grid, claims from a document');
      const documentLink = await page.locator(`a[href^="${incidentUrl}/documents/"]:not([href$="/new"])`).first().getAttribute('href');
      await page.goto(new URL(documentLink!, page.url()).href);
      assert.ok((await page.locator('main mark a').count()) > 0, 'the claims taken are marked in the text');
      await checkPage(t, page, 'a document');

      // The pages a new user reaches from here.
      await follow(page, 'header a[href="/sources"]');
      await checkPage(t, page, 'sources');
      await follow(page, 'main a[href^="/sources/"]:not([href="/sources/new"])');
      await checkPage(t, page, 'a source');
      // A search from the box in the header, narrowed by a filter, then a query that means nothing.
      await page.fill('header input[name=q]', 'rocket');
      await submit(page, 'header form[role=search]');
      assert.equal(new URL(page.url()).pathname, '/search');
      assert.ok((await page.locator('section.hits-claims li.hit').count()) >= 2, 'both claims on rockets are found');
      assert.equal(await text(page, 'section.hits-claims mark.match'), 'rockets');
      await checkPage(t, page, 'search');
      await page.locator('details.filters summary').click();
      await page.selectOption('#kind', 'armed group');
      await submit(page, 'main form[role=search]');
      assert.equal(await page.locator('section.hits-claims li.hit').count(), 1, 'only the armed group’s claim');
      await checkPage(t, page, 'search, filtered');
      await page.fill('#q', 'rockets OR');
      await submit(page, 'main form[role=search]');
      assert.match(await text(page, '#q-error'), /needs a word after it/);
      await checkPage(t, page, 'search, a mistake');
      // An import from the header: a table with a mistake, shown by line and column; corrected, previewed, imported.
      await follow(page, 'header a[href="/import"]');
      await checkPage(t, page, 'import');
      const slug = incidentUrl.split('/').pop()!;
      const table = (date: string) =>
        `incident,source,source_kind,facet,statement,value,published_at\r\n${slug},Syrian Observatory for Human Rights,NGO,rockets fired,"Ten rockets struck the compound, the Observatory said.",10,2023-03-24\r\n${slug},Syrian Observatory for Human Rights,NGO,civilians injured,Four civilians were hurt when a rocket hit a house.,4,${date}\r\n`;
      await page.setInputFiles('#file', { name: 'observatory.csv', mimeType: 'text/csv', buffer: Buffer.from(table('24/03/2023')) });
      await submit(page, 'form.import-form');
      assert.match(await text(page, 'table.import-errors tbody tr'), /line 3\s*published_at\s*Published must be a date/);
      assert.equal(await page.locator('form.import-apply').count(), 0, 'nothing to import while a row is bad');
      await checkPage(t, page, 'import preview, a bad row');
      await follow(page, 'section.problem a[href="/import"]');
      await page.setInputFiles('#file', { name: 'observatory.csv', mimeType: 'text/csv', buffer: Buffer.from(table('2023-03-24')) });
      await submit(page, 'form.import-form');
      assert.match(await text(page, 'ul.import-counts'), /2 claims to add/);
      await checkPage(t, page, 'import preview');
      await submit(page, 'form.import-apply');
      assert.match(await text(page, '.notice'), /Imported: 2 claims added, 0 updated, 0 unchanged; 1 new source/);
      await checkPage(t, page, 'import done');
      // The incident's export, one statement reworded as in a spreadsheet: the preview shows the words that change.
      const exported = await (await page.request.get(new URL(`${incidentUrl}/claims.csv`, page.url()).href)).text();
      await follow(page, 'header a[href="/import"]');
      await page.setInputFiles('#file', { name: 'claims.csv', mimeType: 'text/csv', buffer: Buffer.from(exported.replace('Four civilians were hurt when a rocket hit a house.', 'Four civilians (two women and two children) were hurt when a rocket hit a house.')) });
      await submit(page, 'form.import-form');
      assert.match(await text(page, 'ul.import-counts'), /0 claims to add\s*1 to update/);
      assert.equal(await text(page, 'mark.changed.added'), '(two women and two children)');
      await checkPage(t, page, 'import preview, an update');
      await page.goto(new URL(incidentUrl, page.url()).href);
      await follow(page, `a[href^="${incidentUrl}/facet?"]`);
      await checkPage(t, page, 'a facet');
      await page.goto(new URL(incidentUrl, page.url()).href);
      await follow(page, 'td.cell a[href^="/claims/"]:not([href$="/edit"]):not([href$="/delete"])');
      await checkPage(t, page, 'a claim’s history');
      await follow(page, 'header a[href="/admin/users"]');
      await checkPage(t, page, 'users');
    });
  });

  it('keeps the facet and the source of any cell on screen in a grid of nine sources, on a desktop and on a phone', { skip, timeout: 120_000 }, async (t) => {
    const browser = chromium();
    const databasePath = tempDatabase();
    const token = fixtureEditor(databasePath);
    const server = await startServer({ DATABASE_PATH: databasePath, DEMO: 'off' });
    servers.push(server);
    const slug = await nineSourceIncident(server.url, token);

    await withPage(browser, async (page) => {
      await page.goto(`${server.url}incidents/${slug}`);
      assert.equal(await page.locator('table.grid thead th.source').count(), 9);
      await checkPage(t, page, 'grid of nine sources');
      const rows = await page.locator('table.grid tbody tr.facet-row').count();
      assert.equal(rows, NINE_FACETS.length);

      for (const size of WIDTHS) {
        await page.setViewportSize(size);
        // As a reader goes: down the page to the grid, then on through it, never further than the
        // cell they want to read. (Scrolled further, a grid that scrolls in a box of its own can leave
        // its header above the window with its last row still showing; no CSS sticks a header to the
        // window from inside a box that scrolls sideways.) A cell in the middle, then the far corner,
        // where both the facet column and the source header have scrolled away unless they stick.
        await page.evaluate(() => {
          window.scrollTo(0, 0);
          document.querySelector('.grid-wrap')?.scrollTo(0, 0);
          document.querySelector('table.grid')!.closest('.grid-wrap, table')!.scrollIntoView({ block: 'start', inline: 'nearest' });
        });
        for (const [row, column] of [[Math.ceil(rows / 2), 5], [rows, 9]] as const) {
          const at = `facet ${row}, source ${column}, at ${size.width} px`;
          await markCell(page, row, column);
          await page.locator('[data-test-cell]').evaluate((element) => element.scrollIntoView({ block: 'nearest', inline: 'nearest' }));
          assert.equal(await whyNotOnScreen(page, '[data-test-cell] .statement'), undefined, `the cell itself is on screen (${at})`);
          assert.equal(await whyNotOnScreen(page, '[data-test-facet] .facet-name'), undefined, `its facet label is on screen (${at})`);
          assert.equal(await whyNotSourceNamed(page), undefined, `its source's name is on screen (${at})`);
          if (row === rows) assert.notEqual(await whyNotOnScreen(page, 'table.grid tbody tr.facet-row td.cell .statement'), undefined, `the grid has scrolled so far that its first cell is out of sight, as the test means (${at})`);
        }
        await page.screenshot({ path: path.join(SCREENSHOTS, `nine-sources-scrolled-${size.width}.png`) });
        // How many source columns the window leaves out, said from the width alone (no script runs).
        const offscreen = await page.locator('.offscreen > span').evaluateAll((spans) => spans.filter((span) => span.checkVisibility()).map((span) => span.textContent));
        assert.deepEqual(offscreen, size.width < 500 ? [] : ['5 of 9 sources off-screen: scroll sideways →'], `the off-screen note at ${size.width} px`);
        if (size.width < 500) {
          // A phone: each facet a card, its claims stacked one under the other, each naming its source.
          const cells = await page.locator('table.grid tbody tr.facet-row').first().locator('td.cell').evaluateAll((tds) =>
            tds.map((td) => ({ box: td.getBoundingClientRect().toJSON() as DOMRect, source: td.querySelector('.cell-source')?.getBoundingClientRect().height ?? 0 })),
          );
          for (let i = 1; i < cells.length; i++) {
            assert.ok(cells[i]!.box.top >= cells[i - 1]!.box.bottom - 1, `claim ${i + 1} of the card is under claim ${i}, not beside it`);
            assert.ok(Math.abs(cells[i]!.box.left - cells[0]!.box.left) < 2, 'the claims of a card stand in one column');
          }
          assert.ok(cells.every((cell) => cell.source > 0), 'each claim of a card names its source');
        }
      }
      // Right-to-left text reads right to left, in upright letters, its quote ruled on its right.
      const arabic = await page.locator('td.cell').filter({ has: page.locator('.cell-source', { hasText: 'وكالة أنباء فارس' }) }).first().evaluate((td) => {
        const statement = getComputedStyle(td.querySelector('p.statement')!);
        const quote = getComputedStyle(td.querySelector('blockquote')!);
        return { direction: statement.direction, quoteDirection: quote.direction, fontStyle: quote.fontStyle, ruleRight: quote.borderRightWidth, ruleLeft: quote.borderLeftWidth };
      });
      assert.deepEqual(arabic, { direction: 'rtl', quoteDirection: 'rtl', fontStyle: 'normal', ruleRight: '3px', ruleLeft: '0px' });
    });
  });
});

/** Marks the claim cell at `row` and `column` (from 1), its row's facet label and its column's source header, for whyNotOnScreen. */
async function markCell(page: Page, row: number, column: number): Promise<void> {
  await page.evaluate(({ row, column }) => {
    for (const marked of document.querySelectorAll('[data-test-cell], [data-test-facet], [data-test-source]')) marked.removeAttribute(marked.getAttributeNames().find((name) => name.startsWith('data-test-'))!);
    const tr = document.querySelectorAll('table.grid tbody tr.facet-row')[row - 1]!;
    tr.querySelector('th.facet')!.setAttribute('data-test-facet', '');
    tr.querySelectorAll('td.cell')[column - 1]!.setAttribute('data-test-cell', '');
    document.querySelectorAll('table.grid thead th.source')[column - 1]!.setAttribute('data-test-source', '');
  }, { row, column });
}

/**
 * Why the marked cell's source is not named on screen, or undefined when it is: by its column's
 * header (thead th.source), or, where a phone shows the grid as one card per facet without the
 * header row, by a name inside the cell.
 */
async function whyNotSourceNamed(page: Page): Promise<string | undefined> {
  const header = await whyNotOnScreen(page, '[data-test-source] a');
  if (header === undefined) return undefined;
  const named = await page.evaluate(() => {
    const name = document.querySelector('[data-test-source] a')!.textContent!.trim();
    const inCell = [...document.querySelectorAll('[data-test-cell] *')].filter((element) => element.children.length === 0 && element.textContent!.trim() === name);
    inCell.forEach((element, i) => element.setAttribute('data-test-name', String(i)));
    return inCell.length;
  });
  const reasons = [`the column header: ${header}`];
  for (let i = 0; i < named; i++) {
    const why = await whyNotOnScreen(page, `[data-test-cell] [data-test-name="${i}"]`);
    if (why === undefined) return undefined;
    reasons.push(`the name in the cell: ${why}`);
  }
  return reasons.join('; ');
}

/** An editor with an API token, written into the database before the server opens it. */
function fixtureEditor(databasePath: string): string {
  fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  const db = openDatabase(databasePath);
  try {
    migrate(db);
    return createApiToken(db, createUser(db, 'Fixture Editor', 'editor', 'scrypt$unusable').id);
  } finally {
    db.close();
  }
}

const NINE_SOURCES: [name: string, kind: string, affiliation: string | undefined][] = [
  ['US Central Command (CENTCOM)', 'military', 'US government'],
  ['Pentagon spokesperson', 'government', 'US government'],
  ['Islamic Resistance in Syria', 'armed group', 'Iran-aligned'],
  ['Tasnim News Agency', 'media', 'Iran-aligned'],
  ['Syrian Observatory for Human Rights', 'NGO', 'UK-based monitor'],
  ['SANA', 'media', 'Syrian government'],
  ['Al Jazeera', 'media', undefined],
  ['Local resident (unnamed)', 'individual', undefined],
  ['وكالة أنباء فارس', 'media', 'Iran-aligned'],
];

const NINE_FACETS = ['rockets fired', 'drones launched', 'US personnel wounded', 'US personnel killed', 'civilians killed', 'buildings damaged', 'interceptions', 'retaliatory airstrikes'];

/** Nine sources, each with a claim on every facet, values spread so that most facets are contradictions; through the API, as a script would. */
async function nineSourceIncident(base: string, token: string): Promise<string> {
  const api = async (path: string, body: unknown) => {
    const response = await fetch(new URL(path, base), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 201, `${path}: ${await response.clone().text()}`);
    return response.json() as Promise<{ id: number; slug: string }>;
  };
  const incident = await api('/api/incidents', { title: 'Evening attacks on three US positions', occurred_on: '2023-03-24', location: 'Deir Ezzor' });
  const claims = NINE_SOURCES.flatMap(([name, kind, affiliation], s) =>
    NINE_FACETS.map((facet, f) => ({
      new_source_name: name,
      new_source_kind: kind,
      new_source_affiliation: affiliation,
      facet,
      text: name === 'وكالة أنباء فارس' ? `أفادت الوكالة عن ${facet}، في بيان طويل بما يكفي ليلتف على عدة أسطر في خليته.` : `${name} reported ${facet}: a statement long enough to wrap over a few lines in its cell, as real statements do.`,
      quote: name === 'وكالة أنباء فارس' ? 'استهدفت المقاومة الإسلامية القواعد الأمريكية' : undefined,
      value: String((s * 3 + f) % 7),
      published_at: `2023-03-${String(24 + (s % 3)).padStart(2, '0')}`,
    })),
  );
  await api(`/api/incidents/${incident.id}/claims/batch`, { claims });
  return incident.slug;
}
