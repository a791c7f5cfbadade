/**
 * The incident report for people who write: the incident in Markdown (its summary, the contradictions
 * spelled out, each facet's positions, assessment and claims with their sources, times and links).
 * `reportParts` builds it from the loaded comparison, a part at a time, with no I/O; the handler
 * writes each part as it is made, pausing between slices (a large incident must not hold the loop).
 * Text from users is escaped (`escapeMarkdown`): a claim reading "# Breaking" or "[x](javascript:…)"
 * stays the text it is.
 */
import type { LoadedComparison } from '../actions/comparisons.js';
import { loadComparison } from '../actions/comparisons.js';
import { requireIncidentBySlug } from '../actions/incidents.js';
import type { FacetComparison } from '../compare/comparison.js';
import type { PartCheck } from '../compare/parts.js';
import { publishedInUtc } from '../compare/timestamps.js';
import type { AssessmentRow } from '../db/assessments.js';
import type { ClaimRow } from '../db/claims.js';
import type { Incident } from '../db/incidents.js';
import { dataTag, type Handler, pathParam } from './context.js';
import { positionLetter, positionSays } from './grid.js';
import { STATUS_LABELS } from './labels.js';
import { partWriter } from './streaming.js';

type Facet = FacetComparison<ClaimRow, AssessmentRow>;

/** Contradiction sentences written per facet at most: a facet of a thousand sources can have hundreds of thousands. */
export const CONTRADICTIONS_PER_FACET = 50;
/** Claims written per part of the answer. */
const CLAIMS_PER_PART = 200;

// Characters that make Markdown structure anywhere in a line: escapes, code, emphasis, links,
// HTML and entities, GFM tables, strikethrough, a heading's closing #s, and the `@` of GFM's bare
// e-mail autolinks (its bare web links are kept apart in `escapeMarkdown`).
const INLINE_SPECIAL = /[\\`*_[\]<>&|~@#]/g;
// What makes structure only at the start of a line: lists, setext underlines, ordered lists.
const LINE_START = /^([+=-]|\d+[.)])/;

/**
 * User text as Markdown that renders as exactly that text, on one line: whitespace (newlines
 * included) collapsed to single spaces, the characters that could start structure backslash-escaped,
 * bare web addresses (`https:`, `www.`) kept from becoming links. test/report.test.ts renders it with `marked` to check.
 */
export function escapeMarkdown(text: string): string {
  const line = text.replaceAll('\0', '\uFFFD').replace(/[ \t\n\r\f\v]+/g, ' ').trim();
  return line
    .replace(INLINE_SPECIAL, '\\$&')
    .replace(/(https?|ftp):/gi, '$1\\:')
    .replace(/(www)\./gi, '$1\\.')
    .replace(LINE_START, (start) => (/^\d/.test(start) ? `${start.slice(0, -1)}\\${start.slice(-1)}` : `\\${start}`));
}

/** A link Markdown shows as its URL: an autolink, with what would end it early percent-encoded. */
export function markdownUrl(url: string): string {
  return `<${url.replace(/[\s<>]/g, (character) => encodeURIComponent(character))}>`;
}

/**
 * The analyst's summary, which is Markdown already and kept so (its emphasis, links, lists), but
 * inside the report's structure: its headings put below the report's own, and raw HTML shown as text.
 */
export function summaryMarkdown(summary: string): string {
  return summary
    .replace(/\r\n?/g, '\n')
    .replace(/^ {0,3}(#{1,6})(?=[ \t]|$)/gm, (_, hashes: string) => '#'.repeat(Math.min(6, hashes.length + 3)))
    .replace(/</g, '\\<')
    .trim();
}

const quoted = (text: string) => `“${escapeMarkdown(text)}”`;

/** What a claim says on its facet, for a sentence: its value phrase, or its statement when it has none. */
function says(claim: ClaimRow): string {
  return claim.value !== null && claim.value.trim() !== '' ? quoted(claim.value) : quoted(claim.text);
}

function sourceOf(claim: ClaimRow): string {
  return escapeMarkdown(claim.source_name);
}

/** "On *bases targeted*, ISWNews says “three”; US military official says “one”: these cannot both be true." */
function contradictionSentences(facet: Facet, claimById: Map<number, ClaimRow>): string[] {
  const contradicting = facet.pairs.filter((pair) => pair.relation === 'contradict');
  const sentences = contradicting.slice(0, CONTRADICTIONS_PER_FACET).map((pair) => {
    const a = claimById.get(pair.a)!;
    const b = claimById.get(pair.b)!;
    const judged = pair.origin === 'analyst' ? ` (an analyst's judgement${pair.reason ? `: ${escapeMarkdown(pair.reason)}` : ''})` : '';
    return `- On *${escapeMarkdown(facet.facet)}*, ${sourceOf(a)} says ${says(a)}; ${sourceOf(b)} says ${says(b)}: these cannot both be true${judged}.`;
  });
  const more = contradicting.length - sentences.length;
  if (more > 0) sentences.push(`- …and ${more} more contradicting pair${more === 1 ? '' : 's'} on *${escapeMarkdown(facet.facet)}* (see the pairs export).`);
  return sentences;
}

