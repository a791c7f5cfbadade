/** Renders Markdown on a thread of its own, so that a summary built to be slow (or to overflow marked's stack) stalls only this thread. */
import { parentPort } from 'node:worker_threads';
import { renderMarkdown } from './markdown.js';

parentPort!.on('message', ({ id, source }: { id: number; source: string }) => {
  try {
    parentPort!.postMessage({ id, html: renderMarkdown(source) });
  } catch (error) {
    parentPort!.postMessage({ id, failure: error instanceof Error ? error.message : String(error) });
  }
});
