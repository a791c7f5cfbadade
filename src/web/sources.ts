/** Source pages: the list, one source with its claims, its form and delete. */
import { editVersion } from '../actions/schemas.js';
import { removeSource, requireSource, saveSource } from '../actions/sources.js';
import { listClaimsForSource } from '../db/claims.js';
import { countClaimsUsingSource, listSources } from '../db/sources.js';
import { actorOf, type Handler, idParam } from './context.js';
import { formPage } from './forms.js';
import { KIND_CHOICES, labelsOf } from './labels.js';
import { urls } from './urls.js';

const form = formPage('source_form', {
  kindOptions: KIND_CHOICES,
  conflictFields: labelsOf(['name', 'kind', 'affiliation', 'url', 'notes'], { url: 'Home URL' }),
});

export const list: Handler = (_request, response, { db }) => {
  response.render('sources', { sources: listSources(db) });
};

export const newForm: Handler = (_request, response) => {
  form.show(response, { values: { kind: 'other' }, action: urls.sources(), title: 'New source' });
};

export const create: Handler = async (request, response, { db }) => {
  await form.save(request, response, { action: urls.sources(), title: 'New source' }, () =>
    urls.source(saveSource(db, request.body, actorOf(response))),
  );
};

export const show: Handler = (request, response, { db }) => {
  const source = requireSource(db, idParam(request, 'Source'));
  const claims = listClaimsForSource(db, source.id);
  response.render('source', {
    source,
    claims: claims.filter((claim) => claim.source_id === source.id),
    carried: claims.filter((claim) => claim.via_source_id === source.id),
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
  response.render('confirm_delete', {
    what: `the source "${source.name}"`,
    action: urls.sourceDelete(source),
    cancel: urls.source(source),
    consequence:
      countClaimsUsingSource(db, source.id) > 0
        ? 'This source is cited by claims, so it cannot be deleted until they are deleted or reassigned.'
        : 'No claim cites this source.',
  });
};

export const remove: Handler = (request, response, { db }) => {
  removeSource(db, idParam(request, 'Source'), actorOf(response));
  response.redirect(303, urls.sources());
};
