/**
 * Request bodies larger than the app's usual 256 KB: a pasted or uploaded document (up to 1 MB of
 * text, 5 MB of HTML), and a review form with many rows. Each route that takes one names its kind
 * in the route table; its parser runs before the app's own, which then leave the body alone.
 */
import express, { type RequestHandler, Router } from 'express';
import multer from 'multer';
import { MAX_UPLOAD_BYTES } from '../actions/documents.js';
import { PROPOSALS_PER_PAGE } from '../actions/schemas.js';
import { Invalid, TooLarge } from '../errors.js';
import { refuseInvalidUtf8, refuseInvalidUtf8Form } from './errors.js';
import { SESSION_COOKIE } from './guards.js';

export type BodyKind = 'document' | 'review' | 'document-json';

/** A megabyte of text, percent-encoded or escaped, with the other fields: room for the text check to say "too large" itself. */
const DOCUMENT_BODY_LIMIT = '4mb';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, fieldSize: 4 * 1024 * 1024, parts: 21 },
});

/** A document form: multipart (with a file, or pasted text) as browsers send it, or a plain form. */
const documentForm: RequestHandler[] = [
  (request, response, next) => {
    if (!request.is('multipart/form-data')) return next();
    // Only for someone who may be an editor: a stranger's megabytes are not read, and the guard turns them away.
    response.locals.multipartForm = true;
    if (!request.headers.authorization && !request.headers.cookie?.includes(`${SESSION_COOKIE}=`)) return next();
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

const PARSERS: Record<BodyKind, RequestHandler[]> = {
  document: documentForm,
  // Every row's fields (about a dozen) on the longest page, and the form's own.
  review: [express.urlencoded({ extended: false, limit: '2mb', parameterLimit: PROPOSALS_PER_PAGE * 14 + 20, verify: refuseInvalidUtf8Form })],
  'document-json': [express.json({ limit: DOCUMENT_BODY_LIMIT, strict: false, verify: refuseInvalidUtf8 })],
};

/** The parsers for the routes that take large bodies, to run before the app's usual ones. */
export function largeBodies(routes: readonly { method: string; path: string; body?: BodyKind }[]): Router {
  const router = Router();
  for (const route of routes) {
    if (route.body) router[route.method.toLowerCase() as 'post'](route.path, ...PARSERS[route.body]);
  }
  return router;
}
