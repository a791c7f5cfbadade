/**
 * Imports as the import page runs them: a file is previewed, then imported, each in the background
 * with its progress (rows read so far) for the page to show. Between the two the uploaded file stays
 * on disk (a browser cannot send it twice without a script), with the digest of what was shown, for
 * the user who uploaded it, for PREVIEW_LIFETIME_MS. Kept in memory: a restart forgets them, and
 * the file is uploaded again.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../db/database.js';
import { Conflict, DomainError, NotFound, TooBusy } from '../errors.js';
import { importFile, type ImportReport, type Upload } from './imports.js';

export const PREVIEW_LIFETIME_MS = 60 * 60 * 1000;

/** Previews kept per user, with their files: an older one is forgotten when a new one is made. */
export const PREVIEWS_PER_USER = 3;

/**
 * The largest file an import takes: 100,000 rows of a table of one's own (about 20 MB), or some
 * 75,000 rows of the export's 29 columns (about 540 bytes a row); a larger file is split.
 */
export const MAX_IMPORT_BYTES = 40 * 1024 * 1024;

export interface ImportPreview {
  id: string;
  owner: number;
  /** The file's name as uploaded ("pasted rows" for pasted text). */
  name: string;
  upload: Upload;
  expires: number;
  /** What is under way, and how many rows it has read; settles when it is done, however it ended. */
  running?: { what: 'preview' | 'import'; rows: number; done: Promise<void> };
  /** What the file would do, once read. */
  report?: ImportReport;
  /** What the import did, once done. */
  applied?: ImportReport;
  /** Why the preview or the import was refused: a file that cannot be read, bad rows, a preview that no longer holds. */
  refusal?: DomainError;
  /** The preview or the import failed on the server's side (logged): nothing was imported. */
  failed?: boolean;
  /** The last try to import found the server too busy: nothing was imported, and it may be tried again. */
  busy?: string;
}

const previews = new Map<string, ImportPreview>();

let directory: string | undefined;

const DIRECTORY_PREFIX = 'claimgrid-imports-';

/**
 * Where uploads to import are kept until they are imported or forgotten: a directory of this
 * process's own, named with its pid, removed when it exits. Those of processes no longer running
 * (killed, crashed) are removed when the next one makes its own.
 */
export function importUploadDirectory(): string {
  if (directory === undefined) {
    removeDirectoriesOfEndedProcesses();
    const made = fs.mkdtempSync(path.join(os.tmpdir(), `${DIRECTORY_PREFIX}${process.pid}-`));
    process.once('exit', () => fs.rmSync(made, { recursive: true, force: true }));
    // Previews expire even when no one makes another.
    setInterval(() => forgetExpired(Date.now()), 10 * 60 * 1000).unref();
    directory = made;
  }
  return directory;
}

function removeDirectoriesOfEndedProcesses(): void {
  // Best effort: another user's leftovers, or an unreadable directory, are left where they are.
  try {
    for (const name of fs.readdirSync(os.tmpdir())) {
      const pid = new RegExp(`^${DIRECTORY_PREFIX}(\\d+)-`).exec(name)?.[1];
      if (pid === undefined || Number(pid) === process.pid || processRunning(Number(pid))) continue;
      try {
        fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
      } catch {
        // Not ours to remove.
      }
    }
  } catch {
    // The temporary directory cannot be listed: nothing to clear.
  }
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** A new path in the upload directory. */
export function newUploadPath(): string {
  return path.join(importUploadDirectory(), `${randomBytes(12).toString('hex')}.upload`);
}

/** Deletes an uploaded file, if it is still there. */
export function discardUpload(file: string): void {
  fs.rm(file, { force: true }, () => {});
}

/**
 * Runs `work` for the preview in the background, counting the rows it reads. A named refusal is kept
 * for the page to show; anything else is the server's failure, logged, and said on the page. `done`
 * never rejects: no one may be waiting for it.
 */
function runInBackground(preview: ImportPreview, what: 'preview' | 'import', work: (onProgress: (rows: number) => void) => Promise<void>): void {
  const running = { what, rows: 0, done: Promise.resolve() };
  running.done = work((rows) => (running.rows = rows)).then(
    () => {
      if (preview.running === running) delete preview.running;
    },
    (error: unknown) => {
      if (preview.running === running) delete preview.running;
      // Too busy now is no reason to refuse it later: the import can be tried again.
      if (error instanceof TooBusy && what === 'import') preview.busy = error.message;
      else if (error instanceof DomainError) preview.refusal = error;
      else {
        console.error(`The ${what} of ${preview.name} (import ${preview.id}) failed:`, error);
        preview.failed = true;
      }
    },
  );
  preview.running = running;
}

/** Starts previewing `upload` for its owner: the preview is kept, and read in the background. */
export function startPreview(db: Database, owner: number, name: string, upload: Upload, now = Date.now()): ImportPreview {
  forgetExpired(now);
  const own = [...previews.values()].filter((kept) => kept.owner === owner && !kept.running);
  for (const old of own.slice(0, Math.max(0, own.length - PREVIEWS_PER_USER + 1))) forgetPreview(old);
  const preview: ImportPreview = { id: randomBytes(16).toString('hex'), owner, name, upload, expires: now + PREVIEW_LIFETIME_MS };
  previews.set(preview.id, preview);
  runInBackground(preview, 'preview', async (onProgress) => {
    preview.report = await importFile(db, upload, { actor: owner, dryRun: true, onProgress });
  });
  return preview;
}

/**
 * Starts importing what the preview showed (`digest`), in the background. Refused (Conflict) while
 * the preview is still being read or the import runs, and once the file is imported or refused.
 */
export function startImport(db: Database, preview: ImportPreview, actor: number, digest: string): void {
  if (preview.running) throw new Conflict(preview.running.what === 'preview' ? 'The file is still being read: wait for its preview.' : 'This import is already under way.');
  if (preview.applied) throw new Conflict('This file has been imported already.');
  if (!preview.report || preview.refusal || preview.failed) throw new Conflict('This preview cannot be imported: upload the file again.');
  if (digest !== preview.report.digest) throw new Conflict('This page is older than the preview it shows: reload it, look again, and import from there.');
  delete preview.busy;
  // Kept long enough for its page to show how it ended.
  preview.expires = Math.max(preview.expires, Date.now() + PREVIEW_LIFETIME_MS);
  runInBackground(preview, 'import', async (onProgress) => {
    preview.applied = await importFile(db, preview.upload, { actor, dryRun: false, expect: digest, onProgress });
    discardUpload(preview.upload.path);
  });
}

/** The user's preview by id: NotFound for someone else's, or one expired or made before a restart. */
export function requirePreview(id: string, owner: number, now = Date.now()): ImportPreview {
  forgetExpired(now);
  const preview = previews.get(id);
  if (!preview || preview.owner !== owner) throw new NotFound('No such import preview: previews are kept for an hour, and not across a restart of the server. Upload the file again.');
  return preview;
}

/** Forgets a preview at once (one refused before anyone saw it), with its file. */
export function forgetPreview(preview: ImportPreview): void {
  previews.delete(preview.id);
  discardUpload(preview.upload.path);
}

/** Settles when what the preview runs is done, or after `ms`, whichever is first: a small file's answer need not wait for a reload. */
export async function doneWithin(preview: ImportPreview, ms: number): Promise<void> {
  const running = preview.running;
  if (!running) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([running.done, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function forgetExpired(now: number): void {
  for (const [id, preview] of previews) {
    if (preview.expires > now || preview.running) continue;
    previews.delete(id);
    discardUpload(preview.upload.path);
  }
}
