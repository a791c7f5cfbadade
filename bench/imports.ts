/**
 * Importing claims from a large CSV, for `npm run bench` (row 9) and `npm run stress` (scenario 14):
 * a deterministic file in the minimal format (incident, source, source_kind, facet, statement,
 * value, published_at, url), and the import measured over HTTP on the real server, a fresh database
 * each time: the dry run, the import itself (its longest event-loop stall and slowest /healthz, and
 * the server's peak RSS against a tenth as many rows), and the same file imported again (nothing
 * changes). Beside it the baseline: the least any import must do, the same file read by csv-parse
 * and each row written through createClaim in one transaction, in this process.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { parse as parseCsv } from 'csv-parse';
import { createClaim } from '../src/db/claims.js';
import { migrate, openDatabase } from '../src/db/database.js';
import { createIncident } from '../src/db/incidents.js';
import { createSource, type SourceKind } from '../src/db/sources.js';
import { createApiToken, createUser } from '../src/db/users.js';
import { type Process, ROOT, startProcess, stopProcess } from './processes.js';
import { seededRandom } from './synthetic.js';

export const IMPORT_COLUMNS = ['incident', 'source', 'source_kind', 'facet', 'statement', 'value', 'published_at', 'url'] as const;
export type ImportCsvRow = Record<(typeof IMPORT_COLUMNS)[number], string>;

/** A few dozen incidents, a few hundred sources, as the file has. */
export const IMPORT_INCIDENTS = 40;
export const IMPORT_SOURCES = 300;

const PLACES = ['Green Village', 'al-Omar oil field', 'CONOCO gas field', 'al-Shadadi', 'Deir Ezzor airport', 'al-Tanf', 'Mayadin', 'Abu Kamal'];
const EVENTS = ['Rocket attack on', 'Drone strike near', 'Airstrikes around', 'Shelling of', 'Explosion at'];
const OUTLETS = ['Sabereen News', 'CENTCOM', 'Syrian Observatory for Human Rights', 'SANA', 'Al Jazeera', 'Reuters', 'Deir Ezzor 24', 'Pentagon spokesperson',
  'Islamic Resistance in Iraq', 'Local resident', 'Kurdish-led SDF', 'US official (unnamed)', 'Iranian state TV', 'AFP', 'Step News'];
const KINDS: SourceKind[] = ['government', 'military', 'armed group', 'media', 'NGO', 'individual', 'other'];
const FACETS = ['rockets fired', 'drones launched', 'bases targeted', 'US personnel wounded', 'US personnel killed', 'civilians killed', 'civilians injured',
  'militants killed', 'time of attack', 'launch site', 'damage to the base', 'interceptions', 'claimed by', 'airstrikes carried out', 'targets hit',
  'casualties', 'vehicles destroyed', 'warning given', 'weapons used', 'retaliation announced'];
const VALUES = ['at least eight', 'ten', 'none', '2', '3–4', 'dozens', 'eleven', 'one', 'several', 'no more than five', '17', 'unknown', 'about 20', 'three', '0'];
const WORDS = ['the', 'rockets', 'base', 'were', 'fired', 'at', 'from', 'east', 'of', 'river', 'late', 'evening', 'officials', 'said', 'no', 'casualties',
  'among', 'personnel', 'launched', 'drones', 'struck', 'compound', 'near', 'field', 'according', 'to', 'a', 'statement', 'issued', 'after', 'attack',
  'group', 'claimed', 'responsibility', 'in', 'Telegram', 'post', 'residents', 'heard', 'explosions', 'several', 'minutes', 'later', 'and', 'smoke'];

