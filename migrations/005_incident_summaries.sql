-- How each incident's comparison came out (facets by status), kept so that listing a thousand
-- incidents needs no comparison, also right after a restart. A write to an incident deletes its
-- row (see recordChange in src/db/history.ts); the row is written again when next needed. `engine`
-- names the comparison code that made the row: rows from other code are not used.
CREATE TABLE incident_summaries (
  incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
  engine      TEXT NOT NULL,
  facets      INTEGER NOT NULL,
  contradict  INTEGER NOT NULL,
  consistent  INTEGER NOT NULL,
  agree       INTEGER NOT NULL,
  single      INTEGER NOT NULL,
  unassessed  INTEGER NOT NULL
);