/**
 * A part claim exceeding a claim on its whole, in a sentence: "US Central Command (CENTCOM) contradicts
 * itself: it says “four” on *civilians injured* and “none” on *casualties*, …".
 */
function partCheckSentence(check: PartCheck, claimById: Map<number, ClaimRow>): string {
  const part = claimById.get(check.part.claim_id)!;
  const whole = claimById.get(check.whole.claim_id)!;
  const partFacet = escapeMarkdown(check.part.facet);
  const wholeFacet = escapeMarkdown(check.whole.facet);
  const reason = `*${partFacet}* are counted among *${wholeFacet}*, so these cannot both be true`;
  return check.kind === 'self'
    ? `- ${sourceOf(part)} contradicts itself: it says ${says(part)} on *${partFacet}* and ${says(whole)} on *${wholeFacet}*; ${reason}.`
    : `- ${sourceOf(part)} says ${says(part)} on *${partFacet}*; ${sourceOf(whole)} says ${says(whole)} on *${wholeFacet}*; ${reason}.`;
}

function positionLines(facet: Facet, claimById: Map<number, ClaimRow>): string[] {
  if (facet.positions.length === 0) return [];
  return [
    facet.positions.length === 1 ? 'One position:' : `${facet.positions.length} positions (who sides with whom):`,
    '',
    ...facet.positions.map((position, index) => {
      const sources = position.claims.map((id) => sourceOf(claimById.get(id)!)).join(', ');
      const voices = position.voices === position.claims.length ? '' : ` (${position.voices} independent voice${position.voices === 1 ? '' : 's'})`;
      return `- **${positionLetter(index)}** (${escapeMarkdown(positionSays(position)) || 'no value'}): ${sources}${voices}`;
    }),
    '',
  ];
}

function assessmentLines(facet: Facet): string[] {
  if (facet.assessment === null) return [];
  const { assessment, fits } = facet.assessment;
  const best = assessment.value === null ? 'none named' : quoted(assessment.value);
  const fitting = fits.length === 0 ? '' : ` (fits position${fits.length === 1 ? '' : 's'} ${fits.map(positionLetter).join(', ')})`;
  const by = assessment.assessed_by_name ? `, by ${escapeMarkdown(assessment.assessed_by_name)}` : '';
  return [`**Analyst's assessment**${by}: best value ${best}${fitting}; grade **${assessment.grade}**.`, '', `> ${escapeMarkdown(assessment.reason)}`, ''];
}

