/**
 * The `claimgrid` command: accounts, backups and reading texts, on the database at DATABASE_PATH.
 *
 *   claimgrid user add NAME --role viewer|editor|admin
 *   claimgrid user list
 *   claimgrid user revoke NAME
 *   claimgrid backup FILE
 *   claimgrid restore FILE [--revoke-again]
 *   claimgrid extract FILE [--incident SLUG] [--outlet NAME] [--json]
 *   claimgrid facets rename --incident SLUG FACET NEW_NAME
 *   claimgrid import FILE [--dry-run] [--expect DIGEST] [--as USER]
 *   claimgrid export [--incident SLUG] [--format csv|json] [FILE]
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import BetterSqlite3 from 'better-sqlite3';
import * as accounts from './actions/accounts.js';
import { extractClaims } from './actions/documents.js';
import { claimExportChunks } from './actions/exports.js';
import { openImportFile } from './actions/import-files.js';
import { importStreaming, type ImportReport } from './actions/imports.js';
import { renameFacet } from './actions/facets.js';
import { requireIncidentBySlug } from './actions/incidents.js';
import { generatePassword } from './auth/secrets.js';
import { loadConfig, pidFilePath, realDatabasePath } from './config.js';
import { type Database, migrate, openDatabase, readMigrations, schemaVersion } from './db/database.js';
import { getUserByName, listUsers, ROLES } from './db/users.js';
import { Conflict, Invalid } from './errors.js';
import { readUpload } from './extract/files.js';
import type { Proposal } from './extract/proposals.js';

const USAGE = `Usage:
  claimgrid user add NAME --role viewer|editor|admin   create a user; prints a password and an API token (token last)
  claimgrid user list                                   list users, roles and active tokens
  claimgrid user revoke NAME                            revoke every API token and session of NAME
  claimgrid backup FILE                                 consistent copy of the database, safe while the server runs
  claimgrid restore FILE [--revoke-again]               replace the database with a backup (stop the server first);
                                                        --revoke-again revokes again the API tokens revoked since the backup
  claimgrid extract FILE [--incident SLUG] [--outlet NAME] [--json]
                                                        the claims Claimgrid proposes from a .txt, .md or .html file, as a
                                                        table (or JSON); sources matched to the database's, facets to SLUG's
  claimgrid facets rename --incident SLUG FACET NEW_NAME
                                                        rename a facet across an incident, or merge it into the facet
                                                        NEW_NAME names (stop the server first)
  claimgrid import FILE [--dry-run] [--expect DIGEST] [--as USER]
                                                        import claims from a CSV or JSON file (an export, or a table with
                                                        incident, source, facet, statement…): all of it or, if a row is
                                                        bad, nothing; --dry-run says what it would do and its digest,
                                                        --expect refuses an import that would now do otherwise, --as
                                                        records the changes as an editor's (import on the server's
                                                        /import page or POST /api/import while it runs)
  claimgrid export [--incident SLUG] [--format csv|json] [FILE]
                                                        the claims (of one incident, or all) as the web exports write
                                                        them, to FILE or to the terminal; safe while the server runs
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

/** The value of `--name VALUE` in args, if given. */
function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

/**
 * Proposals for a file, as the review page would show them. Sources are matched to the database's
 * (when there is one); with --incident, facets to that incident's. Nothing is written.
 */
async function extract(databasePath: string, args: string[]): Promise<void> {
  const file = args[0];
  if (!file || file.startsWith('--')) throw new UsageError('extract needs a FILE');
  const reading = readUpload(path.basename(file), fs.readFileSync(file));
  if ('problem' in reading) throw new Error(reading.problem);
  const slug = option(args, '--incident');
  const db = fs.existsSync(databasePath) ? openMigrated(databasePath) : openMigrated(':memory:');
  try {
    const incidentId = slug === undefined ? undefined : requireIncidentBySlug(db, slug).id;
    const { sentences, proposals } = await extractClaims(db, { text: reading.text, outlet: option(args, '--outlet'), incident_id: incidentId });
    if (args.includes('--json')) console.log(JSON.stringify({ sentences, proposals }, null, 2));
    else console.log(proposalTable(sentences, proposals));
  } finally {
    db.close();
  }
}

/**
 * Renames or merges a facet as the facet's page does. The server's cached comparisons would not
 * hear of a change made here, so it must not be running.
 */
