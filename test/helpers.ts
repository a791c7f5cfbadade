import { type CheerioAPI, load } from 'cheerio';
import type { Express } from 'express';
import { createApp } from '../src/app.js';
import { type Database, migrate, openDatabase } from '../src/db/database.js';
import { loadDemo } from '../src/demo.js';

export interface TestApp {
  app: Express;
  db: Database;
}

/** A new app on its own new in-memory database, optionally holding the demo incidents. */
export function freshApp({ demo = false } = {}): TestApp {
  const db = openDatabase(':memory:');
  migrate(db);
  if (demo) loadDemo(db);
  return { app: createApp(db), db };
}

export function count(db: Database, table: 'claims' | 'sources' | 'incidents'): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** Everything in the database, to show that a rejected request changed nothing. */
export function snapshot(db: Database): unknown {
  return ['sources', 'incidents', 'claims'].map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY id`).all());
}

export function page(html: string): CheerioAPI {
  return load(html);
}

/** Text as a reader sees it: spaces folded. */
export function textOf($: CheerioAPI, selector: string): string {
  return $(selector).text().replace(/\s+/g, ' ').trim();
}

/** What the form field `name` holds as the page is shown. */
export function fieldValue($: CheerioAPI, name: string): string | undefined {
  const field = $(`[name="${name}"]`);
  if (field.is('textarea')) return field.text();
  if (field.is('select')) return field.find('option[selected]').attr('value');
  return field.attr('value');
}

/** The message shown beside form field `name`, if any. */
export function fieldError($: CheerioAPI, name: string): string | undefined {
  const error = $(`#${name}-error`);
  return error.length ? error.text().trim() : undefined;
}

/** The incident at the demo's heart: the evening attacks on three US positions. */
export const EVENING_SLUG = 'evening-rocket-and-drone-attacks-on-us-positions-in-eastern-syria';
export const GREEN_VILLAGE_SLUG = 'morning-rocket-attack-on-the-green-village-compound';
