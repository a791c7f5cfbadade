/** Documents: the texts claims were taken from, kept with their incident. */
import { type Database, nowIso, prepared } from './database.js';
import { recordChange } from './history.js';


/** How the text arrived (see src/extract/files.ts); it is stored and shown as text in every case. */
export type DocumentFormat = 'text' | 'markdown' | 'html';


export interface DocumentFields {
  title: string | null;
  outlet_source_id: number | null;
  url: string | null;
  archive_url: string | null;
  published_at: string | null;
  format: DocumentFormat;
  text: string;
  sha256: string;
}

export interface StoredDocument extends DocumentFields {
  id: number;
  incident_id: number;
  created_at: string;
  created_by: number | null;
}

/** A document with the names a reader needs beside it, and the length of its text. */
export interface DocumentRow extends StoredDocument {
  outlet_name: string | null;
  created_by_name: string | null;
}

/** A document in a list: everything but its text. */
export type DocumentSummary = Omit<DocumentRow, 'text'> & { characters: number; claims: number };

const DOCUMENT_ROWS = `
  SELECT d.*, s.name AS outlet_name, u.name AS created_by_name
    FROM documents d
    LEFT JOIN sources s ON s.id = d.outlet_source_id
    LEFT JOIN users u ON u.id = d.created_by`;

export function getDocument(db: Database, id: number): DocumentRow | undefined {
  return prepared(db, `${DOCUMENT_ROWS} WHERE d.id = ?`).get(id) as DocumentRow | undefined;
}

/** A document's title and URL, without reading its text (for the claims taken from it). */
export function getDocumentHeading(db: Database, id: number): { title: string | null; url: string | null } | undefined {
  return prepared(db, 'SELECT title, url FROM documents WHERE id = ?').get(id) as { title: string | null; url: string | null } | undefined;
}

/** The incident's document with this text, found by its hash. */
export function getDocumentByHash(db: Database, incidentId: number, sha256: string): DocumentRow | undefined {
  return prepared(db, `${DOCUMENT_ROWS} WHERE d.incident_id = ? AND d.sha256 = ?`).get(incidentId, sha256) as DocumentRow | undefined;
}

/** The incident's documents, newest first, without their texts, with how many live claims each gave. */
export function listDocumentsOfIncident(db: Database, incidentId: number): DocumentSummary[] {
  return prepared(
    db,
    `SELECT d.id, d.incident_id, d.title, d.outlet_source_id, d.url, d.archive_url, d.published_at, d.format, d.sha256,
            d.created_at, d.created_by, s.name AS outlet_name, u.name AS created_by_name, length(d.text) AS characters,
            (SELECT count(*) FROM claims c WHERE c.document_id = d.id AND c.deleted_at IS NULL) AS claims
       FROM documents d
       LEFT JOIN sources s ON s.id = d.outlet_source_id
       LEFT JOIN users u ON u.id = d.created_by
      WHERE d.incident_id = ?
      ORDER BY d.id DESC`,
  ).all(incidentId) as DocumentSummary[];
}

/**
 * Stores a document and records it in the history, without its text (which the document keeps, and
 * which may be a megabyte): the history names its hash and length instead.
 */
export function createDocument(db: Database, incidentId: number, fields: DocumentFields, actor: number | null): StoredDocument {
  return db.transaction(() => {
    const row = prepared(
      db,
      `INSERT INTO documents (incident_id, title, outlet_source_id, url, archive_url, published_at, format, text, sha256, created_at, created_by)
       VALUES (@incident_id, @title, @outlet_source_id, @url, @archive_url, @published_at, @format, @text, @sha256, @now, @actor)
       RETURNING *`,
    ).get({ ...fields, incident_id: incidentId, now: nowIso(), actor }) as StoredDocument;
    const { text, ...recorded } = row;
    recordChange(db, 'document', row.id, 'create', actor, null, { ...recorded, characters: text.length });
    return row;
  })();
}
