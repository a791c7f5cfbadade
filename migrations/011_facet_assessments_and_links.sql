-- An analyst's assessment of one facet of an incident: the value they judge best supported (a value
-- phrase, read like a claim's), a grade on Airwars' scale, and why. One per facet; versioned, so an
-- edit made from a stale page is refused rather than lost. Facets have no table of their own: they
-- are named by their folded spelling (facet_key), as claims name them; `facet` keeps the spelling.
CREATE TABLE facet_assessments (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  facet       TEXT NOT NULL,
  facet_key   TEXT NOT NULL,
  value       TEXT,
  grade       TEXT NOT NULL CHECK (grade IN ('confirmed', 'fair', 'weak', 'contested', 'discounted')),
  reason      TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  updated_at  TEXT,
  updated_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (incident_id, facet_key)
);

-- "civilians injured" is part of "casualties": a count of the part can never exceed one of the
-- whole, so claims on the two facets can contradict each other (a source even itself).
CREATE TABLE facet_links (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  part        TEXT NOT NULL,
  part_key    TEXT NOT NULL,
  whole       TEXT NOT NULL,
  whole_key   TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (incident_id, part_key, whole_key),
  CHECK (part_key <> whole_key)
);

-- Both are recorded in the history like every other change: the table is rebuilt, as SQLite cannot
-- change a CHECK constraint in place.
CREATE TABLE history_new (
  id        INTEGER PRIMARY KEY,
  entity    TEXT NOT NULL CHECK (entity IN ('incident', 'source', 'claim', 'override', 'document', 'assessment', 'facet_link')),
  entity_id INTEGER NOT NULL,
  action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore')),
  user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  at        TEXT NOT NULL,
  before    TEXT,
  after     TEXT
);
INSERT INTO history_new (id, entity, entity_id, action, user_id, at, before, after)
  SELECT id, entity, entity_id, action, user_id, at, before, after FROM history;
DROP TABLE history;
ALTER TABLE history_new RENAME TO history;
CREATE INDEX history_by_entity ON history (entity, entity_id, id);
