import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { migrate, openDatabase, readMigrations, schemaVersion } from '../src/db/database.js';

function tempDatabasePath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-')), 'nested', 'claimgrid.sqlite');
}

describe('migrations', () => {
  const migrations = readMigrations();
  const latest = migrations.at(-1)!.version;

  it('are numbered .sql files, 001 upwards with no gap or repeat, every file in migrations/ among them', () => {
    const files = fs.readdirSync(new URL('../migrations/', import.meta.url)).sort();
    assert.deepEqual(migrations.map((migration) => migration.name), files, 'no stray file is skipped');
    assert.deepEqual(
      migrations.map((migration) => migration.version),
      migrations.map((_, index) => index + 1),
    );
    for (const file of files) assert.match(file, /^\d{3}_[a-z0-9_]+\.sql$/);
  });

  it('bring a new database file (and its missing directory) to the latest version, in WAL mode with foreign keys', () => {
    const file = tempDatabasePath();
    const db = openDatabase(file);
    assert.equal(migrate(db), 0, 'a new database reports version 0 before migrating');
    assert.equal(schemaVersion(db), latest);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((db.pragma('busy_timeout', { simple: true }) as number) > 0);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const table of ['sources', 'incidents', 'claims']) assert.ok(tables.includes(table), `${table} exists`);
    db.close();
  });

  it('leave an up-to-date database and its data alone when run again', () => {
    const file = tempDatabasePath();
    let db = openDatabase(file);
    migrate(db);
    db.prepare(
      "INSERT INTO incidents (slug, title, created_at, updated_at) VALUES ('kept', 'Kept', 'now', 'now')",
    ).run();
    db.close();

    db = openDatabase(file);
    assert.equal(migrate(db), latest, 'reports the version it found');
    assert.equal(schemaVersion(db), latest);
    assert.equal(db.prepare('SELECT title FROM incidents').pluck().get(), 'Kept');
    db.close();
  });

  it('apply only the migrations an existing database lacks, keeping its rows', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations.slice(0, 1));
    db.prepare("INSERT INTO sources (name, created_at, updated_at) VALUES ('CENTCOM', 'now', 'now')").run();
    const next = { version: latest + 1, name: 'next.sql', sql: 'ALTER TABLE sources ADD COLUMN reliability TEXT;' };
    migrate(db, [...migrations, next]);
    assert.equal(schemaVersion(db), latest + 1);
    assert.deepEqual(db.prepare('SELECT name, reliability FROM sources').get(), { name: 'CENTCOM', reliability: null });
  });

  it('roll back a failing migration whole, leaving the version where it was', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const broken = {
      version: latest + 1,
      name: 'broken.sql',
      sql: 'CREATE TABLE half_made (id INTEGER); INSERT INTO no_such_table VALUES (1);',
    };
    assert.throws(() => migrate(db, [...migrations, broken]), /no such table/);
    assert.equal(schemaVersion(db), latest);
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_made'").pluck().get(), 0);
  });

  it('refuse a database newer than the code', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    db.pragma(`user_version = ${latest + 5}`);
    assert.throws(() => migrate(db), /schema version \d+ but this Claimgrid only knows up to/);
  });
});
