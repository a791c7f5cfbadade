/**
 * Request bodies larger than the app's usual 256 KB: a pasted or uploaded document (up to 1 MB of
 * text, 5 MB of HTML), and a review form with many rows. Each route that takes one names its kind
 * in the route table; its parser runs before the app's own, which then leave the body alone.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import express, { type RequestHandler, type Response, Router } from 'express';
import multer from 'multer';
import { discardUpload, importUploadDirectory, MAX_IMPORT_BYTES, newUploadPath } from '../actions/import-previews.js';
import type { ImportFormat } from '../actions/import-files.js';
import type { Upload } from '../actions/imports.js';
import { MAX_UPLOAD_BYTES } from '../actions/documents.js';
import { ImportFormInput, PROPOSALS_PER_PAGE } from '../actions/schemas.js';
import { Invalid, TooLarge } from '../errors.js';
import { refuseInvalidUtf8, refuseInvalidUtf8Form } from './errors.js';
import { mayActAs } from './guards.js';
import type { Database } from '../db/database.js';

export type BodyKind = 'document' | 'review' | 'document-json' | 'import';

/** A megabyte of text, percent-encoded or escaped, with the other fields: room for the text check to say "too large" itself. */
const DOCUMENT_BODY_LIMIT = '4mb';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, fieldSize: 4 * 1024 * 1024, parts: 21 },
});

/** A document form: multipart (with a file, or pasted text) as browsers send it, or a plain form. */
const documentForm = (db: Database): RequestHandler[] => [
  (request, response, next) => {
    if (!request.is('multipart/form-data')) return next();
    // Only for an editor: a stranger's (or a viewer's) megabytes are not read, and the guard turns them away.
    response.locals.multipartForm = true;
    if (!mayActAs(db, request, 'editor')) return next();
    upload.single('file')(request, response, (error: unknown) => {
      if (error instanceof multer.MulterError) return next(multerRefusal(error));
      // Anything else is the body not being the multipart form it says it is.
      if (error) return next(new Invalid(`The form could not be read: ${error instanceof Error ? error.message : String(error)}`));
      next();
    });
  },
  express.urlencoded({ extended: false, limit: DOCUMENT_BODY_LIMIT, parameterLimit: 20, verify: refuseInvalidUtf8Form }),
];

function multerRefusal(error: multer.MulterError): Error {
  switch (error.code) {
    case 'LIMIT_FILE_SIZE':
      return new TooLarge(`The file is larger than ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB`);
    case 'LIMIT_FIELD_VALUE':
      return new TooLarge(`The field "${error.field}" is larger than 4 MB; a document holds at most 1 MB of text`);
    case 'LIMIT_UNEXPECTED_FILE':
    case 'LIMIT_FILE_COUNT':
      return new Invalid('Upload one file, in the form’s file field', [{ path: 'file', message: 'Upload one file' }]);
    default:
      return new Invalid(`The form could not be read: ${error.message}`);
  }
}

/** Rows pasted into the import form's text box: a spreadsheet's worth, well under the file limit (whose whole is then on disk, not in memory). */
const MAX_PASTED_BYTES = 10 * 1024 * 1024;

const importForm = multer({
  // Called back from the upload's parser: what they throw (a full or unwritable disk) must go to `done`, or it would end the process.
  storage: multer.diskStorage({
    destination: (_request, _file, done) => {
      try {
        done(null, importUploadDirectory());
      } catch (error) {
        done(error as Error, '');
      }
    },
    filename: (_request, _file, done) => done(null, `${randomBytes(12).toString('hex')}.upload`),
  }),
  // The file, and the fields _csrf and text: nothing else is read.
  limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 2, fieldSize: MAX_PASTED_BYTES, parts: 3 },
});

const IMPORT_TOO_LARGE = `The file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB: split it, and import the parts one after another`;

/** The upload of a request to import, once its body is on disk. */
export function importUploadOf(response: Response): (Upload & { name: string }) | undefined {
  return response.locals.importUpload as (Upload & { name: string }) | undefined;
}

/** Forget the upload when the answer is sent, unless a preview kept it (`keepUpload`). */
function discardWhenAnswered(response: Response, file: string): void {
  response.on('close', () => {
    if (!response.locals.keepUpload) discardUpload(file);
  });
}

