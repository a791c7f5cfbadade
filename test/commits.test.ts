import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, it, mock } from 'node:test';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { asOnlyWriter, beginWriteRequest, durable, joinWriteBatch, onlyWriterRunning, syncCommitsOffThread } from '../src/db/commits.js';
import { diskSyncs } from '../src/db/disk-syncs.js';
import { type Database, migrate, openDatabase } from '../src/db/database.js';
import { createApiToken, createUser } from '../src/db/users.js';
import { saveClaim } from '../src/actions/claims.js';
import { saveIncident } from '../src/actions/incidents.js';
import { DatabaseBusy } from '../src/errors.js';
import { count } from './helpers.js';

/** A database file with one incident and one source, and a second connection to it that sees only what is committed. */
function databaseOnDisk(): { db: Database; observer: Database; incidentId: number; sourceId: number; actor: number } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-commits-')), 'claims.sqlite');
  const db = openDatabase(file);
  migrate(db);
  const incidentId = Number(db.prepare("INSERT INTO incidents (slug, title, created_at, updated_at) VALUES ('strike', 'Strike', 'now', 'now')").run().lastInsertRowid);
  const sourceId = Number(db.prepare("INSERT INTO sources (name, name_key, created_at, updated_at) VALUES ('CENTCOM', 'centcom', 'now', 'now')").run().lastInsertRowid);
  const actor = createUser(db, 'writer', 'editor', 'scrypt$unusable').id;
  return { db, observer: openDatabase(file), incidentId, sourceId, actor };
}

const pbkdf2Async = promisify(pbkdf2);

const claim = (sourceId: number, text: string) => ({ source_id: sourceId, facet: 'rockets fired', text, value: 'ten' });

