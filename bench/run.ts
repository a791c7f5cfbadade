/**
 * `npm run bench [-- --quick]`: Claimgrid against the limits it should be held to. Starts the real
 * server (compiled, as `npm start` runs it) as a separate process on temporary databases, drives it
 * over HTTP, and reports every figure beside a baseline measured in the same run, as a ratio,
 * because these machines are shared and noisy. Prints a table and writes bench/results.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { migrate, openDatabase } from '../src/db/database.js';
import { createApiToken, createUser } from '../src/db/users.js';
import { benchAgreement } from './agreement.js';
import { benchEngine } from './compare-engine.js';
import { fillDatabase } from './fill.js';
import { bareImport, IMPORT_INCIDENTS, IMPORT_SOURCES, importRun, type ImportRun, writeImportCsv } from './imports.js';
import { type Process, ROOT, startProcess, stopProcess } from './processes.js';

const QUICK = process.argv.includes('--quick');
/** `--only=writes,export` runs just those scenarios (page, scaling, writes, export, search, agreement, extract, import), and leaves bench/results.json alone. */
const ONLY = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length).split(',');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-bench-'));
const LOAD_SECONDS = QUICK ? 2 : 8;
/** Rounds of each load, alternating with its baseline; the best of each is reported. */
const ROUNDS = QUICK ? 1 : 2;
const BIG = QUICK ? 100_000 : 1_000_000;
/** Rows of the file imported by row 9 (issue 15: 100,000 in under 30 s with flat memory); its memory is set beside a tenth as many. */
const IMPORT_ROWS = QUICK ? 20_000 : 100_000;

interface Row {
  id: string;
  what: string;
  measured: string;
  baseline: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
}
const rows: Row[] = [];

function record(row: Row): void {
  rows.push(row);
  const verdict = row.met === null ? 'n/a' : row.met ? 'met' : 'NOT met';
  console.log(`  ${row.id} ${row.what}: ${row.measured} | baseline ${row.baseline} | ratio ${row.ratio?.toFixed(2) ?? '-'} | ${row.target}: ${verdict}`);
}

function startServer(databasePath: string): Promise<Process> {
  return startProcess(['dist/server.js'], { DATABASE_PATH: databasePath, DEMO: 'off' });
}

const stop = stopProcess;

function residentMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

function milliseconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/** Uncompressed, as autocannon and the sqlite3 baseline are: compression is measured on its own (row 3). */
const IDENTITY = { 'Accept-Encoding': 'identity' };

async function timeGet(url: string): Promise<number> {
  return (await timeGetWithFirstByte(url)).total;
}

/** A GET's whole time and the time to its first byte of body (a page sent as it is made shows its top then). */
function timeGetWithFirstByte(url: string): Promise<{ firstByte: number; total: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http.get(url, { headers: IDENTITY, agent: false }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`${url}: ${response.statusCode}`));
      let firstByte: number | undefined;
      response.on('data', () => (firstByte ??= milliseconds(started)));
      response.on('end', () => resolve({ firstByte: firstByte ?? milliseconds(started), total: milliseconds(started) }));
    }).on('error', reject);
  });
}

/** Reads a whole answer as sent (Node's http client does not decompress, unlike fetch), counting its bytes. */
function download(url: string, headers: Record<string, string>): Promise<{ bytes: number; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`${url}: ${response.statusCode}`));
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ bytes, encoding: response.headers['content-encoding'] }));
    }).on('error', reject);
  });
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function tokenFor(databasePath: string): string {
  const db = openDatabase(databasePath);
  migrate(db);
  const token = createApiToken(db, createUser(db, `bench-${Date.now()}`, 'editor', 'scrypt$unusable').id);
  db.close();
  return token;
}

