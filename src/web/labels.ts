/** The words pages use for statuses, relations, kinds, roles and fields: one place for each. */
import type { FacetStatus, Relation } from '../compare/comparison.js';
import type { Grade } from '../db/assessments.js';
import { SOURCE_KINDS } from '../db/sources.js';
import { ROLES } from '../db/users.js';

/** A status or relation as an icon (for the eye, not read aloud) and a word: never colour alone. */
export const STATUS_LABELS: Record<FacetStatus | Relation, [icon: string, word: string]> = {
  contradict: ['✕', 'Contradicts'],
  consistent: ['≈', 'Consistent'],
  agree: ['✓', 'Agrees'],
  single: ['●', 'Single source'],
  unassessed: ['?', 'Unassessed'],
  unrelated: ['–', 'Unrelated'],
};

/** The analyst's choices on the compare page, phrased to follow "These two claims …". */
export const RELATION_CHOICES: { value: Relation; label: string }[] = [
  { value: 'agree', label: 'agree' },
  { value: 'consistent', label: 'are consistent' },
  { value: 'contradict', label: 'contradict' },
  { value: 'unassessed', label: 'cannot be assessed' },
  { value: 'unrelated', label: 'are unrelated (leave out of the status)' },
];

/**
 * The grades of an assessment, adapted from Airwars' grading of civilian-harm claims to any facet:
 * each with what it means, shown beside the choice so that analysts grade alike.
 */
export const GRADE_CHOICES: { value: Grade; label: string; meaning: string }[] = [
  { value: 'confirmed', label: 'confirmed', meaning: 'established: the party that would know accepts it, or it is documented beyond reasonable doubt' },
  { value: 'fair', label: 'fair', meaning: 'reported by two or more credible, independent sources, and not seriously contested' },
  { value: 'weak', label: 'weak', meaning: 'a single source, or sources that are not independent of each other' },
  { value: 'contested', label: 'contested', meaning: 'credible sources disagree, and none can yet be preferred' },
  { value: 'discounted', label: 'discounted', meaning: 'shown to be wrong, or overtaken by better information' },
];

export const KIND_CHOICES = SOURCE_KINDS.map((kind) => ({ value: kind, label: kind }));
export const ROLE_CHOICES = ROLES.map((role) => ({ value: role, label: role }));

/** Stored fields by the names a form gives them, for a conflict's "theirs and yours" and a claim's history. */
export const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  occurred_on: 'Date',
  location: 'Location',
  summary: 'Summary',
  name: 'Name',
  kind: 'Kind',
  affiliation: 'Affiliation',
  notes: 'Notes',
  source_id: 'Source (id)',
  via_source_id: 'Via (id)',
  facet: 'Facet',
  text: 'Statement',
  quote: 'Quote',
  value: 'Value',
  published_at: 'Published',
  url: 'URL',
  archive_url: 'Archive URL',
  deleted_at: 'Deleted',
  grade: 'Grade',
  reason: 'Reason',
  part: 'Part',
  whole: 'Whole',
};

/** The labels of `fields`, in that order, for a form's conflict box; `own` for a form that words one differently. */
export function labelsOf(fields: string[], own: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(fields.map((field) => [field, own[field] ?? FIELD_LABELS[field] ?? field]));
}
