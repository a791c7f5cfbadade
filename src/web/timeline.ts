/**
 * An incident's timeline: its claims by the instant each was published, one lane per source within
 * each facet, drawn (SVG, no script) with a table beneath each drawing that says the same.
 */
import { loadComparison } from '../actions/comparisons.js';
import { requireIncidentBySlug } from '../actions/incidents.js';
import { IncidentPageQuery, parseInput } from '../actions/schemas.js';
import { buildTimeline, DRAWING_WIDTH, drawFacet } from '../compare/timeline.js';
import { NotFound } from '../errors.js';
import { type Handler, pathParam } from './context.js';
import { gridPages } from './grid.js';
import { urls } from './urls.js';

/** Claims drawn per page, about (whole facets a page): a drawing of thousands of marks helps no one, and takes long to send. */
const CLAIMS_PER_PAGE = 500;

export const show: Handler = async (request, response, { db }) => {
  const incident = requireIncidentBySlug(db, pathParam(request, 'slug'));
  const { page: number = 1 } = parseInput(IncidentPageQuery, request.query, 'timeline');
  const { comparison, sources } = await loadComparison(db, incident.id);
  const pages = gridPages(comparison, CLAIMS_PER_PAGE);
  const page = pages[number - 1];
  if (page === undefined) throw new NotFound(`This incident's timeline has no page ${number}`);
  // Every page is drawn on the whole incident's range, so that pages compare at a glance.
  const timeline = buildTimeline(comparison.facets.slice(page.from, page.to), sources, { rangeOver: comparison.facets });
  const range = timeline.range;
  const facets = timeline.facets.map((facet) => ({ ...facet, drawing: range && facet.points.length > 0 ? drawFacet(facet, range) : null }));
  response.render('timeline', {
    incident,
    facets,
    dated: facets.filter((facet) => facet.drawing !== null),
    undated: facets.filter((facet) => facet.undated.length > 0),
    width: DRAWING_WIDTH,
    pager: {
      label: `Page ${page.number} of ${pages.length}: facets ${page.from + 1}–${page.to} of ${comparison.facets.length}.`,
      previous: page.number > 1 ? urls.timeline(incident, { page: page.number - 1 }) : undefined,
      next: page.number < pages.length ? urls.timeline(incident, { page: page.number + 1 }) : undefined,
    },
  });
};