describe('group commit', () => {
  it('puts the writes of one turn of the event loop into one transaction, committed once, after the turn', async () => {
    const { db, observer, incidentId, sourceId, actor } = databaseOnDisk();
    const first = joinWriteBatch(db);
    saveClaim(db, incidentId, claim(sourceId, 'Ten rockets hit the Green Village.'), actor);
    const second = joinWriteBatch(db);
    saveClaim(db, incidentId, claim(sourceId, 'Ten rockets, no damage.'), actor);
    assert.equal(first, second, 'the second write joined the open batch');
    assert.equal(count(observer, 'claims'), 0, 'nothing is committed during the turn');
    await first;
    assert.equal(count(observer, 'claims'), 2, 'both are committed together');
  });

  it('undoes only the write that failed, not the others in its batch', async () => {
    const { db, observer, incidentId, sourceId, actor } = databaseOnDisk();
    const committed = joinWriteBatch(db);
    saveClaim(db, incidentId, claim(sourceId, 'Ten rockets hit the Green Village.'), actor);
    // Creates the new source, then fails on the outlet: its savepoint takes the new source back.
    assert.throws(() => saveClaim(db, incidentId, { new_source_name: 'Brand new', new_source_kind: 'media', via_source_id: 9999, facet: 'x', text: 'x' }, actor), /via_source_id/);
    await committed;
    assert.deepEqual(observer.prepare('SELECT text FROM claims').pluck().all(), ['Ten rockets hit the Green Village.']);
    assert.equal(count(observer, 'sources'), 1);
  });

  it('tells when everything written so far is committed and on disk', async () => {
    const { db, observer, incidentId, sourceId, actor } = databaseOnDisk();
    syncCommitsOffThread(db);
    assert.equal(durable(db), undefined, 'nothing written, nothing to wait for');
    void joinWriteBatch(db);
    saveClaim(db, incidentId, claim(sourceId, 'Ten rockets.'), actor);
    await durable(db);
    assert.equal(count(observer, 'claims'), 1);
    assert.equal(durable(db), undefined, 'all of it is on disk');
  });

  it('answers concurrent API writes once their commits are done, every one of them saved', async () => {
    const { db, observer, incidentId, sourceId, actor } = databaseOnDisk();
    const app = createApp(db);
    const token = createApiToken(db, actor);
    const server = app.listen(0);
    try {
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, n) =>
          request(server).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, `Claim ${n}`)),
        ),
      );
      assert.deepEqual(answers.map((answer) => answer.status), Array(12).fill(201));
      // Each answer came after its commit: every claim it reports is visible from another connection.
      const visible = new Set(observer.prepare('SELECT id FROM claims').pluck().all());
      for (const answer of answers) assert.ok(visible.has(answer.body.id));
    } finally {
      server.close();
    }
  });

  it('answers 503 and keeps nothing when the commit fails, and serves the next request normally', async () => {
    const { db, observer, incidentId, sourceId, actor } = databaseOnDisk();
    const app = createApp(db);
    const token = createApiToken(db, actor);
    const exec = db.exec.bind(db);
    // As when the disk is full: SQLite refuses the COMMIT.
    db.exec = (sql: string) => {
      if (sql === 'COMMIT') throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return exec(sql);
    };
    const refused = await request(app).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, 'Lost?'));
    assert.equal(refused.status, 503, refused.text);
    assert.match(refused.body.error.message, /could not be saved: the database could not commit it \(a full or failing disk\)\. Nothing was written\./);
    assert.notEqual(refused.headers.etag, '"1"', "the saved claim's version does not go out with the error");
    assert.equal(count(observer, 'claims'), 0);
    assert.equal(count(db, 'claims'), 0);

    db.exec = exec;
    const saved = await request(app).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, 'Kept.'));
    assert.equal(saved.status, 201);
    assert.equal(count(observer, 'claims'), 1);
  });

  it('syncs the WAL to disk before answering a write, one sync for writes that arrive together', async () => {
    const { db, incidentId, sourceId, actor } = databaseOnDisk();
    const app = createApp(db);
    const token = createApiToken(db, actor);
    const events: string[] = [];
    const realSync = diskSyncs.syncFile;
    const fsync = mock.method(diskSyncs, 'syncFile', async (descriptor: number) => {
      events.push('sync started');
      // The real fsync, made slow: an answer sent before it finishes would show up first.
      await sleep(50);
      events.push('sync finished');
      await realSync(descriptor);
    });
    const server = app.listen(0);
    try {
      const answers = Array.from({ length: 6 }, (_, n) =>
        request(server).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, `Claim ${n}`)).then((answer) => {
          events.push(`answer ${answer.status}`);
          return answer;
        }),
      );
      await Promise.all(answers);
      assert.equal(events[0], 'sync started');
      assert.ok(events.indexOf('sync finished') < events.indexOf('answer 201'), events.join(', '));
      assert.ok(fsync.mock.callCount() < 6, `${fsync.mock.callCount()} syncs for 6 writes`);
      assert.equal(count(db, 'claims'), 6);
    } finally {
      server.close();
      fsync.mock.restore();
    }
  });

  it('syncs on a thread of its own: a write is confirmed while every thread of the shared pool is busy', async () => {
    const { db, incidentId, sourceId, actor } = databaseOnDisk();
    const app = createApp(db);
    const token = createApiToken(db, actor);
    const write = (text: string) => request(app).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, text));
    // The first write opens the WAL (once), which Node does on the shared pool.
    await write('Opens the WAL.').expect(201);
    // Eight jobs for libuv's four threads, as password hashes or compressions would be.
    const events: string[] = [];
    const busy = Array.from({ length: 8 }, () => pbkdf2Async('pool', 'busy', 400_000, 32, 'sha512').then(() => events.push('pool job done')));
    await write('Confirmed all the same.').expect(201);
    events.push('write confirmed');
    await Promise.all(busy);
    assert.equal(events[0], 'write confirmed', events.join(', '));
  });

  it('refuses to confirm any write once a sync has failed, and still serves readers', async () => {
    const { db, incidentId, sourceId, actor } = databaseOnDisk();
    const app = createApp(db);
    const token = createApiToken(db, actor);
    const fsync = mock.method(diskSyncs, 'syncFile', async () => {
      throw Object.assign(new Error('input/output error'), { code: 'EIO' });
    });
    try {
      const write = () => request(app).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, 'Unconfirmed.'));
      const first = await write();
      assert.equal(first.status, 503);
      assert.match(first.body.error.message, /could not be confirmed on disk, so its outcome is unknown: it may or may not be there after a restart\. Reload to check/);
      fsync.mock.restore();
      // A kernel may report a retried fsync as done without the pages it failed to write.
      assert.equal((await write()).status, 503, 'a later write is not confirmed either');
      await request(app).get('/incidents/strike').expect(200);
      // The list of incidents stores their summaries as it goes: a cache, which does not hold readers to what writes are.
      await request(app).get('/').expect(200);
      // The sign-in page writes nothing (its form token is signed, not stored), so it is served too.
      const signInPage = await request(app).get('/login');
      assert.equal(signInPage.status, 200);
      assert.match(signInPage.headers['set-cookie']![0]!, /^claimgrid_form=/);
    } finally {
      fsync.mock.restore();
    }
  });

  it('answers readers while writes keep arriving, without waiting for the writers to stop', async () => {
    const { db, incidentId, sourceId, actor } = databaseOnDisk();
    const app = createApp(db);
    const token = createApiToken(db, actor);
    const realSync = diskSyncs.syncFile;
    // A slow disk: every commit lands while the previous sync is still running.
    const fsync = mock.method(diskSyncs, 'syncFile', async (descriptor: number) => {
      await sleep(20);
      await realSync(descriptor);
    });
    const server = app.listen(0);
    let readerAnswered = false;
    let writes = 0;
    const writer = async () => {
      while (!readerAnswered && writes < 400) {
        writes++;
        await request(server).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, `Claim ${writes}`));
      }
    };
    try {
      const writers = Array.from({ length: 8 }, writer);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await request(server).get('/healthz').expect(200);
      await request(server).get('/claims.csv').expect(200);
      readerAnswered = true;
      await Promise.all(writers);
      assert.ok(writes < 400, `the readers were answered after ${writes} writes, while writers were still writing`);
    } finally {
      server.close();
      fsync.mock.restore();
    }
  });

  it('syncs the WAL SQLite writes to, also for a database opened through a symbolic link', async () => {
    const { db, incidentId, sourceId, actor } = databaseOnDisk();
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-link-')), 'linked.sqlite');
    fs.symlinkSync(db.name, link);
    const linked = openDatabase(link);
    const app = createApp(linked);
    const token = createApiToken(linked, actor);
    const realSync = diskSyncs.syncFile;
    const synced: number[] = [];
    const fsync = mock.method(diskSyncs, 'syncFile', (descriptor: number) => {
      synced.push(fs.fstatSync(descriptor).ino);
      return realSync(descriptor);
    });
    try {
      await request(app).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, 'Through a link.')).expect(201);
      assert.ok(synced.includes(fs.statSync(`${db.name}-wal`).ino), 'the WAL beside the real file was synced');
      assert.ok(!fs.existsSync(`${link}-wal`), 'there is no WAL beside the link');
    } finally {
      fsync.mock.restore();
    }
  });
});