/** 1: a typical incident's page under 32 connections, against a bare Express page of the same size. */
async function pageThroughput(): Promise<void> {
  const file = path.join(WORK, 'typical.sqlite');
  fillDatabase(file, { incidents: 1, claimsPerIncident: 30, sources: 8, facets: 6 });
  const server = await startServer(file);
  const bytes = (await (await fetch(`${server.url}incidents/incident-1`, { headers: IDENTITY })).arrayBuffer()).byteLength;
  const bare = await startProcess(['--import', 'tsx', 'bench/bare-server.ts', String(bytes)], {});
  try {
    const options = { connections: 32, duration: LOAD_SECONDS };
    let baseline: autocannon.Result | undefined;
    let measured: autocannon.Result | undefined;
    // Alternated, best of each: a burst of load from elsewhere on the machine hits one round, not the figure.
    for (let round = 0; round < ROUNDS; round++) {
      const bareRound = await load({ ...options, url: bare.url });
      const round_ = await load({ ...options, url: `${server.url}incidents/incident-1` });
      if (round_.non2xx > 0) throw new Error(`${round_.non2xx} non-2xx answers`);
      if (!baseline || bareRound.requests.average > baseline.requests.average) baseline = bareRound;
      if (!measured || round_.requests.average > measured.requests.average) measured = round_;
    }
    const ratio = measured!.requests.average / baseline!.requests.average;
    record({
      id: '1', what: `typical incident page (30 claims, 8 sources, 6 facets, ${Math.round(bytes / 1024)} KB), 32 connections`,
      measured: `${Math.round(measured!.requests.average)} req/s, p99 ${measured!.latency.p99} ms`,
      baseline: `${Math.round(baseline!.requests.average)} req/s, p99 ${baseline!.latency.p99} ms (bare Express, same size)`,
      ratio, target: 'ratio ≥ 0.8', met: ratio >= 0.8,
    });
  } finally {
    await Promise.all([stop(server), stop(bare)]);
  }
}

/** 2: one incident of 500 / 5,000 / 50,000 claims: the engine alone, and the page and JSON over HTTP. */
async function comparisonScaling(): Promise<void> {
  const sizes = [500, 5_000, 50_000];
  const engine = benchEngine(sizes);
  // One incident per size (incident-1 has 500 claims, incident-2 5,000, incident-3 50,000).
  const file = path.join(WORK, 'scaling.sqlite');
  fillDatabase(file, { incidents: 1, claimsPerIncident: sizes[0]!, seed: 1 });
  for (const [index, claims] of sizes.slice(1).entries()) appendIncident(file, claims, index + 2);
  const perSize = sizes.map((claims, index) => ({ claims, slug: `incident-${index + 1}` }));
  const token = tokenFor(file);
  const server = await startServer(file);
  const overHttp: { claims: number; page: number; firstByte: number; pageWarm: number; json: number }[] = [];
  try {
    for (const { claims, slug } of perSize) {
      const runs = QUICK ? 2 : claims >= 50_000 ? 3 : 5;
      let page = Infinity;
      let firstByte = Infinity;
      let json = Infinity;
      for (let run = 0; run < runs; run++) {
        await forgetComparisons(server, token);
        const cold = await timeGetWithFirstByte(`${server.url}incidents/${slug}`);
        page = Math.min(page, cold.total);
        firstByte = Math.min(firstByte, cold.firstByte);
        await forgetComparisons(server, token);
        json = Math.min(json, await timeGet(`${server.url}api/incidents/${slug}/comparison`));
      }
      let pageWarm = Infinity;
      for (let run = 0; run < 3; run++) pageWarm = Math.min(pageWarm, await timeGet(`${server.url}incidents/${slug}`));
      overHttp.push({ claims, page, firstByte, pageWarm, json });
    }
  } finally {
    await stop(server);
  }
  for (const [index, { claims, ms }] of engine.entries()) {
    if (index === 0) continue;
    const previous = engine[index - 1]!;
    const ratio = ms / previous.ms;
    record({ id: '2', what: `engine alone, ${claims.toLocaleString('en')} claims`, measured: `${ms.toFixed(1)} ms`,
      baseline: `${previous.ms.toFixed(1)} ms at ${previous.claims.toLocaleString('en')}`, ratio, target: '≤ 12× per 10× claims', met: ratio <= 12 });
  }
  for (const [index, row] of overHttp.entries()) {
    if (index === 0) {
      record({ id: '2', what: `page over HTTP, ${row.claims} claims (cold: comparison recomputed)`, measured: `${row.page.toFixed(0)} ms (first byte ${row.firstByte.toFixed(0)} ms, warm ${row.pageWarm.toFixed(0)} ms), JSON ${row.json.toFixed(0)} ms`, baseline: '-', ratio: null, target: 'baseline for the next rows', met: null });
      continue;
    }
    const previous = overHttp[index - 1]!;
    const ratio = row.page / previous.page;
    const underLimit = row.claims === 5_000 ? row.page < 300 : row.firstByte < 200;
    record({
      id: '2', what: `page over HTTP, ${row.claims.toLocaleString('en')} claims (cold)`,
      measured: `${row.page.toFixed(0)} ms (first byte ${row.firstByte.toFixed(0)} ms, warm ${row.pageWarm.toFixed(0)} ms), JSON ${row.json.toFixed(0)} ms (×${(row.json / previous.json).toFixed(1)})`,
      baseline: `${previous.page.toFixed(0)} ms at ${previous.claims.toLocaleString('en')}`,
      ratio, target: row.claims === 5_000 ? '≤ 10× per 10×; < 300 ms' : '≤ 10× per 10×; first byte < 200 ms', met: ratio <= 10 && underLimit,
    });
  }
}

