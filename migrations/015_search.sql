-- Full-text search (/search): one FTS5 index per kind of result, over the live rows only. Each is an
-- external-content index (the text stays in its own table; the index holds only the words), kept
-- in step by the triggers below inside the transaction of every write, so a search never shows a
-- deleted claim or an edit's old words. A soft-deleted row leaves its index and a restored one
-- comes back. The claims of a deleted incident stay indexed (restoring the incident restores them):
-- searches leave them out by joining the incident.
--
-- porter: "rocket" finds "rockets"; unicode61 with remove_diacritics 2 splits and folds every script
-- (Arabic, Cyrillic) the same way, so "Dayr" finds "Dāyr".

CREATE VIRTUAL TABLE claims_search USING fts5(
  facet, text, quote, value,
  content = 'claims', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO claims_search (rowid, facet, text, quote, value)
  SELECT id, facet, text, quote, value FROM claims WHERE deleted_at IS NULL;

CREATE TRIGGER claims_search_insert AFTER INSERT ON claims WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO claims_search (rowid, facet, text, quote, value) VALUES (new.id, new.facet, new.text, new.quote, new.value);
END;
CREATE TRIGGER claims_search_delete AFTER DELETE ON claims WHEN old.deleted_at IS NULL BEGIN
  INSERT INTO claims_search (claims_search, rowid, facet, text, quote, value) VALUES ('delete', old.id, old.facet, old.text, old.quote, old.value);
END;
CREATE TRIGGER claims_search_update AFTER UPDATE OF facet, text, quote, value, deleted_at ON claims BEGIN
  INSERT INTO claims_search (claims_search, rowid, facet, text, quote, value)
    SELECT 'delete', old.id, old.facet, old.text, old.quote, old.value WHERE old.deleted_at IS NULL;
  INSERT INTO claims_search (rowid, facet, text, quote, value)
    SELECT new.id, new.facet, new.text, new.quote, new.value WHERE new.deleted_at IS NULL;
END;

CREATE VIRTUAL TABLE incidents_search USING fts5(
  title, location, summary,
  content = 'incidents', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO incidents_search (rowid, title, location, summary)
  SELECT id, title, location, summary FROM incidents WHERE deleted_at IS NULL;

CREATE TRIGGER incidents_search_insert AFTER INSERT ON incidents WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO incidents_search (rowid, title, location, summary) VALUES (new.id, new.title, new.location, new.summary);
END;
CREATE TRIGGER incidents_search_delete AFTER DELETE ON incidents WHEN old.deleted_at IS NULL BEGIN
  INSERT INTO incidents_search (incidents_search, rowid, title, location, summary) VALUES ('delete', old.id, old.title, old.location, old.summary);
END;
CREATE TRIGGER incidents_search_update AFTER UPDATE OF title, location, summary, deleted_at ON incidents BEGIN
  INSERT INTO incidents_search (incidents_search, rowid, title, location, summary)
    SELECT 'delete', old.id, old.title, old.location, old.summary WHERE old.deleted_at IS NULL;
  INSERT INTO incidents_search (rowid, title, location, summary)
    SELECT new.id, new.title, new.location, new.summary WHERE new.deleted_at IS NULL;
END;

-- Sources are deleted for good (only when nothing cites them), never softly.
CREATE VIRTUAL TABLE sources_search USING fts5(
  name, affiliation, notes,
  content = 'sources', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO sources_search (rowid, name, affiliation, notes) SELECT id, name, affiliation, notes FROM sources;

CREATE TRIGGER sources_search_insert AFTER INSERT ON sources BEGIN
  INSERT INTO sources_search (rowid, name, affiliation, notes) VALUES (new.id, new.name, new.affiliation, new.notes);
END;
CREATE TRIGGER sources_search_delete AFTER DELETE ON sources BEGIN
  INSERT INTO sources_search (sources_search, rowid, name, affiliation, notes) VALUES ('delete', old.id, old.name, old.affiliation, old.notes);
END;
CREATE TRIGGER sources_search_update AFTER UPDATE OF name, affiliation, notes ON sources BEGIN
  INSERT INTO sources_search (sources_search, rowid, name, affiliation, notes) VALUES ('delete', old.id, old.name, old.affiliation, old.notes);
  INSERT INTO sources_search (rowid, name, affiliation, notes) VALUES (new.id, new.name, new.affiliation, new.notes);
END;

-- Documents (texts kept as evidence) belong to their incident and go with it.
CREATE VIRTUAL TABLE documents_search USING fts5(
  title, text,
  content = 'documents', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO documents_search (rowid, title, text) SELECT id, title, text FROM documents;

CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_search (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_search (documents_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER documents_search_update AFTER UPDATE OF title, text ON documents BEGIN
  INSERT INTO documents_search (documents_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
  INSERT INTO documents_search (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