async function renameFacetCommand(configuredPath: string, args: string[]): Promise<void> {
  const slug = option(args, '--incident');
  const [facet, to] = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--incident');
  if (slug === undefined || facet === undefined || to === undefined) throw new UsageError('facets rename needs --incident SLUG, a FACET and a NEW_NAME');
  const databasePath = realDatabasePath(configuredPath);
  const running = serverHolding(databasePath);
  if (running !== undefined) throw new Error(`A Claimgrid server (pid ${running}) is using ${databasePath}: stop it, then rename (or rename on the facet's page)`);
  const db = openMigrated(databasePath);
  try {
    // Nothing else is served meanwhile: the steps follow one another at once.
    const renamed = await renameFacet(db, requireIncidentBySlug(db, slug), { facet, to }, null, async () => {});
    console.log(`${renamed.merged ? 'Merged' : 'Renamed'} “${renamed.from.facet}” ${renamed.merged ? 'into' : 'to'} “${renamed.to.facet}”: ${renamed.claims} claim(s) moved.`);
  } finally {
    db.close();
  }
}

/** What an import did or would do, in a few lines; the first bad rows named. */
function importSummary(report: ImportReport, dryRun: boolean): string {
  const { counts } = report;
  const lines = [
    `${report.rows} row(s) read (${report.format.toUpperCase()}${report.delimiter && report.delimiter !== ',' ? `, "${report.delimiter === '\t' ? 'tab' : report.delimiter}" between cells` : ''}).`,
    `${dryRun ? 'Would add' : 'Added'} ${counts.created} claim(s), ${dryRun ? 'update' : 'updated'} ${counts.updated}; ${counts.unchanged} unchanged; ${counts.new_incidents} new incident(s), ${counts.new_sources} new source(s).`,
  ];
  if (report.ignored_columns.length > 0) lines.push(`Columns read past: ${report.ignored_columns.join(', ')}.`);
  for (const warning of report.warnings.slice(0, 10)) lines.push(`Left as it is: ${warning.line === undefined ? `item ${warning.row}` : `line ${warning.line}`}, ${warning.column}: ${warning.message}`);
  if (counts.invalid > 0) {
    lines.push(`${counts.invalid} bad row(s)${dryRun ? '' : ': nothing was imported'}:`);
    for (const issue of report.errors.slice(0, 20)) lines.push(`  ${issue.line === undefined ? `item ${issue.row}` : `line ${issue.line}`}, ${issue.column}: ${issue.message}`);
    if (report.errors.length < counts.invalid || report.errors.length > 20) lines.push('  …');
  }
  if (dryRun) lines.push(`Digest of this preview: ${report.digest}`);
  return lines.join('\n');
}

/**
 * Imports a file, as the /import page does, with a progress line on the terminal. Applying holds
 * the database's write lock until it is done, which a running server's writes would be refused
 * for: it needs the server stopped (or the server's own import); a dry run does not.
 */
