import { schemaVersion } from '../db/database.js';
import type { Handler } from './context.js';

/** For load balancers and uptime checks: 200 with the schema version while the database answers. */
export const health: Handler = (_request, response, { db }) => {
  response.set('Cache-Control', 'no-store').json({ status: 'ok', schema_version: schemaVersion(db) });
};
