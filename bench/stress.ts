/**
 * npm run stress: the real server on a temporary database, driven through each scenario of issue 10
 * while a probe asks /healthz on a fresh connection every 50 ms. Per scenario it prints the probe's
 * latency (p50, p99, max) and the longest event-loop stall the server saw (monitorEventLoopDelay,
 * bench/loop-monitor.ts), against the target: p99 under 200 ms and no stall over 100 ms. Writes
 * bench/stress.json. Loopback only; every scenario is bounded in requests and time.
 */
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { migrate, openDatabase } from '../src/db/database.js';
import { createApiToken, createUser } from '../src/db/users.js';
import { fillDatabase } from './fill.js';
import { type ImportAnswer, postImport, writeImportCsv } from './imports.js';
import { type Process, ROOT, startProcess, stopProcess } from './processes.js';

const TARGET = { p99Ms: 200, stallMs: 100 };

type Server = Process;

function startServer(databasePath: string): Promise<Server> {
  return startProcess(['--import', 'tsx', '--import', './bench/loop-monitor.ts', 'dist/server.js'], { DATABASE_PATH: databasePath, DEMO: 'off' }, { ipc: true });
}

const stopServer = stopProcess;

function longestStall(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.child.once('message', (message: { longestStallMs: number }) => resolve(message.longestStallMs));
    server.child.send('longest-stall');
  });
}

/** The probe, in a process of its own (bench/prober.ts). */
const prober = fork(path.join(ROOT, 'bench', 'prober.ts'), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });

function startProbing(url: string): void {
  prober.send({ start: url });
}

function stopProbing(): Promise<number[]> {
  return new Promise((resolve) => {
    prober.once('message', (message: { latencies: number[] }) => resolve(message.latencies));
    prober.send({ stop: true });
  });
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

interface Row {
  scenario: string;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  longestStallMs: number;
  met: boolean;
  /** What else the scenario checked or saw (an import's time, how long writes waited). */
  note?: string;
}

const rows: Row[] = [];

/** `--only=8,12` runs just the scenarios whose names begin with those numbers, and leaves bench/stress.json alone. */
const ONLY = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length).split(',');

/** Whether the scenario numbered `number` runs (all do without `--only`). */
function wanted(number: string): boolean {
  return !ONLY || ONLY.includes(number);
}

/** Runs `load` while probing every 50 ms, then reports; `load` may give a note for the row beside its count of requests. */
async function scenario(server: Server, name: string, load: () => Promise<number | { requests: number; note: string }>): Promise<void> {
  if (!wanted(name.split(' ')[0]!)) return;
  await longestStall(server);
  startProbing(server.url);
  const loaded = await load();
  const { requests, note } = typeof loaded === 'number' ? { requests: loaded, note: undefined } : loaded;
  const latencies = await stopProbing();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const stall = await longestStall(server);
  const row = {
    scenario: name,
    requests,
    p50Ms: Math.round(percentile(latencies, 0.5)),
    p99Ms: Math.round(percentile(latencies, 0.99)),
    maxMs: Math.round(Math.max(0, ...latencies)),
    longestStallMs: Math.round(stall),
    met: percentile(latencies, 0.99) < TARGET.p99Ms && stall < TARGET.stallMs,
    ...(note === undefined ? {} : { note }),
  };
  rows.push(row);
  console.log(`${name.padEnd(34)} ${String(requests).padStart(5)} requests  probe p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, max ${row.maxMs} ms  longest stall ${row.longestStallMs} ms  ${row.met ? 'met' : 'NOT met'}`);
  if (note !== undefined) console.log(`  ${note}`);
}

function drain(url: string, headers: Record<string, string> = {}, init: http.RequestOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(url, { agent: false, headers, ...init }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve(0));
    request.end(init.method === 'POST' ? (headers['X-Body'] ?? '') : undefined);
  });
}

