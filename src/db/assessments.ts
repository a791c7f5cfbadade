/** Analysts' assessments of facets: per incident and facet, a best value, a grade and a reason. */
import { facetKey } from '../compare/comparison.js';
import { type Database, type EditOutcome, nowIso, prepared } from './database.js';
import { createRecorded, editVersioned, recordChange } from './history.js';

/** Airwars' grading of how well a claim is supported, strongest first. */
export const GRADES = ['confirmed', 'fair', 'weak', 'contested', 'discounted'] as const;
export type Grade = (typeof GRADES)[number];

export interface AssessmentFields {
  facet: string;
  /** The value the analyst judges best supported, as a phrase ("three", "at least 8"); null when none can be named. */
  value: string | null;
  grade: Grade;
  reason: string;
}

export interface Assessment extends AssessmentFields {
  id: number;
  incident_id: number;
  facet_key: string;
  version: number;
  created_at: string;
  created_by: number | null;
  updated_at: string | null;
  updated_by: number | null;
}

/** An assessment with the name of who last set it. */
export interface AssessmentRow extends Assessment {
  assessed_by_name: string | null;
}

const ROWS = `SELECT a.*, u.name AS assessed_by_name FROM facet_assessments a
                LEFT JOIN users u ON u.id = coalesce(a.updated_by, a.created_by)`;

export function listAssessments(db: Database, incidentId: number): AssessmentRow[] {
  return prepared(db, `${ROWS} WHERE a.incident_id = ? ORDER BY a.id`).all(incidentId) as AssessmentRow[];
}

export function getAssessment(db: Database, incidentId: number, key: string): AssessmentRow | undefined {
  return prepared(db, `${ROWS} WHERE a.incident_id = ? AND a.facet_key = ?`).get(incidentId, key) as AssessmentRow | undefined;
}

function storedAssessment(db: Database, id: number): Assessment | undefined {
  return prepared(db, 'SELECT * FROM facet_assessments WHERE id = ?').get(id) as Assessment | undefined;
}

export function createAssessment(db: Database, incidentId: number, fields: AssessmentFields, actor: number | null): Assessment {
  return createRecorded(db, 'assessment', actor, (now) =>
    prepared(
      db,
      `INSERT INTO facet_assessments (incident_id, facet, facet_key, value, grade, reason, created_at, created_by)
       VALUES (@incident_id, @facet, @facet_key, @value, @grade, @reason, @now, @actor)
       RETURNING *`,
    ).get({ ...fields, incident_id: incidentId, facet_key: facetKey(fields.facet), now, actor }) as Assessment,
  );
}

/** Saves `fields` over the assessment if it is still at `version`; the facet it assesses stays. */
export function updateAssessment(db: Database, id: number, fields: Omit<AssessmentFields, 'facet'>, version: number | undefined, actor: number | null): EditOutcome<Assessment> {
  return editVersioned(db, {
    entity: 'assessment',
    id,
    version,
    actor,
    current: () => storedAssessment(db, id),
    write: (now) =>
      prepared(
        db,
        `UPDATE facet_assessments SET value = @value, grade = @grade, reason = @reason,
                version = version + 1, updated_at = @now, updated_by = @actor
          WHERE id = @id RETURNING *`,
      ).get({ ...fields, id, now, actor }) as Assessment,
  });
}

/** Removes the assessment if it is still at `version`; the history keeps it. */
export function deleteAssessment(db: Database, id: number, version: number | undefined, actor: number | null): EditOutcome<Assessment> {
  return db.transaction((): EditOutcome<Assessment> => {
    const before = storedAssessment(db, id);
    if (!before) return { outcome: 'missing' };
    if (version !== undefined && version !== before.version) return { outcome: 'conflict', current: before };
    prepared(db, 'DELETE FROM facet_assessments WHERE id = ?').run(id);
    recordChange(db, 'assessment', id, 'delete', actor, before, null);
    return { outcome: 'saved', row: before };
  }).immediate();
}

/** Moves an assessment to another facet (a rename or merge of facets), recording the move. */
export function moveAssessment(db: Database, id: number, facet: string, actor: number | null): void {
  const before = storedAssessment(db, id)!;
  const after = prepared(
    db,
    `UPDATE facet_assessments SET facet = ?, facet_key = ?, version = version + 1, updated_at = ?, updated_by = ?
      WHERE id = ? RETURNING *`,
  ).get(facet, facetKey(facet), nowIso(), actor, id) as Assessment;
  recordChange(db, 'assessment', id, 'update', actor, before, after);
}
