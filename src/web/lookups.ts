/** A URL's id or slug turned into the row it names, or a 404. */
import { type ClaimRow, getClaim } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { getAnyIncident, getAnyIncidentBySlug, getIncident, getIncidentBySlug, type Incident } from '../db/incidents.js';
import { getSource, type Source } from '../db/sources.js';
import { HttpError, notFound } from './errors.js';
import { parseId } from './schemas.js';

/** An incident named by its slug, as in the pages' URLs. */
export function findIncident(db: Database, slug: unknown): Incident {
  const incident = getIncidentBySlug(db, String(slug));
  if (!incident) throw notFound('Incident');
  return incident;
}

/** An incident by its slug, deleted or not (for a form that was open when it was deleted). */
export function findAnyIncidentBySlug(db: Database, slug: unknown): Incident {
  const incident = getAnyIncidentBySlug(db, String(slug));
  if (!incident) throw notFound('Incident');
  return incident;
}

/** An incident named by its id or its slug, as the API accepts (slugs are never all digits). */
export function findIncidentByIdOrSlug(db: Database, idOrSlug: unknown): Incident {
  const key = String(idOrSlug);
  const incident = /^\d+$/.test(key) ? getIncident(db, Number(key)) : getIncidentBySlug(db, key);
  if (!incident) throw notFound('Incident');
  return incident;
}

export function findSource(db: Database, rawId: unknown): Source {
  const source = getSource(db, parseId(rawId, 'Source'));
  if (!source) throw notFound('Source');
  return source;
}

export function findClaim(db: Database, rawId: unknown): ClaimRow {
  const claim = getClaim(db, parseId(rawId, 'Claim'));
  if (!claim) throw notFound('Claim');
  return claim;
}

/** A claim that has not been deleted: deleted claims can be read and restored, not edited. */
export function findLiveClaim(db: Database, rawId: unknown): ClaimRow {
  const claim = findClaim(db, rawId);
  if (claim.deleted_at !== null) throw new HttpError(404, 'Claim not found: it was deleted (an admin can restore it from its page)');
  if (claim.incident_deleted_at !== null) throw new HttpError(404, 'Claim not found: its incident was deleted (an admin can restore it)');
  return claim;
}

/** An incident by id, deleted or not (for restoring). */
export function findAnyIncident(db: Database, rawId: unknown): Incident {
  const incident = getAnyIncident(db, parseId(rawId, 'Incident'));
  if (!incident) throw notFound('Incident');
  return incident;
}
