/**
 * The stress suite's probe, in a process of its own (`npm run stress` forks it): it asks /healthz on
 * a fresh connection every 50 ms between "start" and "stop", and sends back the latencies. Apart
 * from the process that makes the load, so that what it measures is the server, not the load
 * generator's own event loop (64 sign-ins' answers being read, say).
 */
import http from 'node:http';

/** One /healthz on a connection of its own, in milliseconds. */
function probe(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const request = http.get(`${url}healthz`, { agent: false, timeout: 30_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(performance.now() - started));
    });
    request.on('error', () => resolve(performance.now() - started));
  });
}

let timer: NodeJS.Timeout | undefined;
let pending: Promise<void>[] = [];
let latencies: number[] = [];

process.on('message', async (message: { start?: string; stop?: true }) => {
  if (message.start !== undefined) {
    const url = message.start;
    latencies = [];
    pending = [];
    const probeOnce = () => pending.push(probe(url).then((ms) => void latencies.push(ms)));
    // One at once, so that even a scenario shorter than 50 ms is probed.
    probeOnce();
    timer = setInterval(probeOnce, 50);
  } else if (message.stop) {
    clearInterval(timer);
    await Promise.all(pending);
    process.send!({ latencies });
  }
});
