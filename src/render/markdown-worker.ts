/** Renders Markdown on a thread of its own, so that a summary built to be slow (or to overflow marked's stack) stalls only this thread. */
import { serveJobs } from '../threads/queue.js';
import { renderMarkdown } from './markdown.js';

serveJobs(renderMarkdown);
