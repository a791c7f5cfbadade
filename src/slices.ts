/**
 * Long work done a slice at a time on the one event loop every request shares: a slice runs until it
 * has taken SLICE_MS, then the loop serves whatever else is waiting before the next one. The work
 * itself is a generator that yields wherever it may be paused (see compareIncidentStepwise).
 */
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';

/** Well under the 100 ms that no request may hold the event loop for, with room for the step that overruns. */
export const SLICE_MS = 15;

/**
 * A pause for loops that are not generators: it lets the requests waiting now be served if this
 * slice has run its time, and does nothing otherwise. One timer may serve several phases of one
 * piece of work (a read, then a comparison), so that their slices do not add up in one turn.
 */
export type Pause = () => Promise<void> | undefined;

export function sliceTimer({ restMs = 0 } = {}): Pause {
  let sliceEnds = performance.now() + SLICE_MS;
  return () => {
    if (performance.now() < sliceEnds) return undefined;
    // A turn of its own: several pieces of work pausing together would otherwise all go on in the
    // same turn (every pending setImmediate runs at once), their slices adding up.
    const turn = restMs > 0 ? sleep(restMs).then(ownTurn) : ownTurn();
    return turn.then(() => {
      sliceEnds = performance.now() + SLICE_MS;
    });
  };
}

/**
 * What work nobody is waiting for (summaries made in the background) rests between its slices: the
 * server is then idle part of the time, and a request that arrives meanwhile is answered in
 * milliseconds rather than after several other slices.
 */
export const BACKGROUND_REST_MS = SLICE_MS;

/** Runs `steps` to its end, pausing with `pause` between steps, and gives back what it returns. */
export async function inSlices<T>(steps: Generator<unknown, T>, pause: Pause = sliceTimer()): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    const paused = pause();
    if (paused) await paused;
  }
}

/** Work waiting for a turn of the event loop of its own (see `ownTurn`). */
const waitingForTurn: (() => void)[] = [];

/**
 * Resolves in a turn of the event loop of its own: one waiter per turn, in the order they asked,
 * with whatever else is waiting (new connections, other requests) served between. For work that
 * would otherwise resume all at once: ten exports each yielding on their own still ran their ten
 * batches in one turn (190 ms), and ten pages waiting for one comparison all continued together
 * when it was ready.
 */
export function ownTurn(): Promise<void> {
  return new Promise((resolve) => {
    waitingForTurn.push(resolve);
    if (waitingForTurn.length === 1) void nextTurn().then(giveTurn);
  });
}

function giveTurn(): void {
  waitingForTurn.shift()?.();
  if (waitingForTurn.length > 0) void nextTurn().then(giveTurn);
}
