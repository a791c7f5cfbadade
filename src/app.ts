import { fileURLToPath } from 'node:url';
import { constants as zlib } from 'node:zlib';
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import { forgetComparisonsOnChange } from './actions/comparisons.js';
import type { Database } from './db/database.js';
import { groupCommits } from './web/commits.js';
import { errorHandler, refuseInvalidUtf8, refuseInvalidUtf8Form, unknownRoute } from './web/errors.js';
import { type AuthOptions, guard } from './web/guards.js';
import { largeBodies } from './web/bodies.js';
import { ROUTES, routeTable } from './web/routes.js';
import { configureViews } from './web/views.js';

export { compileViews } from './web/views.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Largest request body accepted, JSON or form; larger ones are refused as TooLarge. */
export const BODY_LIMIT = '256kb';

export const DEFAULT_AUTH: AuthOptions = { readAccess: 'open', trustProxy: false, loginDelayMs: 500 };

/** The whole web application over one database handle. Tests build it directly; server.ts listens. */
/**
 * Answers smaller than this go uncompressed: setting up a compressor costs more than the bytes it
 * saves (a flood of sign-ins answered with compressed 3 KB pages took 1–3 ms more each, and new
 * connections waited behind them).
 */
const COMPRESSION_THRESHOLD = 8 * 1024;

export function createApp(db: Database, options: Partial<AuthOptions> = {}): express.Express {
  const auth = { ...DEFAULT_AUTH, ...options };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (auth.trustProxy) app.set('trust proxy', 1);
  configureViews(app, `${ROOT}views`);

  // No script at all, the one stylesheet from this server, nothing inline, nothing from elsewhere
  // (docs/decisions/005-no-javascript-in-pages.md).
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          ...(auth.trustProxy ? { upgradeInsecureRequests: [] } : {}),
        },
      },
    }),
  );
  // Only for clients that ask (Accept-Encoding), at the fastest levels, and only answers worth it:
  // see docs/decisions/008-template-whitespace-and-compression.md.
  app.use(compression({ threshold: COMPRESSION_THRESHOLD, level: zlib.Z_BEST_SPEED, brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 1 } } }));
  app.use('/static', express.static(`${ROOT}public`, { maxAge: '1h' }));
  // Before the usual parsers, which then leave these bodies alone: documents and review forms are larger.
  app.use(largeBodies(ROUTES, db));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100, verify: refuseInvalidUtf8Form }));
  // Not strict: a body of null, 42 or "text" is valid JSON, and gets a message about its shape instead.
  app.use(express.json({ limit: BODY_LIMIT, strict: false, verify: refuseInvalidUtf8 }));

  forgetComparisonsOnChange(db);
  // Before anything reads or writes: writes share commits, and no one reads what is not yet committed.
  app.use(groupCommits(db));
  app.use(routeTable({ db, auth }));
  // With READ_ACCESS=private, strangers learn nothing, not even which paths exist.
  app.use(guard('reader', db, auth), unknownRoute);
  app.use(errorHandler);
  return app;
}
