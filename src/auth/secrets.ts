/**
 * Passwords and tokens. Passwords go through scrypt, a memory-hard KDF, so a stolen database is slow
 * to attack; tokens are random and only their SHA-256 is stored, so a stolen database holds none.
 */
import { availableParallelism } from 'node:os';
import { createHash, randomBytes, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { scryptOnThread } from './hashing-thread.js';

// 2^15 × 8 × 128 bytes = 32 MiB of memory per hash, below OWASP's floor: see docs/decisions/007-scrypt-cost.md.
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/**
 * Hashes run on threads of their own at the lowest priority (hashing-thread.ts). At most two hash at
 * once, and fewer than the machine has cores, so one core is left for the event loop (on two cores,
 * a second hash at once took the probes of a flood of sign-ins past 200 ms); a few more wait their
 * turn, and beyond those a hash is refused at once (TooBusyToHash), rather than queueing without
 * end while every answer waits behind it.
 */
export const MAX_CONCURRENT_HASHES = Math.max(1, Math.min(2, availableParallelism() - 1));
export const MAX_WAITING_HASHES = 16;

/** More passwords are waiting to be hashed than the server takes on. */
export class TooBusyToHash extends Error {}

let hashing = 0;
const waitingForTurn: (() => void)[] = [];

/** True while a new hash would be refused: the caller can say so before doing anything else. */
export function hashingIsFull(): boolean {
  return hashing >= MAX_CONCURRENT_HASHES && waitingForTurn.length >= MAX_WAITING_HASHES;
}

async function inHashingTurn<T>(work: () => Promise<T>): Promise<T> {
  if (hashingIsFull()) throw new TooBusyToHash('Too many passwords are being checked at once');
  if (hashing >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waitingForTurn.push(resolve));
  else hashing++;
  try {
    return await work();
  } finally {
    // The turn passes straight to the next in line, or is given back.
    const next = waitingForTurn.shift();
    if (next) next();
    else hashing--;
  }
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return inHashingTurn(() => scryptOnThread(password.normalize('NFKC'), salt, KEY_LENGTH, options));
}

/** "scrypt$N$r$p$salt$key", the parameters kept with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A random, URL-safe secret: 256 bits. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares secrets in constant time, so response timing tells an attacker nothing. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A password a person can type: 20 characters from an unambiguous alphabet (~110 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}
