import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  process: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts the real server process, as `npm start` does, on a free port. */
export async function startServer(env: Record<string, string>): Promise<RunningServer> {
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

export async function stopServer(server: RunningServer, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  // Already gone (exited, or killed by a signal): nothing to wait for.
  if (server.process.exitCode !== null || server.process.signalCode !== null) return server.process.exitCode;
  server.process.kill(signal);
  const [code] = await once(server.process, 'exit');
  return code as number | null;
}

/** Runs the `claimgrid` command; resolves with its exit code and what it printed. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/claimgrid.js', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number, stdout, stderr };
}

export function tempDatabase(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-')), 'data', 'claimgrid.sqlite');
}

/** What the server has printed, once it has printed something matching `pattern`. */
export async function waitForOutput(server: RunningServer, pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(server.output());
    if (match) return match;
    if (server.process.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
    await once(server.process.stdout!, 'data');
  }
}
