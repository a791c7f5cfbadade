import type { ErrorRequestHandler, Request, RequestHandler } from 'express';


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
  ) {
    super(message);
  }
}

export function notFound(what: string): HttpError {
  return new HttpError(404, `${what} not found`);
}

/** API paths and .json exports answer errors in JSON; everything else gets a page. */
function wantsJson(request: Request): boolean {
  return request.path.startsWith('/api/') || request.path === '/api' || request.path.endsWith('.json');
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
  if (!known) console.error(`${request.method} ${request.originalUrl} failed:`, error);
  if (response.headersSent) {
    // A streamed export already sent its status; all that is left is to cut the stream.
    response.destroy();
    return;
  }
  if (wantsJson(request)) {
    response.status(status).json({ error: { message, issues: known?.issues ?? [] } });
  } else {
    response.status(status).render('error', { status, message, issues: known?.issues ?? [] });
  }
};
