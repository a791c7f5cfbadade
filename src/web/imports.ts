/** Importing claims from a file: the upload page, the preview of what it would do, the import itself, and the API. */
import type { Request, Response } from 'express';
import { discardUpload, doneWithin, forgetPreview, type ImportPreview, MAX_IMPORT_BYTES, requirePreview, startImport, startPreview } from '../actions/import-previews.js';
import { type ChangedField, importFile, type ImportReport, LISTED_PER_KIND } from '../actions/imports.js';
import { ImportApplyInput, ImportPageQuery, ImportQuery, parseInput } from '../actions/schemas.js';
import { compareWording } from '../compare/wording.js';
import { Invalid, NotFound, TooBusy } from '../errors.js';
import { importUploadOf } from './bodies.js';
import { actorOf, type Handler, pathParam } from './context.js';
import { formPage } from './forms.js';
import { urls } from './urls.js';

const uploadForm = formPage('import', { maxMegabytes: MAX_IMPORT_BYTES / (1024 * 1024) });
const previewPage = formPage('import_preview', { listed: LISTED_PER_KIND });

/**
 * How long a form's answer waits for a preview or an import before it sends the reader to a page
 * that shows its progress (and reloads itself): a small file's answer is its result.
 */
const ANSWER_WITHIN_MS = 2_000;

/** How often the progress page reloads itself. */
const RELOAD_EVERY_S = 2;

export const page: Handler = (request, response) => {
  uploadForm.show(response, { expired: parseInput(ImportPageQuery, request.query, 'import page').expired === '1' });
};

function requireUpload(response: Response) {
  const upload = importUploadOf(response);
  if (!upload) throw new Invalid('Choose a file to import, or paste rows: nothing was sent', [{ path: 'file', message: 'Choose a file, or paste rows below' }]);
  return upload;
}

/**
 * The upload, previewed in the background: nothing is written. A file that cannot be read at all
 * comes back on the form, as a mistake in any form does; otherwise the reader goes to the preview.
 */
export const preview: Handler = async (request, response, { db }) => {
  await uploadForm.save(request, response, {}, async () => {
    const upload = requireUpload(response);
    const kept = startPreview(db, actorOf(response), upload.name, upload);
    response.locals.keepUpload = true;
    await doneWithin(kept, ANSWER_WITHIN_MS);
    if (kept.refusal && !kept.report) {
      forgetPreview(kept);
      throw kept.refusal;
    }
    return urls.importPreview(kept);
  });
};

/** Prose fields are compared word by word, as the history does; the others shown before and after. */
const PROSE = new Set(['statement', 'quote']);

/** Updates the page shows (the API lists LISTED_PER_KIND). */
const UPDATES_SHOWN = 50;

/**
 * Characters of prose a page compares word by word, all its changes together: 100 statements of
 * 10,000 characters each held the server half a second. Past it, changes are shown before and after.
 */
const PROSE_COMPARED = 60_000;

function shownReport(report: ImportReport) {
  let budget = PROSE_COMPARED;
  const wordingOf = (change: ChangedField) => {
    if (!PROSE.has(change.field) || typeof change.from !== 'string' || typeof change.to !== 'string') return null;
    budget -= change.from.length + change.to.length;
    return budget >= 0 ? compareWording(change.from, change.to) : null;
  };
  return {
    ...report,
    updated: report.updated.slice(0, UPDATES_SHOWN).map((row) => ({ ...row, changes: row.changes.map((change) => ({ ...change, wording: wordingOf(change) })) })),
  };
}

/** What the preview page shows of a preview: its progress, its report or what was done, and why it was refused, if it was. */
function previewContext(kept: ImportPreview) {
  const report = kept.applied ?? kept.report;
  return {
    preview: kept,
    running: kept.running && { what: kept.running.what, rows: kept.running.rows },
    reloadEvery: kept.running ? RELOAD_EVERY_S : undefined,
    report: report && shownReport(report),
    applied: kept.applied !== undefined,
    action: urls.importPreview(kept),
    ...(kept.refusal ? { problem: kept.refusal.message } : {}),
    failed: kept.failed === true,
    busy: kept.busy,
  };
}

function requireOwnPreview(request: Request, response: Response): ImportPreview {
  return requirePreview(pathParam(request, 'id'), actorOf(response));
}

/** A preview, or its progress; one no longer kept (an hour, or a restart, later) sends the reader back to upload the file again. */
export const show: Handler = (request, response) => {
  let kept: ImportPreview;
  try {
    kept = requireOwnPreview(request, response);
  } catch (error) {
    if (error instanceof NotFound) return response.redirect(303, urls.imports({ expired: true }));
    throw error;
  }
  previewPage.show(response, previewContext(kept));
};

/** Imports what the preview showed, or is refused (409) if it would now do otherwise. */
export const apply: Handler = async (request, response, { db }) => {
  const kept = requireOwnPreview(request, response);
  await previewPage.save(request, response, previewContext(kept), async () => {
    if (kept.applied) return urls.importPreview(kept);
    const { digest } = parseInput(ImportApplyInput, request.body, 'import');
    startImport(db, kept, actorOf(response), digest);
    await doneWithin(kept, ANSWER_WITHIN_MS);
    if (kept.refusal) throw kept.refusal;
    if (kept.busy) throw new TooBusy(kept.busy);
    return urls.importPreview(kept);
  });
};

/** POST /api/import[?dry_run=1][&expect=DIGEST]: the file as the body, or as a multipart form's `file`. */
export const api: Handler = async (request, response, { db }) => {
  const { dry_run: dryRun, expect } = parseInput(ImportQuery, request.query, 'import');
  const upload = requireUpload(response);
  // Read twice by the import: kept until it is done, even if the client hangs up meanwhile.
  response.locals.keepUpload = true;
  try {
    response.json(await importFile(db, upload, { actor: actorOf(response), dryRun, ...(expect ? { expect } : {}) }));
  } finally {
    discardUpload(upload.path);
  }
};
