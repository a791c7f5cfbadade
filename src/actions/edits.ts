/** What every noun's use cases share: a row found or NotFound, an edit saved or why not. */
import type { EditOutcome } from '../db/database.js';
import { Conflict, NotFound } from '../errors.js';

/** `row`, or NotFound saying that no `what` was found. */
export function found<Row>(row: Row | undefined, what: string): Row {
  if (row === undefined) throw new NotFound(`${what} not found`);
  return row;
}

/**
 * The saved row, or why not: NotFound when it was deleted, Conflict when someone else saved a newer
 * version first (theirs goes along, so a form can show it beside the user's own text).
 */
export function savedOrThrow<Row extends object>(result: EditOutcome<Row>, what: string): Row {
  if (result.outcome === 'saved') return result.row;
  // The caller found the row before the save began: missing now means deleted in between.
  if (result.outcome === 'missing') throw new NotFound(`${what} was deleted while you were editing it, so nothing was saved.`);
  throw new Conflict(
    `${what} was changed by someone else after you started editing. Nothing was overwritten: compare their version with yours, then save again.`,
    { current: result.current },
  );
}
