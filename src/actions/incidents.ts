/** Incidents: found by id or slug, saved, deleted softly and restored. Forms, API and CLI call these alike. */
import { joinWriteBatchIfBatching } from '../db/commits.js';
import type { Database } from '../db/database.js';
import * as incidentRows from '../db/incidents.js';
import type { Incident } from '../db/incidents.js';
import { Conflict, Invalid, TooBusy } from '../errors.js';
import { RendererBusy, renderSummary, SummaryNotRenderable } from '../render/summaries.js';
import { found, savedOrThrow } from './edits.js';
import { IncidentInput, parseInput } from './schemas.js';

/** A live incident by id. */
export function requireIncident(db: Database, id: number): Incident {
  return found(incidentRows.getIncident(db, id), 'Incident');
}

/** A live incident by its slug, as in the pages' URLs. */
export function requireIncidentBySlug(db: Database, slug: string): Incident {
  return found(incidentRows.getIncidentBySlug(db, slug), 'Incident');
}

/** A live incident by its id or its slug, as the API accepts (slugs are never all digits). */
export function requireIncidentByIdOrSlug(db: Database, key: string): Incident {
  return /^\d+$/.test(key) ? requireIncident(db, Number(key)) : requireIncidentBySlug(db, key);
}

/** An incident by id, deleted or not (for restoring it). */
export function requireIncidentIncludingDeleted(db: Database, id: number): Incident {
  return found(incidentRows.getIncidentIncludingDeleted(db, id), 'Incident');
}

/** An incident by its slug, deleted or not (for a form that was open when it was deleted). */
export function requireIncidentBySlugIncludingDeleted(db: Database, slug: string): Incident {
  return found(incidentRows.getIncidentBySlugIncludingDeleted(db, slug), 'Incident');
}

/** The summary as HTML, rendered off the event loop; Invalid, naming the field, if it cannot be. */
async function summaryHtml(summary: string | undefined): Promise<string | null> {
  if (summary === undefined) return null;
  try {
    return await renderSummary(summary);
  } catch (error) {
    if (error instanceof RendererBusy) throw new TooBusy('Too many summaries are being rendered at once. Nothing was saved; try again in a moment.');
    if (!(error instanceof SummaryNotRenderable)) throw error;
    const message = `Summary cannot be shown: ${error.message}. Simplify its Markdown (long runs of * _ [ or \` characters, deep nesting)`;
    throw new Invalid(`Invalid incident: summary: ${message}`, [{ path: 'summary', message }]);
  }
}

/**
 * Validates and stores an incident: new, or an edit of `existing` from the version the editor
 * started from. The summary is rendered first, off the event loop, and stored with it.
 */
export async function saveIncident(db: Database, body: unknown, actor: number, existing?: { id: number; version: number }): Promise<Incident> {
  const input = parseInput(IncidentInput, body, 'incident');
  const summary_html = await summaryHtml(input.summary);
  joinWriteBatchIfBatching(db);
  return db.transaction(() => {
    const fields = { title: input.title, occurred_on: input.occurred_on ?? null, location: input.location ?? null, summary: input.summary ?? null, summary_html };
    if (existing === undefined) return incidentRows.createIncident(db, fields, actor);
    return savedOrThrow(incidentRows.updateIncident(db, existing.id, fields, existing.version, actor), 'This incident');
  })();
}

/** Deletes a live incident softly: it leaves every page and export with its claims, for an admin to restore. */
export function removeIncident(db: Database, id: number, actor: number): void {
  return db.transaction(() => {
    incidentRows.deleteIncident(db, requireIncident(db, id).id, actor);
  })();
}

/** Brings a deleted incident back with everything in it. */
export function restoreIncident(db: Database, id: number, actor: number): Incident {
  return db.transaction(() => {
    const incident = requireIncidentIncludingDeleted(db, id);
    if (!incidentRows.restoreIncident(db, incident.id, actor)) throw new Conflict('This incident is not deleted');
    return requireIncident(db, incident.id);
  })();
}
