import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { lastChangeId } from '../db/history.js';
import type { Database } from '../db/database.js';
import { parseId } from '../actions/schemas.js';
import type { AuthOptions } from './guards.js';

/** What every handler is given besides the request: the database and how access is set up. */
export interface AppContext {
  db: Database;
  auth: AuthOptions;
}

/** A line of the route table points at one of these. Express 5 passes a rejected promise on to the error handler. */
export type Handler = (request: Request, response: Response, app: AppContext) => void | Promise<void>;

/** The signed-in user's id, for a handler behind a guard that requires one. */
export function actorOf(response: Response): number {
  return response.locals.user!.id;
}

/** A route's `:slug` or other text parameter, as the URL held it. */
export function pathParam(request: Request, name: string): string {
  return String(request.params[name]);
}

/** A route's `:id` as a number; NotFound for one that is not an id (/claims/abc names nothing). */
export function idParam(request: Request, what: string): number {
  return parseId(request.params.id, what);
}

// A restored backup can bring back an older change id with other data, and a new version of the code
// can show the same data otherwise: tags from an earlier process never match.
const PROCESS_TAG = randomBytes(6).toString('base64url');

/**
 * The part of an ETag that says which data it was made from: nothing a page or an export shows
 * changes without a recorded change, so a client holding one made since the last change is told
 * so without anything being read or made again.
 */
export function dataTag(db: Database): string {
  return `${PROCESS_TAG}-${lastChangeId(db)}`;
}
