/**
 * The `claimgrid` command: accounts and backups, on the database at DATABASE_PATH.
 *
 *   claimgrid user add NAME --role viewer|editor|admin
 *   claimgrid user list
 *   claimgrid user revoke NAME
 *   claimgrid backup FILE
 *   claimgrid restore FILE [--revoke-again]
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import * as accounts from './actions/accounts.js';
import { generatePassword } from './auth/secrets.js';
import { loadConfig, pidFilePath, realDatabasePath } from './config.js';
import { type Database, migrate, openDatabase, readMigrations, schemaVersion } from './db/database.js';
import { getUserByName, listUsers, ROLES } from './db/users.js';

const USAGE = `Usage:
  claimgrid user add NAME --role viewer|editor|admin   create a user; prints a password and an API token (token last)
  claimgrid user list                                   list users, roles and active tokens
  claimgrid user revoke NAME                            revoke every API token and session of NAME
  claimgrid backup FILE                                 consistent copy of the database, safe while the server runs
  claimgrid restore FILE [--revoke-again]               replace the database with a backup (stop the server first);
                                                        --revoke-again revokes again the API tokens revoked since the backup
The database is DATABASE_PATH (default data/claimgrid.sqlite).`;

class UsageError extends Error {}

function openMigrated(file: string): Database {
  const db = openDatabase(file);
  migrate(db);
  return db;
}

async function addUser(db: Database, args: string[]): Promise<void> {
  const name = args[0];
  const roleAt = args.indexOf('--role');
  const role = roleAt === -1 ? undefined : args[roleAt + 1];
  if (!name || name.startsWith('--') || !role) throw new UsageError('user add needs a NAME and --role ROLE');
  if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of: ${ROLES.join(', ')}`);
  const password = generatePassword();
  // The same use case, and so the same checks, as an admin adding a user at /admin/users.
  const user = await accounts.addUser(db, { name, role, password });
  const { token } = accounts.issueApiToken(db, user.id);
  console.log(`Created ${user.role} "${user.name}".`);
  console.log(`Password (shown once): ${password}`);
  console.log('API token (shown once; send as "Authorization: Bearer <token>"):');
  console.log(token);
}

function listAll(db: Database): void {
  const users = listUsers(db);
  if (users.length === 0) console.log('No users yet.');
  for (const user of users) {
    const state = user.disabled_at ? `disabled ${user.disabled_at}` : `${user.active_tokens} active token(s)`;
    console.log(`${user.name}\t${user.role}\t${state}\tsince ${user.created_at}`);
  }
}

function revoke(db: Database, name: string | undefined): void {
  if (!name) throw new UsageError('user revoke needs a NAME');
  const user = getUserByName(db, name);
  if (!user) throw new Error(`No user named "${name}"`);
  const { tokens, sessions } = accounts.revokeAccess(db, user.id);
  console.log(`Revoked ${tokens} API token(s) and ended ${sessions} session(s) of "${user.name}".`);
}

/** SQLite's online backup: a consistent snapshot even while the server writes. */
async function backup(databasePath: string, target: string | undefined): Promise<void> {
  if (!target) throw new UsageError('backup needs a FILE');
  if (!fs.existsSync(databasePath)) throw new Error(`No database at ${databasePath}`);
  const db = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
  try {
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    // All pages in one step, inside one read transaction: copied a few pages at a time, SQLite
    // restarts the backup whenever the server commits, and under steady writes it never finishes.
    await db.backup(target, { progress: () => 2 ** 30 });
  } finally {
    db.close();
  }
  console.log(`Backed up ${databasePath} to ${target} (schema version ${checkBackup(target)}).`);
}

/** A backup's schema version, after checking it is a sound Claimgrid database this code can run. */
function checkBackup(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`${file} is damaged: ${String(integrity)}`);
    const version = schemaVersion(db);
    const known = readMigrations().at(-1)!.version;
    if (version === 0 || version > known) throw new Error(`${file} is not a Claimgrid database this version can use (schema ${version})`);
    return version;
  } finally {
    db.close();
  }
}

/** The pid of a live server using the database, from the file server.ts keeps beside it. */
function serverHolding(databasePath: string): number | undefined {
  const pidFile = pidFilePath(databasePath);
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // a pid file left by a server that died
  }
}

