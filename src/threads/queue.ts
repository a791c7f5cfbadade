/**
 * Work that may take longer than the event loop can spare, done on a thread of its own, one job at
 * a time, with a bounded queue and a time limit: rendering Markdown (src/render/summaries.ts) and
 * reading texts into proposed claims (src/threads/extraction.ts). A job past its limit is abandoned
 * with its thread; the next job gets a new one.
 */
import { parentPort, Worker } from 'node:worker_threads';

export interface JobQueueOptions {
  /** The worker's file beside the caller's: `new URL('./x-worker', import.meta.url)`, without extension. */
  worker: URL;
  timeLimitMs: number;
  /** Jobs that may wait for the thread; one more is refused with `busy()`. */
  maxWaiting: number;
  busy: (waiting: number) => Error;
  tooSlow: () => Error;
  /** The job itself failed on the thread (its message); the thread goes on. */
  failed: (message: string) => Error;
}

interface Job<In, Out> {
  id: number;
  input: In;
  resolve: (output: Out) => void;
  reject: (error: Error) => void;
  /** Told what the job reports on the way (an import's rows read so far). */
  progress?: (update: unknown) => void;
}

interface Reply<Out> {
  id: number;
  output?: Out;
  failure?: string;
  /** Set on a message sent on the way, before the output or failure. */
  progress?: unknown;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** A function that runs `input` on the queue's thread and resolves with what the worker returned. */
export function jobQueue<In, Out>(options: JobQueueOptions): (input: In, progress?: (update: unknown) => void) => Promise<Out> {
  let worker: Worker | undefined;
  let running: (Job<In, Out> & { timer: NodeJS.Timeout }) | undefined;
  /** A thread abandoned past its time limit, until it has stopped. */
  let stopping: Promise<void> | undefined;
  const waiting: Job<In, Out>[] = [];
  let nextId = 1;

  function startWorker(): Worker {
    // .ts when run from source, which the thread then needs tsx to load.
    const file = new URL(`${options.worker.href}.${FROM_SOURCE ? 'ts' : 'js'}`);
    // Nothing the process was started with (a loader, a profiler, a monitor) is for this thread: it
    // failed to start under `npm run stress`, which loads a monitor written in TypeScript.
    const started = FROM_SOURCE
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`,
          { eval: true, execArgv: [] },
        )
      : new Worker(file, { execArgv: [] });
    started.on('message', (message: Reply<Out>) => {
      if (started !== worker || !running || message.id !== running.id) return;
      if ('progress' in message) return void running.progress?.(message.progress);
      const job = running;
      finish();
      if (message.failure === undefined) job.resolve(message.output as Out);
      else job.reject(options.failed(message.failure));
    });
    // The thread itself failed (it could not start, or crashed): the server's fault, not the job's.
    started.on('error', (error) => {
      if (started !== worker) return;
      worker = undefined;
      const job = running;
      finish();
      job?.reject(new Error(`A worker thread failed: ${error.message}`, { cause: error }));
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
    if (running || stopping || waiting.length === 0) return;
    const job = waiting.shift()!;
    worker ??= startWorker();
    const timer = setTimeout(() => {
      const abandoned = worker;
      worker = undefined;
      running = undefined;
      // Told, and the next job begun, once the thread has stopped: an import's connection, and its write lock, go with it.
      stopping = (abandoned?.terminate() ?? Promise.resolve()).then(
        () => {},
        () => {},
      );
      void stopping.then(() => {
        stopping = undefined;
        job.reject(options.tooSlow());
        runNext();
      });
    }, options.timeLimitMs);
    running = { ...job, timer };
    worker.postMessage({ id: job.id, input: job.input });
  }

  return (input: In, progress?: (update: unknown) => void) => {
    if (waiting.length >= options.maxWaiting) return Promise.reject(options.busy(waiting.length));
    return new Promise<Out>((resolve, reject) => {
      waiting.push({ id: nextId++, input, resolve, reject, ...(progress ? { progress } : {}) });
      runNext();
    });
  };
}

/**
 * In a worker file: answers each job with `work(input)` (awaited, if it is a promise), or with the
 * message of what it threw; `report` sends word on the way.
 */
export function serveJobs<In, Out>(work: (input: In, report: (progress: unknown) => void) => Out | Promise<Out>): void {
  parentPort!.on('message', ({ id, input }: { id: number; input: In }) => {
    const report = (progress: unknown) => parentPort!.postMessage({ id, progress } satisfies Reply<Out>);
    Promise.resolve()
      .then(() => work(input, report))
      .then(
        (output) => parentPort!.postMessage({ id, output } satisfies Reply<Out>),
        (error: unknown) => parentPort!.postMessage({ id, failure: error instanceof Error ? error.message : String(error) } satisfies Reply<Out>),
      );
  });
}
