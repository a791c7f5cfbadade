-- Views for reading the database file with other tools (Datasette, sqlite-utils, the sqlite3 shell,
-- a notebook): names instead of ids, live rows only, one row per thing a person looks for. They
-- read the tables; nothing writes through them. See docs/dataset.md.
--
-- What SQL cannot say is left to the comparison code: how values read as intervals relate, who
-- sides with whom, which claims contradict. comparison_view gives each facet's status as stored
-- with its incident's summary (by the comparison rules that made it), its assessment and its size;
-- /comparison.csv and /incidents/:slug/pairs.csv give the relations themselves.

-- Every live claim of a live incident, with its incident, source, outlet and document by name.
CREATE VIEW claims_view AS
SELECT
  c.id                AS claim_id,
  i.slug              AS incident,
  i.title             AS incident_title,
  i.occurred_on       AS incident_date,
  c.facet             AS facet,
  c.facet_key         AS facet_key,
  s.name              AS source,
  s.kind              AS source_kind,
  s.affiliation       AS source_affiliation,
  v.name              AS via,
  c.text              AS statement,
  c.quote             AS quote,
  c.value             AS value,
  c.published_at      AS published_at,
  c.url               AS url,
  c.archive_url       AS archive_url,
  d.title             AS document,
  c.created_at        AS created_at,
  cu.name             AS created_by,
  c.updated_at        AS updated_at,
  uu.name             AS updated_by,
  c.version           AS version
FROM claims c
JOIN incidents i ON i.id = c.incident_id AND i.deleted_at IS NULL
JOIN sources s ON s.id = c.source_id
LEFT JOIN sources v ON v.id = c.via_source_id
LEFT JOIN documents d ON d.id = c.document_id
LEFT JOIN users cu ON cu.id = c.created_by
LEFT JOIN users uu ON uu.id = c.updated_by
WHERE c.deleted_at IS NULL;

-- One row per facet of each live incident: its first spelling, how many claims and sources speak
-- to it, its status as last stored (NULL until the incident has been compared under the rules in
-- `rules`, the newest kept), and the analyst's assessment.
CREATE VIEW comparison_view AS
WITH facets AS (
  SELECT c.incident_id, c.facet_key, count(*) AS claims, count(DISTINCT c.source_id) AS sources, min(c.id) AS first_claim
  FROM claims c
  WHERE c.deleted_at IS NULL
  GROUP BY c.incident_id, c.facet_key
),
newest AS (
  SELECT incident_id, max(CAST(engine AS INTEGER)) AS engine FROM facet_statuses GROUP BY incident_id
)
SELECT
  i.slug              AS incident,
  i.title             AS incident_title,
  first.facet         AS facet,
  f.facet_key         AS facet_key,
  f.claims            AS claims,
  f.sources           AS sources,
  st.status           AS status,
  st.engine           AS rules,
  a.value             AS assessment_value,
  a.grade             AS assessment_grade,
  a.reason            AS assessment_reason
FROM facets f
JOIN incidents i ON i.id = f.incident_id AND i.deleted_at IS NULL
JOIN claims first ON first.id = f.first_claim
LEFT JOIN newest n ON n.incident_id = f.incident_id
LEFT JOIN facet_statuses st ON st.incident_id = f.incident_id AND st.facet_key = f.facet_key AND CAST(st.engine AS INTEGER) = n.engine
LEFT JOIN facet_assessments a ON a.incident_id = f.incident_id AND a.facet_key = f.facet_key;

-- Every analyst's judgement of a pair of claims, with both claims' sources and values.
CREATE VIEW judgements_view AS
SELECT
  i.slug              AS incident,
  ca.facet            AS facet,
  ca.id               AS claim_a,
  sa.name             AS source_a,
  ca.value            AS value_a,
  cb.id               AS claim_b,
  sb.name             AS source_b,
  cb.value            AS value_b,
  o.relation          AS relation,
  o.reason            AS reason,
  o.created_at        AS judged_at,
  u.name              AS judged_by
FROM relation_overrides o
JOIN incidents i ON i.id = o.incident_id AND i.deleted_at IS NULL
JOIN claims ca ON ca.id = o.claim_a AND ca.deleted_at IS NULL
JOIN claims cb ON cb.id = o.claim_b AND cb.deleted_at IS NULL
JOIN sources sa ON sa.id = ca.source_id
JOIN sources sb ON sb.id = cb.source_id
LEFT JOIN users u ON u.id = o.created_by;
