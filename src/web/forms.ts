import type { Request, Response } from 'express';
import { ClaimPairInput, FacetQuery, messagesByField } from '../actions/schemas.js';
import { Conflict, DomainError } from '../errors.js';
import { type Handler, pathParam } from './context.js';
import { setErrorHeaders, statusOf } from './errors.js';
import { urls } from './urls.js';

/**
 * The life of a form page: show it, and on submit either redirect (POST/redirect/GET) or show it
 * again with a message at each bad field and everything the user typed kept.
 */
export function formPage(view: string, shared: Record<string, unknown> = {}) {
  return {
    show(response: Response, context: Record<string, unknown>, status = 200): void {
      response.status(status).render(view, { values: {}, errors: {}, ...shared, ...context });
    },
    /**
     * `store` validates and writes, returning where to go next, or throws a named error. A
     * conflict's current record (another person's newer version) is shown beside the form.
     */
    async save(request: Request, response: Response, context: Record<string, unknown>, store: () => string | Promise<string>): Promise<void> {
      let next: string;
      try {
        next = await store();
      } catch (error) {
        // Whatever refused the save (a bad field, a newer version, a row deleted meanwhile), the form
        // comes back with the user's text in it.
        if (!(error instanceof DomainError)) throw error;
        setErrorHeaders(error, request, response);
        const conflict = error instanceof Conflict && error.current ? { conflict: error.current } : {};
        this.show(
          response,
          { ...context, ...conflict, values: request.body ?? {}, errors: messagesByField(error.issues), problem: error.message },
          statusOf(error),
        );
        return;
      }
      response.redirect(303, next);
    },
  };
}

/**
 * The GET of an address a form posts to. A refused form comes back at the address it was posted
 * to, so that is what the address bar holds, and what a reload, a bookmark or a shared link asks
 * for: it answers with a redirect to the page the form belongs to rather than "Nothing at …".
 */
export function seeOther(where: (request: Request, response: Response) => string): Handler {
  return (request, response) => response.redirect(303, where(request, response));
}

/** The incident a form's address names by its slug, as the URL builder takes it. */
export const incidentOf = (request: Request) => ({ slug: pathParam(request, 'slug') });

/** The facet page a form was on (its action carries ?facet=), else the incident's page. */
export const facetPageOr = seeOther((request) => {
  const facet = FacetQuery.safeParse(request.query).data?.facet;
  return facet ? urls.facet(incidentOf(request), facet) : urls.incident(incidentOf(request));
});

/** The compare page of the pair a form judged (its action carries ?a=&b=), else the incident's page. */
export const comparePageOr = seeOther((request) => {
  const pair = ClaimPairInput.safeParse(request.query).data;
  return pair ? urls.compare(incidentOf(request), pair) : urls.incident(incidentOf(request));
});

/** Renders a view to a string with the app's template engine (no response sent). */
export function renderView(response: Response, view: string, context: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    response.app.render(view, context, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html ?? '')));
  });
}
