/**
 * Who is asking, and may they? `guard` is what each line of the route table names: it finds the user
 * behind a session cookie or an API token (Bearer), checks who may call the route, and for a write,
 * that a browser's request carries the session's CSRF token. Checked before the handler runs, so a
 * refused request writes nothing.
 */
import { parseCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { createHmac, randomBytes } from 'node:crypto';
import { randomToken, sameSecret } from '../auth/secrets.js';
import type { Database } from '../db/database.js';
import { getSessionByToken, type Session } from '../db/sessions.js';
import { getUserByApiToken, type Role, type User } from '../db/users.js';
import { Forbidden, NotSignedIn, UnsupportedFormat } from '../errors.js';
import { wantsJson } from './errors.js';
import { urls } from './urls.js';

export const SESSION_COOKIE = 'claimgrid_session';

/**
 * The sign-in and setup forms of a visitor with no session carry a CSRF token of their own: a random
 * nonce and the time it was issued, signed with this process's key, sent both as this cookie and in
 * the form (a signed double submit). Nothing is stored for them, so no number of anonymous visits
 * can fill the database. A token is good for FORM_TOKEN_LIFETIME_MS, whatever the browser does with
 * the cookie's own expiry. A form opened before a restart is refused once (the key is new);
 * reloading it gives a fresh one. (Not a `__Host-` cookie: those need HTTPS, and Claimgrid is often
 * served over plain HTTP on a local network.)
 */
export const FORM_COOKIE = 'claimgrid_form';
/** How long a sign-in or setup form may stay open before it must be reloaded. */
export const FORM_TOKEN_LIFETIME_MS = 12 * 3600_000;
const FORM_KEY = randomBytes(32);

function formMac(signed: string): string {
  return createHmac('sha256', FORM_KEY).update(signed).digest('base64url');
}

/** A new anonymous form token, for the cookie and the form alike; `issuedAt` is for tests of expiry. */
export function newFormToken(issuedAt = Date.now()): string {
  const signed = `${randomToken()}.${Math.floor(issuedAt / 1000)}`;
  return `${signed}.${formMac(signed)}`;
}

/** The anonymous form token the request's cookie carries, if this process signed it and it has not expired. */
function formTokenOf(request: Request): string | undefined {
  const token = request.headers.cookie ? parseCookie(request.headers.cookie)[FORM_COOKIE] : undefined;
  const age = token === undefined ? undefined : formTokenAge(token);
  return age !== undefined && age < FORM_TOKEN_LIFETIME_MS ? token : undefined;
}

/** How long ago a form token this process signed was issued, in milliseconds; undefined if it is not one. */
export function formTokenAge(token: string): number | undefined {
  const [nonce, issued, mac] = token.split('.');
  if (!nonce || !issued || !mac || !sameSecret(mac, formMac(`${nonce}.${issued}`))) return undefined;
  const age = Date.now() - Number(issued) * 1000;
  return age >= 0 ? age : undefined;
}

export interface AuthOptions {
  /** 'private': reading needs a signed-in user too. */
  readAccess: 'open' | 'private';
  /** Behind a TLS-terminating proxy: cookies are marked Secure when the request came over HTTPS. */
  trustProxy: boolean;
  /** Added to a failed sign-in's answer per earlier recent failure, so guessing slows down. */
  loginDelayMs: number;
}

/**
 * Who may call a route: `anyone` (even with READ_ACCESS=private: sign-in, setup, health), `reader`
 * (anyone, or only the signed-in when reading is private), `signed-in` (any role), or at least the
 * role named.
 */
export type Guard = 'anyone' | 'reader' | 'signed-in' | Exclude<Role, 'viewer'>;

declare module 'express-serve-static-core' {
  interface Locals {
    user?: User;
    session?: Session;
    /** The request carried an API token rather than a session cookie. */
    bearer?: boolean;
    csrfToken?: string;
    /** The body is the document form's multipart form (bodies.ts): read for a signed-in user, its CSRF token among its fields. */
    multipartForm?: boolean;
  }
}

function sessionToken(request: Request): string | undefined {
  return request.headers.cookie ? parseCookie(request.headers.cookie)[SESSION_COOKIE] : undefined;
}

/** Finds the user behind a Bearer token or a session cookie, and what pages may offer them. */
function identifyUser(db: Database, request: Request, response: Response, who: Guard): void {
  const authorization = request.headers.authorization;
  // Only Bearer is ours: a proxy in front may use Basic (or another scheme) for its own purposes.
  if (authorization !== undefined && /^Bearer\b/i.test(authorization)) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const user = match ? getUserByApiToken(db, match[1]!) : undefined;
    // A bad token is refused outright, except where anyone may come (a health check is still answered).
    if (!user && who !== 'anyone') {
      response.set('WWW-Authenticate', 'Bearer');
      throw new NotSignedIn('The API token is missing, malformed, revoked, or its user is disabled');
    }
    response.locals.user = user;
    response.locals.bearer = user !== undefined;
  } else {
    const token = sessionToken(request);
    const found = token ? getSessionByToken(db, token) : undefined;
    if (found) {
      response.locals.session = found.session;
      response.locals.user = found.user;
      response.locals.csrfToken = found.session.csrf_token;
    } else {
      response.locals.csrfToken = formTokenOf(request);
    }
  }
  // What every page needs to show who is signed in and offer only the actions they may take.
  const user = response.locals.user;
  response.locals.currentUser = user;
  response.locals.canEdit = user !== undefined && user.role !== 'viewer';
  response.locals.isAdmin = user?.role === 'admin';
}

