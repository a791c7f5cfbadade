/**
 * The server's syncs to disk (fsync), on a thread of their own. Node's own `fs.fsync` runs on libuv's
 * four threads, which also hash passwords and compress answers: a sign-in flood answered with
 * sixty-four compressed pages queued the sync behind them, and every reader's answer waits for the
 * sync that covers what it may show (200–260 ms in `npm run stress`). Here the sync waits for
 * nothing but the disk.
 */
import { Worker } from 'node:worker_threads';

// Plain JavaScript, evaluated as the thread's code: it needs nothing but `fs`.
const THREAD_CODE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.on('message', ({ id, descriptor, directory }) => {
  try {
    if (directory === undefined) {
      fs.fsyncSync(descriptor);
    } else {
      // As SQLite does: a directory that cannot be synced (some network and FUSE file systems) is
      // no reason to refuse the write.
      try {
        const opened = fs.openSync(directory, 'r');
        try { fs.fsyncSync(opened); } finally { fs.closeSync(opened); }
      } catch {}
    }
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, failure: { message: error.message, code: error.code } });
  }
});
`;

let thread: Worker | undefined;
const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
let nextId = 1;

function syncThread(): Worker {
  if (thread) return thread;
  const started = new Worker(THREAD_CODE, { eval: true, execArgv: [] });
  started.on('message', ({ id, failure }: { id: number; failure?: { message: string; code?: string } }) => {
    const job = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) started.unref();
    if (failure) job?.reject(Object.assign(new Error(failure.message), { code: failure.code }));
    else job?.resolve();
  });
  // The thread itself failed: every sync it had is failed, and the next starts a new thread.
  started.on('error', (error) => {
    thread = undefined;
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
  });
  started.unref();
  return (thread = started);
}

function send(message: { descriptor: number } | { directory: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    const worker = syncThread();
    // Kept alive while a sync is under way; idle, it must not keep the process (or a test run) alive.
    worker.ref();
    worker.postMessage({ id, ...message });
  });
}

/** The syncs, as an object so that tests can stand in for a slow or failing disk. */
export const diskSyncs = {
  /** fsync(2) of an open file: its data and size are on disk when this settles. */
  syncFile(descriptor: number): Promise<void> {
    return send({ descriptor });
  },
  /** fsync(2) of a directory, so that a file's entry in it is on disk; never fails. */
  syncDirectory(directory: string): Promise<void> {
    return send({ directory });
  },
};