/** Row `n` of the file with this seed: the same every run. Row `n` of a shorter file is row `n` of a longer one. */
export function* importRows(rows: number, seed = 1): Generator<ImportCsvRow> {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  for (let n = 0; n < rows; n++) {
    const incident = Math.floor(random() * IMPORT_INCIDENTS);
    const source = Math.floor(random() * IMPORT_SOURCES);
    const facet = pick(FACETS);
    const value = pick(VALUES);
    // 100–200 characters: a clause naming what is said, then words of the newswire until the length.
    const length = 100 + Math.floor(random() * 101);
    let statement = `${OUTLETS[source % OUTLETS.length]} said of the ${facet}: ${value}, at ${pick(PLACES)};`;
    for (let word = pick(WORDS); statement.length + word.length < length; word = pick(WORDS)) statement += ` ${word}`;
    statement += '.';
    const day = 24 + (n % 5);
    const minute = Math.floor(random() * 1440);
    yield {
      incident: `${EVENTS[incident % EVENTS.length]} ${PLACES[incident % PLACES.length]} (${incident + 1})`,
      source: `${OUTLETS[source % OUTLETS.length]} ${Math.floor(source / OUTLETS.length) + 1}`,
      source_kind: KINDS[source % KINDS.length]!,
      facet,
      statement,
      value,
      published_at: `2023-03-${day}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
      url: `https://news.example.org/2023/03/${day}/report-${n + 1}`,
    };
  }
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface ImportCsv {
  file: string;
  rows: number;
  bytes: number;
}

/** Writes `rows` rows (and a header) to `file`, in chunks. */
export function writeImportCsv(file: string, rows: number, seed = 1): ImportCsv {
  const descriptor = fs.openSync(file, 'w');
  try {
    let chunk = `${IMPORT_COLUMNS.join(',')}\n`;
    for (const row of importRows(rows, seed)) {
      chunk += `${IMPORT_COLUMNS.map((column) => csvCell(row[column])).join(',')}\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(descriptor, chunk);
        chunk = '';
      }
    }
    fs.writeSync(descriptor, chunk);
  } finally {
    fs.closeSync(descriptor);
  }
  return { file, rows, bytes: fs.statSync(file).size };
}

/** csv-parse as the import runs it (src/actions/import-files.ts), each record handed to `each`. */
async function readCsv(file: string, each: (record: string[]) => void): Promise<number> {
  const parser = parseCsv({ bom: true, delimiter: ',', relax_column_count: true, relax_quotes: true, record_delimiter: ['\r\n', '\n', '\r'] });
  let records = 0;
  for await (const record of fs.createReadStream(file).pipe(parser) as AsyncIterable<string[]>) {
    if (records++ > 0) each(record);
  }
  return records - 1;
}

export interface BareImport {
  /** csv-parse reading the file and createClaim writing each row, one transaction, committed. */
  ms: number;
  /** csv-parse reading the file alone. */
  readMs: number;
}

/**
 * The baseline: the least an import of `csv` must do. The file read by csv-parse, with the import's
 * options, and each row written through createClaim (the claim, its history row, its incident's
 * summary forgotten and its search entry by trigger), new incidents and sources through
 * createIncident and createSource, in one transaction on a fresh database file opened as the import
 * thread opens its own (synchronous = FULL). No checks, no matching, no digest, no HTTP, no thread.
 */
export async function bareImport(csv: string, databaseFile: string): Promise<BareImport> {
  let started = performance.now();
  await readCsv(csv, () => {});
  const readMs = performance.now() - started;
  const db = openDatabase(databaseFile);
  migrate(db);
  const actor = createUser(db, 'bare importer', 'editor', 'scrypt$unusable').id;
  const index = Object.fromEntries(IMPORT_COLUMNS.map((column, at) => [column, at])) as Record<(typeof IMPORT_COLUMNS)[number], number>;
  const incidents = new Map<string, number>();
  const sources = new Map<string, number>();
  started = performance.now();
  db.exec('BEGIN IMMEDIATE');
  try {
    await readCsv(csv, (record) => {
      const title = record[index.incident]!;
      const name = record[index.source]!;
      let incidentId = incidents.get(title);
      if (incidentId === undefined) incidents.set(title, (incidentId = createIncident(db, { title, occurred_on: null, location: null, summary: null }, actor).id));
      let sourceId = sources.get(name);
      if (sourceId === undefined) {
        sources.set(name, (sourceId = createSource(db, { name, kind: record[index.source_kind] as SourceKind, affiliation: null, url: null, notes: null }, actor).id));
      }
      createClaim(db, incidentId, {
        source_id: sourceId, via_source_id: null, facet: record[index.facet]!, text: record[index.statement]!, quote: null, value: record[index.value]!,
        published_at: record[index.published_at]!, url: record[index.url]!, archive_url: null, document_id: null, span_start: null, span_end: null,
      }, actor);
    });
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    db.close();
  }
  return { ms: performance.now() - started, readMs };
}

/** What POST /api/import answers (the parts the bench reads). */
export interface ImportAnswer {
  rows: number;
  applied: boolean;
  counts: { created: number; updated: number; unchanged: number; invalid: number; new_incidents: number; new_sources: number; warnings: number };
  digest: string;
}

/** POSTs the file to /api/import with `query` ("?dry_run=1", "?expect=…"); its answer and how long it took, upload included. */
export async function postImport(baseUrl: string, token: string, csv: string, query = ''): Promise<{ ms: number; answer: ImportAnswer }> {
  const body = fs.readFileSync(csv);
  const started = performance.now();
  const response = await fetch(`${baseUrl}api/import${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv', 'Accept-Encoding': 'identity' },
    body,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`POST /api/import${query}: ${response.status} ${text.slice(0, 500)}`);
  return { ms, answer: JSON.parse(text) as ImportAnswer };
}

function residentMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** The server's RSS read every 10 ms until stopped: the highest seen. */
function sampleRss(pid: number): { stop: () => number } {
  let peak = residentMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, residentMb(pid));
    } catch {
      // The server has exited: its peak is what was seen.
    }
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, residentMb(pid));
    },
  };
}

