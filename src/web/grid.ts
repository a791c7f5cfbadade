/**
 * Shapes an incident's comparison into the facets × sources grid the incident page shows.
 * Pure: rows in, rows out.
 */
import type { ClaimPair, ComparedClaim, FacetAssessment, FacetComparison, FacetStatus, IncidentComparison, Relation } from '../compare/comparison.js';
import type { Position } from '../compare/positions.js';
import { formatInterval } from '../compare/values.js';
import type { AssessmentRow } from '../db/assessments.js';
import type { ClaimRow } from '../db/claims.js';
import { type DescribedPartCheck, describePartCheck } from './part-checks.js';

export interface GridColumn {
  source_id: number;
  name: string;
  kind: string;
  affiliation: string | null;
}

export interface GridCell {
  source_id: number;
  /** The source's current claim for the facet, if it made one. */
  current: ComparedClaim<ClaimRow> | undefined;
  /** Its earlier claims on the facet, newest first (the claims themselves: all a revision list shows). */
  earlier: ClaimRow[];
  earlierIds: number[];
  status: FacetStatus | null;
  /** How the current claim's value was read, e.g. "8 or more". */
  reading: string;
  /** The position the current claim takes (its letter), when the facet has more than one. */
  position: GridPosition | null;
  /** The other positions, whom a contradicting claim contradicts: "B (1)". */
  against: string;
  /** Where the claim exceeds the source's own claim on a whole it is part of, or is exceeded by its own part. */
  selfContradictions: string[];
}

/** A position of a facet as the grid shows it: a letter (never colour alone), what it says, who says it. */
export interface GridPosition {
  letter: string;
  /** 0–5, for a colour that helps the letter. */
  shade: number;
  /** What its claims have in common: "3", "9–11", "8+", "10%", or a wording. */
  says: string;
  sources: string[];
  sourceCount: number;
  voices: number;
}

export interface GridPair {
  pair: ClaimPair;
  left: ClaimRow;
  right: ClaimRow;
}

export interface GridRow {
  facet: FacetComparison<ClaimRow, AssessmentRow>;
  cells: GridCell[];
  /** How each two sources' current claims relate, contradictions and judgements first; at most `pairLimit`. */
  pairs: GridPair[];
  /** All the facet's pairs, shown or not. */
  pairCount: number;
  /** Who sides with whom, when the facet's current claims fall into more than one position: the first POSITIONS_NAMED. */
  positions: GridPosition[];
  positionCount: number;
  /** "US government: 1 · Iran-aligned: 3" when the positions split along affiliations; else null. */
  affiliationLines: string | null;
  /** The analyst's assessment, as the row's first cell shows it. */
  assessment: GridAssessment | null;
  /** Parts exceeding wholes that this facet takes part in, in words. */
  partChecks: DescribedPartCheck[];
}

export interface GridAssessment {
  grade: string;
  value: string | null;
  reading: string;
  reason: string;
  by: string | null;
  /** The letters of the positions the best value fits with. */
  fits: string[];
}

export interface Grid {
  columns: GridColumn[];
  rows: GridRow[];
  /** Whether any facet on the grid is assessed: without any, a reader is spared a column of blanks. */
  assessed: boolean;
}

const PAIR_ORDER: Record<Relation, number> = { contradict: 0, consistent: 1, unassessed: 2, agree: 3, unrelated: 4 };

/** Pairs a facet row lists on the incident page; with 40 sources a facet has 780, which no one reads there. */
export const PAIRS_ON_GRID = 12;

/** Reading order of a facet's pairs: contradictions first, then analysts' judgements, then the rest. */
function byReadingOrder(x: ClaimPair, y: ClaimPair): number {
  return (
    PAIR_ORDER[x.relation] - PAIR_ORDER[y.relation] ||
    Number(y.origin === 'analyst') - Number(x.origin === 'analyst') ||
    x.a - y.a ||
    x.b - y.b
  );
}

/**
 * The first `limit` pairs in reading order, without sorting them all: a facet of thousands of
 * sources has millions of pairs, of which the grid shows a dozen.
 */
function firstInReadingOrder(pairs: ClaimPair[], limit: number): ClaimPair[] {
  if (limit >= pairs.length) return [...pairs].sort(byReadingOrder);
  const chosen: ClaimPair[] = [];
  for (const pair of pairs) {
    if (chosen.length === limit && byReadingOrder(pair, chosen[limit - 1]!) >= 0) continue;
    let at = chosen.length;
    while (at > 0 && byReadingOrder(pair, chosen[at - 1]!) < 0) at--;
    chosen.splice(at, 0, pair);
    if (chosen.length > limit) chosen.pop();
  }
  return chosen;
}

/**
 * What the reader asked the grid to show (GET parameters, so a view is a link): only facets with a
 * contradiction, no single-source facets, only sources of one kind or affiliation, and the columns
 * ordered by affiliation so that the camps stand side by side.
 */
export interface GridView {
  only?: 'contradictions';
  hide?: 'single';
  kind?: string;
  affiliation?: string;
  order?: 'affiliation';
}

