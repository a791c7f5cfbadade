/** Sources: found, saved (names unique regardless of case), and deleted once nothing cites them. */
import type { Database } from '../db/database.js';
import * as sourceRows from '../db/sources.js';
import { forgetTalliesCitingSource } from '../db/tallies.js';
import type { Source, SourceKind, SourceWithCounts } from '../db/sources.js';
import { sliceTimer } from '../slices.js';
import { Conflict, type FieldIssue, Invalid } from '../errors.js';
import { found, savedOrThrow } from './edits.js';
import { parseInput, SourceInput } from './schemas.js';

/** Claims read per query while counting a source's. */
const CLAIMS_PER_COUNT = 5_000;

/**
 * Every source with how many live claims it made, how many it carried as an outlet, and in how many incidents: counted source by
 * source, a slice at a time, so that a large database does not hold the server. Read across turns
 * of the event loop, a count may or may not include a write made meanwhile, as an export may.
 */
export async function listSourcesWithCounts(db: Database): Promise<SourceWithCounts[]> {
  const pause = sliceTimer();
  const counted: SourceWithCounts[] = [];
  for (const source of sourceRows.listSources(db)) {
    let claims = 0;
    const incidents = new Set<number>();
    for (const batch of sourceRows.listIncidentsOfSourceClaims(db, source.id, CLAIMS_PER_COUNT)) {
      claims += batch.length;
      for (const { incident_id } of batch) incidents.add(incident_id);
      await pause();
    }
    let carried = 0;
    for (const batch of sourceRows.listClaimsCarriedBySource(db, source.id, CLAIMS_PER_COUNT)) {
      carried += batch.length;
      await pause();
    }
    counted.push({ ...source, claim_count: claims, carried_count: carried, incident_count: incidents.size });
    await pause();
  }
  return counted;
}

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
    const before = sourceRows.getSource(db, existing.id);
    const saved = savedOrThrow(sourceRows.updateSource(db, existing.id, fields, existing.version, actor), 'This source');
    // Which voices corroborate a claim independently depends on affiliations: the tallies of the incidents citing it are made again.
    if (before !== undefined && before.affiliation !== saved.affiliation) forgetTalliesCitingSource(db, saved.id);
    return saved;
  })();
}

/** Deletes a source no claim depends on; one still cited is kept, with a Conflict saying why. */
export function removeSource(db: Database, id: number, actor: number): void {
  return db.transaction(() => {
    const source = requireSource(db, id);
    const uses = sourceRows.countUsesOfSource(db, id);
    if (uses.claims > 0) {
      throw new Conflict(
        `"${source.name}" is cited by ${uses.claims} claim${uses.claims === 1 ? '' : 's'} (deleted claims, which can be restored, included): delete or reassign them first`,
      );
    }
    if (uses.documents > 0) {
      throw new Conflict(`"${source.name}" is the outlet of ${uses.documents} document${uses.documents === 1 ? '' : 's'}, kept as evidence: it cannot be deleted`);
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
  /** Needed only when the name is new: a source found by its name keeps its own kind. */
  kind: SourceKind | undefined;
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
  // No default: a kind guessed for the analyst ("government") would be wrong as often as not.
  if (kind === undefined) throw invalidClaimField('new_source_kind', `Choose the new source's kind (${sourceRows.SOURCE_KINDS.join(', ')})`);
  return sourceRows.createSource(db, { name: newName, kind, affiliation, url: null, notes: null }, actor).id;
}

export function invalidClaimField(path: string, message: string): Invalid {
  const issue: FieldIssue = { path, message };
  return new Invalid(`Invalid claim: ${path}: ${message}`, [issue]);
}
