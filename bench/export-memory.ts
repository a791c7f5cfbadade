/**
 * Checks that exporting every claim keeps the server's memory flat: fills a temporary database with
 * N claims (default 100,000), starts the real server on it, downloads /claims.csv and /claims.json
 * while sampling the server's resident memory, and prints the growth over its idle size.
 *
 *   npm run bench:export-memory -- [claims]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, openDatabase } from '../src/db/database.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLAIMS = Number(process.argv[2] ?? 100_000);

function fillDatabase(file: string, claims: number): void {
  const db = openDatabase(file);
  migrate(db);
  const now = new Date().toISOString();
  const source = db.prepare("INSERT INTO sources (name, affiliation, created_at, updated_at) VALUES (?, 'US government', ?, ?)");
  const incident = db.prepare("INSERT INTO incidents (slug, title, created_at, updated_at) VALUES (?, ?, ?, ?)");
  const claim = db.prepare(
    `INSERT INTO claims (incident_id, source_id, facet, facet_key, text, quote, value, published_at, url, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, '2023-03-24', 'https://example.org/report', ?, ?)`,
  );
  db.transaction(() => {
    for (let s = 1; s <= 50; s++) source.run(`Source ${s}`, now, now);
    for (let i = 1; i <= 100; i++) incident.run(`incident-${i}`, `Incident ${i}`, now, now);
    for (let n = 0; n < claims; n++) {
      const facet = `facet ${n % 12}`;
      claim.run(1 + (n % 100), 1 + (n % 50), facet, facet,
        `Statement ${n}: rockets were fired at the base, "several" of them, according to the source.`,
        'أُطلقت عشرة صواريخ على القاعدة، وفق البيان', n % 3 ? `at least ${n % 40}` : 'several', now, now);
    }
  })();
  db.close();
}

function residentKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-export-'));
  const file = path.join(dir, 'claims.sqlite');
  fillDatabase(file, CLAIMS);
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_PATH: file, PORT: '0', DEMO: 'off', NODE_OPTIONS: process.env.SERVER_NODE_OPTIONS ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      const match = /at (http:\/\/[^ ]+\/)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
  });
  await fetch(`${url}healthz`); // answered: the server is up, and nothing else is loaded
  const idle = residentKb(server.pid!);
  console.log(`${CLAIMS.toLocaleString('en')} claims; server idle RSS ${(idle / 1024).toFixed(1)} MB`);

  for (const format of ['csv', 'json']) {
    let peak = residentKb(server.pid!);
    const sampler = setInterval(() => (peak = Math.max(peak, residentKb(server.pid!))), 20);
    const response = await fetch(`${url}claims.${format}`);
    let bytes = 0;
    let lines = 0;
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (const byte of value) if (byte === 10) lines++;
      // Read slowly now and then, so the server has to wait for the client (back-pressure).
      if (lines % 20_000 < 50) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    clearInterval(sampler);
    console.log(
      `/claims.${format}: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${lines.toLocaleString('en')} lines; ` +
        `peak RSS ${(peak / 1024).toFixed(1)} MB, growth ${((peak - idle) / 1024).toFixed(1)} MB over idle`,
    );
  }
  server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
