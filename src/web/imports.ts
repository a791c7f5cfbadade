/** Importing claims from a file: the upload page, the preview of what it would do, the import itself, and the API. */
import { keepPreview, markApplied, MAX_IMPORT_BYTES, requirePreview } from '../actions/import-previews.js';
import { type ChangedField, importFile, type ImportReport, LISTED_PER_KIND } from '../actions/imports.js';
import { ImportApplyInput, ImportPageQuery, ImportQuery, parseInput } from '../actions/schemas.js';
import { compareWording } from '../compare/wording.js';
import { Invalid, NotFound } from '../errors.js';
import { importUploadOf } from './bodies.js';
import { actorOf, type Handler, pathParam } from './context.js';
import { formPage } from './forms.js';
import { urls } from './urls.js';

const uploadForm = formPage('import', { maxMegabytes: MAX_IMPORT_BYTES / (1024 * 1024), listed: LISTED_PER_KIND });
const previewPage = formPage('import_preview', { listed: LISTED_PER_KIND });

export const page: Handler = (request, response) => {
  uploadForm.show(response, { expired: parseInput(ImportPageQuery, request.query, 'import page').expired === '1' });
};

function requireUpload(response: Parameters<Handler>[1]) {
  const upload = importUploadOf(response);
  if (!upload) throw new Invalid('Choose a file to import, or paste rows: nothing was sent', [{ path: 'file', message: 'Choose a file, or paste rows below' }]);
  return upload;
}

/** The upload, previewed: nothing is written; the preview is kept for the import to apply. */
export const preview: Handler = async (request, response, { db }) => {
  await uploadForm.save(request, response, {}, async () => {
    const upload = requireUpload(response);
    const report = await importFile(db, upload, { actor: actorOf(response), dryRun: true });
    const kept = keepPreview(actorOf(response), upload.name, upload, report);
    response.locals.keepUpload = true;
    return urls.importPreview(kept);
  });
};

/** Prose fields are compared word by word, as the history does; the others shown before and after. */
const PROSE = new Set(['statement', 'quote']);

/** Updates the page shows, each compared word by word (the API lists LISTED_PER_KIND). */
const UPDATES_SHOWN = 50;

function shownReport(report: ImportReport) {
  return {
    ...report,
    updated: report.updated.slice(0, UPDATES_SHOWN).map((row) => ({
      ...row,
      changes: row.changes.map((change: ChangedField) => ({
        ...change,
        wording: PROSE.has(change.field) && typeof change.from === 'string' && typeof change.to === 'string' ? compareWording(change.from, change.to) : null,
      })),
    })),
  };
}

function previewContext(id: string, actor: number) {
  const kept = requirePreview(id, actor);
  return { preview: kept, report: shownReport(kept.applied ?? kept.report), applied: kept.applied !== undefined, action: urls.importPreview(kept) };
}

/** A preview; one no longer kept (an hour, or a restart, later) sends the reader back to upload the file again. */
export const show: Handler = (request, response) => {
  let context: ReturnType<typeof previewContext>;
  try {
    context = previewContext(pathParam(request, 'id'), actorOf(response));
  } catch (error) {
    if (error instanceof NotFound) return response.redirect(303, urls.imports({ expired: true }));
    throw error;
  }
  previewPage.show(response, context);
};

/** Applies what the preview showed, or refuses (409) if it would now do otherwise. */
export const apply: Handler = async (request, response, { db }) => {
  const id = pathParam(request, 'id');
  const context = previewContext(id, actorOf(response));
  await previewPage.save(request, response, context, async () => {
    const kept = requirePreview(id, actorOf(response));
    if (kept.applied) return urls.importPreview(kept);
    const { digest } = parseInput(ImportApplyInput, request.body, 'import');
    markApplied(kept, await importFile(db, kept.upload, { actor: actorOf(response), dryRun: false, expect: digest }));
    return urls.importPreview(kept);
  });
};

/** POST /api/import[?dry_run=1][&expect=DIGEST]: the file as the body, or as a multipart form's `file`. */
export const api: Handler = async (request, response, { db }) => {
  const { dry_run: dryRun, expect } = parseInput(ImportQuery, request.query, 'import');
  const upload = requireUpload(response);
  response.json(await importFile(db, upload, { actor: actorOf(response), dryRun, ...(expect ? { expect } : {}) }));
};
