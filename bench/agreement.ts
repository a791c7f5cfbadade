/**
 * The source × source agreement matrix (/sources/agreement) of a large database, for `npm run bench`:
 * the first answer ever (every incident compared and tallied in the background, the page answering
 * with what is counted after a second), how long until every incident is counted, the server's
 * longest stall meanwhile, and the answer once kept; optionally the first answer after a write (one
 * part of the sums made again). Given a server already running over the database.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface AgreementBench {
  /** The first /sources/agreement: answered with the incidents counted within its wait. */
  firstAnswerMs: number;
  /** From the first request until a page says no incident is still being counted. */
  allCountedMs: number;
  /** The longest the server's event loop was held meanwhile (null without `longestStall`). */
  longestStallMs: number | null;
  /** The slowest answer to /healthz, asked every 25 ms meanwhile: what any other request waited. */
  slowestProbeMs: number;
  /** The matrix once kept: the best of five. */
  keptMs: number;
  /** The first answer after `write`, if given. */
  afterWriteMs: number | null;
  /** Pairs of sources whose claims met, from the JSON export. */
  pairs: number;
}

export interface AgreementBenchOptions {
  /** The server's longest event-loop stall since it was last asked (bench/loop-monitor.ts over IPC); resets it. */
  longestStall?: () => Promise<number>;
  /** A write to one incident, to time the matrix made again after it. */
  write?: () => Promise<void>;
}

const STILL_COUNTING = 'still being compared';

async function timed(url: string): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text.slice(0, 200)}`);
  return { ms: performance.now() - started, text };
}

/** Asks for /healthz every 25 ms until stopped; gives back the slowest answer. */
function probe(baseUrl: string): { stop: () => Promise<number> } {
  let slowest = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${baseUrl}healthz`).then((response) => response.arrayBuffer());
      slowest = Math.max(slowest, performance.now() - started);
      await sleep(25);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return slowest;
    },
  };
}

/** `baseUrl` ends in a slash ("http://127.0.0.1:3000/"), as bench/processes.ts gives it. */
export async function benchAgreement(baseUrl: string, { longestStall, write }: AgreementBenchOptions = {}): Promise<AgreementBench> {
  const page = `${baseUrl}sources/agreement`;
  await longestStall?.();
  const prober = probe(baseUrl);
  const started = performance.now();
  const first = await timed(page);
  let counting = first.text.includes(STILL_COUNTING);
  while (counting) {
    await sleep(200);
    counting = (await timed(page)).text.includes(STILL_COUNTING);
  }
  const allCountedMs = performance.now() - started;
  const slowestProbeMs = await prober.stop();
  const longestStallMs = longestStall ? await longestStall() : null;
  let keptMs = Infinity;
  for (let run = 0; run < 5; run++) keptMs = Math.min(keptMs, (await timed(page)).ms);
  let afterWriteMs: number | null = null;
  if (write) {
    await write();
    afterWriteMs = (await timed(page)).ms;
  }
  const exported = JSON.parse((await timed(`${baseUrl}sources/agreement.json`)).text) as { pairs: unknown[] };
  return { firstAnswerMs: first.ms, allCountedMs, longestStallMs, slowestProbeMs, keptMs, afterWriteMs, pairs: exported.pairs.length };
}
