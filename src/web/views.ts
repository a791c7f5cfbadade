/**
 * The template engine and what every template may call: `urls` (the URL builder), `csrf_field()`,
 * the status labels, the password rule. Templates only display; everything they show is handed
 * to them or built by these helpers.
 */
import path from 'node:path';
import type express from 'express';
import nunjucks from 'nunjucks';
import { PASSWORD_MIN } from '../actions/schemas.js';
import { STATUS_LABELS } from './labels.js';
import { urls } from './urls.js';

export function configureViews(app: express.Express, directory: string): void {
  // trimBlocks and lstripBlocks drop the whitespace around {% %} tags: see
  // docs/decisions/008-template-whitespace-and-compression.md.
  const views = nunjucks.configure(path.resolve(directory), { autoescape: true, express: app, trimBlocks: true, lstripBlocks: true });
  views.addGlobal('urls', urls);
  views.addGlobal('STATUS_LABELS', STATUS_LABELS);
  views.addGlobal('PASSWORD_MIN', PASSWORD_MIN);
  // The hidden field every form that writes carries: the session's token (see guards.ts).
  views.addGlobal('csrf_field', function csrfField(this: { ctx: { csrfToken?: string } }) {
    // Tokens are base64url, but a field is escaped all the same.
    const token = String(this.ctx.csrfToken ?? '').replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
    return new nunjucks.runtime.SafeString(`<input type="hidden" name="_csrf" value="${token}">`);
  });
  app.set('view engine', 'njk');
}
