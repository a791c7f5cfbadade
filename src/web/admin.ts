/** What only admins do: manage users and their API tokens, and see what was deleted. */
import { addUser, changeRole, disableAccount, issueApiToken, revokeApiTokens } from '../actions/accounts.js';
import { listDeletedClaims } from '../db/claims.js';
import { listDeletedIncidents } from '../db/incidents.js';
import { listUsers } from '../db/users.js';
import { type Handler, idParam } from './context.js';
import { formPage } from './forms.js';
import { ROLE_CHOICES } from './labels.js';
import { urls } from './urls.js';

const usersPage = formPage('admin_users', { roleOptions: ROLE_CHOICES });

export const users: Handler = (_request, response, { db }) => {
  usersPage.show(response, { users: listUsers(db), values: { role: 'editor' } });
};

export const createUser: Handler = async (request, response, { db }) => {
  await usersPage.save(request, response, { users: listUsers(db) }, async () => {
    await addUser(db, request.body);
    return urls.adminUsers();
  });
};

export const setRole: Handler = (request, response, { db }) => {
  changeRole(db, idParam(request, 'User'), request.body, response.locals.user!);
  response.redirect(303, urls.adminUsers());
};

export const disable: Handler = (request, response, { db }) => {
  disableAccount(db, idParam(request, 'User'), response.locals.user!);
  response.redirect(303, urls.adminUsers());
};

export const newToken: Handler = (request, response, { db }) => {
  // Shown once, here: only its hash is kept.
  response.render('admin_token', issueApiToken(db, idParam(request, 'User')));
};

export const revokeTokens: Handler = (request, response, { db }) => {
  revokeApiTokens(db, idParam(request, 'User'));
  response.redirect(303, urls.adminUsers());
};

export const deleted: Handler = (_request, response, { db }) => {
  response.render('admin_deleted', { claims: listDeletedClaims(db), incidents: listDeletedIncidents(db) });
};
