-- When anything about an incident last changed (it, a claim, a judgement, a document, an
-- assessment): the list of incidents sorts by it. Kept by every recorded change; filled here from
-- the incidents' and their claims' last edits.
ALTER TABLE incidents ADD COLUMN changed_at TEXT;
UPDATE incidents SET changed_at = max(
  coalesce(updated_at, created_at),
  coalesce((SELECT max(updated_at) FROM claims WHERE claims.incident_id = incidents.id), '')
);
