/**
 * Accounts: signing in, the first admin, and what admins (at /admin/users or with the `claimgrid`
 * command) do to users and their API tokens.
 */
import { hashingIsFull, hashPassword, randomToken, TooBusyToHash, verifyPassword } from '../auth/secrets.js';
import { joinWriteBatchIfBatching } from '../db/commits.js';
import type { Database } from '../db/database.js';
import { createSession, deleteSession, deleteSessionsOf, type Session, setupTokenIsLive, spendSetupToken } from '../db/sessions.js';
import * as userRows from '../db/users.js';
import type { Role, User } from '../db/users.js';
import { Conflict, NotFound, NotSignedIn, TooManyAttempts } from '../errors.js';
import { found } from './edits.js';
import { LoginInput, NewUserInput, parseInput, RoleInput, SetupInput } from './schemas.js';

/** Failures within this window count; past the limit, sign-in for that name is refused until it passes. */
const FAILURE_WINDOW_MS = 15 * 60_000;
const FAILURES_BEFORE_SLOWING = 3;
const FAILURES_BEFORE_REFUSING = 10;
/** Failed sign-ins from one client address, over any names, before it is refused until the window passes. */
export const FAILURES_FROM_ONE_ADDRESS = 50;

export function requireUser(db: Database, id: number): User {
  return found(userRows.getUser(db, id), 'User');
}

/**
 * A real scrypt hash of a random password, checked for names no one has, so that a sign-in takes as
 * long for an unknown name as for a wrong password. Made on the first sign-in, not at start-up.
 */
let unknownUserHash: Promise<string> | undefined;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The user whose name and password `body` carries, with where they asked to go next. Every failure
 * is counted before the password is checked, so guesses sent in parallel are counted too; after
 * a few, each further failure is answered more slowly (`slowdownMs` per failure), after ten the
 * name is refused for a while.
 */
export async function signIn(db: Database, body: unknown, slowdownMs: number, address: string | null): Promise<{ user: User; next: string | undefined }> {
  const input = parseInput(LoginInput, body, 'sign-in');
  const since = new Date(Date.now() - FAILURE_WINDOW_MS).toISOString();
  const failures = userRows.recentLoginFailures(db, input.name, since);
  if (failures >= FAILURES_BEFORE_REFUSING) {
    throw new TooManyAttempts(`Too many failed sign-ins for "${input.name}": try again in 15 minutes`, FAILURE_WINDOW_MS / 1000);
  }
  if (address !== null && userRows.recentLoginFailuresFrom(db, address, since) >= FAILURES_FROM_ONE_ADDRESS) {
    throw new TooManyAttempts('Too many failed sign-ins from your address: try again in 15 minutes', FAILURE_WINDOW_MS / 1000);
  }
  if (hashingIsFull()) throw tooBusy();
  // Counted as a failure before the slow check, in the same step as reading the count, so that
  // guesses sent in parallel cannot all slip in under the limit; a success takes it back.
  userRows.recordLoginFailure(db, input.name, address);
  // Awaited by every sign-in, so that even the first after a start, which makes it, does not tell names apart.
  const dummyHash = await hashed(
    () =>
      (unknownUserHash ??= hashPassword(randomToken()).catch((error: unknown) => {
        unknownUserHash = undefined; // refused (too busy): the next sign-in makes it
        throw error;
      })),
  );
  const user = userRows.getUserByName(db, input.name);
  const hash = user?.password_hash ?? dummyHash;
  const valid = (await hashed(() => verifyPassword(input.password, hash))) && user !== undefined && user.disabled_at === null;
  if (!valid) {
    if (failures >= FAILURES_BEFORE_SLOWING) await delay(slowdownMs * (failures - FAILURES_BEFORE_SLOWING + 1));
    throw new NotSignedIn('Wrong name or password.', [{ path: 'password', message: 'Wrong name or password' }]);
  }
  joinWriteBatchIfBatching(db);
  userRows.clearLoginFailures(db, input.name);
  return { user, next: input.next };
}

/**
 * Signs the user in on a new session, ending the one they had (so a session token seen before
 * sign-in is worth nothing after); the new session's token, for the cookie.
 */
export function startSession(db: Database, user: User, previous: Session | undefined): string {
  joinWriteBatchIfBatching(db);
  return db.transaction(() => {
    if (previous) deleteSession(db, previous.token_hash);
    return createSession(db, user.id).token;
  })();
}

