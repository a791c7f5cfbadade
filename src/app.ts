import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlib } from 'node:zlib';
import compression from 'compression';
import express from 'express';
import helmet from 'helmet';
import nunjucks from 'nunjucks';
import type { Database } from './db/database.js';
import { adminRoutes } from './web/admin.js';
import { apiRoutes } from './web/api.js';
import { type AuthOptions, authRoutes, guardReads, guardWrites, identify } from './web/auth.js';
import { claimRoutes } from './web/claims.js';
import { groupCommits } from './web/commits.js';
import { comparisonRoutes, forgetComparisonsOnChange } from './web/comparison.js';
import { errorHandler, unknownRoute } from './web/errors.js';
import { exportRoutes } from './web/exports.js';
import { healthRoutes } from './web/health.js';
import { incidentRoutes } from './web/incidents.js';
import { sourceRoutes } from './web/sources.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Largest request body accepted, JSON or form; larger ones get 413. */
export const BODY_LIMIT = '256kb';

export const DEFAULT_AUTH: AuthOptions = { readAccess: 'open', trustProxy: false, loginDelayMs: 500 };

/** The whole web application over one database handle. Tests build it directly; server.ts listens. */
export function createApp(db: Database, options: Partial<AuthOptions> = {}): express.Express {
  const auth = { ...DEFAULT_AUTH, ...options };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (auth.trustProxy) app.set('trust proxy', 1);

  // trimBlocks and lstripBlocks drop the line breaks and indentation around {% %} tags, an eighth of
  // a large incident page; what a browser shows is the same (checked page by page when turned on).
  const views = nunjucks.configure(path.join(ROOT, 'views'), { autoescape: true, express: app, trimBlocks: true, lstripBlocks: true });
  // Shared by every status badge; a global rather than a dictionary built in the macro at each call.
  views.addGlobal('STATUS_LABELS', {
    contradict: ['✕', 'Contradicts'],
    consistent: ['≈', 'Consistent'],
    agree: ['✓', 'Agrees'],
    single: ['●', 'Single source'],
    unassessed: ['?', 'Unassessed'],
    unrelated: ['–', 'Unrelated'],
  });
  app.set('view engine', 'njk');

  // No script at all, the one stylesheet from this server, nothing inline, nothing from elsewhere.
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
  // Pages shrink about 7× and exports 4–5× at the fastest levels, which cost a third (gzip) to a
  // quarter (brotli) of the defaults' time: that matters for a million-row export. Only for clients
  // that ask (Accept-Encoding).
  app.use(compression({ level: zlib.Z_BEST_SPEED, brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 1 } } }));
  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: '1h' }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100 }));
  // Not strict: a body of null, 42 or "text" is valid JSON, and gets a message about its shape instead.
  app.use(express.json({ limit: BODY_LIMIT, strict: false }));

  forgetComparisonsOnChange(db);
  // Before anything reads or writes: writes share commits, and no one reads what is not yet committed.
  app.use(groupCommits(db));
  app.use(healthRoutes(db));
  app.use(identify(db));
  app.use(guardReads(auth));
  app.use(guardWrites());
  app.use((_request, response, next) => {
    // What every page needs to show who is signed in and offer only the actions they may take.
    const user = response.locals.user;
    response.locals.currentUser = user;
    response.locals.canEdit = user !== undefined && user.role !== 'viewer';
    response.locals.isAdmin = user?.role === 'admin';
    next();
  });

  app.use(authRoutes(db, auth));
  app.use('/api', apiRoutes(db));
  app.use(exportRoutes(db));
  app.use(incidentRoutes(db));
  app.use(claimRoutes(db));
  app.use(comparisonRoutes(db));
  app.use(sourceRoutes(db));
  app.use(adminRoutes(db));

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
