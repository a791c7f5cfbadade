import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { migrate, openDatabase } from '../src/db/database.js';
import { createApiToken, createUser } from '../src/db/users.js';
import { startServer, stopServer, tempDatabase } from './server-helpers.js';

const CONNECTIONS = 8;
const CLAIMS = 3000;
const KILL_AFTER = 1000;

describe('a crash mid-write', () => {
  it(`loses no acknowledged claim: ${CONNECTIONS} writers, SIGKILL after ${KILL_AFTER} of ${CLAIMS}, restart, check`, async () => {
    const file = tempDatabase();
    const setup = openDatabase(file);
    migrate(setup);
    const token = createApiToken(setup, createUser(setup, 'loader', 'editor', 'scrypt$unusable').id);
    setup.close();

    const server = await startServer({ DATABASE_PATH: file, DEMO: 'off' });
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const post = (path: string, body: object) => fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const incident = await (await post('api/incidents', { title: 'Under load' })).json();
    const source = await (await post('api/sources', { name: 'Counter' })).json();

    const acknowledged = new Map<number, string>();
    let next = 0;
    let killed = false;
    const writer = async () => {
      while (next < CLAIMS) {
        const text = `claim number ${next++}, with a comma and "quotes"`;
        try {
          const response = await post(`api/incidents/${incident.id}/claims`, { source_id: source.id, facet: 'rockets fired', text, value: 'ten' });
          if (response.status !== 201) throw new Error(`unexpected ${response.status}`);
          const claim = await response.json();
          acknowledged.set(claim.id, text);
        } catch (error) {
          if (killed) return; // the server is gone: this write was never acknowledged
          throw error;
        }
        if (!killed && acknowledged.size >= KILL_AFTER) {
          killed = true;
          server.process.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, writer));
    assert.ok(killed, 'the server was killed mid-load');
    assert.equal(await stopServer(server), null, 'it died of the signal, not a clean exit');

    const restarted = await startServer({ DATABASE_PATH: file, DEMO: 'off' });
    try {
      const health = await fetch(`${restarted.url}healthz`);
      assert.equal(health.status, 200);
      const db = new BetterSqlite3(file, { readonly: true });
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const stored = new Map(db.prepare('SELECT id, text FROM claims').all().map((row) => {
        const { id, text } = row as { id: number; text: string };
        return [id, text];
      }));
      db.close();
      const missing = [...acknowledged].filter(([id, text]) => stored.get(id) !== text);
      assert.deepEqual(missing, [], `every one of the ${acknowledged.size} acknowledged claims is there`);
      assert.ok(acknowledged.size >= KILL_AFTER);
    } finally {
      await stopServer(restarted);
    }
  });
});
