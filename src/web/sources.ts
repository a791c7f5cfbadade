/** Source pages: the list, one source with its claims and track record, the agreement matrix, its form and delete. */
import { type AgreementMatrix, agreementMatrix, pairFigures, sourceTrackRecord } from '../actions/agreement.js';
import { AgreementQuery, editVersion, parseInput, SourcePageQuery } from '../actions/schemas.js';
import type { PairTally } from '../compare/tallies.js';
import { NotFound } from '../errors.js';
import { listSourcesWithCounts, removeSource, requireSource, saveSource } from '../actions/sources.js';
import { countClaimsOfSource, listClaimsOfSource } from '../db/claims.js';
import { countUsesOfSource, SOURCE_KINDS } from '../db/sources.js';
import { actorOf, type Handler, idParam } from './context.js';
import { formPage } from './forms.js';
import { KIND_CHOICES, labelsOf } from './labels.js';
import { urls } from './urls.js';

const form = formPage('source_form', {
  kindOptions: KIND_CHOICES,
  conflictFields: labelsOf(['name', 'kind', 'affiliation', 'url', 'notes'], { url: 'Home URL' }),
});

export const list: Handler = async (_request, response, { db }) => {
  response.render('sources', { sources: await listSourcesWithCounts(db) });
};

export const newForm: Handler = (_request, response) => {
  form.show(response, { values: { kind: 'other' }, action: urls.sources(), title: 'New source' });
};

export const create: Handler = async (request, response, { db }) => {
  await form.save(request, response, { action: urls.sources(), title: 'New source' }, () =>
    urls.source(saveSource(db, request.body, actorOf(response))),
  );
};

/** Claims of each list (made, carried) a source's page shows: a source cited thousands of times has pages of them. */
export const SOURCE_CLAIMS_PER_PAGE = 200;

export const show: Handler = async (request, response, { db }) => {
  const source = requireSource(db, idParam(request, 'Source'));
  const { page = 1 } = parseInput(SourcePageQuery, request.query, 'source page');
  const counts = countClaimsOfSource(db, source.id);
  const pages = Math.max(1, Math.ceil(Math.max(counts.made, counts.carried) / SOURCE_CLAIMS_PER_PAGE));
  if (page > pages) throw new NotFound(`This source's claims fill ${pages} page${pages === 1 ? '' : 's'}, not ${page}`);
  const slice = { limit: SOURCE_CLAIMS_PER_PAGE, offset: (page - 1) * SOURCE_CLAIMS_PER_PAGE };
  const track = await sourceTrackRecord(db, source);
  response.render('source', {
    source,
    counts,
    track: { ...track, shown: { ...shownCounts(track.record), counted: countText(track.incidents), counting: countText(track.counting) } },
    others: track.others.map((other) => ({ ...other, tone: toneOf(other), shown: shownCounts(other) })),
    claims: listClaimsOfSource(db, source.id, 'made', slice),
    carried: listClaimsOfSource(db, source.id, 'carried', slice),
    pager: {
      label: `Page ${page} of ${pages}`,
      previous: page > 1 ? urls.source(source, { page: page - 1 }) : undefined,
      next: page < pages ? urls.source(source, { page: page + 1 }) : undefined,
    },
  });
};

export const editForm: Handler = (request, response, { db }) => {
  const source = requireSource(db, idParam(request, 'Source'));
  form.show(response, { values: source, action: urls.sourceEdit(source), title: `Edit ${source.name}` });
};

export const update: Handler = async (request, response, { db }) => {
  const source = requireSource(db, idParam(request, 'Source'));
  await form.save(request, response, { action: urls.sourceEdit(source), title: `Edit ${source.name}` }, () => {
    saveSource(db, request.body, actorOf(response), { id: source.id, version: editVersion(request.body, undefined) });
    return urls.source(source);
  });
};

export const confirmDelete: Handler = (request, response, { db }) => {
  const source = requireSource(db, idParam(request, 'Source'));
  const uses = countUsesOfSource(db, source.id);
  response.render('confirm_delete', {
    what: `the source "${source.name}"`,
    action: urls.sourceDelete(source),
    cancel: urls.source(source),
    consequence:
      uses.claims > 0
        ? 'This source is cited by claims, so it cannot be deleted until they are deleted or reassigned.'
        : uses.documents > 0
          ? 'This source published documents kept as evidence, so it cannot be deleted.'
          : 'No claim cites this source.',
  });
};

export const remove: Handler = (request, response, { db }) => {
  removeSource(db, idParam(request, 'Source'), actorOf(response));
  response.redirect(303, urls.sources());
};

/**
 * How two sources' claims went together, for a colour that helps the numbers (never replaces
 * them): by the share of contradictions among the pairs that could be weighed, from only fitting
 * to only contradicting; or met only where nothing could be weighed.
 */
export function toneOf({ pairs, agree, consistent, contradict }: PairTally): 'none' | 'unassessed' | 'fit' | 'mostly-fit' | 'mixed' | 'mostly-contradict' | 'contradict' {
  if (pairs === 0) return 'none';
  const weighed = agree + consistent + contradict;
  if (weighed === 0) return 'unassessed';
  const share = contradict / weighed;
  if (share === 0) return 'fit';
  if (share === 1) return 'contradict';
  return share < 1 / 3 ? 'mostly-fit' : share > 2 / 3 ? 'mostly-contradict' : 'mixed';
}

const numbers = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** A figure as people read it: 20,000 rather than 20000, a move of 12.5 to one decimal. */
function countText(count: number): string {
  return Number.isInteger(count) && count < 1000 && count >= 0 ? String(count) : numbers.format(count);
}

function shownCounts<Figures extends object>(figures: Figures): Record<keyof Figures, string> {
  return Object.fromEntries(Object.entries(figures).map(([name, count]) => [name, typeof count === 'number' ? countText(count) : ''])) as Record<keyof Figures, string>;
}

/**
 * The source × source matrix as a table: a row per shown source, a cell per other shown source,
 * each with the sentence its title says (made here: fifty sources are 2,500 cells to render).
 */
function matrixRows(matrix: AgreementMatrix) {
  return matrix.shown.map((source) => ({
    source,
    cells: matrix.shown.map((other) => {
      if (other.id === source.id) return { self: true };
      const figures = pairFigures(matrix.figures, source.id, other.id);
      const unweighed = figures.pairs - figures.agree - figures.consistent - figures.contradict;
      const shown = { agree: countText(figures.agree), consistent: countText(figures.consistent), contradict: countText(figures.contradict), unweighed: countText(unweighed) };
      const title =
        figures.pairs === 0
          ? `${source.name} and ${other.name}: never on the same facet`
          : `${source.name} and ${other.name}: ${shown.agree} agreed, ${shown.consistent} fitted, ${shown.contradict} contradicted${unweighed ? `, ${shown.unweighed} could not be weighed` : ''}, of ${countText(figures.pairs)} pair${figures.pairs === 1 ? '' : 's'} of claims`;
      return { self: false, pairs: figures.pairs, unweighed, shown, tone: toneOf(figures), title };
    }),
  }));
}

export const agreement: Handler = async (request, response, { db }) => {
  const filters = parseInput(AgreementQuery, request.query, 'agreement matrix');
  const matrix = await agreementMatrix(db, filters);
  response.render('agreement', {
    matrix,
    counted: { incidents: countText(matrix.incidents), counting: countText(matrix.counting) },
    rows: matrixRows(matrix),
    filters,
    filtered: filters.kind !== undefined || filters.affiliation !== undefined,
    kinds: SOURCE_KINDS,
  });
};
