import { type CheerioAPI, load } from 'cheerio';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../src/app.js';
import type { AuthOptions } from '../src/web/guards.js';
import { type Database, migrate, openDatabase } from '../src/db/database.js';
import { createSession } from '../src/db/sessions.js';
import { createApiToken, createUser, type Role, type User } from '../src/db/users.js';
import { loadDemo } from '../src/demo.js';

export interface SignedIn {
  /** Requests with the user's session cookie and CSRF token, as their browser would send them. */
  agent: TestAgent;
  user: User;
  cookie: string;
  csrf: string;
}

export interface TestApp {
  app: Express;
  db: Database;
  /** An editor, signed in. */
  editor: TestAgent;
  signIn: (role: Role, name?: string) => SignedIn;
  /** An API token for a new user with `role`. */
  tokenFor: (role: Role, name?: string) => string;
}

let users = 0;

/**
 * A new app on its own new in-memory database (or on `db`), optionally holding the demo incidents, with an editor
 * signed in. Users made here cannot sign in with a password (tests of sign-in make their own).
 */
export function freshApp({ demo = false, auth = {}, db = openDatabase(':memory:') }: { demo?: boolean; auth?: Partial<AuthOptions>; db?: Database } = {}): TestApp {
  migrate(db);
  if (demo) loadDemo(db);
  const app = createApp(db, { loginDelayMs: 0, ...auth });
  const signIn = (role: Role, name = `${role}-${++users}`): SignedIn => {
    const user = createUser(db, name, role, 'scrypt$unusable');
    const { token, session } = createSession(db, user.id);
    const cookie = `claimgrid_session=${token}`;
    const agent = request.agent(app).set('Cookie', cookie).set('X-CSRF-Token', session.csrf_token);
    return { agent, user, cookie, csrf: session.csrf_token };
  };
  const tokenFor = (role: Role, name = `${role}-${++users}`) => createApiToken(db, createUser(db, name, role, 'scrypt$unusable').id);
  let editor: TestAgent | undefined;
  return {
    app,
    db,
    // Made on first use, so a test that never asks for it starts with no users at all.
    get editor() {
      return (editor ??= signIn('editor', 'Test Editor').agent);
    },
    signIn,
    tokenFor,
  };
}

export function count(db: Database, table: 'claims' | 'sources' | 'incidents' | 'documents'): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}

/** Everything a write could change, to show that a rejected request changed nothing. */
export function snapshot(db: Database): unknown[] {
  return ['sources', 'incidents', 'claims', 'documents', 'relation_overrides', 'facet_assessments', 'facet_links', 'history', 'users', 'api_tokens'].map((table) =>
    db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(),
  );
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
