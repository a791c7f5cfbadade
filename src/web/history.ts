/** A row's recorded changes, shaped for reading: who, when, and per changed field what it was and became. */
import { setImmediate as yieldToOtherRequests } from 'node:timers/promises';
import { compareWording, type WordingComparison } from '../compare/wording.js';
import type { HistoryEntry } from '../db/history.js';
import { FIELD_LABELS } from './labels.js';

/** Fields worth a word-level diff; the rest are shown as "before → after". */
const PROSE = new Set(['text', 'quote', 'facet', 'value', 'title', 'summary', 'notes', 'location', 'reason']);
/** Bookkeeping that changes with every edit and says nothing a reader needs. */
const HIDDEN = new Set(['id', 'version', 'facet_key', 'created_at', 'updated_at', 'created_by', 'updated_by', 'incident_id', 'deleted_by', 'summary_html', 'changed_at']);


export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
  wording: WordingComparison | null;
}

export interface DescribedChange {
  action: HistoryEntry['action'];
  at: string;
  by: string;
  changes: FieldChange[];
}

function shown(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Each recorded change as a reader sees it. Word comparisons are bounded (compare/wording.ts), but a
 * claim can have hundreds of edits: other requests get their turn between one change and the next.
 */
export async function describeHistory(entries: HistoryEntry[]): Promise<DescribedChange[]> {
  const described: DescribedChange[] = [];
  for (const entry of entries) {
    described.push(describeChange(entry));
    await yieldToOtherRequests();
  }
  return described;
}

function describeChange(entry: HistoryEntry): DescribedChange {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((field) => !HIDDEN.has(field));
  const changes = fields
    .filter((field) => shown(before[field]) !== shown(after[field]))
    .map((field) => {
      const [was, now] = [shown(before[field]), shown(after[field])];
      return {
        field,
        label: FIELD_LABELS[field] ?? field,
        before: was,
        after: now,
        wording: PROSE.has(field) && was !== '' && now !== '' ? compareWording(was, now) : null,
      };
    });
  return { action: entry.action, at: entry.at, by: entry.user_name ?? 'demo data / unknown', changes };
}
