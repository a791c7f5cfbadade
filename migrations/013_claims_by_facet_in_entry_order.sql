-- A facet's name as the grid shows it is its earliest entered live claim's spelling: with the
-- claims of a facet kept in entry order in the index, that is found at its first entry, not by
-- sorting the facet's claims (170 µs for a facet of a hundred, once per facet of every export).
-- The new index serves every query the old one did.
DROP INDEX claims_by_incident_facet;
CREATE INDEX claims_by_incident_facet ON claims (incident_id, facet_key, created_at, id);
