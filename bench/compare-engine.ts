/**
 * The comparison engine alone, on incidents of 500, 5,000 and 50,000 claims, each reported as a
 * ratio to the 500-claim time measured in the same run. Target: at most 12× the time per 10× claims.
 *
 *   npx tsx bench/compare-engine.ts
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { compareIncident } from '../src/compare/comparison.js';
import { syntheticIncident } from './synthetic.js';

// A full collection before each timed run, so that no run pays for the garbage of the one before
// (or of building the synthetic incident); the flag can be set at run time, the function is then
// found in a new context.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** The fastest of `runs` timings, in milliseconds, after one warm-up: the least disturbed by a noisy machine. */
export function fastest(runs: number, work: () => unknown): number {
  work();
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    collectGarbage();
    const started = process.hrtime.bigint();
    work();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return best;
}

export function benchEngine(sizes = [500, 5_000, 50_000], runs = 7) {
  return sizes.map((claims) => {
    const incident = syntheticIncident({ claims });
    const ms = fastest(claims >= 50_000 ? Math.max(5, Math.floor(runs / 2)) : runs, () =>
      compareIncident(incident.claims, incident.sources, []),
    );
    return { claims, ms };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = benchEngine();
  const base = results[0]!.ms;
  for (const { claims, ms } of results) {
    console.log(`${claims.toLocaleString('en').padStart(7)} claims: ${ms.toFixed(1).padStart(7)} ms  ×${(ms / base).toFixed(1)} the 500-claim time`);
  }
}