function claimLine({ claim, current, superseded_by }: Facet['claims'][number]): string {
  const via = claim.via_name ? ` via ${escapeMarkdown(claim.via_name)}` : '';
  const time = claim.published_at ? publishedInUtc(claim.published_at) : 'time not given';
  const value = claim.value ? ` Value: ${quoted(claim.value)}.` : '';
  const later = current ? '' : ` *(superseded by its source's later claim ${superseded_by})*`;
  const links = [
    claim.url && `link: ${markdownUrl(claim.url)}`,
    claim.archive_url && `archive: ${markdownUrl(claim.archive_url)}`,
    !claim.url && claim.document_url && `document: ${markdownUrl(claim.document_url)}`,
  ].filter(Boolean);
  const lines = [`- **${sourceOf(claim)}**${via}, ${escapeMarkdown(time)}: ${escapeMarkdown(claim.text)}${value}${later}`];
  if (claim.quote) lines.push(`  Quote: ${quoted(claim.quote)}`);
  if (links.length > 0) lines.push(`  ${links.join(' · ')}`);
  return `${lines.join('  \n')}\n`;
}

/**
 * The report, in parts (the head, each facet, a batch of claims at most CLAIMS_PER_PART): joined, one
 * Markdown document. Pure: the incident and its loaded comparison in, text out.
 */
export function* reportParts(incident: Incident, { comparison }: Pick<LoadedComparison, 'comparison'>): Generator<string> {
  const claimById = new Map<number, ClaimRow>();
  for (const facet of comparison.facets) for (const { claim } of facet.claims) claimById.set(claim.id, claim);
  const { summary } = comparison;
  const head = [`# ${escapeMarkdown(incident.title)}`, ''];
  const when = [incident.occurred_on, incident.location].filter((part): part is string => !!part).map(escapeMarkdown).join(' · ');
  if (when) head.push(when, '');
  head.push(
    `${summary.facets} facet${summary.facets === 1 ? '' : 's'}, ${claimById.size} claim${claimById.size === 1 ? '' : 's'}: ` +
      `${summary.contradict} contradicted, ${summary.consistent} consistent, ${summary.agree} agreed, ${summary.single} from a single source, ${summary.unassessed} unassessed.`,
    '',
  );
  if (incident.summary?.trim()) head.push('## Summary', '', summaryMarkdown(incident.summary), '');
  yield `${head.join('\n')}\n`;

  // A facet's sentences a part each: finding a large incident's contradicting pairs in one piece held the server 155 ms.
  yield '## Contradictions\n\n';
  let said = false;
  for (const facet of comparison.facets) {
    const sentences = contradictionSentences(facet, claimById);
    if (sentences.length === 0) continue;
    yield `${said ? '\n' : ''}${sentences.join('\n')}`;
    said = true;
  }
  const checks = comparison.part_checks;
  if (checks.checks.length > 0) {
    const lines = ['Across facets, a part counted higher than its whole:', '', ...checks.checks.map((check) => partCheckSentence(check, claimById))];
    if (checks.total > checks.checks.length) lines.push(`- …and ${checks.total - checks.checks.length} more.`);
    yield `${said ? '\n\n' : ''}${lines.join('\n')}`;
    said = true;
  }
  if (!said) yield 'None: no two claims found to contradict each other.';
  yield '\n\n## Facets\n\n';

  for (const facet of comparison.facets) {
    const [icon, word] = STATUS_LABELS[facet.status];
    yield [`### ${escapeMarkdown(facet.facet)}`, '', `Status: ${icon} ${word}`, '', ...positionLines(facet, claimById), ...assessmentLines(facet), 'Claims:', '', ''].join('\n');
    for (let start = 0; start < facet.claims.length; start += CLAIMS_PER_PART) {
      yield facet.claims.slice(start, start + CLAIMS_PER_PART).map(claimLine).join('');
    }
    yield '\n';
  }
}

/** GET /incidents/:slug/report.md: the report as a Markdown file, written a part at a time. */
export const show: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  response.set('ETag', `W/"report-${incident.id}-${dataTag(db)}"`);
  if (request.fresh) return void response.status(304).end();
  response.attachment(`${incident.slug}-report.md`);
  response.type('text/markdown; charset=utf-8');
  if (request.method === 'HEAD') return void response.end();
  const loaded = await loadComparison(db, incident.id);
  const write = partWriter(response);
  for (const part of reportParts(incident, loaded)) {
    if (!(await write(part))) return;
  }
  response.end();
};
