import { type Database, type EditOutcome, prepared, type SoftDeleted, type Versioned } from './database.js';
import { createRecorded, editVersioned, setDeleted } from './history.js';

export interface IncidentFields {
  title: string;
  occurred_on: string | null;
  location: string | null;
  summary: string | null;
  /** The summary rendered as safe HTML when saved; absent (null) until then. */
  summary_html?: string | null;
}

export interface Incident extends IncidentFields, Versioned, SoftDeleted {
  slug: string;
  /** When anything about it (it, its claims, judgements, documents, assessments) last changed. */
  changed_at: string | null;
}

/**
 * The live incidents, latest first, or most recently changed first; with `matching`, only those
 * whose title or location holds it (case aside). Their sizes and comparisons are kept with their
 * summaries: see summaries.ts.
 */
export function listIncidents(db: Database, { matching, order = 'date' }: { matching?: string; order?: 'date' | 'changed' } = {}): Incident[] {
  const orderBy = order === 'changed' ? 'changed_at IS NULL, changed_at DESC, id DESC' : 'occurred_on IS NULL, occurred_on DESC, id DESC';
  if (matching === undefined) return prepared(db, `SELECT * FROM incidents WHERE deleted_at IS NULL ORDER BY ${orderBy}`).all() as Incident[];
  // The words are matched as typed: % and _ are not wildcards here.
  const pattern = `%${matching.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  return prepared(
    db,
    `SELECT * FROM incidents WHERE deleted_at IS NULL AND (title LIKE @pattern ESCAPE '\\' OR location LIKE @pattern ESCAPE '\\') ORDER BY ${orderBy}`,
  ).all({ pattern }) as Incident[];
}

/** A live (not deleted) incident. */
export function getIncident(db: Database, id: number): Incident | undefined {
  return prepared(db, 'SELECT * FROM incidents WHERE id = ? AND deleted_at IS NULL').get(id) as Incident | undefined;
}

/** A live (not deleted) incident. */
export function getIncidentBySlug(db: Database, slug: string): Incident | undefined {
  return prepared(db, 'SELECT * FROM incidents WHERE slug = ? AND deleted_at IS NULL').get(slug) as Incident | undefined;
}

/** An incident by its slug, deleted or not. */
export function getIncidentBySlugIncludingDeleted(db: Database, slug: string): Incident | undefined {
  return prepared(db, 'SELECT * FROM incidents WHERE slug = ?').get(slug) as Incident | undefined;
}

/** An incident, deleted or not. */
export function getIncidentIncludingDeleted(db: Database, id: number): Incident | undefined {
  return prepared(db, 'SELECT * FROM incidents WHERE id = ?').get(id) as Incident | undefined;
}

/** True while the database has never held an incident: not even one since deleted (its history remains). */
export function neverHadIncidents(db: Database): boolean {
  return prepared(db, "SELECT NOT EXISTS (SELECT 1 FROM incidents) AND NOT EXISTS (SELECT 1 FROM history WHERE entity = 'incident')").pluck().get() === 1;
}

export function listDeletedIncidents(db: Database): Incident[] {
  return prepared(db, 'SELECT * FROM incidents WHERE deleted_at IS NOT NULL ORDER BY deleted_at DESC').all() as Incident[];
}

/** Words the incident pages use after /incidents/, which a slug must not be. */
const RESERVED_SLUGS = new Set(['new']);

/**
 * Lower-case words joined by hyphens; letters of any script are kept so Arabic titles get readable
 * slugs. A slug is never all digits (the API reads those as ids) nor a reserved word like "new".
 */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  if (!slug) return 'incident';
  return /^\d+$/.test(slug) || RESERVED_SLUGS.has(slug) ? `incident-${slug}` : slug;
}

function unusedSlug(db: Database, title: string): string {
  const base = slugify(title);
  const taken = prepared(db, 'SELECT 1 FROM incidents WHERE slug = ?');
  let slug = base;
  for (let n = 2; taken.get(slug); n++) slug = `${base}-${n}`;
  return slug;
}

export function createIncident(db: Database, fields: IncidentFields, actor: number | null = null): Incident {
  return createRecorded(db, 'incident', actor, (now) =>
    prepared(
      db,
      `INSERT INTO incidents (slug, title, occurred_on, location, summary, summary_html, created_at, updated_at, created_by, updated_by)
       VALUES (@slug, @title, @occurred_on, @location, @summary, @summary_html, @now, @now, @actor, @actor)
       RETURNING *`,
    ).get({ ...fields, summary_html: fields.summary_html ?? null, slug: unusedSlug(db, fields.title), now, actor }) as Incident,
  );
}

/** Saves `fields` over the incident if it is still at `version` (undefined: whatever version it is at). */
export function updateIncident(db: Database, id: number, fields: IncidentFields, version: number | undefined, actor: number | null = null): EditOutcome<Incident> {
  const write = (now: string) =>
    prepared(
      db,
      `UPDATE incidents
          SET title = @title, occurred_on = @occurred_on, location = @location, summary = @summary, summary_html = @summary_html,
              version = version + 1, updated_at = @now, updated_by = @actor
        WHERE id = @id
        RETURNING *`,
    ).get({ ...fields, summary_html: fields.summary_html ?? null, id, now, actor }) as Incident;
  return editVersioned(db, { entity: 'incident', id, version, actor, current: () => getIncident(db, id), write });
}

/**
 * Marks the incident deleted: it leaves every list, page and export with its claims and judgements,
 * which are kept, so an admin can restore all of it.
 */
export function deleteIncident(db: Database, id: number, actor: number | null = null): boolean {
  return setDeleted(db, 'incident', id, true, actor);
}

export function restoreIncident(db: Database, id: number, actor: number | null = null): boolean {
  return setDeleted(db, 'incident', id, false, actor);
}