/**
 * The probe of the stress suite (bench/prober.ts), in a process of its own: /healthz on a fresh
 * connection every 50 ms while `measure` runs its work. Its start-up (loading tsx) is waited for
 * before anything is measured: a stop with nothing started answers at once (with no latencies) once
 * it listens. An answer to a measurement has at least one latency (a probe goes at once at the
 * start), so the empty answers to those first stops, however late they come, are told apart.
 */
async function startProber() {
  const child = fork(path.join(ROOT, 'bench', 'prober.ts'), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let listening!: () => void;
  let measured: ((latencies: number[]) => void) | undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  child.on('message', ({ latencies }: { latencies: number[] }) => {
    if (latencies.length === 0) return listening();
    measured?.(latencies);
    measured = undefined;
  });
  const asking = setInterval(() => child.send({ stop: true }), 100);
  child.send({ stop: true });
  await ready;
  clearInterval(asking);
  return {
    measure: async <T>(url: string, work: () => Promise<T>): Promise<{ result: T; latencies: number[] }> => {
      child.send({ start: url });
      const result = await work();
      const latencies = await new Promise<number[]>((resolve) => {
        measured = resolve;
        child.send({ stop: true });
      });
      return { result, latencies };
    },
    kill: () => child.kill(),
  };
}

function longestStall(server: Process): Promise<number> {
  return new Promise((resolve) => {
    server.child.once('message', (message: { longestStallMs: number }) => resolve(message.longestStallMs));
    server.child.send('longest-stall');
  });
}

/** One phase (a dry run, an import) timed, with the server's peak RSS, longest stall and slowest /healthz meanwhile. */
export interface ImportPhase {
  ms: number;
  answer: ImportAnswer;
  peakRssMb: number;
  longestStallMs: number;
  slowestProbeMs: number;
  probes: number;
}

export interface ImportRun {
  rows: number;
  bytes: number;
  /** The server's RSS once it answered, before the first import. */
  idleRssMb: number;
  dryRun: ImportPhase;
  applied: ImportPhase;
  /** The same file imported again, if asked. */
  again?: ImportPhase;
  /** Claims in the database after the import, and after importing it again. */
  claimsAfter: number;
  claimsAfterAgain?: number;
}

/**
 * Starts the server (compiled, with bench/loop-monitor.ts) on a fresh database `databaseFile`,
 * makes an editor's token, then: the dry run of `csv`, the import of exactly that (`?expect=` its
 * digest), and, with `again`, the same file imported once more.
 */
export async function importRun(csv: ImportCsv, databaseFile: string, { again = false } = {}): Promise<ImportRun> {
  const db = openDatabase(databaseFile);
  migrate(db);
  const token = createApiToken(db, createUser(db, 'bench importer', 'editor', 'scrypt$unusable').id);
  db.close();
  const server = await startProcess(['--import', 'tsx', '--import', './bench/loop-monitor.ts', 'dist/server.js'], { DATABASE_PATH: databaseFile, DEMO: 'off' }, { ipc: true });
  let prober: Awaited<ReturnType<typeof startProber>> | undefined;
  const phase = async (query: string): Promise<ImportPhase> => {
    await longestStall(server);
    const rss = sampleRss(server.child.pid!);
    const { result: { ms, answer }, latencies } = await prober!.measure(server.url, () => postImport(server.url, token, csv.file, query));
    const peakRssMb = rss.stop();
    return { ms, answer, peakRssMb, longestStallMs: await longestStall(server), slowestProbeMs: Math.max(0, ...latencies), probes: latencies.length };
  };
  const claims = () => {
    const reader = new BetterSqlite3(databaseFile, { readonly: true });
    try {
      return reader.prepare('SELECT count(*) FROM claims WHERE deleted_at IS NULL').pluck().get() as number;
    } finally {
      reader.close();
    }
  };
  try {
    prober = await startProber();
    await fetch(`${server.url}healthz`).then((response) => response.arrayBuffer());
    const idleRssMb = residentMb(server.child.pid!);
    const dryRun = await phase('?dry_run=1');
    if (dryRun.answer.counts.created !== csv.rows || dryRun.answer.counts.invalid !== 0) throw new Error(`the dry run did not find ${csv.rows} claims to add: ${JSON.stringify(dryRun.answer.counts)}`);
    const applied = await phase(`?expect=${dryRun.answer.digest}`);
    if (!applied.answer.applied || applied.answer.counts.created !== csv.rows) throw new Error(`the import did not add ${csv.rows} claims: ${JSON.stringify(applied.answer.counts)}`);
    const claimsAfter = claims();
    if (!again) return { rows: csv.rows, bytes: csv.bytes, idleRssMb, dryRun, applied, claimsAfter };
    const second = await phase('');
    return { rows: csv.rows, bytes: csv.bytes, idleRssMb, dryRun, applied, again: second, claimsAfter, claimsAfterAgain: claims() };
  } finally {
    prober?.kill();
    await stopProcess(server);
  }
}
