/**
 * The template engine and what every template may call: `urls` (the URL builder), `csrf_field()`,
 * the status labels, the password rule. Templates only display; everything they show is handed
 * to them or built by these helpers.
 */
import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import nunjucks from 'nunjucks';
import { PASSWORD_MIN } from '../actions/schemas.js';
import { publishedInUtc } from '../compare/timestamps.js';
import { STATUS_LABELS } from './labels.js';
import { urls } from './urls.js';

export function configureViews(app: express.Express, directory: string): void {
  // trimBlocks and lstripBlocks drop the whitespace around {% %} tags: see
  // docs/decisions/008-template-whitespace-and-compression.md.
  const views = nunjucks.configure(path.resolve(directory), { autoescape: true, express: app, trimBlocks: true, lstripBlocks: true });
  views.addGlobal('urls', urls);
  // Publication times as instants (UTC); the original stays in the element's title and in exports.
  views.addFilter('published', publishedInUtc);
  // Where a link goes, at a glance: "centcom.mil", "t.me" (see domainOf).
  views.addFilter('domain', domainOf);
  // Counts as people read them: 20,000 rather than 20000.
  views.addFilter('thousands', (count: number) => count.toLocaleString('en'));
  views.addGlobal('STATUS_LABELS', STATUS_LABELS);
  views.addGlobal('PASSWORD_MIN', PASSWORD_MIN);
  // The hidden field every form that writes carries: the session's token (see guards.ts).
  views.addGlobal('csrf_field', function csrfField(this: { ctx: { csrfToken?: string } }) {
    // Tokens are base64url, but a field is escaped all the same.
    const token = String(this.ctx.csrfToken ?? '').replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
    return new nunjucks.runtime.SafeString(`<input type="hidden" name="_csrf" value="${token}">`);
  });
  app.set('view engine', 'njk');
  environments.set(app, { views, directory: path.resolve(directory) });
}

/**
 * The host of an address as a reader names a site: lower-cased, without a leading "www.", an
 * international host in the xn-- form the URL parser gives (so a look-alike letter shows, as stored
 * URLs keep it; see docs/api.md), without a port. '' for no address or one that does not parse.
 */
export function domainOf(address: unknown): string {
  if (typeof address !== 'string' || !URL.canParse(address)) return '';
  return new URL(address).hostname.replace(/^www\./, '');
}

const environments = new WeakMap<express.Express, { views: nunjucks.Environment; directory: string }>();

/**
 * Compiles every template now. Otherwise each is compiled the first time a page uses it, on the
 * event loop, with the request waiting and every other one with it (50–150 ms for a page and its
 * layout). The server calls this before it listens; tests, which make many apps, do not.
 */
export function compileViews(app: express.Express): void {
  const environment = environments.get(app);
  if (!environment) return;
  for (const file of fs.readdirSync(environment.directory).filter((name) => name.endsWith('.njk'))) {
    environment.views.getTemplate(file, true);
  }
}