/**
 * Whether the request's API token or session is a user with at least `role`, asked before a large
 * body is read: a stranger's (or a viewer's) megabytes are not taken in, and the guard then turns
 * the request away. Nothing is set on the answer.
 */
export function mayActAs(db: Database, request: Request, role: Role): boolean {
  const authorization = request.headers.authorization;
  let user: User | undefined;
  if (authorization !== undefined && /^Bearer\b/i.test(authorization)) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    user = match ? getUserByApiToken(db, match[1]!) : undefined;
  } else {
    const token = sessionToken(request);
    user = token ? getSessionByToken(db, token)?.user : undefined;
  }
  return user !== undefined && RANK[user.role] >= RANK[role];
}

/** Where to send someone to sign in: back here afterwards (a GET) or to the page they came from. */
function loginRedirect(request: Request): string {
  const next = request.method === 'GET' ? request.originalUrl : (request.get('referer') ?? '/');
  let path = '/';
  try {
    const url = new URL(next, 'http://claimgrid.invalid');
    if (url.host === 'claimgrid.invalid') path = url.pathname + url.search;
  } catch {
    // An unreadable Referer: back to the start.
  }
  return urls.login(path);
}

/** Anonymous visitors are sent to sign in (pages) or told to authenticate (API); false if sent away. */
function signedIn(request: Request, response: Response): boolean {
  if (response.locals.user) return true;
  if (wantsJson(request)) throw new NotSignedIn('Sign in or send an API token (Authorization: Bearer <token>) to do this');
  response.redirect(303, loginRedirect(request));
  return false;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

function requireRank(response: Response, role: Role): void {
  const user = response.locals.user!;
  if (RANK[user.role] < RANK[role]) throw new Forbidden(`This needs the ${role} role; you are signed in as ${user.name} (${user.role})`);
}

/**
 * The request carries the CSRF token it should, in the form field or the X-CSRF-Token header: its
 * session's, or, with no session, the anonymous form token of its cookie.
 */
function csrfMatches(request: Request, response: Response): boolean {
  const sent = (request.body as { _csrf?: unknown } | undefined)?._csrf ?? request.get('x-csrf-token');
  const expected = response.locals.csrfToken;
  return expected !== undefined && typeof sent === 'string' && sameSecret(sent, expected);
}

function csrfRefused(): Forbidden {
  return new Forbidden('The form had expired or did not come from this site (missing or wrong CSRF token): nothing was saved. Go back, reload the page and try again.');
}

/** A body of any length but none: a form post with no fields is sent with Content-Length: 0 and no type. */
function carriesBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}

/** Methods that only read; every other one may write. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isWrite(method: string): boolean {
  return !READS.has(method.toUpperCase());
}

/** From the least strict guard to the strictest. */
export const GUARDS: readonly Guard[] = ['anyone', 'reader', 'signed-in', 'editor', 'admin'];

/**
 * The check a route table line names: who is asking, then whether they may. A write also needs the
 * session's CSRF token, unless it came with an API token, which a browser never adds by itself.
 */
export function guard(who: Guard, db: Database, options: Pick<AuthOptions, 'readAccess'>, route: { readOnly?: boolean } = {}): RequestHandler {
  return (request, response, next) => {
    identifyUser(db, request, response, who);
    // A POST that only asks (POST /api/extract) is a read: open when reading is, no CSRF token needed.
    const write = isWrite(request.method) && route.readOnly !== true;
    // Before the CSRF check, which cannot find the token in a body it cannot read (a multipart form
    // other than the document form's, which bodies.ts reads first; a file sent to an import).
    if (write && carriesBody(request) && !request.is(['application/x-www-form-urlencoded', 'application/json']) && response.locals.multipartForm !== true && response.locals.fileBody !== true) {
      throw new UnsupportedFormat('Send the body as a form (application/x-www-form-urlencoded, as browsers do) or as JSON');
    }
    if (who === 'anyone') {
      if (write && !csrfMatches(request, response)) throw csrfRefused();
      return next();
    }
    if (who === 'reader' && !write && (options.readAccess === 'open' || response.locals.user)) return next();
    if (!signedIn(request, response)) return;
    if (write && !response.locals.bearer && !csrfMatches(request, response)) throw csrfRefused();
    if (who === 'editor' || who === 'admin') requireRank(response, who);
    next();
  };
}
