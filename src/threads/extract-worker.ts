/** The extraction thread: proposals from texts, and texts from uploaded files (see src/threads/extraction.ts). */
import { readUpload } from '../extract/files.js';
import { proposeClaims } from '../extract/proposals.js';
import type { ExtractionJob } from './extraction.js';
import { serveJobs } from './queue.js';

serveJobs((job: ExtractionJob) => (job.kind === 'propose' ? proposeClaims(job.text, job.context) : readUpload(job.name, job.bytes)));
