/** Source pages: the list, one source with its claims, its form and delete. */
import { editVersion, parseInput, SourcePageQuery } from '../actions/schemas.js';
import { NotFound } from '../errors.js';
import { listSourcesWithCounts, removeSource, requireSource, saveSource } from '../actions/sources.js';
import { countClaimsOfSource, listClaimsOfSource } from '../db/claims.js';
import { countUsesOfSource } from '../db/sources.js';
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

export const show: Handler = (request, response, { db }) => {
  const source = requireSource(db, idParam(request, 'Source'));
  const { page = 1 } = parseInput(SourcePageQuery, request.query, 'source page');
  const counts = countClaimsOfSource(db, source.id);
  const pages = Math.max(1, Math.ceil(Math.max(counts.made, counts.carried) / SOURCE_CLAIMS_PER_PAGE));
  if (page > pages) throw new NotFound(`This source's claims fill ${pages} page${pages === 1 ? '' : 's'}, not ${page}`);
  const slice = { limit: SOURCE_CLAIMS_PER_PAGE, offset: (page - 1) * SOURCE_CLAIMS_PER_PAGE };
  response.render('source', {
    source,
    counts,
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
