/**
 * The errors a request can run into, named for what went wrong rather than for an HTTP status.
 * Use cases, schemas and guards throw them; src/web/errors.ts alone turns them into status codes,
 * pages and JSON. Their messages are written for the person who sent the request and safe to show.
 */

/** One bad field: its path in the input ("facet", "claims.2.facet") and what is wrong with it. */
export interface FieldIssue {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  constructor(
    message: string,
    /** The fields at fault, for forms to show beside each one and for API clients to read. */
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The input is wrong: a missing or malformed field, a pair that is not one. */
export class Invalid extends DomainError {}

/** Nothing by that id or slug, or it was deleted. */
export class NotFound extends DomainError {}

/** The input is fine but clashes with what is stored: a name taken, a newer version saved by someone else. */
export class Conflict extends DomainError {
  /** The record as it is now, for an editor to compare with their own version. */
  readonly current: object | undefined;

  constructor(
    message: string,
    options: { issues?: FieldIssue[]; current?: object } = {},
  ) {
    super(message, options.issues);
    this.current = options.current;
  }
}

/** An edit that does not say which version it started from, and so could overwrite someone's work. */
export class VersionRequired extends DomainError {}

/** Who is asking is not known: no session, no token, a wrong password. */
export class NotSignedIn extends DomainError {}

/** Known, but not allowed: a role too low, a missing CSRF token. */
export class Forbidden extends DomainError {}

/** Too many tries in a short time; `retryAfterSeconds` says when to try again. */
export class TooManyAttempts extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The request carries more than is accepted (body size, form fields). */
export class TooLarge extends DomainError {}

/** The body is not in a format this route reads (an API body that is not JSON, not UTF-8). */
export class UnsupportedFormat extends DomainError {}

/** The write could not be confirmed on disk, so it may not have been saved. */
export class NotSaved extends DomainError {}

/** The server has as much of this kind of work under way as it takes on: nothing was done; try again after `retryAfterSeconds`. */
export class TooBusy extends DomainError {
  readonly retryAfterSeconds = 2;
}

/** Another program holds the database's write lock: nothing was written; `retryAfterSeconds` says when to try again. */
export class DatabaseBusy extends DomainError {
  readonly retryAfterSeconds = 1;
}
