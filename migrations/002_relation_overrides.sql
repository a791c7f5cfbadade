-- An analyst's judgement on how two claims relate, replacing the automatic relation for that pair.
-- Stored once per pair, lower claim id first, so (a, b) and (b, a) are the same override.
CREATE TABLE relation_overrides (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  claim_a     INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
  claim_b     INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
  relation    TEXT NOT NULL CHECK (relation IN ('agree', 'consistent', 'contradict', 'unassessed', 'unrelated')),
  reason      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  CHECK (claim_a < claim_b),
  UNIQUE (claim_a, claim_b)
);

CREATE INDEX relation_overrides_by_incident ON relation_overrides (incident_id);
CREATE INDEX relation_overrides_by_claim_b ON relation_overrides (claim_b);