async function post(url: string, token: string, body: object): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function words(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${(i * 7919) % 1000}`).join(' ');
}

async function main(): Promise<void> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-stress-'));
  const file = path.join(directory, 'stress.sqlite');
  console.log('filling 4 incidents of 25,000 claims, and one of 13,700 facets…');
  fillDatabase(file, { incidents: 4, claimsPerIncident: 25_000 });
  const db = openDatabase(file);
  migrate(db);
  const token = createApiToken(db, createUser(db, 'stress', 'admin', 'scrypt$unusable').id);
  const facets = db.prepare("INSERT INTO incidents (slug, title, created_at, updated_at) VALUES ('many-facets', 'Many facets', 'now', 'now')").run().lastInsertRowid;
  const insert = db.prepare("INSERT INTO claims (incident_id, source_id, facet, facet_key, text, created_at, updated_at) VALUES (?, 1, ?, ?, 'x', 'now', 'now')");
  db.transaction(() => {
    for (let n = 0; n < 13_700; n++) insert.run(facets, `Facet ${n}`, `facet ${n}`);
  })();
  const bigSlug = db.prepare('SELECT slug FROM incidents ORDER BY id LIMIT 1').pluck().get() as string;
  db.close();

  let server = await startServer(file);
  try {
    await scenario(server, 'idle', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return 0;
    });

    await scenario(server, '1 ten uncompressed exports (100k)', async () => {
      // Downloaded by curl, each its own process: reading 500 MB here would slow this process's probe, not the server.
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          const curl = spawn('curl', ['-s', '-o', '/dev/null', '-H', 'Accept-Encoding: identity', `${server.url}claims.json`], { stdio: 'ignore' });
          await once(curl, 'exit');
        }),
      );
      return 10;
    });

    await scenario(server, '2 64 sign-ins with unknown names', async () => {
      const page = await fetch(`${server.url}login`);
      const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      await Promise.all(
        Array.from({ length: 64 }, (_, n) =>
          fetch(`${server.url}login`, {
            method: 'POST',
            headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ _csrf: csrf, name: `stranger ${n}`, password: 'guess' }),
          }).then((response) => response.arrayBuffer()),
        ),
      );
      return 64;
    });

    await scenario(server, '3 write lock held by another program', async () => {
      const other = new BetterSqlite3(file);
      other.exec('BEGIN EXCLUSIVE');
      const requests = [
        ...Array.from({ length: 20 }, () => drain(`${server.url}nonexistent`, {}, { method: 'POST' })),
        ...Array.from({ length: 20 }, (_, n) => post(`${server.url}api/sources`, token, { name: `Locked out ${n}` }).then((response) => response.status)),
      ];
      await new Promise((resolve) => setTimeout(resolve, 1500));
      other.exec('ROLLBACK');
      other.close();
      await Promise.all(requests);
      return requests.length;
    });

    await scenario(server, '4 planted text: diffs and summaries', async () => {
      const incident = await (await post(`${server.url}api/incidents`, token, { title: 'Planted' })).json() as { id: number; slug: string };
      const [a, b] = await Promise.all(
        ['alpha', 'omega'].map(async (prefix) => (await (await post(`${server.url}api/incidents/${incident.id}/claims`, token, { new_source_name: `${prefix} source`, new_source_kind: 'individual', facet: 'x', text: words(prefix, 1000) })).json()) as { id: number }),
      );
      const pages = Array.from({ length: 10 }, () => drain(`${server.url}incidents/${incident.slug}/compare?a=${a!.id}&b=${b!.id}`));
      const summaries = ['_'.repeat(19_990) + 'a', `${'>'.repeat(5000)} deep`].map((summary) => post(`${server.url}api/incidents`, token, { title: 'Planted summary', summary }));
      await Promise.all([...pages, ...summaries]);
      return 12;
    });

    await scenario(server, '5 facet suggestions, 13,700 facets', async () => {
      await Promise.all(Array.from({ length: 3 }, () => drain(`${server.url}incidents/many-facets/claims/new`, { Authorization: `Bearer ${token}` })));
      return 3;
    });

    await scenario(server, '6 a 25,000-claim incident page, cold', async () => {
      await post(`${server.url}api/sources`, token, { name: 'cache buster' });
      const page = await fetch(`${server.url}incidents/${bigSlug}`, { headers: { 'Accept-Encoding': 'identity' } });
      const html = await page.text();
      // A scenario measured on an error page would measure nothing.
      if (page.status !== 200 || !html.includes('class="facet-row') || html.includes('role="alert"')) throw new Error(`the 25,000-claim page came out wrong (${page.status})`);
      return 1;
    });

    await scenario(server, '7 writes for 5 s, 8 connections', async () => {
      let requests = 0;
      const until = Date.now() + 5000;
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          while (Date.now() < until) {
            await post(`${server.url}api/incidents/1/claims`, token, { source_id: 1, facet: 'rockets fired', text: `Writer ${writer}, claim ${requests}` }).then((response) => response.arrayBuffer());
            requests++;
          }
        }),
      );
      return requests;
    });

    await stopServer(server);
    const forget = new BetterSqlite3(file);
    forget.exec('DELETE FROM incident_summaries');
    forget.close();
    server = await startServer(file);
    await scenario(server, '8 a megabyte of text: proposals, a stored document, its pages', async () => {
      // Lines that each propose a claim of their own: about 2,000 proposals (the most one text gets) and a page of marks.
      const lines: string[] = [];
      for (let n = 0; lines.join('\n').length < 1_000_000; n++) lines.push(`A spokesman for group ${n} said ${(n % 900) + 2} rockets were fired at the base, and ${n % 7} soldiers were wounded.`);
      const text = lines.join('\n').slice(0, 1_000_000);
      const incident = (await (await post(`${server.url}api/incidents`, token, { title: 'A megabyte of text' })).json()) as { id: number; slug: string };
      const [extracted, stored] = await Promise.all([
        post(`${server.url}api/extract`, token, { text, outlet: 'Wire' }),
        post(`${server.url}api/incidents/${incident.id}/documents`, token, { text, outlet_name: 'Wire' }),
      ]);
      if (extracted.status !== 200 || stored.status !== 201) throw new Error(`the megabyte of text was refused (${extracted.status}, ${stored.status})`);
      const { document, proposals } = (await stored.json()) as { document: { id: number }; proposals: { start: number; end: number; facet: string; statement: string; value: { text: string } | null }[] };
      await extracted.arrayBuffer();
      // Save a batch of them, then read the document (every saved claim marked) and its review.
      const claims = proposals.slice(0, 200).map((p) => ({ new_source_name: 'Group spokesman (unnamed)', new_source_kind: 'armed group', facet: p.facet, text: p.statement, value: p.value?.text, document_id: document.id, span_start: p.start, span_end: p.end }));
      if ((await post(`${server.url}api/incidents/${incident.id}/claims/batch`, token, { claims })).status !== 201) throw new Error('the batch of claims was refused');
      await Promise.all([
        drain(`${server.url}incidents/${incident.slug}/documents/${document.id}`),
        drain(`${server.url}incidents/${incident.slug}/documents/${document.id}/review?page=30`, { Authorization: `Bearer ${token}` }),
      ]);
      return 5;
    });

    await scenario(server, '9 a text of 900 KB with no full stop, from a stranger', async () => {
      // 900 KB with no full stop, from a stranger: read in sentences of at most 120 words.
      const run = Array.from({ length: 20_000 }, (_, n) => `the army said ${(n % 50) + 2} rockets were fired at base ${n} and`).join(' ').slice(0, 900_000);
      const anonymous = await fetch(`${server.url}api/extract`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: run }) });
      if (anonymous.status !== 200) throw new Error(`the text without full stops was refused (${anonymous.status})`);
      await anonymous.arrayBuffer();
      return 1;
    });

    await scenario(server, '10 a facet of 5,000 claims renamed; a page of 13,700 facets, cold', async () => {
      const incident = (await (await post(`${server.url}api/incidents`, token, { title: 'One big facet' })).json()) as { id: number };
      for (let batch = 0; batch < 25; batch++) {
        const claims = Array.from({ length: 200 }, (_, n) => ({ new_source_name: `Counter ${n}`, new_source_kind: 'NGO', facet: 'rockets fired', text: 'x', value: String(n) }));
        if ((await post(`${server.url}api/incidents/${incident.id}/claims/batch`, token, { claims })).status !== 201) throw new Error('a batch of the big facet was refused');
      }
      const renamed = await post(`${server.url}api/incidents/${incident.id}/facets/rename`, token, { facet: 'rockets fired', to: 'rockets launched' });
      if (renamed.status !== 200 || ((await renamed.json()) as { claims: number }).claims !== 5_000) throw new Error(`the rename did not move every claim (${renamed.status})`);
      // Every facet compared, and their names weighed for merges, a slice at a time.
      await drain(`${server.url}incidents/many-facets`);
      return 27;
    });

    await scenario(server, '11 every incident\'s comparison and a 25,000-claim incident\'s pairs as CSV', async () => {
      await Promise.all([drain(`${server.url}comparison.csv`, { 'Accept-Encoding': 'identity' }), drain(`${server.url}incidents/${bigSlug}/pairs.csv`, { 'Accept-Encoding': 'identity' })]);
      return 2;
    });

    await scenario(server, '12 45 searches over 100,000 claims: common words, filters, hostile strings', async () => {
      const queries = ['rockets', 'the OR field', '"Green Village"', 'rock* dam*', 'NEAR(x y', 'AND', '"', 'a'.repeat(400), 'drones -rockets'];
      const filters = ['', '&kind=military', '&status=contradict', '&from=2023-03-24&to=2023-03-26', '&type=claims&page=50'];
      // Six at a time: more would wait for the search thread's queue, which is bounded (16), not for the server.
      const asks = queries.flatMap((q) => filters.map((filter) => `${server.url}search?q=${encodeURIComponent(q)}${filter}`));
      for (let start = 0; start < asks.length; start += 6) {
        const statuses = await Promise.all(asks.slice(start, start + 6).map((url) => drain(url)));
        if (statuses.some((status) => status === 500 || status === 0)) throw new Error(`a search failed: ${statuses.join(', ')}`);
      }
      return asks.length;
    });

    await scenario(server, '13 a 25,000-claim incident as JSON-LD and as a Markdown report, twice each at once', async () => {
      const urls = [`${server.url}incidents/${bigSlug}.jsonld`, `${server.url}incidents/${bigSlug}/report.md`];
      const statuses = await Promise.all([...urls, ...urls].map((url) => drain(url, { 'Accept-Encoding': 'identity' })));
      if (statuses.some((status) => status !== 200)) throw new Error(`JSON-LD or the report failed: ${statuses.join(', ')}`);
      return statuses.length;
    });

    await scenario(server, '9 1,800 claims saved over one short document, then its page twice', async () => {
      // Every span covers (nearly) the whole text: each piece of it is marked by hundreds of claims.
      const incident = (await (await post(`${server.url}api/incidents`, token, { title: 'Overlapping marks' })).json()) as { id: number; slug: string };
      const text = Array.from({ length: 20 }, (_, n) => `Official ${n} said ${n + 2} rockets were fired.`).join('\n');
      const { document } = (await (await post(`${server.url}api/incidents/${incident.id}/documents`, token, { text })).json()) as { document: { id: number } };
      for (let batch = 0; batch < 9; batch++) {
        const claims = Array.from({ length: 200 }, (_, n) => ({ new_source_name: `Marker ${batch * 200 + n}`, new_source_kind: 'media', facet: `facet ${n % 7}`, text: 'x', value: String(n), document_id: document.id, span_start: n % 5, span_end: text.length - (n % 3) }));
        if ((await post(`${server.url}api/incidents/${incident.id}/claims/batch`, token, { claims })).status !== 201) throw new Error('a batch of overlapping claims was refused');
      }
      await Promise.all([drain(`${server.url}incidents/${incident.slug}/documents/${document.id}`), drain(`${server.url}incidents/${incident.slug}/documents/${document.id}`)]);
      return 12;
    });

    await scenario(server, '6 list of incidents after a restart', async () => {
      const status = await drain(server.url);
      if (status !== 200) throw new Error(`the list of incidents answered ${status}`);
      return 1;
    });

    // Made before the scenario, so that neither is in it: the file (about a second of this process's
    // work), and the pages it reads, read once (the list until every incident is counted), so that
    // the scenario measures the import beside warm pages, not a cold server (scenarios 6 and 12 do).
    // Its writes go to an incident of their own, so that each forgets a small comparison.
    const importFile = wanted('14') ? writeImportCsv(path.join(directory, 'import.csv'), 100_000) : undefined;
    const readDuringImport = [server.url, `${server.url}incidents/${bigSlug}?page=2`, `${server.url}search?q=rockets`, `${server.url}claims/1`];
    let writtenTo: number | undefined;
    if (wanted('14')) {
      writtenTo = ((await (await post(`${server.url}api/incidents`, token, { title: 'Written during an import' })).json()) as { id: number }).id;
      for (const url of readDuringImport) await drain(url);
      for (let waited = 0; (await (await fetch(server.url)).text()).includes('counting…') && waited < 60; waited++) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await scenario(server, '14 an import of 100,000 rows (30 MB) while pages are read and claims written', async () => {
      // The import (40 new incidents, 300 new sources) holds SQLite's write lock on its thread for
      // most of its run; meanwhile, every second, a claim written (it must wait for the import and
      // then be saved: 201, never 503) and four pages read (answered while the import runs).
      const started = performance.now();
      let imported: { ms: number; answer: ImportAnswer } | undefined;
      let failed: unknown;
      const importing = postImport(server.url, token, importFile!.file).then((result) => void (imported = result), (error: unknown) => void (failed = error));
      const writes: Promise<{ status: number; ms: number }>[] = [];
      const pages: Promise<{ status: number; ms: number }>[] = [];
      const timed = async (request: () => Promise<number>) => {
        const sent = performance.now();
        const status = await request();
        return { status, ms: performance.now() - sent };
      };
      for (let round = 0; imported === undefined && failed === undefined; round++) {
        writes.push(timed(() => post(`${server.url}api/incidents/${writtenTo}/claims`, token, { source_id: 1, facet: 'rockets fired', text: `Written during the import, ${round}` }).then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        })));
        for (const url of readDuringImport) pages.push(timed(() => drain(url)));
        await Promise.race([importing, new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
      if (failed !== undefined) throw failed;
      const importMs = performance.now() - started;
      const written = await Promise.all(writes);
      const read = await Promise.all(pages);
      const { counts } = imported!.answer;
      if (counts.created !== 100_000) throw new Error(`the import did not add 100,000 claims: ${JSON.stringify(counts)}`);
      if (written.some(({ status }) => status !== 201)) throw new Error(`a write during the import was not saved: ${written.map(({ status }) => status).join(', ')}`);
      if (read.some(({ status }) => status !== 200)) throw new Error(`a page during the import failed: ${read.map(({ status }) => status).join(', ')}`);
      const waited = written.filter(({ ms }) => ms > 1000).length;
      const slowestPage = Math.max(...read.map(({ ms }) => ms));
      return {
        requests: 1 + written.length + read.length,
        note: `import ${(importMs / 1000).toFixed(1)} s; ${written.length} writes all saved (201), ${waited} of them waited for the import, the longest ${(Math.max(...written.map(({ ms }) => ms)) / 1000).toFixed(1)} s; ${read.length} page reads all 200, the slowest ${slowestPage.toFixed(0)} ms`,
      };
    });
  } finally {
    await stopServer(server);
    fs.rmSync(directory, { recursive: true, force: true });
  }
  if (!ONLY) fs.writeFileSync(path.join(ROOT, 'bench', 'stress.json'), `${JSON.stringify({ date: new Date().toISOString(), target: TARGET, rows }, null, 2)}\n`);
  const missed = rows.filter((row) => !row.met).length;
  console.log(`\n${rows.length - missed} scenarios met the target, ${missed} did not (p99 < ${TARGET.p99Ms} ms, no stall over ${TARGET.stallMs} ms).`);
}

try {
  await main();
} finally {
  prober.kill();
}
