/**
 * Incident summaries, Markdown turned into safe HTML on a worker thread: marked takes seconds on
 * some inputs ("_" × 20,000) and overflows its stack on others (5,000 nested ">"), and that must
 * not hold the event loop every other request waits on. A summary that takes longer than
 * RENDER_TIME_LIMIT_MS, or fails, is refused when it is saved.
 */
import { jobQueue } from '../threads/queue.js';

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

const render = jobQueue<string, string>({
  worker: new URL('./markdown-worker', import.meta.url),
  timeLimitMs: RENDER_TIME_LIMIT_MS,
  maxWaiting: MAX_WAITING_RENDERS,
  busy: (waiting) => new RendererBusy(`${waiting} summaries are already waiting to be rendered`),
  tooSlow: () => new SummaryNotRenderable(`it takes longer than ${RENDER_TIME_LIMIT_MS / 1000} s to render`),
  failed: (message) => new SummaryNotRenderable(`it could not be rendered (${message})`),
});

/** The summary as safe HTML ('' for none), rendered off the event loop; SummaryNotRenderable if it cannot be, RendererBusy if too many wait. */
export function renderSummary(source: string | null | undefined): Promise<string> {
  return source ? render(source) : Promise.resolve('');
}