/** Adds one more incident of `claims` synthetic claims to `file`, filled in a scratch file and copied over. */
function appendIncident(file: string, claims: number, seed: number): void {
  const other = `${file}.part`;
  fs.rmSync(other, { force: true });
  fillDatabase(other, { incidents: 1, claimsPerIncident: claims, seed });
  const db = new BetterSqlite3(file);
  db.exec(`ATTACH '${other.replace(/'/g, "''")}' AS part`);
  db.transaction(() => {
    const id = db.prepare("INSERT INTO incidents (slug, title, occurred_on, location, summary, created_at, updated_at) SELECT ?, title, occurred_on, location, summary, created_at, updated_at FROM part.incidents").run(`incident-${seed}`).lastInsertRowid;
    db.prepare(`INSERT INTO claims (incident_id, source_id, via_source_id, facet, facet_key, text, quote, value, published_at, url, created_at, updated_at)
                SELECT ?, source_id, via_source_id, facet, facet_key, text, quote, value, published_at, url, created_at, updated_at FROM part.claims`).run(id);
  })();
  db.exec('DETACH part');
  db.close();
  fs.rmSync(other);
}

/** Any write empties the comparison cache; a throwaway source is the cheapest write. */
let forgetting = 0;
async function forgetComparisons(server: Process, token: string): Promise<void> {
  const response = await fetch(`${server.url}api/sources`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `cache buster ${forgetting++}` }),
  });
  if (response.status !== 201) throw new Error(`cache-busting write failed: ${response.status}`);
}

// Every column the export writes (the document's and the facet assessment's too), so that the baseline does the same reading.
const EXPORT_SQL = `SELECT c.id, c.incident_id, i.slug, i.title, c.facet, c.source_id, s.name, s.kind, s.affiliation, c.via_source_id, v.name,
  c.text, c.quote, c.value, NULL, NULL, c.published_at, c.url, c.archive_url, c.created_at, c.updated_at,
  c.document_id, d.url, c.span_start, c.span_end, a.value, a.grade, a.reason
  FROM claims c JOIN incidents i ON i.id = c.incident_id JOIN sources s ON s.id = c.source_id LEFT JOIN sources v ON v.id = c.via_source_id
  LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN facet_assessments a ON a.incident_id = c.incident_id AND a.facet_key = c.facet_key
  WHERE c.deleted_at IS NULL ORDER BY c.id`;

let big: { file: string; total: number } | undefined;

/**
 * The database of BIG claims (1,000 claims an incident) that several scenarios read: filled once a
 * run. `fresh` gives a copy of it as filled, for a scenario that must find nothing compared yet
 * (the export scenario stores every incident's summary).
 */
function bigFile({ fresh = false } = {}): { file: string; total: number } {
  if (!big) {
    const file = path.join(WORK, 'big.sqlite');
    const filling = process.hrtime.bigint();
    const total = fillDatabase(file, { incidents: BIG / 1000, claimsPerIncident: 1000 });
    console.log(`  (filled ${total.toLocaleString('en')} claims in ${(milliseconds(filling) / 1000).toFixed(0)} s, ${(fs.statSync(file).size / 1e6).toFixed(0)} MB)`);
    fs.copyFileSync(file, path.join(WORK, 'big-as-filled.sqlite'));
    big = { file, total };
  }
  if (!fresh) return big;
  const copy = path.join(WORK, `big-copy-${Date.now()}.sqlite`);
  fs.copyFileSync(path.join(WORK, 'big-as-filled.sqlite'), copy);
  return { file: copy, total: big.total };
}

/** Searches of the bench: a phrase and a place that pick out a few percent of the claims, a source's name, and (reported) a word in most claims. */
const SEARCHES: { q: string; what: string; filter?: string }[] = [
  { q: '"Green Village"', what: 'a phrase' },
  { q: 'al-Omar oil', filter: '&kind=military', what: 'a place, from military sources' },
  { q: '"Green Village"', filter: '&from=2023-03-25&to=2023-03-25', what: 'a phrase, published on one day' },
  { q: 'al-Omar oil', what: 'a place' },
  { q: 'Source 17', what: 'a source\'s name' },
];
/** Reported beside them: a word in most claims (the newest 20,000 matches ranked). */
const REPORTED_SEARCHES: { q: string; what: string; filter?: string }[] = [
  { q: 'rockets', what: 'a word in most claims' },
];

