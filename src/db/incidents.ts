import { type Database, nowIso, prepared } from './database.js';

export interface IncidentFields {
  title: string;
  occurred_on: string | null;
  location: string | null;
  summary: string | null;
}

export interface Incident extends IncidentFields {
  id: number;
  slug: string;
  created_at: string;
  updated_at: string;
}

export interface IncidentWithCounts extends Incident {
  source_count: number;
  facet_count: number;
  claim_count: number;
}

/** Newest first: by the date it happened, undated ones last, then most recently added. */
export function listIncidents(db: Database): IncidentWithCounts[] {
  return prepared(
    db,
    `SELECT i.*,
            count(DISTINCT c.source_id) AS source_count,
            count(DISTINCT c.facet_key) AS facet_count,
            count(c.id) AS claim_count
       FROM incidents i
       LEFT JOIN claims c ON c.incident_id = i.id
      GROUP BY i.id
      ORDER BY i.occurred_on IS NULL, i.occurred_on DESC, i.id DESC`,
  ).all() as IncidentWithCounts[];
}

export function getIncident(db: Database, id: number): Incident | undefined {
  return prepared(db, 'SELECT * FROM incidents WHERE id = ?').get(id) as Incident | undefined;
}

export function getIncidentBySlug(db: Database, slug: string): Incident | undefined {
  return prepared(db, 'SELECT * FROM incidents WHERE slug = ?').get(slug) as Incident | undefined;
}

/** Lower-case words joined by hyphens; letters of any script are kept so Arabic titles get readable slugs. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'incident';
}

function unusedSlug(db: Database, title: string): string {
  const base = slugify(title);
  const taken = prepared(db, 'SELECT 1 FROM incidents WHERE slug = ?');
  let slug = base;
  for (let n = 2; taken.get(slug); n++) slug = `${base}-${n}`;
  return slug;
}

export function createIncident(db: Database, fields: IncidentFields): Incident {
  const now = nowIso();
  return prepared(
    db,
    `INSERT INTO incidents (slug, title, occurred_on, location, summary, created_at, updated_at)
     VALUES (@slug, @title, @occurred_on, @location, @summary, @now, @now)
     RETURNING *`,
  ).get({ ...fields, slug: unusedSlug(db, fields.title), now }) as Incident;
}

export function updateIncident(db: Database, id: number, fields: IncidentFields): Incident | undefined {
  return prepared(
    db,
    `UPDATE incidents
        SET title = @title, occurred_on = @occurred_on, location = @location, summary = @summary, updated_at = @now
      WHERE id = @id
      RETURNING *`,
  ).get({ ...fields, id, now: nowIso() }) as Incident | undefined;
}

/** Deletes the incident and, through the foreign key's cascade, its claims. */
export function deleteIncident(db: Database, id: number): boolean {
  return prepared(db, 'DELETE FROM incidents WHERE id = ?').run(id).changes > 0;
}
