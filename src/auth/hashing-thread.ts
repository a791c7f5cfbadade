/**
 * Password hashing (scrypt) on threads of their own, each at the lowest scheduling priority. scrypt
 * keeps a core busy for a tenth of a second per hash; on libuv's shared pool a flood of sign-ins
 * competed on equal terms with the event loop for the machine's cores (two, here), and every
 * answer slowed (the sign-in flood of `npm run stress` held probes 130–260 ms with no stall over
 * 70 ms in the server itself). At the lowest priority a hash takes only the time the server leaves
 * over: under load, sign-ins wait, not everyone else. (Linux gives each thread its own priority;
 * where a platform does not, the thread runs at the normal one.)
 */
import type { ScryptOptions } from 'node:crypto';
import { Worker } from 'node:worker_threads';

// Plain JavaScript, evaluated as each thread's code: it needs nothing but `crypto` and `os`.
const THREAD_CODE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
const os = require('node:os');
try { os.setPriority(19); } catch {}
parentPort.on('message', ({ password, salt, keyLength, options }) => {
  try {
    parentPort.postMessage({ key: scryptSync(password, Buffer.from(salt), keyLength, options) });
  } catch (error) {
    parentPort.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
});
`;

/** Threads with no hash to do, kept for the next. */
const idle: Worker[] = [];

/** What each thread is hashing, if anything: settled when it answers, fails or exits. */
const jobs = new WeakMap<Worker, { resolve: (key: Buffer) => void; reject: (error: Error) => void }>();

function newThread(): Worker {
  const thread = new Worker(THREAD_CODE, { eval: true, execArgv: [] });
  thread.on('message', (outcome: { key?: Uint8Array; failure?: string }) => {
    const job = jobs.get(thread);
    jobs.delete(thread);
    thread.unref();
    idle.push(thread);
    if (outcome.key) job?.resolve(Buffer.from(outcome.key));
    else job?.reject(new Error(outcome.failure));
  });
  // A thread that fails or exits is dropped, and the hash it had fails (the caller's turn is given back).
  const stopped = (error: Error) => {
    const index = idle.indexOf(thread);
    if (index >= 0) idle.splice(index, 1);
    jobs.get(thread)?.reject(error);
    jobs.delete(thread);
  };
  thread.on('error', stopped);
  thread.on('exit', (code) => stopped(new Error(`The password hashing thread exited (code ${code})`)));
  // After the listeners, which would ref it again: idle, it must not keep the process alive.
  thread.unref();
  return thread;
}

/**
 * scrypt of `password`, on a low-priority thread: one per hash under way (the caller bounds how
 * many run at once).
 */
export function scryptOnThread(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  const thread = idle.pop() ?? newThread();
  return new Promise<Buffer>((resolve, reject) => {
    jobs.set(thread, { resolve, reject });
    // Kept alive while it hashes.
    thread.ref();
    thread.postMessage({ password, salt, keyLength, options });
  });
}