/**
 * 7: a search over BIG claims through /api/search (ranked on the search thread, counted, each group
 * read), against the same FTS5 MATCH ranked and counted in this process on a connection of its own.
 */
async function searchAtScale(): Promise<void> {
  const { file, total } = bigFile();
  const direct = new BetterSqlite3(file, { readonly: true });
  const rank = direct.prepare('SELECT rowid FROM claims_search WHERE claims_search MATCH ? ORDER BY rank LIMIT 20');
  const countMatches = direct.prepare('SELECT count(*) FROM claims_search WHERE claims_search MATCH ?').pluck();
  const token = tokenFor(file);
  const server = await startServer(file);
  const ask = async (q: string, filter = '') => {
    const started = process.hrtime.bigint();
    const response = await fetch(`${server.url}api/search?q=${encodeURIComponent(q)}${filter}`, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`/api/search?q=${q}: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { results: { claims: { total: number; more: boolean } } };
    return { ms: milliseconds(started), matches: `${body.results.claims.total.toLocaleString('en')}${body.results.claims.more ? ' or more (newest looked at)' : ''}` };
  };
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const runs = QUICK ? 3 : 7;
  try {
    // Searches read each facet's status as stored with its incident's summary, and have missing
    // ones made first: make them all before measuring (the export scenario, run before, has).
    while ((await (await fetch(server.url, { headers: { ...IDENTITY, Authorization: `Bearer ${token}` } })).text()).includes('counting…')) await sleep(500);
    await ask('warm');
    for (const [index, search] of [...SEARCHES, ...REPORTED_SEARCHES].entries()) {
      const match = search.q.replace(/[^\p{L}\p{N} "]/gu, ' ');
      const measured: number[] = [];
      const baseline: number[] = [];
      let matches = '';
      for (let run = 0; run < runs; run++) {
        const answer = await ask(search.q, search.filter);
        measured.push(answer.ms);
        matches = answer.matches;
        const started = process.hrtime.bigint();
        rank.all(match);
        countMatches.get(match);
        baseline.push(milliseconds(started));
      }
      const reported = index >= SEARCHES.length;
      record({
        id: '7', what: `search for ${search.what} (${search.q}) over ${total.toLocaleString('en')} claims: ${matches} claims match`,
        measured: `${median(measured).toFixed(0)} ms`,
        baseline: `${median(baseline).toFixed(0)} ms (FTS5 ranked and counted, in process)`,
        ratio: median(measured) / median(baseline),
        target: reported ? 'reported (on the search thread: the server is not held)' : '< 100 ms', met: reported ? null : median(measured) < 100,
      });
    }
  } finally {
    direct.close();
    await stop(server);
  }
}

/**
 * 8: the source × source agreement matrix over BIG claims, the first time ever (every incident
 * compared and tallied in the background while the page answers with what is counted) with the
 * server's longest stall meanwhile, then kept, then after a write to one incident.
 */
async function agreementAtScale(): Promise<void> {
  const { file, total } = bigFile({ fresh: true });
  const token = tokenFor(file);
  const server = await startProcess(['--import', 'tsx', '--import', './bench/loop-monitor.ts', 'dist/server.js'], { DATABASE_PATH: file, DEMO: 'off' }, { ipc: true });
  const longestStall = () =>
    new Promise<number>((resolve) => {
      server.child.once('message', (message: { longestStallMs: number }) => resolve(message.longestStallMs));
      server.child.send('longest-stall');
    });
  const write = async () => {
    const response = await fetch(`${server.url}api/incidents/1/claims`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ source_id: 1, facet: 'rockets fired', text: 'One more claim.', value: 'twelve' }),
    });
    if (response.status !== 201) throw new Error(`a write for the agreement bench: ${response.status}`);
  };
  try {
    await fetch(`${server.url}healthz`);
    const figures = await benchAgreement(server.url, { longestStall, write });
    const incidents = (BIG / 1000).toLocaleString('en');
    record({
      id: '8', what: `agreement matrix of ${total.toLocaleString('en')} claims (${incidents} incidents, ${figures.pairs} pairs of sources), the first time: every incident compared and tallied`,
      measured: `${(figures.allCountedMs / 1000).toFixed(1)} s to all counted; longest stall ${figures.longestStallMs!.toFixed(0)} ms, slowest /healthz ${figures.slowestProbeMs.toFixed(0)} ms`,
      baseline: `${figures.firstAnswerMs.toFixed(0)} ms to the first answer (what was counted within a second)`,
      ratio: null, target: 'no stall over 100 ms', met: figures.longestStallMs! < 100,
    });
    record({
      id: '8', what: 'the same matrix once kept, and the first after a write to one incident',
      measured: `${figures.keptMs.toFixed(0)} ms kept`,
      baseline: `${figures.afterWriteMs!.toFixed(0)} ms after the write (its part of the sums made again)`,
      ratio: figures.keptMs / figures.afterWriteMs!, target: 'reported', met: null,
    });
  } finally {
    await stop(server);
    fs.rmSync(file, { force: true });
  }
}

/** 3 and 5: the whole database as CSV, against sqlite3 -csv; and start-up time on it. */
async function bigDatabase(): Promise<void> {
  const { file, total } = bigFile();

  const hasSqlite3 = spawnSync('sqlite3', ['-version']).status === 0;
  let baselineRowsPerSecond: number | null = null;
  if (hasSqlite3) {
    const started = process.hrtime.bigint();
    execFileSync('sqlite3', ['-csv', '-header', file, EXPORT_SQL], { stdio: ['ignore', fs.openSync('/dev/null', 'w'), 'inherit'] });
    baselineRowsPerSecond = total / (milliseconds(started) / 1000);
  }

  const server = await startServer(file);
  try {
    await fetch(`${server.url}healthz`);
    const idle = residentMb(server.child.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMb(server.child.pid!))), 20);
    const exportCsv = async (headers: Record<string, string>) => {
      const started = process.hrtime.bigint();
      const { bytes, encoding } = await download(`${server.url}claims.csv`, headers);
      return { rowsPerSecond: total / (milliseconds(started) / 1000), bytes, encoding };
    };
    const plain = await exportCsv(IDENTITY);
    clearInterval(sampler);
    const ratio = baselineRowsPerSecond === null ? null : plain.rowsPerSecond / baselineRowsPerSecond;
    record({
      id: '3', what: `CSV export of ${total.toLocaleString('en')} claims over HTTP (${(plain.bytes / 1e6).toFixed(0)} MB)`,
      measured: `${Math.round(plain.rowsPerSecond).toLocaleString('en')} rows/s`,
      baseline: baselineRowsPerSecond === null ? 'sqlite3 not installed (apt-get install sqlite3)' : `${Math.round(baselineRowsPerSecond).toLocaleString('en')} rows/s (sqlite3 -csv, same columns)`,
      ratio, target: 'ratio ≥ 0.9', met: ratio === null ? null : ratio >= 0.9,
    });
    record({ id: '3', what: 'server RSS growth during that export', measured: `${(peak - idle).toFixed(0)} MB (idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB)`, baseline: '-', ratio: null, target: '< 100 MB', met: peak - idle < 100 });
    const compressed = await exportCsv({ 'Accept-Encoding': 'br, gzip' });
    record({
      id: '3', what: `the same export compressed, as a browser asks for it (${compressed.encoding}, ${(compressed.bytes / 1e6).toFixed(0)} MB)`,
      measured: `${Math.round(compressed.rowsPerSecond).toLocaleString('en')} rows/s`,
      baseline: `${Math.round(plain.rowsPerSecond).toLocaleString('en')} rows/s uncompressed`,
      ratio: compressed.rowsPerSecond / plain.rowsPerSecond, target: 'reported (fewer bytes on a real network)', met: null,
    });
  } finally {
    await stop(server);
  }

  const empty = path.join(WORK, 'empty.sqlite');
  fillDatabase(empty, { incidents: 0, claimsPerIncident: 1 });
  const startup = async (databasePath: string) => {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const server = await startServer(databasePath);
      for (;;) {
        const answered = await fetch(`${server.url}healthz`).then((r) => r.ok, () => false);
        if (answered) break;
      }
      best = Math.min(best, milliseconds(server.startedAt));
      await stop(server);
    }
    return best;
  };
  const emptyStart = await startup(empty);
  const bigStart = await startup(file);
  record({ id: '5', what: `process start to first answered request, ${total.toLocaleString('en')} claims`, measured: `${bigStart.toFixed(0)} ms`, baseline: `${emptyStart.toFixed(0)} ms (empty database)`, ratio: bigStart / emptyStart, target: '< 2×', met: bigStart / emptyStart < 2 });

  // The list of incidents: the first time ever, it answers within about a second with the counts
  // that are ready, and the rest are made in the background (every incident compared, summaries
  // stored); after a restart the stored summaries serve.
  const homePage = async () => {
    const server = await startServer(file);
    try {
      const started = process.hrtime.bigint();
      const first = await timeGet(server.url);
      while ((await (await fetch(server.url, { headers: IDENTITY })).text()).includes('counting…')) await sleep(200);
      return { first, allCounted: milliseconds(started) };
    } finally {
      await stop(server);
    }
  };
  const firstEver = await homePage();
  const afterRestart = await homePage();
  record({
    id: '-', what: `list of incidents (${(BIG / 1000).toLocaleString('en')} incidents, ${total.toLocaleString('en')} claims) after a restart`,
    measured: `${afterRestart.first.toFixed(0)} ms`,
    baseline: `${firstEver.first.toFixed(0)} ms the first time (answered with the counts ready; all ${(BIG / 1000).toLocaleString('en')} counted and stored in ${(firstEver.allCounted / 1000).toFixed(1)} s)`,
    ratio: afterRestart.first / firstEver.first, target: 'reported', met: null,
  });
}

/** 4: claims created through the JSON API with durable commits, against bare INSERTs. */
async function writeThroughput(): Promise<void> {
  const file = path.join(WORK, 'writes.sqlite');
  fillDatabase(file, { incidents: 1, claimsPerIncident: 30, sources: 8, facets: 6 });
  const token = tokenFor(file);
  const server = await startServer(file);
  // The baseline: single-row durable transactions, bare, in this process.
  const bare = path.join(WORK, 'bare-inserts.sqlite');
  const db = openDatabase(bare);
  migrate(db);
  db.prepare("INSERT INTO incidents (slug, title, created_at, updated_at) VALUES ('x', 'x', 'now', 'now')").run();
  db.prepare("INSERT INTO sources (name, created_at, updated_at) VALUES ('x', 'now', 'now')").run();
  const insert = db.prepare(
    "INSERT INTO claims (incident_id, source_id, facet, facet_key, text, value, created_at, updated_at) VALUES (1, 1, 'rockets fired', 'rockets fired', ?, 'at least eight', 'now', 'now')",
  );
  let created = 0;
  let bareRate = 0;
  let inserted = 0;
  try {
    // Alternated, best of each, as for page throughput.
    for (let round = 0; round < ROUNDS; round++) {
      const result = await load({
        url: `${server.url}api/incidents/1/claims`,
        connections: 8,
        duration: LOAD_SECONDS,
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ source_id: 3, facet: 'rockets fired', text: 'At least eight rockets were fired at the base, the official said.', value: 'at least eight', published_at: '2023-03-24T21:00' }),
      });
      if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers`);
      created = Math.max(created, result.requests.average);
      // As many as the API created in the round.
      const count = Math.max(500, Math.round(result.requests.average * LOAD_SECONDS));
      const started = process.hrtime.bigint();
      for (let n = 0; n < count; n++) insert.run(`claim ${inserted++}`);
      bareRate = Math.max(bareRate, count / (milliseconds(started) / 1000));
    }
  } finally {
    db.close();
    await stop(server);
  }
  const ratio = created / bareRate;
  record({ id: '4', what: 'claims created/s through the JSON API, durable commits, 8 connections', measured: `${Math.round(created)} claims/s`, baseline: `${Math.round(bareRate)} INSERTs/s (better-sqlite3, one process, same durability)`, ratio, target: 'ratio ≥ 0.5', met: ratio >= 0.5 });
}

