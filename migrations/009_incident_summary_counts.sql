-- The list of incidents shows each incident's claims and sources beside its facets. They are counted
-- with the comparison and kept with its summary, so that listing incidents reads no claims (a count
-- over a million claims held the server a second). Rows stored before lack them: they are made again.
DELETE FROM incident_summaries;
ALTER TABLE incident_summaries ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incident_summaries ADD COLUMN sources INTEGER NOT NULL DEFAULT 0;
