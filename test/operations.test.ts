import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { migrate, openDatabase, readMigrations } from '../src/db/database.js';

const LATEST = readMigrations().at(-1)!.version;
import BetterSqlite3 from 'better-sqlite3';
import { fillDatabase } from '../bench/fill.js';
import { loadDemo } from '../src/demo.js';
import { runCli, startServer, stopServer, tempDatabase, waitForOutput } from './server-helpers.js';

async function json(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** A database file of its own with the demo loaded, for the command to work on. */
function demoDatabaseFile(): string {
  const file = tempDatabase();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = openDatabase(file);
  migrate(db);
  loadDemo(db);
  db.close();
  return file;
}

function bearer(token: string, body?: object): RequestInit {
  return {
    method: body ? 'POST' : 'GET',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  };
}

describe('running Claimgrid', () => {
  it('prints a one-time setup link on first start, and the CLI makes users whose token works', async () => {
    const file = tempDatabase();
    const server = await startServer({ DATABASE_PATH: file });
    try {
      const link = (await waitForOutput(server, /(http:\/\/\S+\/setup\?token=\S+)/))[1]!;
      assert.equal((await fetch(link)).status, 200);

      const added = await runCli(['user', 'add', 'alice', '--role', 'editor'], { DATABASE_PATH: file });
      assert.equal(added.code, 0, added.stderr);
      const lines = added.stdout.trim().split('\n');
      const token = lines.at(-1)!;
      assert.match(token, /^[A-Za-z0-9_-]{43}$/, 'the token alone on the last line');
      assert.match(added.stdout, /Password \(shown once\): \S{20}/);

      const created = await json(`${server.url}api/sources`, bearer(token, { name: 'Reuters', kind: 'media' }));
      assert.equal(created.status, 201);
      assert.match((await runCli(['user', 'list'], { DATABASE_PATH: file })).stdout, /^alice\teditor\t1 active token\(s\)/m);

      assert.equal((await runCli(['user', 'revoke', 'alice'], { DATABASE_PATH: file })).code, 0);
      assert.equal((await json(`${server.url}api/sources`, bearer(token, { name: 'AFP' }))).status, 401);

      const wrong = await runCli(['user', 'add', 'bob', '--role', 'boss'], { DATABASE_PATH: file });
      assert.equal(wrong.code, 2);
      assert.match(wrong.stderr, /--role must be one of: viewer, editor, admin/);

      const health = await json(`${server.url}healthz`);
      assert.deepEqual(health.body, { status: 'ok', schema_version: LATEST });
    } finally {
      await stopServer(server);
    }
  });

  it('proposes claims from a file in the terminal, as a table or JSON, matched to an incident of the database', async () => {
    const file = demoDatabaseFile();
    const article = 'demo/iswnews-2023-03-25-us-bases-syria.txt';
    const table = await runCli(['extract', article, '--outlet', 'ISWNews'], { DATABASE_PATH: file });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^22 proposal\(s\) from 22 sentence\(s\)$/m);
    assert.match(table.stdout, /^10 +US official \(unnamed\) +Al Jazeera +soldiers wounded +a +A US soldier was wounded\.$/m, 'an existing source, not marked new');
    const matched = await runCli(['extract', article, '--outlet', 'ISWNews', '--incident', 'evening-rocket-and-drone-attacks-on-us-positions-in-eastern-syria', '--json'], { DATABASE_PATH: file });
    assert.equal(matched.code, 0, matched.stderr);
    const { proposals } = JSON.parse(matched.stdout) as { proposals: { facet: string; value: { text: string } | null; source: { id: number | null } }[] };
    assert.ok(proposals.some((p) => p.facet === 'US personnel wounded' && p.value?.text === 'a' && p.source.id !== null));
    const missing = await runCli(['extract', 'no-such-file.txt'], { DATABASE_PATH: file });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no-such-file\.txt/);
    const image = path.join(path.dirname(file), 'photo.txt');
    fs.writeFileSync(image, Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    assert.match((await runCli(['extract', image], { DATABASE_PATH: file })).stderr, /is a PNG image, not text/);
  });

  it('renames and merges facets in the terminal, naming what went wrong', async () => {
    const file = demoDatabaseFile();
    const evening = 'evening-rocket-and-drone-attacks-on-us-positions-in-eastern-syria';
    const renamed = await runCli(['facets', 'rename', '--incident', evening, 'drones launched', 'drones used'], { DATABASE_PATH: file });
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.equal(renamed.stdout.trim(), 'Renamed “drones launched” to “drones used”: 2 claim(s) moved.');
    const merged = await runCli(['facets', 'rename', 'drones used', 'drones shot down', '--incident', evening], { DATABASE_PATH: file });
    assert.equal(merged.stdout.trim(), 'Merged “drones used” into “drones shot down”: 2 claim(s) moved.');
    const unknown = await runCli(['facets', 'rename', '--incident', evening, 'tanks', 'armour'], { DATABASE_PATH: file });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no claims on a facet called “tanks”/);
    assert.equal((await runCli(['facets', 'rename', 'tanks'], { DATABASE_PATH: file })).code, 2, 'a usage error');
    const after = openDatabase(file);
    assert.deepEqual(after.prepare("SELECT facet, count(*) AS n FROM claims WHERE facet LIKE 'drones%' GROUP BY facet").all(), [{ facet: 'drones shot down', n: 3 }]);
    assert.equal(after.prepare("SELECT count(*) FROM facet_links").pluck().get(), 1, 'the demo\'s other link, CENTCOM’s, stays; this one became a facet part of itself and went');
    after.close();
  });

  it('exports and imports in the terminal: an edited export comes back in, with a progress line, and a bad row writes nothing', async () => {
    const file = demoDatabaseFile();
    const directory = path.dirname(file);
    const exported = path.join(directory, 'claims.csv');
    const written = await runCli(['export', '--format', 'csv', exported], { DATABASE_PATH: file });
    assert.equal(written.code, 0, written.stderr);
    const lines = fs.readFileSync(exported, 'utf8').split('\r\n');
    assert.equal(lines.length, 25, 'a header, 23 claims and the last line break');
    const json = await runCli(['export', '--incident', 'morning-rocket-attack-on-the-green-village-compound', '--format', 'json'], { DATABASE_PATH: file });
    assert.equal((JSON.parse(json.stdout) as unknown[]).length, 7);

    // One statement edited, as in a spreadsheet.
    fs.writeFileSync(exported, fs.readFileSync(exported, 'utf8').replace('Resistance groups targeted three US bases in eastern Syria.', 'Resistance groups said they targeted three US bases.'));
    const dry = await runCli(['import', exported, '--dry-run'], { DATABASE_PATH: file });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^23 row\(s\) read \(CSV\)\.\nWould add 0 claim\(s\), update 1; 22 unchanged; 0 new incident\(s\), 0 new source\(s\)\./);
    const applied = await runCli(['import', exported], { DATABASE_PATH: file });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Added 0 claim\(s\), updated 1; 22 unchanged/);
    assert.match((await runCli(['import', exported], { DATABASE_PATH: file })).stdout, /Added 0 claim\(s\), updated 0; 23 unchanged/);

    // Long enough for progress lines (every 5,000 rows; not a terminal, so one a line).
    const many = path.join(directory, 'many.csv');
    const rows = Array.from({ length: 10_001 }, (_, index) => `A long list,US Central Command (CENTCOM),rockets fired,Report ${index}.,${index % 30}`);
    rows[9_000] = 'A long list,US Central Command (CENTCOM),rockets fired,,3';
    fs.writeFileSync(many, `incident,source,facet,statement,value\n${rows.join('\n')}\n`);
    const refused = await runCli(['import', many], { DATABASE_PATH: file });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^5000 rows read\n10000 rows read\n/);
    assert.match(refused.stderr, /1 of 10001 rows cannot be imported, so nothing was/);
    assert.match(refused.stderr, /line 9002: statement: Statement is required/);
    const after = openDatabase(file);
    assert.equal(after.prepare("SELECT count(*) FROM incidents WHERE title = 'A long list'").pluck().get(), 0);
    assert.equal(after.prepare("SELECT text FROM claims WHERE id = 1").pluck().get(), 'Resistance groups said they targeted three US bases.');
    after.close();
  });

  it('backs up while the server is writing, and restores the backup once it has stopped', async () => {
    const file = tempDatabase();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Big enough (~20 MB) that a backup copied a few pages at a time would keep restarting under writes.
    fillDatabase(file, { incidents: 40, claimsPerIncident: 1000 });
    const backupFile = path.join(path.dirname(file), '..', 'backups', 'claimgrid-backup.sqlite');
    const token = (await runCli(['user', 'add', 'writer', '--role', 'editor'], { DATABASE_PATH: file })).stdout.trim().split('\n').at(-1)!;
    const server = await startServer({ DATABASE_PATH: file, DEMO: 'off' });
    let acknowledged = 0;
    try {
      const incident = (await json(`${server.url}api/incidents`, bearer(token, { title: 'Backup under load' }))).body;
      const refusedWhileRunning = await runCli(['restore', file], { DATABASE_PATH: file });
      assert.equal(refusedWhileRunning.code, 1);
      assert.match(refusedWhileRunning.stderr, /A Claimgrid server \(pid \d+\) is using/);
      const importFile = path.join(path.dirname(file), 'one.csv');
      fs.writeFileSync(importFile, 'incident,source,source_kind,facet,statement\nBackup under load,Someone,other,a facet,A claim.\n');
      const importRefused = await runCli(['import', importFile], { DATABASE_PATH: file });
      assert.equal(importRefused.code, 1);
      assert.match(importRefused.stderr, /is using .*: import on its \/import page or with POST \/api\/import, or stop it first/);
      assert.equal((await runCli(['import', importFile, '--dry-run'], { DATABASE_PATH: file })).code, 0, 'a dry run writes nothing, and may run beside the server');
      const source = (await json(`${server.url}api/sources`, bearer(token, { name: 'Counter' }))).body;
      let writing = true;
      const writers = Array.from({ length: 4 }, async () => {
        while (writing) {
          const response = await fetch(`${server.url}api/incidents/${incident.id}/claims`, bearer(token, { source_id: source.id, facet: 'rockets fired', text: `claim ${acknowledged}` }));
          if (response.status === 201) acknowledged++;
        }
      });
      while (acknowledged < 50) await new Promise((resolve) => setTimeout(resolve, 10));
      const backedUp = await runCli(['backup', backupFile], { DATABASE_PATH: file });
      const atBackup = acknowledged;
      writing = false;
      await Promise.all(writers);
      assert.equal(backedUp.code, 0, backedUp.stderr);
      assert.match(backedUp.stdout, /Backed up .* \(schema version \d+\)/);

      const copy = new BetterSqlite3(backupFile, { readonly: true });
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      const inBackup = (copy.prepare('SELECT count(*) FROM claims WHERE incident_id = ?').pluck().get(incident.id) as number);
      copy.close();
      assert.ok(inBackup >= 50 && inBackup <= atBackup + 8, `a consistent snapshot: ${inBackup} claims, ${atBackup} acknowledged when it started`);
    } finally {
      await stopServer(server);
    }

    // Lose data, then restore.
    const db = new BetterSqlite3(file);
    db.prepare('DELETE FROM claims').run();
    db.close();
    const restored = await runCli(['restore', backupFile], { DATABASE_PATH: file });
    assert.equal(restored.code, 0, restored.stderr);
    const after = new BetterSqlite3(file, { readonly: true });
    assert.ok((after.prepare('SELECT count(*) FROM claims').pluck().get() as number) >= 40_050);
    assert.equal(after.pragma('integrity_check', { simple: true }), 'ok');
    after.close();

    fs.writeFileSync(`${backupFile}.bad`, 'not a database');
    const refused = await runCli(['restore', `${backupFile}.bad`], { DATABASE_PATH: file });
    assert.equal(refused.code, 1);
  });

  it('refuses to restore under a server started through a symbolic link, and keeps the link', async () => {
    const file = tempDatabase();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const link = path.join(path.dirname(file), 'current.sqlite');
    const server = await startServer({ DATABASE_PATH: file, DEMO: 'off' });
    await stopServer(server);
    const backupFile = path.join(path.dirname(file), 'backup.sqlite');
    assert.equal((await runCli(['backup', backupFile], { DATABASE_PATH: file })).code, 0);
    fs.symlinkSync(file, link);
    const throughLink = await startServer({ DATABASE_PATH: link, DEMO: 'off' });
    try {
      const refused = await runCli(['restore', backupFile], { DATABASE_PATH: file });
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /A Claimgrid server \(pid \d+\) is using/);
    } finally {
      await stopServer(throughLink);
    }
    assert.equal((await runCli(['restore', backupFile], { DATABASE_PATH: link })).code, 0);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link still points at the database');
  });

  it('says when a restore brings back API tokens revoked since the backup, and revokes them again if asked', async () => {
    const file = tempDatabase();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const token = (await runCli(['user', 'add', 'leaker', '--role', 'editor'], { DATABASE_PATH: file })).stdout.trim().split('\n').at(-1)!;
    const backupFile = path.join(path.dirname(file), 'backup.sqlite');
    assert.equal((await runCli(['backup', backupFile], { DATABASE_PATH: file })).code, 0);
    assert.equal((await runCli(['user', 'revoke', 'leaker'], { DATABASE_PATH: file })).code, 0);

    const warned = await runCli(['restore', backupFile], { DATABASE_PATH: file });
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stdout, /Warning: 1 API token\(s\) revoked after this backup was made are active again \(leaker\)\. Revoke them again with: npx claimgrid user revoke "leaker"/);

    assert.equal((await runCli(['user', 'revoke', 'leaker'], { DATABASE_PATH: file })).code, 0);
    const again = await runCli(['restore', backupFile, '--revoke-again'], { DATABASE_PATH: file });
    assert.match(again.stdout, /Revoked again 1 API token\(s\)/);
    const server = await startServer({ DATABASE_PATH: file, DEMO: 'off' });
    try {
      assert.equal((await json(`${server.url}api/sources`, bearer(token, { name: 'Leaked' }))).status, 401);
    } finally {
      await stopServer(server);
    }
  });

  it('refuses to start on a database newer than the code, saying so', async () => {
    const file = tempDatabase();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new BetterSqlite3(file);
    db.pragma('user_version = 999');
    db.close();
    await assert.rejects(startServer({ DATABASE_PATH: file }), /schema version 999 but this Claimgrid only knows up to \d+/);
  });
});
