/** Sources: found, saved (names unique regardless of case), and deleted once nothing cites them. */
import type { Database } from '../db/database.js';
import * as sourceRows from '../db/sources.js';
import type { Source, SourceKind } from '../db/sources.js';
import { Conflict, type FieldIssue, Invalid } from '../errors.js';
import { found, savedOrThrow } from './edits.js';
import { parseInput, SourceInput } from './schemas.js';

export function requireSource(db: Database, id: number): Source {
  return found(sourceRows.getSource(db, id), 'Source');
}

function nameTaken(name: string): Conflict {
  const message = `A source named "${name}" already exists`;
  return new Conflict(message, { issues: [{ path: 'name', message }] });
}

/** Validates and stores a source: new, or an edit of `existing` from the version the editor started from. */
export function saveSource(db: Database, body: unknown, actor: number, existing?: { id: number; version: number }): Source {
  return db.transaction(() => {
    const input = parseInput(SourceInput, body, 'source');
    const fields = { name: input.name, kind: input.kind, affiliation: input.affiliation ?? null, url: input.url ?? null, notes: input.notes ?? null };
    const sameName = sourceRows.getSourceByName(db, fields.name);
    if (sameName && sameName.id !== existing?.id) throw nameTaken(fields.name);
    if (existing === undefined) return sourceRows.createSource(db, fields, actor);
    return savedOrThrow(sourceRows.updateSource(db, existing.id, fields, existing.version, actor), 'This source');
  })();
}

/** Deletes a source no claim depends on; one still cited is kept, with a Conflict saying why. */
export function removeSource(db: Database, id: number, actor: number): void {
  return db.transaction(() => {
    const source = requireSource(db, id);
    const uses = sourceRows.countClaimsUsingSource(db, id);
    if (uses > 0) {
      throw new Conflict(
        `"${source.name}" is cited by ${uses} claim${uses === 1 ? '' : 's'} (deleted claims, which can be restored, included): delete or reassign them first`,
      );
    }
    sourceRows.deleteSource(db, id, actor);
  })();
}

/** How a claim names a source: by id, or by a name to find (regardless of case) or create. */
export interface SourceReference {
  /** The input field the reference came from, for the message if it names nothing. */
  field: string;
  id: number | undefined;
  newName: string | undefined;
  kind: SourceKind;
  affiliation: string | null;
}

/** The id of the source `reference` names, creating it if it is new; null if it names none. */
export function resolveSource(db: Database, reference: SourceReference, actor: number): number | null {
  const { field, id, newName, kind, affiliation } = reference;
  if (id !== undefined) {
    if (!sourceRows.getSource(db, id)) throw invalidClaimField(field, `No source has id ${id}`);
    return id;
  }
  if (newName === undefined) return null;
  const existing = sourceRows.getSourceByName(db, newName);
  if (existing) return existing.id;
  return sourceRows.createSource(db, { name: newName, kind, affiliation, url: null, notes: null }, actor).id;
}

export function invalidClaimField(path: string, message: string): Invalid {
  const issue: FieldIssue = { path, message };
  return new Invalid(`Invalid claim: ${path}: ${message}`, [issue]);
}