/**
 * 9: a CSV of IMPORT_ROWS new claims (40 incidents, 300 sources, all new) imported over HTTP into
 * a fresh database: the dry run, then the import of exactly that (on the import thread), with the
 * server's longest stall and slowest /healthz meanwhile and its peak RSS against a file of a tenth
 * as many rows; then the same file once more, which must change nothing. The baseline: the same
 * file read by csv-parse and each row written through createClaim in one transaction, in this
 * process (the least any import must do). Rounds alternate; the best time of each is kept, and the
 * worst stall and memory.
 */
async function importAtScale(): Promise<void> {
  const big = writeImportCsv(path.join(WORK, 'import.csv'), IMPORT_ROWS);
  const small = writeImportCsv(path.join(WORK, 'import-tenth.csv'), IMPORT_ROWS / 10);
  const runs: { big: ImportRun; small: ImportRun }[] = [];
  let bare = { ms: Infinity, readMs: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    const file = (name: string) => {
      const databaseFile = path.join(WORK, `${name}-${round}.sqlite`);
      return { databaseFile, remove: () => ['', '-wal', '-shm'].forEach((suffix) => fs.rmSync(`${databaseFile}${suffix}`, { force: true })) };
    };
    const smallDb = file('import-tenth');
    const smallRun = await importRun(small, smallDb.databaseFile);
    smallDb.remove();
    const bigDb = file('import');
    const bigRun = await importRun(big, bigDb.databaseFile, { again: true });
    bigDb.remove();
    const bareDb = file('import-bare');
    const bareRound = await bareImport(big.file, bareDb.databaseFile);
    bareDb.remove();
    bare = { ms: Math.min(bare.ms, bareRound.ms), readMs: Math.min(bare.readMs, bareRound.readMs) };
    runs.push({ big: bigRun, small: smallRun });
  }
  const best = (phase: (run: ImportRun) => number) => Math.min(...runs.map(({ big: run }) => phase(run)));
  const worst = (phase: (run: ImportRun) => number, size: 'big' | 'small' = 'big') => Math.max(...runs.map((run) => phase(run[size])));
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rows = IMPORT_ROWS.toLocaleString('en');
  const imported = best((run) => run.applied.ms);
  record({
    id: '9', what: `import of ${rows} CSV rows over HTTP (${(big.bytes / 1e6).toFixed(0)} MB; ${IMPORT_INCIDENTS} incidents and ${IMPORT_SOURCES} sources, all new), applied on the import thread`,
    measured: `${seconds(imported)} (its dry run ${seconds(best((run) => run.dryRun.ms))})`,
    baseline: `${seconds(bare.ms)} (csv-parse reading the file and createClaim writing each row, one transaction, in process; csv-parse alone ${seconds(bare.readMs)})`,
    // Issue 15's target is for 100,000 rows; a quick run's file is held to its share of it.
    ratio: imported / bare.ms, target: IMPORT_ROWS === 100_000 ? '< 30 s' : `< ${(30 * IMPORT_ROWS / 100_000).toFixed(0)} s (30 s per 100,000 rows)`, met: imported < 30_000 * (IMPORT_ROWS / 100_000),
  });
  // The dry run and the import, each run's peak over its idle RSS once it answered.
  const growth = (run: ImportRun) => Math.max(run.dryRun.peakRssMb, run.applied.peakRssMb) - run.idleRssMb;
  const peak = (run: ImportRun) => Math.max(run.dryRun.peakRssMb, run.applied.peakRssMb);
  const bigGrowth = worst(growth);
  const smallGrowth = worst(growth, 'small');
  record({
    id: '9', what: `server RSS during that dry run and import (the import thread is in the same process), against ${(IMPORT_ROWS / 10).toLocaleString('en')} rows`,
    measured: `+${bigGrowth.toFixed(0)} MB (idle ${worst((run) => run.idleRssMb).toFixed(0)} MB, peak ${worst(peak).toFixed(0)} MB)`,
    baseline: `+${smallGrowth.toFixed(0)} MB at ${(IMPORT_ROWS / 10).toLocaleString('en')} rows (idle ${worst((run) => run.idleRssMb, 'small').toFixed(0)} MB, peak ${worst(peak, 'small').toFixed(0)} MB)`,
    ratio: bigGrowth / smallGrowth, target: 'flat: ≤ 1.5× the growth at 10× the rows', met: bigGrowth <= 1.5 * smallGrowth,
  });
  const stall = worst((run) => run.applied.longestStallMs);
  record({
    id: '9', what: `the server during that import: longest event-loop stall, slowest /healthz (asked every 50 ms by a process of its own)`,
    measured: `stall ${stall.toFixed(0)} ms, slowest /healthz ${worst((run) => run.applied.slowestProbeMs).toFixed(0)} ms`,
    baseline: `stall ${worst((run) => run.dryRun.longestStallMs).toFixed(0)} ms, slowest /healthz ${worst((run) => run.dryRun.slowestProbeMs).toFixed(0)} ms during the dry run`,
    ratio: null, target: 'no stall over 100 ms', met: stall < 100,
  });
  const again = best((run) => run.again!.ms);
  const unchanged = Math.min(...runs.map(({ big: run }) => run.again!.answer.counts.unchanged));
  const changedNothing = runs.every(({ big: run }) => {
    const { counts } = run.again!.answer;
    return counts.unchanged === IMPORT_ROWS && counts.created === 0 && counts.updated === 0 && counts.invalid === 0 && run.claimsAfterAgain === run.claimsAfter;
  });
  record({
    id: '9', what: `the same file imported again: ${unchanged.toLocaleString('en')} of ${rows} rows unchanged, ${runs[0]!.big.claimsAfterAgain!.toLocaleString('en')} claims after it`,
    measured: `${seconds(again)} (server RSS peak ${worst((run) => run.again!.peakRssMb).toFixed(0)} MB, +${worst((run) => run.again!.peakRssMb - run.idleRssMb).toFixed(0)} MB over idle)`,
    baseline: `${seconds(imported)} the first time`,
    ratio: again / imported, target: 'changes nothing', met: changedNothing,
  });
}

