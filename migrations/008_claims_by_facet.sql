-- One facet of an incident is read on its own (the pairs page, a judgement's check), without
-- reading the incident's other claims.
CREATE INDEX claims_by_incident_facet ON claims (incident_id, facet_key);
