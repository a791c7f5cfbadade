/** What only admins do: manage users and their API tokens, and restore deleted claims. */
import { Router } from 'express';
import { hashPassword } from '../auth/secrets.js';
import { listDeletedClaims } from '../db/claims.js';
import type { Database } from '../db/database.js';
import { listDeletedIncidents } from '../db/incidents.js';
import { createApiToken, createUser, disableUser, findUserByName, getUser, listUsers, revokeTokens, ROLES, setUserRole } from '../db/users.js';
import { requireRole } from './auth.js';
import { HttpError, notFound } from './errors.js';
import { formPage } from './forms.js';
import { NewUserInput, parseId, parseInput, RoleInput } from './schemas.js';

function findUser(db: Database, rawId: unknown) {
  const user = getUser(db, parseId(rawId, 'User'));
  if (!user) throw notFound('User');
  return user;
}

export function adminRoutes(db: Database): Router {
  const router = Router();
  router.use('/admin', requireRole('admin'));
  const roleOptions = ROLES.map((role) => ({ value: role, label: role }));
  const usersPage = formPage('admin_users', { roleOptions });
  const pageContext = () => ({ users: listUsers(db) });

  router.get('/admin/users', (_request, response) => {
    usersPage.show(response, { ...pageContext(), values: { role: 'editor' } });
  });

  router.post('/admin/users', async (request, response) => {
    await usersPage.save(response, request.body, pageContext(), async () => {
      const input = parseInput(NewUserInput, request.body, 'user');
      if (findUserByName(db, input.name)) {
        throw new HttpError(409, `A user named "${input.name}" already exists`, [{ path: 'name', message: 'That name is taken' }]);
      }
      createUser(db, input.name, input.role, await hashPassword(input.password));
      return '/admin/users';
    });
  });

  router.post('/admin/users/:id/role', (request, response) => {
    const user = findUser(db, request.params.id);
    const { role } = parseInput(RoleInput, request.body, 'role');
    if (user.id === response.locals.user!.id && role !== 'admin') {
      throw new HttpError(409, 'You cannot take away your own admin role: ask another admin');
    }
    setUserRole(db, user.id, role);
    response.redirect(303, '/admin/users');
  });

  router.post('/admin/users/:id/disable', (request, response) => {
    const user = findUser(db, request.params.id);
    if (user.id === response.locals.user!.id) throw new HttpError(409, 'You cannot disable yourself: ask another admin');
    disableUser(db, user.id);
    response.redirect(303, '/admin/users');
  });

  router.post('/admin/users/:id/tokens', (request, response) => {
    const user = findUser(db, request.params.id);
    if (user.disabled_at) throw new HttpError(409, 'This user is disabled');
    // Shown once, here: only its hash is kept.
    response.render('admin_token', { user, token: createApiToken(db, user.id) });
  });

  router.post('/admin/users/:id/tokens/revoke', (request, response) => {
    revokeTokens(db, findUser(db, request.params.id).id);
    response.redirect(303, '/admin/users');
  });

  router.get('/admin/deleted', (_request, response) => {
    response.render('admin_deleted', { claims: listDeletedClaims(db), incidents: listDeletedIncidents(db) });
  });

  return router;
}
