import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { ROOT, runCli, startServer, stopServer as stop, tempDatabase, waitForOutput } from './server-helpers.js';

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

describe('shutting down', () => {
  it('answers a request that waited behind another on its connection, with Connection: close, then exits cleanly', async () => {
    const file = tempDatabase();
    const token = (await runCli(['user', 'add', 'piped', '--role', 'editor'], { DATABASE_PATH: file })).stdout.trim().split('\n').at(-1)!;
    const server = await startServer({ DATABASE_PATH: file, DEMO: 'off' });
    const { hostname, port } = new URL(server.url);
    const socket = net.connect(Number(port), hostname);
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    const body = '{"name": "Piped source"}';
    // A write whose body is still on its way when the signal comes…
    socket.write(`POST /api/sources HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 8)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = stop(server, 'SIGTERM');
    await waitForOutput(server, /SIGTERM: finishing open requests/);
    // …and, sent behind it on the same connection, a request the app answers at once.
    socket.write(`${body.slice(8)}GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`);
    await once(socket, 'close');
    assert.equal(await exited, 0, server.output());
    const [write, health] = received.split(/(?=HTTP\/1\.1 )/);
    assert.match(write!, /^HTTP\/1\.1 201/);
    assert.match(health!, /^HTTP\/1\.1 200/);
    assert.match(health!, /\r\nConnection: close\r\n/i);
  });

  it('lets a request already running finish within SHUTDOWN_GRACE_SECONDS, and refuses new connections meanwhile', async () => {
    const { request: httpRequest } = await import('node:http');
    const file = tempDatabase();
    const token = (await runCli(['user', 'add', 'slow', '--role', 'editor'], { DATABASE_PATH: file })).stdout.trim().split('\n').at(-1)!;
    const server = await startServer({ DATABASE_PATH: file, DEMO: 'off', SHUTDOWN_GRACE_SECONDS: '20' });
    const url = new URL('api/sources', server.url);
    // A client on a slow line: its body arrives over six seconds, more than the old fixed five.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const call = httpRequest(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      });
      call.on('error', reject);
      const parts = ['{"name": ', '"Slow', ' line', ' source', '"', '}'];
      const sendNext = () => {
        call.write(parts.shift()!);
        if (parts.length === 0) call.end();
        else setTimeout(sendNext, 1200);
      };
      sendNext();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = stop(server, 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assert.rejects(fetch(server.url), 'no new connection is taken once shutting down');
    const { status, body } = await answer;
    assert.equal(status, 201, body);
    assert.equal(JSON.parse(body).name, 'Slow line source');
    assert.equal(await exited, 0);
  });
});