/** Whether a source is one the view shows. */
function showsSource(view: GridView, source: { source_kind: string; source_affiliation: string | null }): boolean {
  if (view.kind !== undefined && source.source_kind !== view.kind) return false;
  if (view.affiliation !== undefined && (source.source_affiliation ?? '').trim().toLowerCase() !== view.affiliation.trim().toLowerCase()) return false;
  return true;
}

/** The facets the view shows: with a contradiction (within it, or a part exceeding a whole) if asked, not single-source if asked, and with a claim by a source shown. */
export function facetsInView<F extends FacetComparison<ClaimRow, AssessmentRow>>(facets: F[], view: GridView): F[] {
  return facets.filter(
    (facet) =>
      (view.only !== 'contradictions' || facet.status === 'contradict' || facet.part_checks.length > 0) &&
      (view.hide !== 'single' || facet.status !== 'single') &&
      (view.kind === undefined && view.affiliation === undefined ? true : facet.claims.some((compared) => showsSource(view, compared.claim))),
  );
}

/** Whether the view narrows or reorders anything. */
export function isFiltered(view: GridView): boolean {
  return Object.values(view).some((value) => value !== undefined);
}

/**
 * One column per source that makes a claim (of those the view shows), in the order sources first
 * appear in the record, or by affiliation (then that order) when the view asks.
 */
export function buildGrid(comparison: Pick<IncidentComparison<ClaimRow, AssessmentRow>, 'facets'>, pairLimit = PAIRS_ON_GRID, view: GridView = {}): Grid {
  const columns = new Map<number, GridColumn>();
  const firstClaimId = new Map<number, number>();
  for (const facet of comparison.facets) {
    for (const { claim } of facet.claims) {
      if (!showsSource(view, claim)) continue;
      if (!columns.has(claim.source_id)) {
        columns.set(claim.source_id, {
          source_id: claim.source_id,
          name: claim.source_name,
          kind: claim.source_kind,
          affiliation: claim.source_affiliation,
        });
      }
      firstClaimId.set(claim.source_id, Math.min(firstClaimId.get(claim.source_id) ?? Infinity, claim.id));
    }
  }
  const byAffiliation = (a: GridColumn, b: GridColumn) =>
    view.order === 'affiliation' ? Number(!a.affiliation) - Number(!b.affiliation) || (a.affiliation ?? '').localeCompare(b.affiliation ?? '', 'en', { sensitivity: 'base' }) : 0;
  const orderedColumns = [...columns.values()].sort(
    (a, b) => byAffiliation(a, b) || firstClaimId.get(a.source_id)! - firstClaimId.get(b.source_id)!,
  );

  const sourceNames = new Map([...columns.values()].map((column) => [column.source_id, column.name]));
  const rows = comparison.facets.map((facet) => {
    const bySource = new Map<number, ComparedClaim<ClaimRow>[]>();
    for (const compared of facet.claims) {
      const list = bySource.get(compared.claim.source_id) ?? [];
      list.push(compared);
      bySource.set(compared.claim.source_id, list);
    }
    const cells = orderedColumns.map((column): GridCell => {
      const claims = bySource.get(column.source_id) ?? [];
      const current = claims.find((compared) => compared.current);
      const earlier = claims.filter((compared) => !compared.current).map((compared) => compared.claim);
      return {
        source_id: column.source_id,
        current,
        earlier: earlier.reverse(),
        earlierIds: earlier.map((claim) => claim.id),
        status: current?.status ?? null,
        reading: current ? formatInterval(current.value) : '',
        position: null,
        against: '',
        selfContradictions: [],
      };
    });
    const claimById = new Map(facet.claims.map((compared) => [compared.claim.id, compared.claim]));
    const pairs = firstInReadingOrder(facet.pairs, pairLimit).map((pair) => ({ pair, left: claimById.get(pair.a)!, right: claimById.get(pair.b)! }));
    const positions = facet.positions.length > 1 ? facet.positions.map((position, index) => gridPosition(position, index, claimById)) : [];
    const positionsNamed = positions.slice(0, POSITIONS_NAMED);
    const positionOfClaim = new Map(facet.positions.flatMap((position, index) => position.claims.map((id) => [id, positions[index]] as const)));
    for (const cell of cells) {
      cell.position = cell.current ? (positionOfClaim.get(cell.current.claim.id) ?? null) : null;
      if (cell.position && cell.status === 'contradict') cell.against = againstOthers(positions, cell.position);
    }
    for (const check of facet.part_checks) {
      if (check.kind !== 'self') continue;
      const [own, other] = check.part.key === facet.key ? [check.part, check.whole] : [check.whole, check.part];
      const cell = cells.find((candidate) => candidate.current?.claim.id === own.claim_id);
      const relation = own === check.part ? 'more than its' : 'less than its';
      cell?.selfContradictions.push(`contradicts itself: ${relation} ${other.facet} (${positionSays({ ...other, text: null })})`);
    }
    return {
      facet,
      cells,
      pairs,
      pairCount: facet.pairs.length,
      positions: positionsNamed,
      positionCount: positions.length,
      affiliationLines: affiliationLines(facet.positions, positions, claimById),
      assessment: facet.assessment && gridAssessment(facet.assessment, positions),
      partChecks: facet.part_checks.map((check) => describePartCheck(check, sourceNames)),
    };
  });
  return { columns: orderedColumns, rows, assessed: rows.some((row) => row.assessment !== null) };
}

