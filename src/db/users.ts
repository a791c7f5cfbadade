import { hashToken, randomToken } from '../auth/secrets.js';
import { type Database, nowIso, prepared } from './database.js';

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
}

export interface UserWithTokens extends User {
  active_tokens: number;
}

export function countAdmins(db: Database): number {
  return prepared(db, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL").pluck().get() as number;
}

export function listUsers(db: Database): UserWithTokens[] {
  return prepared(
    db,
    `SELECT u.*, (SELECT count(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS active_tokens
       FROM users u ORDER BY u.name COLLATE NOCASE`,
  ).all() as UserWithTokens[];
}

export function getUser(db: Database, id: number): User | undefined {
  return prepared(db, 'SELECT * FROM users WHERE id = ?').get(id) as User | undefined;
}

export function getUserByName(db: Database, name: string): User | undefined {
  return prepared(db, 'SELECT * FROM users WHERE name = ? COLLATE NOCASE').get(name) as User | undefined;
}

export function createUser(db: Database, name: string, role: Role, passwordHash: string): User {
  return prepared(
    db,
    'INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING *',
  ).get(name, role, passwordHash, nowIso()) as User;
}

export function setUserRole(db: Database, id: number, role: Role): void {
  prepared(db, 'UPDATE users SET role = ? WHERE id = ?').run(role, id);
}

/** Disabling keeps the user's name on everything they recorded, and ends their sessions and tokens. */
export function disableUser(db: Database, id: number): void {
  db.transaction(() => {
    prepared(db, 'UPDATE users SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?').run(nowIso(), id);
    revokeTokens(db, id);
    prepared(db, 'DELETE FROM sessions WHERE user_id = ?').run(id);
  })();
}

/** Creates an API token for the user and returns it; only its hash is kept. */
export function createApiToken(db: Database, userId: number): string {
  const token = randomToken();
  prepared(db, 'INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)').run(userId, hashToken(token), nowIso());
  return token;
}

export function revokeTokens(db: Database, userId: number): number {
  return prepared(db, 'UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(nowIso(), userId)
    .changes;
}

/** The active user holding this API token, if the token is live. */
export function getUserByApiToken(db: Database, token: string): User | undefined {
  return prepared(
    db,
    `SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`,
  ).get(hashToken(token)) as User | undefined;
}

export function recordLoginFailure(db: Database, name: string, address: string | null): void {
  prepared(db, 'INSERT INTO login_failures (name, address, at) VALUES (?, ?, ?)').run(name, address, nowIso());
}

/** Failed sign-ins from one client address since `since`, whatever names they tried. */
export function recentLoginFailuresFrom(db: Database, address: string, since: string): number {
  return prepared(db, 'SELECT count(*) FROM login_failures WHERE address = ? AND at > ?').pluck().get(address, since) as number;
}

export function recentLoginFailures(db: Database, name: string, since: string): number {
  return prepared(db, 'SELECT count(*) FROM login_failures WHERE name = ? COLLATE NOCASE AND at > ?').pluck().get(name, since) as number;
}

/** Failures older than a day count for nothing; drop them. */
export function forgetOldLoginFailures(db: Database): void {
  prepared(db, 'DELETE FROM login_failures WHERE at < ?').run(new Date(Date.now() - 86_400_000).toISOString());
}

export function clearLoginFailures(db: Database, name: string): void {
  prepared(db, 'DELETE FROM login_failures WHERE name = ? COLLATE NOCASE').run(name);
}
