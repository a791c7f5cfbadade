import { monitorEventLoopDelay } from 'node:perf_hooks';
import fs from 'node:fs';
import http from 'node:http';
import { createApp } from '../src/app.js';
import { migrate, openDatabase } from '../src/db/database.js';
import { loadComparison } from '../src/actions/comparisons.js';
import { buildGrid } from '../src/web/grid.js';
fs.rmSync('/tmp/bf', { recursive: true, force: true }); fs.mkdirSync('/tmp/bf');
const db = openDatabase('/tmp/bf/b.sqlite'); migrate(db);
const now = '2026-01-01';
const sources = Number(process.argv[2] ?? 2000);
db.transaction(() => {
  db.prepare("INSERT INTO incidents (slug, title, created_at, updated_at) VALUES ('big', 'Big', ?, ?)").run(now, now);
  for (let s = 1; s <= sources; s++) {
    db.prepare('INSERT INTO sources (name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?)').run(`S${s}`, `s${s}`, now, now);
    db.prepare("INSERT INTO claims (incident_id, source_id, facet, facet_key, text, value, created_at, updated_at) VALUES (1, ?, 'killed', 'killed', 'x', ?, ?, ?)").run(s, String(s % 3 === 0 ? 5 : 7), now, now);
  }
})();
const loaded = await loadComparison(db, 1);
let t = performance.now(); buildGrid(loaded.comparison); console.log('buildGrid', (performance.now() - t).toFixed(0), 'ms');
const app = createApp(db);
const server = app.listen(0); await new Promise((r) => server.once('listening', r));
const port = (server.address() as { port: number }).port;
for (const url of ['/incidents/big', '/api/incidents/1/comparison', '/incidents/big/pairs?facet=killed']) {
  const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
  t = performance.now();
  const bytes = await new Promise<number>((resolve) => http.get({ port, path: url, headers: { 'Accept-Encoding': 'gzip' } }, (r) => { let n = 0; r.on('data', (c) => (n += c.length)); r.on('end', () => resolve(n)); }));
  h.disable();
  console.log(url, (performance.now() - t).toFixed(0), 'ms, longest stall', Math.max(0, h.max / 1e6 - 10).toFixed(0), 'ms', bytes, 'bytes');
}
process.exit(0);
