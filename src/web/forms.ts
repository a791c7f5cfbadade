import type { Response } from 'express';
import { HttpError } from './errors.js';
import { messagesByField } from './schemas.js';

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
     * `store` validates and writes, returning where to go next, or throws an HttpError with field
     * issues. A conflict's `context` (another person's newer version) is shown beside the form.
     */
    async save(response: Response, body: unknown, context: Record<string, unknown>, store: () => string | Promise<string>): Promise<void> {
      let next: string;
      try {
        next = await store();
      } catch (error) {
        // Whatever refused the save (a bad field, a newer version, a row deleted meanwhile), the form
        // comes back with the user's text in it.
        if (!(error instanceof HttpError)) throw error;
        this.show(
          response,
          { ...context, ...error.context, values: body ?? {}, errors: messagesByField(error.issues), problem: error.message },
          error.status,
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
