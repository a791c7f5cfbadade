/** Starting and stopping the server (or a baseline) as a separate process, for the benchmarks and the stress suite. */
import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Process {
  child: ChildProcess;
  url: string;
  startedAt: bigint;
}

/** Starts a process that prints "… at http://…/" and waits for the address; stdio 'ipc' adds a message channel. */
export async function startProcess(args: string[], env: Record<string, string>, { ipc = false } = {}): Promise<Process> {
  const startedAt = process.hrtime.bigint();
  const stdio: StdioOptions = ['ignore', 'pipe', 'inherit', ...(ipc ? (['ipc'] as const) : [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env }, stdio });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  return { child, url, startedAt };
}

export async function stopProcess(started: Process): Promise<void> {
  if (started.child.exitCode !== null) return;
  started.child.kill('SIGTERM');
  await once(started.child, 'exit');
}
