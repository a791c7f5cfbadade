/** Signing in and out, and the one-time link at which the first admin is created. */
import type { Request, Response } from 'express';
import { createFirstAdmin, endSession, requireLiveSetupToken, signIn, startAnonymousSession, startSession } from '../actions/accounts.js';
import { NextQuery } from '../actions/schemas.js';
import type { Database } from '../db/database.js';
import { SIGNED_IN_LIFETIME_MS } from '../db/sessions.js';
import type { User } from '../db/users.js';
import type { Handler } from './context.js';
import { formPage } from './forms.js';
import { SESSION_COOKIE } from './guards.js';
import { urls } from './urls.js';

const loginForm = formPage('login');
const setupForm = formPage('setup');

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
function ensureSession(db: Database, request: Request, response: Response): void {
  if (response.locals.session) return;
  const { token, session } = startAnonymousSession(db);
  setSessionCookie(request, response, token);
  response.locals.session = session;
  response.locals.csrfToken = session.csrf_token;
}

function signInOnNewSession(db: Database, request: Request, response: Response, user: User): void {
  setSessionCookie(request, response, startSession(db, user, response.locals.session), SIGNED_IN_LIFETIME_MS);
}

export const loginPage: Handler = (request, response, { db }) => {
  ensureSession(db, request, response);
  const { next } = NextQuery.parse(request.query);
  loginForm.show(response, { values: { next } });
};

export const login: Handler = async (request, response, { db, auth }) => {
  await loginForm.save(request, response, {}, async () => {
    const { user, next } = await signIn(db, request.body, auth.loginDelayMs);
    signInOnNewSession(db, request, response, user);
    return next ?? urls.home();
  });
};

export const logout: Handler = (_request, response, { db }) => {
  endSession(db, response.locals.session);
  response.clearCookie(SESSION_COOKIE, { path: '/' });
  response.redirect(303, urls.home());
};

export const setupPage: Handler = (request, response, { db }) => {
  const token = requireLiveSetupToken(db, typeof request.query.token === 'string' ? request.query.token : '');
  ensureSession(db, request, response);
  setupForm.show(response, { values: { token } });
};

export const setup: Handler = async (request, response, { db }) => {
  await setupForm.save(request, response, {}, async () => {
    signInOnNewSession(db, request, response, await createFirstAdmin(db, request.body));
    return urls.adminUsers();
  });
};
