/**
 * Previews kept between the page that shows what an import would do and the click that does it:
 * the uploaded file stays on disk (a browser cannot send it twice without a script), with the
 * digest of what was shown, for the user who uploaded it, for PREVIEW_LIFETIME_MS. Kept in memory:
 * a restart forgets them, and the file is uploaded again.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotFound } from '../errors.js';
import type { ImportReport, Upload } from './imports.js';

export const PREVIEW_LIFETIME_MS = 60 * 60 * 1000;

/** The largest file an import takes: 100,000 rows of the export's 29 columns fit, with room. */
export const MAX_IMPORT_BYTES = 40 * 1024 * 1024;

export interface ImportPreview {
  id: string;
  owner: number;
  /** The file's name as uploaded ("pasted rows" for pasted text). */
  name: string;
  upload: Upload;
  report: ImportReport;
  /** Set once applied: what the import did. */
  applied?: ImportReport;
  expires: number;
}

const previews = new Map<string, ImportPreview>();

let directory: string | undefined;

/** Where uploads to import are kept until they are imported or forgotten: a directory of this process's own. */
export function importUploadDirectory(): string {
  directory ??= fs.mkdtempSync(path.join(os.tmpdir(), 'claimgrid-imports-'));
  return directory;
}

/** A new path in the upload directory. */
export function newUploadPath(): string {
  return path.join(importUploadDirectory(), `${randomBytes(12).toString('hex')}.upload`);
}

/** Deletes an uploaded file, if it is still there. */
export function discardUpload(file: string): void {
  fs.rm(file, { force: true }, () => {});
}

/** Keeps a preview of `upload` for its owner; returns it with its id. */
export function keepPreview(owner: number, name: string, upload: Upload, report: ImportReport, now = Date.now()): ImportPreview {
  forgetExpired(now);
  const preview: ImportPreview = { id: randomBytes(16).toString('hex'), owner, name, upload, report, expires: now + PREVIEW_LIFETIME_MS };
  previews.set(preview.id, preview);
  return preview;
}

/** The user's preview by id: NotFound for someone else's, or one expired or made before a restart. */
export function requirePreview(id: string, owner: number, now = Date.now()): ImportPreview {
  forgetExpired(now);
  const preview = previews.get(id);
  if (!preview || preview.owner !== owner) throw new NotFound('No such import preview: previews are kept for an hour, and not across a restart of the server. Upload the file again.');
  return preview;
}

/** The preview is done with: its file goes, and only what it did is kept (until it expires). */
export function markApplied(preview: ImportPreview, applied: ImportReport): void {
  preview.applied = applied;
  discardUpload(preview.upload.path);
}

function forgetExpired(now: number): void {
  for (const [id, preview] of previews) {
    if (preview.expires > now) continue;
    previews.delete(id);
    if (!preview.applied) discardUpload(preview.upload.path);
  }
}
