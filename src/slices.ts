/**
 * Long work done a slice at a time on the one event loop every request shares: a slice runs until it
 * has taken SLICE_MS, then the loop serves whatever else is waiting before the next one. The work
 * itself is a generator that yields wherever it may be paused (see compareIncidentStepwise).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Well under the 100 ms that no request may hold the event loop for, with room for the step that overruns. */
export const SLICE_MS = 15;

/** Runs `steps` to its end, SLICE_MS at a time, and gives back what it returns. */
export async function inSlices<T>(steps: Generator<unknown, T>): Promise<T> {
  let sliceEnds = performance.now() + SLICE_MS;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() >= sliceEnds) {
      await nextTurn();
      sliceEnds = performance.now() + SLICE_MS;
    }
  }
}

/** Lets the requests waiting now be served if this slice has run its time; for loops that are not generators. */
export function sliceTimer(): () => Promise<void> | undefined {
  let sliceEnds = performance.now() + SLICE_MS;
  return () => {
    if (performance.now() < sliceEnds) return undefined;
    return nextTurn().then(() => {
      sliceEnds = performance.now() + SLICE_MS;
    });
  };
}
