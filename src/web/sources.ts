import { Router } from 'express';
import { listClaimsForSource } from '../db/claims.js';
import type { Database } from '../db/database.js';
import {
  countClaimsUsingSource,
  createSource,
  deleteSource,
  findSourceByName,
  getSource,
  listSources,
  SOURCE_KINDS,
  type Source,
  type SourceFields,
  updateSource,
} from '../db/sources.js';
import { requireRole } from './auth.js';
import { HttpError, notFound, savedOrThrow } from './errors.js';
import { formPage } from './forms.js';
import { findSource } from './lookups.js';
import { editVersion, parseId, parseInput, SourceInput } from './schemas.js';

/** The source kinds as choices for a form's select. */
export function kindOptions() {
  return SOURCE_KINDS.map((kind) => ({ value: kind, label: kind }));
}

export function sourceFields(input: SourceInput): SourceFields {
  return {
    name: input.name,
    kind: input.kind,
    affiliation: input.affiliation ?? null,
    url: input.url ?? null,
    notes: input.notes ?? null,
  };
}

function nameTaken(name: string): HttpError {
  return new HttpError(409, `A source named "${name}" already exists`, [
    { path: 'name', message: `A source named "${name}" already exists` },
  ]);
}

/**
 * Validates and stores a source: new, or an edit of `existing` from the version the editor started
 * from. Shared by the form and the API.
 */
export function saveSource(db: Database, body: unknown, actor: number, existing?: { id: number; version: number }): Source {
  const fields = sourceFields(parseInput(SourceInput, body, 'source'));
  const sameName = findSourceByName(db, fields.name);
  if (sameName && sameName.id !== existing?.id) throw nameTaken(fields.name);
  if (existing === undefined) return createSource(db, fields, actor);
  return savedOrThrow(updateSource(db, existing.id, fields, existing.version, actor), 'This source');
}

/** Deletes a source no claim depends on; a source still cited is kept, with a 409 saying why. */
export function removeSource(db: Database, id: number, actor: number): void {
  const source = getSource(db, id);
  if (!source) throw notFound('Source');
  const uses = countClaimsUsingSource(db, id);
  if (uses > 0) {
    throw new HttpError(
      409,
      `"${source.name}" is cited by ${uses} claim${uses === 1 ? '' : 's'} (deleted claims, which can be restored, included): delete or reassign them first`,
    );
  }
  deleteSource(db, id, actor);
}

export function sourceRoutes(db: Database): Router {
  const router = Router();
  const form = formPage('source_form', {
    kindOptions: kindOptions(),
    conflictFields: { name: 'Name', kind: 'Kind', affiliation: 'Affiliation', url: 'Home URL', notes: 'Notes' },
  });
  const editor = requireRole('editor');

  router.get('/sources', (_request, response) => {
    response.render('sources', { sources: listSources(db) });
  });

  router.get('/sources/new', editor, (_request, response) => {
    form.show(response, { values: { kind: 'other' }, action: '/sources', title: 'New source' });
  });

  router.post('/sources', async (request, response) => {
    await form.save(response, request.body, { action: '/sources', title: 'New source' }, () => {
      const source = saveSource(db, request.body, response.locals.user!.id);
      return `/sources/${source.id}`;
    });
  });

  router.get('/sources/:id', (request, response) => {
    const source = findSource(db, request.params.id);
    const claims = listClaimsForSource(db, source.id);
    response.render('source', {
      source,
      claims: claims.filter((claim) => claim.source_id === source.id),
      carried: claims.filter((claim) => claim.via_source_id === source.id),
    });
  });

  router.get('/sources/:id/edit', editor, (request, response) => {
    const source = findSource(db, request.params.id);
    form.show(response, { values: source, action: `/sources/${source.id}/edit`, title: `Edit ${source.name}` });
  });

  router.post('/sources/:id/edit', async (request, response) => {
    const source = findSource(db, request.params.id);
    const context = { action: `/sources/${source.id}/edit`, title: `Edit ${source.name}` };
    await form.save(response, request.body, context, () => {
      saveSource(db, request.body, response.locals.user!.id, { id: source.id, version: editVersion(request.body, undefined) });
      return `/sources/${source.id}`;
    });
  });

  router.get('/sources/:id/delete', editor, (request, response) => {
    const source = findSource(db, request.params.id);
    response.render('confirm_delete', {
      what: `the source "${source.name}"`,
      action: `/sources/${source.id}/delete`,
      cancel: `/sources/${source.id}`,
      consequence:
        countClaimsUsingSource(db, source.id) > 0
          ? 'This source is cited by claims, so it cannot be deleted until they are deleted or reassigned.'
          : 'No claim cites this source.',
    });
  });

  router.post('/sources/:id/delete', (request, response) => {
    removeSource(db, parseId(request.params.id, 'Source'), response.locals.user!.id);
    response.redirect(303, '/sources');
  });

  return router;
}
