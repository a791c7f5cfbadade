import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { EditOutcome } from '../db/database.js';


export interface FieldIssue {
  path: string;
  message: string;
}

/** An error a client caused or can act on: its message is safe to show. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: FieldIssue[] = [],
    /** For a form: what to show beside it, e.g. the newer version an edit conflicts with. */
    readonly context?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(404, `${what} not found`);
}

/**
 * The saved row, or the error a reader can act on: 404 when it was deleted, 409 when someone else saved
 * a newer version first (theirs goes along, so the form can show it beside the user's own text).
 */
export function savedOrThrow<Row>(result: EditOutcome<Row>, what: string): Row {
  if (result.outcome === 'saved') return result.row;
  // The route found the row before the save began: missing now means deleted in between.
  if (result.outcome === 'missing') throw new HttpError(404, `${what} was deleted while you were editing it, so nothing was saved.`);
  throw new HttpError(
    409,
    `${what} was changed by someone else after you started editing. Nothing was overwritten: compare their version with yours, then save again.`,
    [],
    { conflict: result.current },
  );
}

/**
 * API paths and .json exports answer in JSON; everything else gets a page. Judged by the URL the
 * client asked for: inside a router mounted at /api, `request.path` has lost its /api.
 */
export function wantsJson(request: Request): boolean {
  const path = request.originalUrl.split('?', 1)[0]!;
  return path.startsWith('/api/') || path === '/api' || path.endsWith('.json');
}

export const unknownRoute: RequestHandler = (request) => {
  throw new HttpError(404, `Nothing at ${request.path}`);
};

/** Body-parser's errors carry a status and a type; map the ones a client can cause to clear messages. */
function fromBodyParser(error: { type?: string; status?: number; limit?: number }): HttpError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new HttpError(413, `Request body is larger than the ${error.limit} byte limit`);
    case 'entity.parse.failed':
      return new HttpError(400, 'Request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'Request body must be UTF-8');
    case 'parameters.too.many':
      return new HttpError(413, 'Request has too many form fields');
    default:
      return error.status !== undefined && error.status >= 400 && error.status < 500
        ? new HttpError(error.status, 'The request could not be read')
        : undefined;
  }
}

export const errorHandler: ErrorRequestHandler = (error, request, response, _next) => {
  const known = error instanceof HttpError ? error : fromBodyParser(error);
  const status = known?.status ?? 500;
  const message = known?.message ?? 'Something went wrong on our side. The error has been logged.';
  // A reader who closes the tab mid-download is not a server error.
  const clientLeft = (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';
  if (!known && !clientLeft) console.error(`${request.method} ${request.originalUrl} failed:`, error);
  if (response.headersSent) {
    // A streamed export already sent its status; all that is left is to cut the stream.
    response.destroy();
    return;
  }
  if (wantsJson(request)) {
    const current = known?.context?.conflict;
    response.status(status).json({ error: { message, issues: known?.issues ?? [], ...(current ? { current } : {}) } });
  } else {
    response.status(status).render('error', { status, message, issues: known?.issues ?? [] });
  }
};