/** A text of about `words` words, newswire: the test texts one after another, as often as it takes. */
function newswireText(words: number): string {
  const folder = path.join(ROOT, 'test', 'extract-texts');
  const texts = [path.join(ROOT, 'demo', 'iswnews-2023-03-25-us-bases-syria.txt'), ...fs.readdirSync(folder).filter((file) => file.endsWith('.txt')).map((file) => path.join(folder, file))]
    .map((file) => fs.readFileSync(file, 'utf8'));
  let text = '';
  for (let i = 0; text.split(/\s+/).length < words; i++) text += `${texts[i % texts.length]}\n\n`;
  return text;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** 6: proposals for a 10,000-word text, in process and over HTTP (on the extraction thread), beside wink-nlp reading it alone. */
async function extraction(): Promise<void> {
  const { proposeClaims } = await import('../src/extract/proposals.js');
  const { default: winkNLP } = await import('wink-nlp');
  const { default: model } = await import('wink-eng-lite-web-model');
  const nlp = winkNLP(model);
  const text = newswireText(10_000);
  const words = text.split(/\s+/).length;
  const runs = QUICK ? 3 : 9;
  const timed = (work: () => unknown) => {
    const started = process.hrtime.bigint();
    work();
    return milliseconds(started);
  };
  const first = timed(() => proposeClaims(text, { outlet: 'Wire' }));
  const ours: number[] = [];
  const bare: number[] = [];
  let proposals = 0;
  // Alternated, median of each.
  for (let run = 0; run < runs; run++) {
    bare.push(timed(() => {
      const doc = nlp.readDoc(text);
      doc.sentences().out();
      doc.entities().out();
      doc.tokens().out(nlp.its.pos);
    }));
    ours.push(timed(() => (proposals = proposeClaims(text, { outlet: 'Wire' }).proposals.length)));
  }
  const measured = median(ours);
  const baseline = median(bare);
  record({
    id: '6', what: `proposals for a ${words.toLocaleString('en')}-word text, in process (${proposals} proposals)`,
    measured: `${measured.toFixed(0)} ms (first call ${first.toFixed(0)} ms)`,
    baseline: `${baseline.toFixed(0)} ms (wink-nlp alone: sentences, entities, tags of the same text)`,
    ratio: measured / baseline, target: '< 500 ms', met: measured < 500,
  });

  const file = path.join(WORK, 'extract.sqlite');
  const token = tokenFor(file);
  const server = await startServer(file);
  try {
    const ask = async () => {
      const started = process.hrtime.bigint();
      const response = await fetch(`${server.url}api/extract`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ text, outlet: 'Wire' }),
      });
      if (response.status !== 200) throw new Error(`POST /api/extract: ${response.status}`);
      await response.arrayBuffer();
      return milliseconds(started);
    };
    const cold = await ask();
    const warm: number[] = [];
    for (let run = 0; run < runs; run++) warm.push(await ask());
    record({
      id: '6', what: 'the same over HTTP, POST /api/extract (read on the extraction thread)',
      measured: `${median(warm).toFixed(0)} ms (first ${cold.toFixed(0)} ms: the thread starts and loads its model)`,
      baseline: `${measured.toFixed(0)} ms in process`, ratio: median(warm) / measured, target: '< 500 ms', met: median(warm) < 500,
    });
  } finally {
    await stop(server);
  }
}

