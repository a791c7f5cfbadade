-- Sources: who says something. Names are unique regardless of case so "CENTCOM" and "Centcom" are one source.
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind        TEXT NOT NULL DEFAULT 'other'
              CHECK (kind IN ('government', 'military', 'armed group', 'media', 'NGO', 'individual', 'other')),
  affiliation TEXT,
  url         TEXT,
  notes       TEXT,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- Incidents: what happened. The slug is chosen once, at creation, so links keep working after a retitle.
CREATE TABLE incidents (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  occurred_on TEXT,            -- YYYY-MM-DD
  location    TEXT,
  summary     TEXT,            -- Markdown
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

-- Claims: what one source says about one point of fact (facet) of one incident.
-- facet_key is the facet folded for matching (case, spacing); facet keeps the spelling the user typed.
-- value is the phrase as written ("at least eight"); its interval is derived by the comparison engine.
CREATE TABLE claims (
  id            INTEGER PRIMARY KEY,
  incident_id   INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE RESTRICT,
  via_source_id INTEGER REFERENCES sources(id) ON DELETE RESTRICT,
  facet         TEXT NOT NULL,
  facet_key     TEXT NOT NULL,
  text          TEXT NOT NULL,
  quote         TEXT,
  value         TEXT,
  published_at  TEXT,          -- ISO 8601, date only or date and time
  url           TEXT,
  archive_url   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  CHECK (via_source_id IS NULL OR via_source_id <> source_id)
);

-- The rowid rides along in every index, so this one also serves "claims of an incident in id order".
CREATE INDEX claims_by_incident ON claims (incident_id);
CREATE INDEX claims_by_source ON claims (source_id);
CREATE INDEX claims_by_via_source ON claims (via_source_id);
