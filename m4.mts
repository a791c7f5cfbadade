import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fillDatabase } from './bench/fill.js';
import { openDatabase } from './src/db/database.js';
import { freshApp } from './test/helpers.js';
const file = '/tmp/m4/a.sqlite';
if (!fs.existsSync(file)) { fs.mkdirSync('/tmp/m4', { recursive: true }); fillDatabase(file, { incidents: 1, claimsPerIncident: 25_000 }); }
const db = openDatabase(file);
const { app } = freshApp({ db });
const request = (await import('supertest')).default;
const get = (url: string) => request(app).get(url).buffer(true).parse((res, cb) => { res.on('data', () => {}); res.on('end', () => cb(null, 0)); });
const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();
const which = process.argv[2]!;
const urls = which === 'jsonld' ? ['/incidents/incident-1.jsonld', '/incidents/incident-1.jsonld'] : which === 'report' ? ['/incidents/incident-1/report.md', '/incidents/incident-1/report.md'] : ['/incidents/incident-1.jsonld', '/incidents/incident-1/report.md', '/incidents/incident-1.jsonld', '/incidents/incident-1/report.md'];
h.reset(); const s = performance.now();
await Promise.all(urls.map(get));
console.log(which, (performance.now() - s).toFixed(0), 'ms; max delay', (h.max / 1e6 - 5).toFixed(0));
process.exit(0);
