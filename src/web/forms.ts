import type { Request, Response } from 'express';
import { messagesByField } from '../actions/schemas.js';
import { Conflict, DomainError } from '../errors.js';
import { setErrorHeaders, statusOf } from './errors.js';

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

/** Renders a view to a string with the app's template engine (no response sent). */
export function renderView(response: Response, view: string, context: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    response.app.render(view, context, (error: Error | null, html?: string) => (error ? reject(error) : resolve(html ?? '')));
  });
}
