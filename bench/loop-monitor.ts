/**
 * Loaded into the server process by `npm run stress` (node --import): measures how long the event
 * loop was held, and reports the longest stall since the last report when the parent asks over IPC.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

process.on('message', (message) => {
  if (message !== 'longest-stall') return;
  // The histogram counts the delay beyond the 10 ms timer it runs on.
  process.send!({ longestStallMs: Math.max(0, delay.max / 1e6 - 10) });
  delay.reset();
});
