/**
 * Incident summaries, Markdown turned into safe HTML on a worker thread: marked takes seconds on
 * some inputs ("_" × 20,000) and overflows its stack on others (5,000 nested ">"), and that must
 * not hold the event loop every other request waits on. A summary that takes longer than
 * RENDER_TIME_LIMIT_MS, or fails, is refused when it is saved.
 */
import { Worker } from 'node:worker_threads';

/** Ordinary summaries render in a few milliseconds; one that needs seconds was made to. */
export const RENDER_TIME_LIMIT_MS = 2000;

/** Why a summary could not be rendered: too slow, or too deeply nested for the renderer. */
export class SummaryNotRenderable extends Error {}

/**
 * Summaries waiting for the one rendering thread, at most: each may take up to RENDER_TIME_LIMIT_MS,
 * so a queue without end (an editor saving slow summaries in a loop) would hold every other save,
 * and every page of an incident whose summary is rendered when shown, for as long.
 */
export const MAX_WAITING_RENDERS = 8;

/** More summaries are waiting to be rendered than the thread takes on: try again in a moment. */
export class RendererBusy extends Error {}

interface Job {
  id: number;
  source: string;
  resolve: (html: string) => void;
  reject: (error: Error) => void;
}

let worker: Worker | undefined;
let running: (Job & { timer: NodeJS.Timeout }) | undefined;
const waiting: Job[] = [];
let nextId = 1;

const FROM_SOURCE = import.meta.url.endsWith('.ts');

function startWorker(): Worker {
  // The worker's file beside this one: .ts when run from source, which the thread then needs tsx to load.
  const file = new URL(`./markdown-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
  // Nothing the process was started with (a loader, a profiler, a monitor) is for this thread: it
  // failed to start under `npm run stress`, which loads a monitor written in TypeScript.
  const started = FROM_SOURCE
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`,
        { eval: true, execArgv: [] },
      )
    : new Worker(file, { execArgv: [] });
  started.on('message', (message: { id: number; html?: string; failure?: string }) => {
    if (started !== worker || !running || message.id !== running.id) return;
    const job = running;
    finish();
    if (message.html !== undefined) job.resolve(message.html);
    else job.reject(new SummaryNotRenderable(`it could not be rendered (${message.failure})`));
  });
  // The thread itself failed (it could not start, or crashed): the server's fault, not the summary's.
  started.on('error', (error) => {
    if (started !== worker) return;
    worker = undefined;
    const job = running;
    finish();
    job?.reject(new Error(`The Markdown worker failed: ${error.message}`, { cause: error }));
  });
  // Idle, it must not keep the process (or a test run) alive; after the listeners, which would ref it again.
  started.unref();
  return started;
}

function finish(): void {
  if (running) clearTimeout(running.timer);
  running = undefined;
  runNext();
}

function runNext(): void {
  if (running || waiting.length === 0) return;
  const job = waiting.shift()!;
  worker ??= startWorker();
  const timer = setTimeout(() => {
    // A render past the limit is abandoned with its thread; the next job gets a new one.
    void worker?.terminate();
    worker = undefined;
    running = undefined;
    job.reject(new SummaryNotRenderable(`it takes longer than ${RENDER_TIME_LIMIT_MS / 1000} s to render`));
    runNext();
  }, RENDER_TIME_LIMIT_MS);
  running = { ...job, timer };
  worker.postMessage({ id: job.id, source: job.source });
}

/** The summary as safe HTML ('' for none), rendered off the event loop; SummaryNotRenderable if it cannot be, RendererBusy if too many wait. */
export function renderSummary(source: string | null | undefined): Promise<string> {
  if (!source) return Promise.resolve('');
  if (waiting.length >= MAX_WAITING_RENDERS) {
    return Promise.reject(new RendererBusy(`${waiting.length} summaries are already waiting to be rendered`));
  }
  return new Promise((resolve, reject) => {
    waiting.push({ id: nextId++, source, resolve, reject });
    runNext();
  });
}