const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function gridAssessment({ assessment, value, fits }: FacetAssessment<AssessmentRow>, positions: GridPosition[]): GridAssessment {
  return {
    grade: assessment.grade,
    value: assessment.value,
    reading: formatInterval(value),
    reason: assessment.reason,
    by: assessment.assessed_by_name,
    fits: fits.flatMap((index) => (positions[index] ? [positions[index].letter] : [])),
  };
}

/** Positions a row names one by one; beyond them it says how many more (a facet of hundreds of sources may have dozens). */
export const POSITIONS_NAMED = 6;

/** Whom a contradicting claim contradicts: the other positions, by letter and what they say. */
function againstOthers(positions: GridPosition[], own: GridPosition): string {
  const others = positions.filter((other) => other !== own);
  const named = others.slice(0, POSITIONS_NAMED - 1).map((other) => `${other.letter} (${other.says})`);
  return others.length > named.length ? `${named.join(', ')} and ${others.length - named.length} more` : named.join(', ');
}

/** What a position's claims have in common, short: "3", "9–11", "8+", "10%", or the wording. */
export function positionSays(position: Pick<Position, 'low' | 'high' | 'text' | 'unit'>): string {
  if (position.low === null) return position.text ?? '';
  const sign = position.unit === 'percent' ? '%' : '';
  if (position.high === null) return `${countFormat.format(position.low)}${sign}+`;
  if (position.low === position.high) return `${countFormat.format(position.low)}${sign}`;
  return `${countFormat.format(position.low)}–${countFormat.format(position.high)}${sign}`;
}

/** A position's letter, by its place among the facet's positions: the grid and the exports give the same. */
export function positionLetter(index: number): string {
  return String.fromCharCode(65 + (index % 26));
}

function gridPosition(position: Position, index: number, claimById: Map<number, ClaimRow>): GridPosition {
  return {
    letter: positionLetter(index),
    shade: index % 6,
    says: positionSays(position),
    // Named up to a dozen: the columns name them all.
    sources: position.claims.slice(0, 12).map((id) => claimById.get(id)!.source_name).concat(position.claims.length > 12 ? [`${position.claims.length - 12} more`] : []),
    sourceCount: position.claims.length,
    voices: position.voices,
  };
}

/**
 * When every affiliation among the positions' sources sides with one position, and the positions
 * differ: the contradiction runs along affiliation lines ("US government: 1 · Iran-aligned: 3").
 */
function affiliationLines(positions: Position[], shown: GridPosition[], claimById: Map<number, ClaimRow>): string | null {
  if (shown.length < 2) return null;
  const sides = new Map<string, number>();
  for (const [index, position] of positions.entries()) {
    for (const id of position.claims) {
      const affiliation = claimById.get(id)!.source_affiliation?.trim();
      if (!affiliation) return null;
      if ((sides.get(affiliation) ?? index) !== index) return null;
      sides.set(affiliation, index);
    }
  }
  if (new Set(sides.values()).size < 2) return null;
  return [...sides].map(([affiliation, index]) => `${affiliation}: ${shown[index]!.says}`).join(' · ');
}

/** Claims the grid shows per page, about: a page ends with the facet that reaches it (a larger facet is a page of its own). */
export const GRID_CLAIMS_PER_PAGE = 2_000;

/** One page of the grid: facets `from` (inclusive) to `to` (exclusive) of the comparison, counting from 0. */
export interface GridPage {
  number: number;
  from: number;
  to: number;
}

/** The grid's pages: every facet on exactly one, in order; one page, with no facet on it, for an incident without claims. */
export function gridPages(comparison: IncidentComparison<ClaimRow>, claimsPerPage = GRID_CLAIMS_PER_PAGE): GridPage[] {
  const pages: GridPage[] = [];
  let from = 0;
  let claims = 0;
  comparison.facets.forEach((facet, index) => {
    claims += facet.claims.length;
    if (claims >= claimsPerPage || index === comparison.facets.length - 1) {
      pages.push({ number: pages.length + 1, from, to: index + 1 });
      from = index + 1;
      claims = 0;
    }
  });
  return pages.length > 0 ? pages : [{ number: 1, from: 0, to: 0 }];
}

/** The page that shows the claim, if the comparison holds it. */
export function pageWithClaim(comparison: IncidentComparison<ClaimRow>, pages: GridPage[], claimId: number): GridPage | undefined {
  const index = comparison.facets.findIndex((facet) => facet.claims.some((compared) => compared.claim.id === claimId));
  return index < 0 ? undefined : pages.find((page) => index >= page.from && index < page.to);
}
