/**
 * The server's syncs to disk (fsync), on a thread of their own. Node's own `fs.fsync` runs on libuv's
 * four threads, which also compress answers (and hashed passwords, before they had threads of their
 * own): a sign-in flood answered with
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

type Message = { descriptor: number } | { directory: string };

interface Job {
  message: Message;
  resolve: () => void;
  reject: (error: Error) => void;
  /** Whether it was sent again after the thread it was on stopped. */
  resent: boolean;
}

let thread: Worker | undefined;
const waiting = new Map<number, Job>();
let nextId = 1;

function syncThread(): Worker {
  if (thread) return thread;
  const started = new Worker(THREAD_CODE, { eval: true, execArgv: [] });
  started.on('message', ({ id, failure }: { id: number; failure?: { message: string; code?: string } }) => {
    const job = waiting.get(id);
    waiting.delete(id);
    if (waiting.size === 0) started.unref();
    // The disk's own answer: a failed fsync is not tried again (see commits.ts).
    if (failure) job?.reject(Object.assign(new Error(failure.message), { code: failure.code }));
    else job?.resolve();
  });
  // The thread stopped (it failed, or exited): its syncs did not happen, which is not the disk's
  // failure. Each is sent once more, on a new thread; a second stop fails it.
  const stopped = (error: Error) => {
    if (thread !== started) return;
    thread = undefined;
    const jobs = [...waiting.values()];
    waiting.clear();
    for (const job of jobs) {
      if (job.resent) job.reject(error);
      else post({ ...job, resent: true });
    }
  };
  started.on('error', stopped);
  started.on('exit', (code) => stopped(new Error(`The thread that syncs to disk exited (code ${code})`)));
  // After the listeners, which would ref it again: idle, it must not keep the process alive.
  started.unref();
  return (thread = started);
}

function post(job: Job): void {
  const worker = syncThread();
  const id = nextId++;
  worker.postMessage({ id, ...job.message });
  waiting.set(id, job);
  // Kept alive while a sync is under way.
  worker.ref();
}

function send(message: Message): Promise<void> {
  return new Promise((resolve, reject) => post({ message, resolve, reject, resent: false }));
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