async function main(): Promise<void> {
  console.log(`Claimgrid benchmark${QUICK ? ' (quick)' : ''}, ${os.cpus().length} cores, node ${process.version}; work in ${WORK}`);
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  const started = process.hrtime.bigint();
  const scenarios = [['page', pageThroughput], ['scaling', comparisonScaling], ['writes', writeThroughput], ['export', bigDatabase], ['search', searchAtScale], ['agreement', agreementAtScale], ['extract', extraction], ['import', importAtScale]] as const;
  for (const [name, scenario] of scenarios) {
    if (ONLY && !ONLY.includes(name)) continue;
    console.log(`${name}…`);
    await scenario();
  }
  const table = [
    '| # | what | measured | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.id} | ${row.what} | ${row.measured} | ${row.baseline} | ${row.ratio?.toFixed(2) ?? '-'} | ${row.target} | ${row.met === null ? '-' : row.met ? 'yes' : '**no**'} |`),
  ].join('\n');
  console.log(`\n${table}\n\n(${(milliseconds(started) / 1000).toFixed(0)} s)`);
  if (!ONLY) fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), quick: QUICK, node: process.version, cores: os.cpus().length, rows }, null, 2)}\n`);
  fs.rmSync(WORK, { recursive: true, force: true });
}

await main();