describe('an only writer (an import on a thread of its own)', () => {
  it('starts once the write requests under way have ended, and holds new ones back until it is done', async () => {
    const { db } = databaseOnDisk();
    const order: string[] = [];
    const endFirst = beginWriteRequest(db);
    const endSecond = beginWriteRequest(db);
    const importing = asOnlyWriter(db, async () => {
      order.push('import runs');
      await sleep(5);
      order.push('import done');
    });
    // A write request arriving now waits for it.
    const waiting = onlyWriterRunning(db)!.then(() => order.push('a new write goes on'));
    await sleep(5);
    assert.deepEqual(order, [], 'two writes are still under way');
    endFirst();
    endFirst();
    await sleep(5);
    assert.deepEqual(order, [], 'one write is still under way; ending one twice counts once');
    endSecond();
    await importing;
    await waiting;
    assert.deepEqual(order, ['import runs', 'import done', 'a new write goes on']);
    assert.equal(onlyWriterRunning(db), undefined);
    // Two only writers take turns.
    const turns: string[] = [];
    await Promise.all([
      asOnlyWriter(db, async () => { turns.push('a starts'); await sleep(5); turns.push('a ends'); }),
      asOnlyWriter(db, async () => { turns.push('b starts'); await sleep(1); turns.push('b ends'); }),
    ]);
    assert.deepEqual(turns, ['a starts', 'a ends', 'b starts', 'b ends']);
  });
});

