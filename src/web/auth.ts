/**
 * Who is asking, and may they? Sessions (cookie) and API tokens (Bearer) identify a user; every
 * write needs an editor and, from a browser, the session's CSRF token; sign-in, sign-out and the
 * first-run setup link live here too.
 */
import { parseCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { Router } from 'express';
import { hashPassword, randomToken, sameSecret, verifyPassword } from '../auth/secrets.js';
import type { Database } from '../db/database.js';
import {
  createSession,
  deleteSession,
  findSession,
  type Session,
  setupTokenIsLive,
  spendSetupToken,
} from '../db/sessions.js';
import {
  clearLoginFailures,
  countAdmins,
  createUser,
  findUserByName,
  recentLoginFailures,
  recordLoginFailure,
  type Role,
  type User,
  userForApiToken,
} from '../db/users.js';
import { HttpError, wantsJson } from './errors.js';
import { formPage } from './forms.js';
import { LoginInput, NextQuery, parseInput, SetupInput } from './schemas.js';

export const SESSION_COOKIE = 'claimgrid_session';

export interface AuthOptions {
  /** 'private': reading needs a signed-in user too. */
  readAccess: 'open' | 'private';
  /** Behind a TLS-terminating proxy: cookies are marked Secure when the request came over HTTPS. */
  trustProxy: boolean;
  /** Added to a failed sign-in's answer per earlier recent failure, so guessing slows down. */
  loginDelayMs: number;
}

/** Failures within this window count; past the limit, sign-in for that name is refused until it passes. */
const FAILURE_WINDOW_MS = 15 * 60_000;
const FAILURES_BEFORE_SLOWING = 3;
const FAILURES_BEFORE_REFUSING = 10;

declare module 'express-serve-static-core' {
  interface Locals {
    user?: User;
    session?: Session;
    /** The request carried an API token rather than a session cookie. */
    bearer?: boolean;
    csrfToken?: string;
  }
}

function sessionToken(request: Request): string | undefined {
  return request.headers.cookie ? parseCookie(request.headers.cookie)[SESSION_COOKIE] : undefined;
}

/** Finds the user behind a Bearer token or a session cookie; a bad token is refused outright. */
export function identify(db: Database): RequestHandler {
  return (request, response, next) => {
    const authorization = request.headers.authorization;
    // Only Bearer is ours: a proxy in front may use Basic (or another scheme) for its own purposes.
    if (authorization !== undefined && /^Bearer\b/i.test(authorization)) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const user = match ? userForApiToken(db, match[1]!) : undefined;
      if (!user) {
        response.set('WWW-Authenticate', 'Bearer');
        throw new HttpError(401, 'The API token is missing, malformed, revoked, or its user is disabled');
      }
      response.locals.user = user;
      response.locals.bearer = true;
      return next();
    }
    const token = sessionToken(request);
    const found = token ? findSession(db, token) : undefined;
    if (found) {
      response.locals.session = found.session;
      response.locals.user = found.user;
      response.locals.csrfToken = found.session.csrf_token;
    }
    next();
  };
}

function loginRedirect(request: Request): string {
  const next = request.method === 'GET' ? request.originalUrl : (request.get('referer') ?? '/');
  let path = '/';
  try {
    const url = new URL(next, 'http://claimgrid.invalid');
    if (url.host === 'claimgrid.invalid') path = url.pathname + url.search;
  } catch {
    // An unreadable Referer: back to the start.
  }
  return `/login?next=${encodeURIComponent(path)}`;
}

/** Anonymous visitors are sent to sign in (pages) or told to authenticate (API). */
function requireSignedIn(request: Request, response: Response): boolean {
  if (response.locals.user) return true;
  if (wantsJson(request)) {
    response.set('WWW-Authenticate', 'Bearer');
    throw new HttpError(401, 'Sign in or send an API token (Authorization: Bearer <token>) to do this');
  }
  response.redirect(303, loginRedirect(request));
  return false;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function requireRole(role: Role): RequestHandler {
  return (request, response, next) => {
    if (!requireSignedIn(request, response)) return;
    if (RANK[response.locals.user!.role] < RANK[role]) {
      throw new HttpError(403, `This needs the ${role} role; you are signed in as ${response.locals.user!.name} (${response.locals.user!.role})`);
    }
    next();
  };
}

/** The session's token, from the form field or the X-CSRF-Token header. */
function csrfMatches(request: Request, session: Session | undefined): boolean {
  const sent = (request.body as { _csrf?: unknown } | undefined)?._csrf ?? request.get('x-csrf-token');
  return session !== undefined && typeof sent === 'string' && sameSecret(sent, session.csrf_token);
}

/** A real scrypt hash of a random password, checked for unknown names (see the sign-in route). */
const UNKNOWN_USER_HASH = await hashPassword(randomToken());

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Forms an anonymous visitor may send: they carry the CSRF token of an anonymous session. */
const OPEN_FORMS = new Set(['/login', '/setup']);

/**
 * Every write: the user is signed in (or sent a token), a browser's request carries the CSRF token,
 * and the user is an editor. Checked before any route runs, so a refused request writes nothing.
 */
export function guardWrites(): RequestHandler {
  return (request, response, next) => {
    if (!UNSAFE.has(request.method)) return next();
    if (OPEN_FORMS.has(request.path)) {
      if (!csrfMatches(request, response.locals.session)) throw csrfRefused();
      return next();
    }
    if (!requireSignedIn(request, response)) return;
    if (!response.locals.bearer && !csrfMatches(request, response.locals.session)) throw csrfRefused();
    if (request.path === '/logout') return next();
    requireRole('editor')(request, response, next);
  };
}

function csrfRefused(): HttpError {
  return new HttpError(403, 'The form had expired or did not come from this site (missing or wrong CSRF token): nothing was saved. Go back, reload the page and try again.');
}

/** With READ_ACCESS=private, nothing but sign-in, setup, health and the stylesheet is open to strangers. */
export function guardReads(options: AuthOptions): RequestHandler {
  const open = ['/login', '/setup', '/healthz'];
  return (request, response, next) => {
    if (options.readAccess === 'open' || response.locals.user || open.includes(request.path) || request.path.startsWith('/static/')) {
      return next();
    }
    if (requireSignedIn(request, response)) next();
  };
}

function setSessionCookie(request: Request, response: Response, token: string, maxAgeMs?: number): void {
  response.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.secure,
    path: '/',
    ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
  });
}