/**
 * Replaces the database with a backup: the backup is checked, copied beside the database, and
 * renamed over it, so an interrupted restore leaves the old database whole.
 */
async function restore(configuredPath: string, source: string | undefined, options: string[]): Promise<void> {
  if (!source) throw new UsageError('restore needs a FILE');
  if (!fs.existsSync(source)) throw new Error(`No backup at ${source}`);
  const version = checkBackup(source);
  // The file itself, not the link to it: a server started through a link is found, and the link stays.
  const databasePath = realDatabasePath(configuredPath);
  const running = serverHolding(databasePath);
  if (running !== undefined) throw new Error(`A Claimgrid server (pid ${running}) is using ${databasePath}: stop it, then restore`);
  const revoked = fs.existsSync(databasePath) ? revokedTokenHashes(databasePath) : [];
  fs.mkdirSync(path.dirname(path.resolve(databasePath)), { recursive: true });
  const staging = `${databasePath}.restoring`;
  const from = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    await from.backup(staging, { progress: () => 2 ** 30 });
  } finally {
    from.close();
  }
  if (fs.existsSync(databasePath)) {
    // Fold the old database's WAL into it first, so that until the rename below it stays whole.
    const old = new BetterSqlite3(databasePath);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
  }
  fs.renameSync(staging, databasePath);
  for (const leftover of [`${databasePath}-wal`, `${databasePath}-shm`]) fs.rmSync(leftover, { force: true });
  const restored = openMigrated(databasePath);
  try {
    console.log(`Restored ${databasePath} from ${source} (schema version ${version}).`);
    reportRevivedTokens(restored, revoked, options.includes('--revoke-again'));
  } finally {
    restored.close();
  }
}

/** The hashes of the API tokens revoked in the database about to be replaced. */
function revokedTokenHashes(databasePath: string): string[] {
  const current = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
  try {
    return current.prepare('SELECT token_hash FROM api_tokens WHERE revoked_at IS NOT NULL').pluck().all() as string[];
  } finally {
    current.close();
  }
}

/**
 * A backup made before a token was revoked brings that token back to life. Say so, naming whose
 * they are; with --revoke-again, revoke them again.
 */
function reportRevivedTokens(db: Database, revokedBefore: string[], revokeAgain: boolean): void {
  const revived = db
    .prepare(
      `SELECT t.id, u.name FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.revoked_at IS NULL AND t.token_hash IN (SELECT value FROM json_each(?)) ORDER BY u.name`,
    )
    .all(JSON.stringify(revokedBefore)) as { id: number; name: string }[];
  if (revived.length === 0) return;
  const names = [...new Set(revived.map((token) => token.name))];
  if (revokeAgain) {
    const revoke = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?');
    db.transaction(() => revived.forEach((token) => revoke.run(new Date().toISOString(), token.id)))();
    console.log(`Revoked again ${revived.length} API token(s) that had been revoked after this backup was made (${names.join(', ')}).`);
    return;
  }
  console.log(
    `Warning: ${revived.length} API token(s) revoked after this backup was made are active again (${names.join(', ')}). ` +
      `Revoke them again with: ${names.map((name) => `npx claimgrid user revoke ${JSON.stringify(name)}`).join('; ')} ` +
      '(or restore with --revoke-again).',
  );
}

export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    const { databasePath } = loadConfig();
    if (command === 'backup') await backup(databasePath, sub);
    else if (command === 'restore') await restore(databasePath, sub, rest);
    else if (command === 'user' && ['add', 'list', 'revoke'].includes(sub ?? '')) {
      const db = openMigrated(databasePath);
      try {
        if (sub === 'add') await addUser(db, rest);
        else if (sub === 'list') listAll(db);
        else revoke(db, rest[0]);
      } finally {
        db.close();
      }
    } else if (command === undefined || command === 'help' || command === '--help') {
      console.log(USAGE);
    } else {
      throw new UsageError(`Unknown command: ${argv.join(' ')}`);
    }
    return 0;
  } catch (error) {
    console.error(`claimgrid: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof UsageError) console.error(USAGE);
    return error instanceof UsageError ? 2 : 1;
  }
}
