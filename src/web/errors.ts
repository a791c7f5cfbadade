/**
 * The one place where errors become HTTP answers: each named error (src/errors.ts) has its status
 * here, and is answered as a page or as JSON; anything else is a 500 whose detail goes to the log.
 */
import { isUtf8 } from 'node:buffer';
import querystring from 'node:querystring';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import {
  Conflict,
  DatabaseBusy,
  TooBusy,
  DomainError,
  Forbidden,
  Invalid,
  NotFound,
  NotSaved,
  NotSignedIn,
  TooLarge,
  TooManyAttempts,
  UnsupportedFormat,
  VersionRequired,
} from '../errors.js';
import { API_PREFIX } from './urls.js';

const STATUS = new Map<abstract new (...args: never[]) => DomainError, number>([
  [Invalid, 400],
  [NotSignedIn, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [TooLarge, 413],
  [UnsupportedFormat, 415],
  [VersionRequired, 428],
  [TooManyAttempts, 429],
  [NotSaved, 503],
  [DatabaseBusy, 503],
  [TooBusy, 503],
]);

/** Every status an error can be answered with, 500 for the unexpected included (test/docs.test.ts checks the docs list each). */
export const ERROR_STATUSES: readonly number[] = [...STATUS.values(), 500];

/** The HTTP status of a named error: its class's, or that of the nearest class it extends. */
export function statusOf(error: DomainError): number {
  for (let kind = error.constructor; kind !== DomainError; kind = Object.getPrototypeOf(kind)) {
    const status = STATUS.get(kind as abstract new (...args: never[]) => DomainError);
    if (status !== undefined) return status;
  }
  throw new Error(`${error.name} has no HTTP status: add it to STATUS in src/web/errors.ts`);
}

/**
 * API paths and .json exports answer in JSON; everything else gets a page. Judged by the URL the
 * client asked for: inside a router mounted at /api, `request.path` has lost its /api.
 */
export function wantsJson(request: Request): boolean {
  const path = request.originalUrl.split('?', 1)[0]!;
  return path.startsWith(API_PREFIX) || `${path}/` === API_PREFIX || path.endsWith('.json');
}

export const unknownRoute: RequestHandler = (request) => {
  throw new NotFound(`Nothing at ${request.path}`);
};

/** querystring's own decoder of a form field to bytes (in Node, missing from its type declarations). */
const unescapeBuffer = (querystring as unknown as { unescapeBuffer: (text: string) => Buffer }).unescapeBuffer;

function notUtf8(): Error {
  return Object.assign(new Error('Request body is not valid UTF-8'), { status: 400, type: 'body.not.utf8' });
}

/**
 * For JSON bodies: bytes that are not UTF-8 would otherwise be read with each bad byte silently
 * replaced by "�", and saved so; refused instead (fromBodyParser below answers it as Invalid).
 */
export function refuseInvalidUtf8(_request: unknown, _response: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw notUtf8();
}

/**
 * For form bodies, whose fields are percent-encoded: each field's bytes once decoded, as the form
 * parser decodes them (a bare "%" stays a "%"), must be UTF-8 too.
 */
export function refuseInvalidUtf8Form(_request: unknown, _response: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw notUtf8();
  for (const part of body.toString().split(/[&=]/)) {
    if (!isUtf8(unescapeBuffer(part.replaceAll('+', ' ')))) throw notUtf8();
  }
}

/** Body-parser's errors carry a status and a type; the ones a client can cause get clear messages. */
function fromBodyParser(error: { type?: string; status?: number; limit?: number; encoding?: string; charset?: string }): DomainError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new TooLarge(`Request body is larger than the ${error.limit} byte limit`);
    case 'entity.parse.failed':
      return new Invalid('Request body is not valid JSON');
    case 'body.not.utf8':
      return new Invalid('Request body is not valid UTF-8: send text as UTF-8, and form fields percent-encoded from UTF-8');
    case 'encoding.unsupported':
      return new UnsupportedFormat(`Request body's Content-Encoding "${error.encoding}" is not supported: send it uncompressed, or as gzip, deflate or br`);
    case 'charset.unsupported':
      return new UnsupportedFormat(`Request body must be UTF-8, not "${error.charset}"`);
    case 'parameters.too.many':
      return new TooLarge('Request has too many form fields');
    default:
      return error.status !== undefined && error.status >= 400 && error.status < 500 ? new Invalid('The request could not be read') : undefined;
  }
}

/** The headers an error's answer carries, on an error page or JSON as on a form shown again. */
export function setErrorHeaders(error: DomainError, request: Request, response: Response): void {
  if (error instanceof TooManyAttempts || error instanceof DatabaseBusy || error instanceof TooBusy) response.set('Retry-After', String(error.retryAfterSeconds));
  if (error instanceof NotSignedIn && wantsJson(request)) response.set('WWW-Authenticate', 'Bearer');
}

export const errorHandler: ErrorRequestHandler = (error, request, response, _next) => {
  const known = error instanceof DomainError ? error : fromBodyParser(error);
  const status = known ? statusOf(known) : 500;
  const message = known?.message ?? 'Something went wrong on our side. The error has been logged.';
  // A reader who closes the tab mid-download is not a server error.
  const clientLeft = (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';
  if (!known && !clientLeft) console.error(`${request.method} ${request.originalUrl} failed:`, error);
  if (response.headersSent) {
    // A streamed export already sent its status; all that is left is to cut the stream.
    response.destroy();
    return;
  }
  if (known) setErrorHeaders(known, request, response);
  const issues = known?.issues ?? [];
  if (wantsJson(request)) {
    const current = known instanceof Conflict ? known.current : undefined;
    response.status(status).json({ error: { message, issues, ...(current ? { current } : {}) } });
  } else {
    response.status(status).render('error', { status, message, issues });
  }
};