export function endSession(db: Database, session: Session | undefined): void {
  if (session) deleteSession(db, session.token_hash);
}

function tooBusy(): TooManyAttempts {
  return new TooManyAttempts('Too many sign-ins at once: try again in a few seconds', 5);
}

/** A password hashed or checked; TooManyAttempts when too many are being hashed already. */
async function hashed<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TooBusyToHash) throw tooBusy();
    throw error;
  }
}

function setupLinkDead(): NotFound {
  return new NotFound('This setup link has been used or has expired. Ask an admin for an account.');
}

/** The setup token, if it may still create the first admin; NotFound if not. */
export function requireLiveSetupToken(db: Database, token: string): string {
  if (userRows.countAdmins(db) > 0 || !setupTokenIsLive(db, token)) throw setupLinkDead();
  return token;
}

/** Creates the first admin with the one-time setup link's token, which it spends. */
export async function createFirstAdmin(db: Database, body: unknown): Promise<User> {
  const input = parseInput(SetupInput, body, 'setup');
  requireLiveSetupToken(db, input.token);
  if (userRows.getUserByName(db, input.name)) throw new Conflict('That name is taken', { issues: [{ path: 'name', message: 'That name is taken' }] });
  const passwordHash = await hashed(() => hashPassword(input.password));
  // Checked again after the slow hash: two people racing on one link get one admin between them.
  joinWriteBatchIfBatching(db);
  const user = db.transaction(() => {
    if (userRows.countAdmins(db) > 0 || userRows.getUserByName(db, input.name) || !spendSetupToken(db, input.token)) return undefined;
    return userRows.createUser(db, input.name, 'admin', passwordHash);
  }).immediate();
  if (!user) throw setupLinkDead();
  return user;
}

function nameTaken(name: string): Conflict {
  return new Conflict(`A user named "${name}" already exists`, { issues: [{ path: 'name', message: 'That name is taken' }] });
}

/** Adds a user with a name, a role and a password (the admin page's form, the CLI's `user add`). */
export async function addUser(db: Database, body: unknown): Promise<User> {
  const input = parseInput(NewUserInput, body, 'user');
  if (userRows.getUserByName(db, input.name)) throw nameTaken(input.name);
  const passwordHash = await hashed(() => hashPassword(input.password));
  // Checked again after the slow hash, which let other requests run.
  joinWriteBatchIfBatching(db);
  return db.transaction(() => {
    if (userRows.getUserByName(db, input.name)) throw nameTaken(input.name);
    return userRows.createUser(db, input.name, input.role, passwordHash);
  })();
}

export function changeRole(db: Database, userId: number, body: unknown, actor: User): Role {
  return db.transaction(() => {
    const user = requireUser(db, userId);
    const { role } = parseInput(RoleInput, body, 'role');
    if (user.id === actor.id && role !== 'admin') throw new Conflict('You cannot take away your own admin role: ask another admin');
    userRows.setUserRole(db, user.id, role);
    return role;
  })();
}

export function disableAccount(db: Database, userId: number, actor: User): void {
  return db.transaction(() => {
    const user = requireUser(db, userId);
    if (user.id === actor.id) throw new Conflict('You cannot disable yourself: ask another admin');
    userRows.disableUser(db, user.id);
  })();
}

/** A new API token for the user, to be shown once: only its hash is kept. */
export function issueApiToken(db: Database, userId: number): { user: User; token: string } {
  return db.transaction(() => {
    const user = requireUser(db, userId);
    if (user.disabled_at) throw new Conflict('This user is disabled');
    return { user, token: userRows.createApiToken(db, user.id) };
  })();
}

/** Revokes every API token of the user (the admin page); how many. */
export function revokeApiTokens(db: Database, userId: number): number {
  return userRows.revokeTokens(db, requireUser(db, userId).id);
}

/** Revokes every API token of the user and ends their sessions (`claimgrid user revoke`); how many of each. */
export function revokeAccess(db: Database, userId: number): { tokens: number; sessions: number } {
  const user = requireUser(db, userId);
  return db.transaction(() => ({ tokens: userRows.revokeTokens(db, user.id), sessions: deleteSessionsOf(db, user.id) }))();
}
