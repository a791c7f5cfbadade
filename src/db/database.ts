import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Opens (creating if needed) the SQLite file at `file`, or an in-memory database for ':memory:'. */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file);
  // WAL lets readers (page views, exports) run while a write commits. synchronous = FULL syncs the
  // WAL to disk at every commit, so an acknowledged write survives a process crash and also a power
  // cut or OS crash; NORMAL alone would survive only the first. (The server syncs its commits itself,
  // in groups and off the event loop: see commits.ts.)
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads migrations/NNN_name.sql in version order. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d+_.+\.sql$/.test(file))
    .map((file) => ({
      version: Number.parseInt(file, 10),
      name: file,
      sql: fs.readFileSync(path.join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to date, one transaction per migration, recording the version in
 * PRAGMA user_version. Returns the version the database had before, 0 for a new database.
 */
export function migrate(db: Database, migrations: Migration[] = readMigrations()): number {
  const before = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (before > latest) {
    throw new Error(
      `The database is at schema version ${before} but this Claimgrid only knows up to ${latest}: ` +
        'run a newer Claimgrid, or restore a backup made by this one.',
    );
  }
  for (const migration of migrations) {
    if (migration.version <= before) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return before;
}

export function nowIso(): string {
  return new Date().toISOString();
}

const statementCache = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>();

/** The prepared statement for `sql` on this connection, compiled once and reused. */
export function prepared(db: Database, sql: string): BetterSqlite3.Statement {
  let statements = statementCache.get(db);
  if (!statements) {
    statements = new Map();
    statementCache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * Rows in id order, `batchSize` at a time: `read(after, limit)` reads the next rows with an id above
 * `after`. Batches rather than one open iterator, so the connection stays free for other requests
 * between them, and memory holds one batch at a time.
 */
export function* inIdOrder<Row>(read: (after: number, limit: number) => Row[], idOf: (row: Row) => number, batchSize: number): Generator<Row[]> {
  let after = 0;
  for (;;) {
    const rows = read(after, batchSize);
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    after = idOf(rows[rows.length - 1]!);
  }
}

/** The bookkeeping every edited record carries: its version (raised by each edit), when and by whom it was made and last changed. */
export interface Versioned {
  id: number;
  version: number;
  created_at: string;
  updated_at: string;
  created_by: number | null;
  updated_by: number | null;
}

/** A record deleted softly carries when and by whom; null while it is live. */
export interface SoftDeleted {
  deleted_at: string | null;
  deleted_by: number | null;
}

/** What an edit that names the version it started from came to. */
export type EditOutcome<Row> =
  | { outcome: 'saved'; row: Row }
  | { outcome: 'conflict'; current: Row }
  | { outcome: 'missing' };