/** Forms shown to anonymous visitors need a CSRF token, and so an (anonymous) session. */
function ensureSession(db: Database, request: Request, response: Response): string {
  if (response.locals.session) return response.locals.session.csrf_token;
  const { token, session } = createSession(db, null);
  setSessionCookie(request, response, token);
  response.locals.session = session;
  response.locals.csrfToken = session.csrf_token;
  return session.csrf_token;
}

/** Signs the user in on a fresh session, so a session token seen before sign-in is worth nothing after. */
function startSession(db: Database, request: Request, response: Response, user: User): void {
  if (response.locals.session) deleteSession(db, response.locals.session.token_hash);
  const { token } = createSession(db, user.id);
  setSessionCookie(request, response, token, 14 * 86_400_000);
}

function setupLinkDead(): HttpError {
  return new HttpError(404, 'This setup link has been used or has expired. Ask an admin for an account.');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function authRoutes(db: Database, options: AuthOptions): Router {
  const router = Router();
  const loginForm = formPage('login');
  const setupForm = formPage('setup');

  router.get('/login', (request, response) => {
    ensureSession(db, request, response);
    const { next } = NextQuery.parse(request.query);
    loginForm.show(response, { values: { next } });
  });

  router.post('/login', async (request, response) => {
    await loginForm.save(response, request.body, {}, async () => {
      const input = parseInput(LoginInput, request.body, 'sign-in');
      const since = new Date(Date.now() - FAILURE_WINDOW_MS).toISOString();
      const failures = recentLoginFailures(db, input.name, since);
      if (failures >= FAILURES_BEFORE_REFUSING) {
        response.set('Retry-After', String(FAILURE_WINDOW_MS / 1000));
        throw new HttpError(429, `Too many failed sign-ins for "${input.name}": try again in 15 minutes`);
      }
      // Counted as a failure before the slow check, in the same step as reading the count, so that
      // guesses sent in parallel cannot all slip in under the limit; a success takes it back.
      recordLoginFailure(db, input.name);
      const user = findUserByName(db, input.name);
      // An unknown name costs as much time as a wrong password, so timing does not tell which names exist.
      const valid = (await verifyPassword(input.password, user?.password_hash ?? UNKNOWN_USER_HASH)) && user !== undefined && user.disabled_at === null;
      if (!valid) {
        if (failures >= FAILURES_BEFORE_SLOWING) await delay(options.loginDelayMs * (failures - FAILURES_BEFORE_SLOWING + 1));
        throw new HttpError(401, 'Wrong name or password.', [{ path: 'password', message: 'Wrong name or password' }]);
      }
      clearLoginFailures(db, input.name);
      startSession(db, request, response, user);
      return input.next ?? '/';
    });
  });

  router.post('/logout', (_request, response) => {
    if (response.locals.session) deleteSession(db, response.locals.session.token_hash);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.redirect(303, '/');
  });

  router.get('/setup', (request, response) => {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    if (countAdmins(db) > 0 || !setupTokenIsLive(db, token)) throw setupLinkDead();
    ensureSession(db, request, response);
    setupForm.show(response, { values: { token } });
  });

  router.post('/setup', async (request, response) => {
    await setupForm.save(response, request.body, {}, async () => {
      const input = parseInput(SetupInput, request.body, 'setup');
      if (countAdmins(db) > 0 || !setupTokenIsLive(db, input.token)) throw setupLinkDead();
      if (findUserByName(db, input.name)) throw new HttpError(409, 'That name is taken', [{ path: 'name', message: 'That name is taken' }]);
      const passwordHash = await hashPassword(input.password);
      // Checked again after the slow hash: two people racing on one link get one admin between them.
      const user = db.transaction(() => {
        if (countAdmins(db) > 0 || findUserByName(db, input.name) || !spendSetupToken(db, input.token)) return undefined;
        return createUser(db, input.name, 'admin', passwordHash);
      }).immediate();
      if (!user) throw setupLinkDead();
      startSession(db, request, response, user);
      return '/admin/users';
    });
  });

  return router;
}
