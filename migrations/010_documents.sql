-- Documents: the texts claims are taken from (an article, a statement, a transcript), kept as
-- evidence with the incident. The text is stored as pasted, or as read from an uploaded file
-- (HTML reduced to its readable text); it is only ever shown as text. One text once per incident:
-- pasting it again finds the stored one by its SHA-256.
CREATE TABLE documents (
  id               INTEGER PRIMARY KEY,
  incident_id      INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  title            TEXT,
  outlet_source_id INTEGER REFERENCES sources(id) ON DELETE RESTRICT,
  url              TEXT,
  archive_url      TEXT,
  published_at     TEXT,
  format           TEXT NOT NULL CHECK (format IN ('text', 'markdown', 'html')),
  text             TEXT NOT NULL,
  sha256           TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (incident_id, sha256)
);
CREATE INDEX documents_by_outlet ON documents (outlet_source_id);

-- A claim may name the document it was taken from and the sentence's place in its text (characters).
ALTER TABLE claims ADD COLUMN document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL;
ALTER TABLE claims ADD COLUMN span_start INTEGER;
ALTER TABLE claims ADD COLUMN span_end INTEGER;
CREATE INDEX claims_by_document ON claims (document_id);

-- Adding a document is recorded in the history like every other change: the table is rebuilt, as
-- SQLite cannot change a CHECK constraint in place.
CREATE TABLE history_new (
  id        INTEGER PRIMARY KEY,
  entity    TEXT NOT NULL CHECK (entity IN ('incident', 'source', 'claim', 'override', 'document')),
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
