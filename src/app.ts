import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import nunjucks from 'nunjucks';
import type { Database } from './db/database.js';
import { apiRoutes } from './web/api.js';
import { claimRoutes } from './web/claims.js';
import { comparisonRoutes } from './web/comparison.js';
import { errorHandler, unknownRoute } from './web/errors.js';
import { exportRoutes } from './web/exports.js';
import { incidentRoutes } from './web/incidents.js';
import { sourceRoutes } from './web/sources.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Largest request body accepted, JSON or form; larger ones get 413. */
export const BODY_LIMIT = '256kb';

/** The whole web application over one database handle. Tests build it directly; server.ts listens. */
export function createApp(db: Database): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  const views = nunjucks.configure(path.join(ROOT, 'views'), {
    autoescape: true,
    throwOnUndefined: false,
    express: app,
  });
  views.addFilter('json', (value: unknown) => JSON.stringify(value));
  app.set('view engine', 'njk');

  app.use('/static', express.static(path.join(ROOT, 'public'), { maxAge: '1h' }));
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100 }));
  app.use(express.json({ limit: BODY_LIMIT }));

  app.use('/api', apiRoutes(db));
  app.use(exportRoutes(db));
  app.use(incidentRoutes(db));
  app.use(claimRoutes(db));
  app.use(comparisonRoutes(db));
  app.use(sourceRoutes(db));

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