describe('a disk that refuses writes', () => {
  it('still serves the list of incidents, whose summaries it cannot store', async (t) => {
    const logged = t.mock.method(console, 'error', () => {});
    const { db, observer } = databaseOnDisk();
    const app = createApp(db);
    // As when the disk is full: every attempt to store a summary fails.
    observer.exec("CREATE TRIGGER disk_full BEFORE INSERT ON incident_summaries BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END");
    const home = await request(app).get('/').expect(200);
    assert.match(home.text, /Strike/);
    assert.match(String(logged.mock.calls[0]?.arguments[0]), /Could not store the summary of 1 incident/);
    observer.exec('DROP TRIGGER disk_full');
    await request(app).get('/').expect(200);
    assert.equal(observer.prepare('SELECT count(*) FROM incident_summaries').pluck().get(), 1, 'stored once the disk takes it');
  });
});

describe('a write lock held by another program', () => {
  it('refuses writes at once with 503 and Retry-After, writing nothing, while refused and read requests are answered as usual', async () => {
    const { db, observer, incidentId, sourceId, actor } = databaseOnDisk();
    const app = createApp(db);
    const token = createApiToken(db, actor);
    const claimsBefore = observer.prepare('SELECT count(*) FROM claims').pluck().get();
    // The sqlite3 shell running BEGIN EXCLUSIVE, or a backup tool mid-copy.
    observer.exec('BEGIN EXCLUSIVE');
    try {
      const refused = await request(app).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, 'Blocked.'));
      assert.equal(refused.status, 503);
      assert.equal(refused.headers['retry-after'], '1');
      assert.match(refused.body.error.message, /another program is writing to it\. Nothing was saved/);
      // Requests that will not write never wait for the lock: no route, no account, no right to write.
      await request(app).post('/nonexistent').expect(303, /login/);
      await request(app).post('/api/sources').send({ name: 'x' }).expect(401);
      await request(app).get('/incidents/strike').expect(200);
    } finally {
      observer.exec('ROLLBACK');
    }
    assert.equal(observer.prepare('SELECT count(*) FROM claims').pluck().get(), claimsBefore);
    await request(app).post(`/api/incidents/${incidentId}/claims`).set('Authorization', `Bearer ${token}`).send(claim(sourceId, 'After.')).expect(201);
  });

  it('refuses as busy, writing nothing, a write made after waiting (a summary rendered) once the lock is taken meanwhile', async () => {
    const { db, observer, actor } = databaseOnDisk();
    syncCommitsOffThread(db);
    const incidentsBefore = count(observer, 'incidents');
    // As the route table does for a write: the request joins the batch open now…
    const batch = joinWriteBatch(db);
    // …and its use case first renders the summary on the Markdown thread (some tens of milliseconds).
    const saving = saveIncident(db, { title: 'Saved after waiting', summary: `${'_'.repeat(3000)}a` }, actor);
    await batch;
    // The batch it joined has committed; another program takes the lock before the summary is ready.
    observer.exec('BEGIN EXCLUSIVE');
    try {
      await assert.rejects(saving, DatabaseBusy);
    } finally {
      observer.exec('ROLLBACK');
    }
    assert.equal(count(observer, 'incidents'), incidentsBefore, 'nothing was written');
  });
});