async function importCommand(configuredPath: string, args: string[]): Promise<number> {
  const as = option(args, '--as');
  const expect = option(args, '--expect');
  const file = args.find((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--as' && args[index - 1] !== '--expect');
  const dryRun = args.includes('--dry-run');
  const unknown = args.filter((arg) => arg.startsWith('--') && !['--dry-run', '--as', '--expect'].includes(arg));
  if (file === undefined || unknown.length > 0) throw new UsageError(unknown.length > 0 ? `Unknown option: ${unknown.join(' ')}` : 'import needs a FILE');
  if (expect !== undefined && !/^[0-9a-f]{64}$/.test(expect)) throw new UsageError('--expect takes the digest a dry run printed (64 hexadecimal digits)');
  if (!fs.existsSync(file)) throw new Error(`No file at ${file}`);
  const databasePath = realDatabasePath(configuredPath);
  const running = serverHolding(databasePath);
  if (running !== undefined && !dryRun) {
    throw new Error(`A Claimgrid server (pid ${running}) is using ${databasePath}: import on its /import page or with POST /api/import, or stop it first (--dry-run works while it runs)`);
  }
  const db = openMigrated(databasePath);
  // Whose changes they are in the history: a user's, named, or the command's (no user).
  const actor = as === undefined ? null : getUserByName(db, as);
  if (actor === undefined || (actor !== null && (actor.role === 'viewer' || actor.disabled_at !== null))) {
    db.close();
    throw new Error(`--as must name an editor or admin who is not disabled: ${actor === undefined ? `no user is called "${as}"` : `"${as}" is ${actor!.disabled_at ? 'disabled' : 'a viewer'}`}`);
  }
  const progress = process.stderr.isTTY ? (rows: number) => process.stderr.write(`\r${rows.toLocaleString('en')} rows read…`) : (rows: number) => process.stderr.write(`${rows} rows read\n`);
  try {
    const table = await openImportFile(file);
    let report: ImportReport;
    try {
      ({ report } = await importStreaming(db, table, { actor: actor?.id ?? null, dryRun, onProgress: progress, ...(expect ? { expect } : {}) }));
    } catch (error) {
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (error instanceof Conflict) throw new Error(`${error.message.replace('Preview the file again.', 'Run --dry-run again.')}`);
      if (!(error instanceof Invalid) || error.issues.length === 0) throw error;
      console.error(`claimgrid: ${error.message}`);
      for (const issue of error.issues.slice(0, 20)) console.error(`  ${issue.path}: ${issue.message}`);
      return 1;
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(importSummary(report, dryRun));
    return report.counts.invalid > 0 ? 1 : 0;
  } finally {
    db.close();
  }
}

/** Writes the claims export to FILE (or the terminal), as GET /claims.csv and /incidents/SLUG/claims.json write it. */
async function exportCommand(configuredPath: string, args: string[]): Promise<void> {
  const slug = option(args, '--incident');
  const format = option(args, '--format') ?? 'csv';
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
  const rest = args.filter((arg, index) => !arg.startsWith('--') && args[index - 1] !== '--incident' && args[index - 1] !== '--format');
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--incident' && arg !== '--format');
  if (unknown.length > 0 || rest.length > 1) throw new UsageError(unknown.length > 0 ? `Unknown option: ${unknown.join(' ')}` : 'export takes one FILE at most');
  const db = openMigrated(realDatabasePath(configuredPath));
  try {
    const incidentId = slug === undefined ? undefined : requireIncidentBySlug(db, slug).id;
    const out = rest[0] === undefined ? process.stdout : fs.createWriteStream(rest[0]);
    try {
      await pipeline(Readable.from(claimExportChunks(db, incidentId, format)), out, { end: rest[0] !== undefined });
    } catch (error) {
      // The reader went away (`| head`): what it wanted, it has.
      if ((error as { code?: string }).code !== 'EPIPE') throw error;
    }
    if (rest[0] !== undefined) console.error(`Wrote ${rest[0]}.`);
  } finally {
    db.close();
  }
}

function proposalTable(sentences: number, proposals: Proposal[]): string {
  const rows = proposals.map((p, index) => [
    String(index + 1),
    `${p.source.name}${p.source.id === null ? ' (new)' : ''}`,
    p.via?.name ?? '',
    p.facet,
    p.value?.text ?? (p.quote ? '(quote)' : ''),
    p.statement,
  ]);
  const header = ['#', 'source', 'via', 'facet', 'value', 'statement'];
  const widths = header.map((title, column) => Math.min(40, Math.max(title.length, ...rows.map((row) => row[column]!.length))));
  const line = (row: string[]) => row.map((cell, column) => (cell.length > widths[column]! ? `${cell.slice(0, widths[column]! - 1)}…` : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [`${proposals.length} proposal(s) from ${sentences} sentence(s)`, '', line(header), ...rows.map(line)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  try {
    const { databasePath } = loadConfig();
    if (command === 'backup') await backup(databasePath, sub);
    else if (command === 'extract') await extract(databasePath, [sub ?? '', ...rest].filter((arg, index) => index > 0 || arg !== ''));
    else if (command === 'restore') await restore(databasePath, sub, rest);
    else if (command === 'facets' && sub === 'rename') await renameFacetCommand(databasePath, rest);
    else if (command === 'import') return await importCommand(databasePath, [sub ?? '', ...rest].filter((arg, index) => index > 0 || arg !== ''));
    else if (command === 'export') await exportCommand(databasePath, [sub ?? '', ...rest].filter((arg, index) => index > 0 || arg !== ''));
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
