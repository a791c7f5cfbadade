-- What each incident's comparison says about its sources, stored with its summary (same rules
-- version in `engine`, same transaction) so that a source's track record and the source × source
-- agreement matrix are sums over stored rows, not a comparison of every incident
-- (src/compare/tallies.ts; docs/comparison.md#track-records-and-agreement).
--
-- facet_statuses is kept exactly as incident_summaries: written with it, deleted with it by every
-- write to the incident (forgetSummary in src/db/summaries.ts). Summaries stored before lack their
-- facets' statuses: they are made again, as after migration 009.
--
-- source_tallies and source_pair_tallies count only while tallied_incidents says so for their
-- incident and engine: a write to an incident deletes its mark and leaves the rows, which are
-- replaced when it is tallied again (an incident of two thousand sources has two million pair rows,
-- too many to delete inside every write's transaction). An edit of a source's affiliation also
-- deletes the marks of the incidents that cite it: whom a claim's backers count as independent
-- voices depends on it.
DELETE FROM incident_summaries;

CREATE TABLE facet_statuses (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  engine      TEXT NOT NULL,
  facet_key   TEXT NOT NULL,
  status      TEXT NOT NULL,
  PRIMARY KEY (incident_id, facet_key, engine)
) WITHOUT ROWID;

-- `pair_rows`: how many source_pair_tallies rows the incident has, so that sums over many
-- incidents can be cut into queries of a bounded number of rows.
CREATE TABLE tallied_incidents (
  incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
  engine      TEXT NOT NULL,
  pair_rows   INTEGER NOT NULL
);

CREATE TABLE source_tallies (
  incident_id      INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  engine           TEXT NOT NULL,
  source_id        INTEGER NOT NULL,
  claims           INTEGER NOT NULL,
  carried          INTEGER NOT NULL,
  current          INTEGER NOT NULL,
  contradicted     INTEGER NOT NULL,
  revisions        INTEGER NOT NULL,
  count_revisions  INTEGER NOT NULL,
  revision_total   REAL NOT NULL,
  revision_largest REAL NOT NULL,
  corroborated     INTEGER NOT NULL,
  PRIMARY KEY (incident_id, engine, source_id)
) WITHOUT ROWID;

CREATE TABLE source_pair_tallies (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  engine      TEXT NOT NULL,
  source_a    INTEGER NOT NULL,
  source_b    INTEGER NOT NULL,
  pairs       INTEGER NOT NULL,
  agree       INTEGER NOT NULL,
  consistent  INTEGER NOT NULL,
  contradict  INTEGER NOT NULL,
  PRIMARY KEY (incident_id, engine, source_a, source_b),
  CHECK (source_a < source_b)
) WITHOUT ROWID;
