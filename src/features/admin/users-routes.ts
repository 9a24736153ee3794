import express from 'express';
import type { Services } from '../../platform/services.ts';
import type { FormErrors } from '../../platform/http/validation.ts';
import { fieldError, parseForm } from '../../platform/http/validation.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { param } from '../../platform/http/errors.ts';
import { audit } from '../../platform/audit.ts';
import { ROLE_NAMES, STAFF_ROLES } from '../../platform/auth/roles.ts';
import { MIN_PASSWORD_LENGTH, newUserForm } from './user-form.ts';
import { addUser } from './add-user.ts';
import { councilUser, deactivateUser, listCouncilUsers } from './users.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';

const STAFF_ROLE_CHOICES = Object.fromEntries(STAFF_ROLES.map((r) => [r, ROLE_NAMES[r]]));

export function usersRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db } = services;
  const manage = requireCapability('users:manage');

  router.get('/admin/users', manage, async (req, res) => {
    const admin = userOf(req);
    const users = await listCouncilUsers(db, admin);
    await audit(db, admin, { action: 'view', entityType: 'users-list', details: { count: users.length } }, req.ip);
    res.render('admin/views/users.njk', { pageTitle: 'Users', users, roleNames: ROLE_NAMES });
  });

  const renderNew = (res: express.Response, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('admin/views/new-user.njk', {
      pageTitle: 'Add a user',
      backLink: '/admin/users',
      roles: STAFF_ROLE_CHOICES,
      minPassword: MIN_PASSWORD_LENGTH,
      // A password is never sent back to the browser, not even to show it again after an error.
      values: { ...values, password: undefined },
      errors,
    });

  router.get('/admin/users/new', manage, (_req, res) => renderNew(res, {}));

  router.post('/admin/users/new', manage, async (req, res) => {
    const admin = userOf(req);
    const form = parseForm(newUserForm, req.body);
    if (!form.ok) return renderNew(res, req.body ?? {}, form.errors);
    const added = await addUser(
      db,
      { ...form.data, councilId: admin.councilId, teamId: admin.teamId },
      admin,
      { ip: req.ip },
    );
    if (!added.ok) return renderNew(res, req.body ?? {}, fieldError('username', 'That username is already taken: choose another'));
    await flashThenRedirect(req, res, { title: `${form.data.displayName} has been added`, text: `They can now sign in as ${form.data.username}.` }, `/admin/users/${added.id}`);
  });

  router.get('/admin/users/:userId', manage, async (req, res) => {
    const admin = userOf(req);
    const user = await councilUser(db, admin, param(req, 'userId'));
    await audit(db, admin, { action: 'view', entityType: 'user', entityId: user.id }, req.ip);
    res.render('admin/views/user.njk', { pageTitle: user.display_name, user, roleName: ROLE_NAMES[user.role as keyof typeof ROLE_NAMES], isMe: user.id === admin.id, backLink: '/admin/users' });
  });

  router.get('/admin/users/:userId/deactivate', manage, async (req, res) => {
    const admin = userOf(req);
    const user = await councilUser(db, admin, param(req, 'userId'));
    if (user.id === admin.id || !user.active) return res.redirect(303, `/admin/users/${user.id}`);
    res.render('admin/views/deactivate.njk', { pageTitle: `Deactivate ${user.display_name}`, user, backLink: `/admin/users/${user.id}` });
  });

  router.post('/admin/users/:userId/deactivate', manage, async (req, res) => {
    const admin = userOf(req);
    const user = await councilUser(db, admin, param(req, 'userId'));
    // Administrators cannot lock themselves out; another administrator can.
    if (user.id === admin.id) return res.redirect(303, `/admin/users/${user.id}`);
    await deactivateUser(db, admin, user.id, req.ip);
    await flashThenRedirect(req, res, { title: `${user.display_name} has been deactivated`, text: 'They can no longer sign in.' }, `/admin/users/${user.id}`);
  });

  return router;
}
