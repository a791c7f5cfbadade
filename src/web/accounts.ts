/** Signing in and out, and the one-time link at which the first admin is created. */
import type { Request, Response } from 'express';
import { createFirstAdmin, endSession, requireLiveSetupToken, signIn, startSession } from '../actions/accounts.js';
import { NextQuery } from '../actions/schemas.js';
import type { Database } from '../db/database.js';
import { SIGNED_IN_LIFETIME_MS } from '../db/sessions.js';
import type { User } from '../db/users.js';
import type { Handler } from './context.js';
import { formPage } from './forms.js';
import { FORM_COOKIE, FORM_TOKEN_LIFETIME_MS, formTokenAge, newFormToken, SESSION_COOKIE } from './guards.js';
import { ownTurn } from '../slices.js';
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

/**
 * A form shown to a visitor with no session carries an anonymous form token (see guards.ts), set as
 * a cookie too: the one the visitor has while it has more than half its life left, else a new one,
 * so that a form just shown does not expire minutes later.
 */
function offerFormToken(request: Request, response: Response): void {
  const current = response.locals.csrfToken;
  if (current !== undefined && response.locals.session !== undefined) return;
  if (current !== undefined && (formTokenAge(current) ?? Infinity) < FORM_TOKEN_LIFETIME_MS / 2) return;
  const token = newFormToken();
  response.cookie(FORM_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: request.secure, path: '/', maxAge: FORM_TOKEN_LIFETIME_MS });
  response.locals.csrfToken = token;
}

/** Signs the user in on a new session; the anonymous form token has done its work. */
function signInOnNewSession(db: Database, request: Request, response: Response, user: User): void {
  setSessionCookie(request, response, startSession(db, user, response.locals.session), SIGNED_IN_LIFETIME_MS);
  response.clearCookie(FORM_COOKIE, { path: '/' });
}

export const loginPage: Handler = (request, response) => {
  offerFormToken(request, response);
  const { next } = NextQuery.parse(request.query);
  loginForm.show(response, { values: { next } });
};

export const login: Handler = async (request, response, { db, auth }) => {
  // Each sign-in in a turn of its own: sixty-four arriving together were otherwise all checked and
  // answered in one turn of the event loop (60–70 ms), with every other request waiting.
  await ownTurn();
  await loginForm.save(request, response, {}, async () => {
    const { user, next } = await signIn(db, request.body, auth.loginDelayMs, request.ip ?? null);
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
  // Where setting up lands: an admin (the one it made, or any other) is told what to do next.
  if (response.locals.isAdmin) {
    setupForm.show(response, { done: true });
    return;
  }
  const token = requireLiveSetupToken(db, typeof request.query.token === 'string' ? request.query.token : '');
  offerFormToken(request, response);
  setupForm.show(response, { values: { token } });
};

export const setup: Handler = async (request, response, { db }) => {
  await setupForm.save(request, response, {}, async () => {
    signInOnNewSession(db, request, response, await createFirstAdmin(db, request.body));
    return urls.setup();
  });
};
