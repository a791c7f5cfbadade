import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface RunningServer {
  process: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts the real server process, as `npm start` does, on a free port. */
async function startServer(env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { process: child, url, output: () => output };
}

async function stop(server: RunningServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  server.process.kill(signal);
  const [code] = await once(server.process, 'exit');
  return code as number | null;
}

function tempDatabase(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-server-')), 'data', 'claimgrid.sqlite');
}

describe('the server process', () => {
  it('loads the demo into a new database file, serves it, and shuts down cleanly on SIGTERM and SIGINT', async () => {
    const file = tempDatabase();
    let server = await startServer({ DATABASE_PATH: file });
    const home = await (await fetch(server.url)).text();
    assert.match(home, /Evening rocket and drone attacks on US positions in eastern Syria/);
    assert.match(server.output(), /loaded the demo \(3 incidents, 23 claims\)/);
    assert.equal(await stop(server, 'SIGTERM'), 0);
    assert.ok(fs.existsSync(file));
    assert.ok(!fs.existsSync(`${file}-wal`), 'a clean close checkpoints and removes the WAL file');

    // Restarting keeps the data and does not load the demo a second time.
    server = await startServer({ DATABASE_PATH: file });
    const incidents = await (await fetch(`${server.url}api/incidents`)).json();
    assert.equal(incidents.incidents.length, 3);
    assert.doesNotMatch(server.output(), /loaded the demo/);
    assert.equal(await stop(server, 'SIGINT'), 0);
  });

  it('starts empty with DEMO=off', async () => {
    const server = await startServer({ DATABASE_PATH: tempDatabase(), DEMO: 'off' });
    const incidents = await (await fetch(`${server.url}api/incidents`)).json();
    assert.deepEqual(incidents.incidents, []);
    assert.equal(await stop(server), 0);
  });

  it('refuses a bad setting, naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'eighty', DATABASE_PATH: tempDatabase() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (chunk) => (output += chunk));
    const [code] = await once(child, 'exit');
    assert.notEqual(code, 0);
    assert.match(output, /Bad configuration: PORT:/);
  });
});
