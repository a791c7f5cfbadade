import { hashToken, randomToken } from '../auth/secrets.js';
import { type Database, nowIso, prepared } from './database.js';
import type { User } from './users.js';

export interface Session {
  token_hash: string;
  user_id: number | null;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface SessionWithUser {
  session: Session;
  user: User | undefined;
}

/** How long a signed-in session lasts; its cookie is given the same lifetime. */
export const SIGNED_IN_LIFETIME_MS = 14 * 86_400_000;
/**
 * Starts a signed-in session and returns the cookie's token (only its hash is stored). Visitors who
 * are not signed in get none: their forms carry a token of their own (see web/guards.ts).
 */
export function createSession(db: Database, userId: number): { token: string; session: Session } {
  const token = randomToken();
  const now = Date.now();
  const lifetime = SIGNED_IN_LIFETIME_MS;
  const session = prepared(
    db,
    `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?) RETURNING *`,
  ).get(hashToken(token), userId, randomToken(), new Date(now).toISOString(), new Date(now + lifetime).toISOString()) as Session;
  return { token, session };
}

/** The live session for a cookie token, with its user if one is signed in and not disabled. */
export function getSessionByToken(db: Database, token: string): SessionWithUser | undefined {
  const session = prepared(db, 'SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?').get(hashToken(token), nowIso()) as
    | Session
    | undefined;
  if (!session) return undefined;
  const user =
    session.user_id === null
      ? undefined
      : (prepared(db, 'SELECT * FROM users WHERE id = ? AND disabled_at IS NULL').get(session.user_id) as User | undefined);
  return { session, user };
}

export function deleteSession(db: Database, tokenHash: string): void {
  prepared(db, 'DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
}

export function deleteExpiredSessions(db: Database): number {
  return prepared(db, 'DELETE FROM sessions WHERE expires_at <= ?').run(nowIso()).changes;
}

/** A new one-time setup token, replacing any unused one. */
export function createSetupToken(db: Database): string {
  const token = randomToken();
  db.transaction(() => {
    prepared(db, 'DELETE FROM setup_tokens WHERE used_at IS NULL').run();
    prepared(db, 'INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)').run(hashToken(token), nowIso());
  })();
  return token;
}

/** Marks the setup token used; false if it was never issued or is already spent. */
export function spendSetupToken(db: Database, token: string): boolean {
  return (
    prepared(db, 'UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL').run(nowIso(), hashToken(token))
      .changes > 0
  );
}

export function setupTokenIsLive(db: Database, token: string): boolean {
  return prepared(db, 'SELECT 1 FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL').get(hashToken(token)) !== undefined;
}

export function deleteSessionsOf(db: Database, userId: number): number {
  return prepared(db, 'DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
}
