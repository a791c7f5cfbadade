/**
 * Headless Chromium for test/browser.test.ts: finding it, and the checks made on every page a test
 * walks through (axe-core, horizontal overflow on a phone, screenshots for a person to look at).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ROOT } from './server-helpers.js';

/** Debian's Chromium (apt package `chromium`): playwright-core brings no browser of its own. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** A desktop screen, and a phone as wide as an iPhone 12 to 15. */
export const WIDTHS = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
] as const;

export const SCREENSHOTS = path.join(ROOT, 'test-results');

/** Any value but empty counts: CI systems set CI=true, CI=1 or CI=yes. */
export const IN_CI = (process.env.CI ?? '') !== '';

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return undefined;
  } catch {
    return `no Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium; .ci/run does) or point CHROMIUM_PATH at one`;
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH });
}

/**
 * A context that may inject axe-core: the app's Content-Security-Policy allows no script on its
 * pages, rightly, so the policy is bypassed for the tests' own script only. Not a mobile emulation:
 * there Chromium zooms a page that overflows out until it fits, which widens innerWidth and so hides
 * the very overflow the phone check looks for.
 */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ bypassCSP: true, viewport: WIDTHS[0], acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  // tsx compiles the tests with esbuild's keepNames, which wraps the named functions inside a function
  // sent to page.evaluate in calls to its helper __name; the page must have one too.
  await context.addInitScript('window.__name = (target) => target;');
  return context;
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; failureSummary?: string }[];
}

/** Every axe-core rule that runs by default (WCAG A and AA, best practices), whatever its impact. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    // The page's own types do not know axe: it was injected just above.
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target, html, failureSummary }) => ({ target: target.map(String), html, failureSummary })),
    }));
  });
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${violation.help}\n    at ${node.target.join(' ')}\n    ${node.html.replace(/\s+/g, ' ').slice(0, 300)}`),
    )
    .join('\n  ');
}

export interface Overflow {
  scrollWidth: number;
  innerWidth: number;
  /** The innermost elements that reach past the right edge, not counting those inside a box that scrolls or clips: where to look. */
  culprits: string[];
}

/** How far the page is wider than the window (a box that scrolls on its own, such as .grid-wrap, may be wider inside). */
export async function horizontalOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const clips = (element: Element) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(element).overflowX);
    const insideClip = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) if (clips(parent)) return true;
      return false;
    };
    const past = (element: Element) => element.getBoundingClientRect().right > window.innerWidth + 0.5;
    const culprits = [...document.body.querySelectorAll('*')]
      .filter((element) => past(element) && !insideClip(element) && ![...element.children].some(past))
      .slice(0, 8)
      .map((element) => {
        const classes = [...element.classList].map((name) => `.${name}`).join('');
        const words = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30);
        return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes}${words ? ` "${words}"` : ''} (right edge at ${Math.round(element.getBoundingClientRect().right)} px)`;
      });
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits };
  });
}

let shots = 0;

/** Screenshots of an earlier run would be taken for this one's: the folder holds one run's only. */
export function clearScreenshots(): void {
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
}

/**
 * The checks every page state gets, at each width: axe-core finds nothing, and on the phone the page
 * is no wider than the window; and a full-page screenshot in test-results/ for a person to look at.
 * Each is a subtest of its own, so that one page's failure does not hide the next page's.
 */
export async function checkPage(t: TestContext, page: Page, name: string): Promise<void> {
  const number = String(++shots).padStart(2, '0');
  const where = new URL(page.url()).pathname + new URL(page.url()).search.replace(/token=[^&]+/, 'token=…');
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${number}-${name.replace(/\W+/g, '-')}-${size.width}.png`), fullPage: true });
    await t.test(`${name} (${where}) at ${size.width} px: axe-core finds no violations`, async () => {
      const violations = await axeViolations(page);
      if (violations.length) throw new Error(`axe-core found ${violations.length} kind(s) of violation on ${page.url()} at ${size.width} px:\n  ${describeViolations(violations)}`);
    });
    if (size.width < 500) {
      await t.test(`${name} (${where}) at ${size.width} px: the page is no wider than the window`, async () => {
        const overflow = await horizontalOverflow(page);
        if (overflow.scrollWidth > overflow.innerWidth) {
          throw new Error(`${page.url()} is ${overflow.scrollWidth} px wide in a window of ${overflow.innerWidth} px; reaching past the edge: ${overflow.culprits.join(', ') || '(none found)'}`);
        }
      });
    }
  }
  await page.setViewportSize(WIDTHS[0]);
}

/**
 * Why a person does not see `selector`'s element, or undefined when they do: some of it must be
 * inside the window and inside every box around it that scrolls or clips, and on top there (not
 * covered by, say, a header that stuck over it).
 */
export async function whyNotOnScreen(page: Page, selector: string): Promise<string | undefined> {
  return page.evaluate((selector) => {
    const element = document.querySelector(selector);
    if (!element) return `nothing matches ${selector}`;
    const describe = (node: Element) => `${node.tagName.toLowerCase()}${[...node.classList].map((name) => `.${name}`).join('')}`;
    // Line by line: the middle of a name wrapped over two lines may be the gap beside its shorter line.
    const reasons: string[] = [];
    for (const box of element.getClientRects()) {
      let [left, top, right, bottom] = [Math.max(box.left, 0), Math.max(box.top, 0), Math.min(box.right, window.innerWidth), Math.min(box.bottom, window.innerHeight)];
      let clippedBy = 'the window';
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const clip = parent.getBoundingClientRect();
        if (clip.left > left || clip.top > top || clip.right < right || clip.bottom < bottom) clippedBy = describe(parent);
        [left, top, right, bottom] = [Math.max(left, clip.left), Math.max(top, clip.top), Math.min(right, clip.right), Math.min(bottom, clip.bottom)];
      }
      const where = `at x ${Math.round(box.left)}–${Math.round(box.right)}, y ${Math.round(box.top)}–${Math.round(box.bottom)} in a window of ${window.innerWidth}×${window.innerHeight}`;
      // A few pixels showing is not a label anyone can read (and is how "visually hidden" hides).
      if (right - left < 8 || bottom - top < 8) {
        reasons.push(`${describe(element)} is out of sight, ${where}, cut off by ${clippedBy}`);
        continue;
      }
      const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
      if (hit !== null && (hit === element || element.contains(hit))) return undefined;
      reasons.push(`${describe(element)} is covered by ${hit ? describe(hit) : 'nothing'}, ${where}`);
    }
    return reasons.join('; ') || `${describe(element)} is not rendered`;
  }, selector);
}

/** Runs `body` with a page of its own, closing its context even when the test fails. */
export async function withPage<T>(browser: Browser, body: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await newContext(browser);
  try {
    return await body(await context.newPage(), context);
  } finally {
    await context.close();
  }
}