/** The format a content type names, when it names one. */
function formatOf(type: string | undefined): ImportFormat | undefined {
  if (type === undefined) return undefined;
  if (/json/i.test(type)) return 'json';
  if (/csv|tab-separated/i.test(type)) return 'csv';
  return undefined;
}

/**
 * A file to import, stored on disk as it arrives, never held whole: the raw body (text/csv,
 * text/tab-separated-values, text/plain or application/json), or a multipart form's `file` (or its
 * pasted `text`), as the import page sends it. Larger than MAX_IMPORT_BYTES: refused, and nothing kept.
 */
const importUpload = (db: Database): RequestHandler => (request, response, next) => {
  const format = formatOf(request.get('content-type'));
  const multipart = Boolean(request.is('multipart/form-data'));
  // A file the guard is then to let through: its CSRF token, if any, is in a header or the form.
  if (multipart) response.locals.multipartForm = true;
  else if (format || request.is(['text/plain', 'application/octet-stream'])) response.locals.fileBody = true;
  if (!mayActAs(db, request, 'editor')) return next();
  // Said at once, before a byte is stored.
  if (Number(request.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) return next(new TooLarge(IMPORT_TOO_LARGE));
  if (multipart) {
    return importForm.single('file')(request, response, (error: unknown) => {
      if (request.file) discardWhenAnswered(response, request.file.path);
      if (error instanceof multer.MulterError) {
        return next(error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE' ? new TooLarge(IMPORT_TOO_LARGE) : multerRefusal(error));
      }
      if (error) return next(new Invalid(`The form could not be read: ${error instanceof Error ? error.message : String(error)}`));
      const pasted = ImportFormInput.safeParse(request.body ?? {}).data?.text;
      // An empty file field (no file chosen, or an empty one) is no upload: gone at once, the pasted rows read instead.
      if (request.file && request.file.size === 0) discardUpload(request.file.path);
      if (request.file && request.file.size > 0) {
        const format = formatOf(request.file.mimetype) ?? (/\.json$/i.test(request.file.originalname) ? 'json' : undefined);
        response.locals.importUpload = { path: request.file.path, name: request.file.originalname, ...(format ? { format } : {}) };
        return next();
      }
      if (typeof pasted === 'string' && pasted.trim() !== '') {
        let file: string;
        try {
          file = newUploadPath();
        } catch (failed) {
          return next(failed);
        }
        discardWhenAnswered(response, file);
        return fs.writeFile(file, pasted, (failed) => {
          if (failed) return next(failed);
          response.locals.importUpload = { path: file, name: 'pasted rows' };
          next();
        });
      }
      next();
    });
  }
  if (response.locals.fileBody !== true) return next();
  const file = newUploadPath();
  discardWhenAnswered(response, file);
  let received = 0;
  const counted = async function* (body: AsyncIterable<Buffer>) {
    for await (const chunk of body) {
      received += chunk.length;
      if (received > MAX_IMPORT_BYTES) throw new TooLarge(IMPORT_TOO_LARGE);
      yield chunk;
    }
  };
  pipeline(request, counted, fs.createWriteStream(file)).then(
    () => {
      // The app's own parsers leave a body alone once it has been read.
      response.locals.importUpload = { path: file, name: 'request body', ...(format ? { format } : {}) };
      next();
    },
    (error: unknown) => {
      discardUpload(file);
      next(error instanceof TooLarge ? error : new Invalid(`The file could not be received: ${error instanceof Error ? error.message : String(error)}`));
    },
  );
};

const parsers = (db: Database): Record<BodyKind, RequestHandler[]> => ({
  import: [importUpload(db)],
  document: documentForm(db),
  // Every row's fields (about a dozen) on the longest page, and the form's own.
  review: [express.urlencoded({ extended: false, limit: '2mb', parameterLimit: PROPOSALS_PER_PAGE * 14 + 20, verify: refuseInvalidUtf8Form })],
  'document-json': [express.json({ limit: DOCUMENT_BODY_LIMIT, strict: false, verify: refuseInvalidUtf8 })],
});

/** The parsers for the routes that take large bodies, to run before the app's usual ones. */
export function largeBodies(routes: readonly { method: string; path: string; body?: BodyKind }[], db: Database): Router {
  const router = Router();
  const byKind = parsers(db);
  for (const route of routes) {
    if (route.body) router[route.method.toLowerCase() as 'post'](route.path, ...byKind[route.body]);
  }
  return router;
}
