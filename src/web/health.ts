import { Router } from 'express';
import { type Database, schemaVersion } from '../db/database.js';

/** For load balancers and uptime checks: 200 with the schema version while the database answers. */
export function healthRoutes(db: Database): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.set('Cache-Control', 'no-store').json({ status: 'ok', schema_version: schemaVersion(db) });
  });
  return router;
}
