/** Facets declared part of others within an incident ("civilians injured" part of "casualties"). */
import { facetKey } from '../compare/comparison.js';
import { type Database, prepared } from './database.js';
import { createRecorded, recordChange } from './history.js';

export interface FacetLink {
  id: number;
  incident_id: number;
  part: string;
  part_key: string;
  whole: string;
  whole_key: string;
  created_at: string;
  created_by: number | null;
}

export function listFacetLinks(db: Database, incidentId: number): FacetLink[] {
  return prepared(db, 'SELECT * FROM facet_links WHERE incident_id = ? ORDER BY id').all(incidentId) as FacetLink[];
}

export function getFacetLink(db: Database, incidentId: number, partKey: string, wholeKey: string): FacetLink | undefined {
  return prepared(db, 'SELECT * FROM facet_links WHERE incident_id = ? AND part_key = ? AND whole_key = ?').get(incidentId, partKey, wholeKey) as
    | FacetLink
    | undefined;
}

export function createFacetLink(db: Database, incidentId: number, link: { part: string; whole: string }, actor: number | null): FacetLink {
  return createRecorded(db, 'facet_link', actor, (now) =>
    prepared(
      db,
      `INSERT INTO facet_links (incident_id, part, part_key, whole, whole_key, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ).get(incidentId, link.part, facetKey(link.part), link.whole, facetKey(link.whole), now, actor) as FacetLink,
  );
}

export function deleteFacetLink(db: Database, link: FacetLink, actor: number | null): void {
  db.transaction(() => {
    prepared(db, 'DELETE FROM facet_links WHERE id = ?').run(link.id);
    recordChange(db, 'facet_link', link.id, 'delete', actor, link, null);
  })();
}

/** Points one end of a link at another facet (a rename or merge of facets), recording the change. */
export function moveFacetLink(db: Database, link: FacetLink, end: 'part' | 'whole', facet: string, actor: number | null): FacetLink {
  const after = prepared(db, `UPDATE facet_links SET ${end === 'part' ? 'part = ?, part_key = ?' : 'whole = ?, whole_key = ?'} WHERE id = ? RETURNING *`).get(
    facet,
    facetKey(facet),
    link.id,
  ) as FacetLink;
  recordChange(db, 'facet_link', link.id, 'update', actor, link, after);
  return after;
}

