import express from 'express';
import { z } from 'zod';
import { sql } from 'kysely';
import type { Services } from '../services.ts';
import { audit } from '../audit.ts';
import { DUMMY_HASH, verifyPassword } from './passwords.ts';
import { f, parseForm } from '../http/validation.ts';
import { homeFor } from '../http/navigation.ts';
import { loadUser } from '../http/auth.ts';
import { ROLE_NAMES, type Role } from './roles.ts';
import { DEMO_PASSWORD } from '../../demo/accounts.ts';
import { carryLanguageThroughSignIn, useLanguage } from '../i18n/middleware.ts';
import { newPasswordRoutes, startChoosingPassword, NEW_PASSWORD_PATH } from './new-password.ts';

// Messages in the person's language (the sign-in page has the English / Cymraeg switch).
const signInForm = (t: (key: string) => string) => z.object({
  username: f.text(t('common:signIn.enterUsername'), 64),
  // Passwords are taken exactly as typed: a space is part of a password.
  password: z.string({ error: t('common:signIn.enterPassword') }).min(1, { error: t('common:signIn.enterPassword') }).max(200, { error: t('common:signIn.enterPassword') }),
});

const WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_USERNAME = 5;
const MAX_FAILURES_PER_ADDRESS = 30;

/**
 * Slows password guessing, counted from the audit log so every web process sees the same count:
 * 5 failures for one username, or 30 from one address, within 15 minutes.
 */
async function tooManyFailures(services: Services, username: string, ip: string | undefined): Promise<boolean> {
  const row = await services.db
    .selectFrom('audit_log')
    .select([
      sql<number>`count(*) filter (where details->>'username' = ${username})::int`.as('forUser'),
      sql<number>`count(*) filter (where ip = ${ip ?? ''})::int`.as('fromAddress'),
    ])
    .where('action', '=', 'sign_in_failed')
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${WINDOW_MINUTES})`)
    .executeTakeFirstOrThrow();
  return row.forUser >= MAX_FAILURES_PER_USERNAME || row.fromAddress >= MAX_FAILURES_PER_ADDRESS;
}

export function signInRoutes(services: Services): express.Router {
  const router = express.Router();

  const demoAccounts = async () => {
    if (!services.config.demoMode) return undefined;
    const rows = await services.db
      .selectFrom('users')
      .innerJoin('councils', 'councils.id', 'users.council_id')
      .select(['users.username', 'users.display_name', 'users.role', 'councils.name as council'])
      .where('users.active', '=', true)
      .orderBy('councils.name')
      .orderBy('users.username')
      .execute();
    return {
      password: DEMO_PASSWORD,
      staff: rows.filter((r) => !['recipient', 'representative'].includes(r.role)).map((r) => ({ ...r, roleName: ROLE_NAMES[r.role as Role] })),
      people: rows.filter((r) => ['recipient', 'representative'].includes(r.role)).map((r) => ({ ...r, roleName: ROLE_NAMES[r.role as Role] })),
    };
  };

  router.get('/sign-in', async (req, res) => {
    if (req.user) return res.redirect(303, homeFor(req.user.role));
    res.render('auth/sign-in.njk', { pageTitle: res.locals.t('common:signIn.title'), values: {}, demo: await demoAccounts() });
  });

  router.post('/sign-in', async (req, res) => {
    const form = parseForm(signInForm(res.locals.t), req.body);
    const values = { username: String(req.body?.username ?? '') };
    if (!form.ok) {
      return res.status(400).render('auth/sign-in.njk', { pageTitle: res.locals.t('common:signIn.title'), errors: form.errors, values, demo: await demoAccounts() });
    }
    const username = form.data.username.toLowerCase();
    if (await tooManyFailures(services, username, req.ip)) {
      const text = res.locals.t('common:signIn.tooMany');
      return res.status(429).render('auth/sign-in.njk', {
        pageTitle: res.locals.t('common:signIn.title'),
        errors: { list: [{ text, href: '#username' }], fields: { username: { text } } },
        values,
        demo: await demoAccounts(),
      });
    }
    const user = await services.db.selectFrom('users').select(['id', 'username', 'role', 'password_hash', 'active', 'must_change_password']).where('username', '=', username).executeTakeFirst();
    const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, form.data.password);
    if (!user || !ok || !user.active) {
      await audit(services.db, null, { action: 'sign_in_failed', entityType: 'user', details: { username } }, req.ip);
      const text = res.locals.t('common:signIn.wrong');
      return res.status(400).render('auth/sign-in.njk', {
        pageTitle: res.locals.t('common:signIn.title'),
        errors: { list: [{ text, href: '#username' }], fields: { username: { text } } },
        values,
        demo: await demoAccounts(),
      });
    }
    // A new session id at sign-in, so a session fixed by an attacker before sign-in is worthless.
    const chosenLanguage = req.session.lang;
    await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
    await carryLanguageThroughSignIn(services, req, { id: user.id, username: user.username, role: user.role as Role }, chosenLanguage);
    if (user.must_change_password) {
      // A temporary password (set up by staff) opens one page only: choosing their own password.
      await audit(services.db, { id: user.id, username: user.username, role: user.role as Role }, { action: 'sign_in', entityType: 'user', entityId: user.id, details: { temporaryPassword: true } }, req.ip);
      await startChoosingPassword(req, user.id);
      return res.redirect(303, NEW_PASSWORD_PATH);
    }
    req.session.userId = user.id;
    req.session.signedInAt = Date.now();
    await audit(services.db, { id: user.id, username: user.username, role: user.role as Role }, { action: 'sign_in', entityType: 'user', entityId: user.id }, req.ip);
    const current = await loadUser(services, user.id);
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    res.redirect(303, homeFor(current!.role));
  });

  router.use(newPasswordRoutes(services));

  router.get('/sign-out', (req, res) => {
    if (!req.user) return res.redirect(303, '/sign-in');
    res.render('auth/sign-out.njk', { pageTitle: res.locals.t('common:signOut.title') });
  });

  router.post('/sign-out', async (req, res) => {
    if (req.user) await audit(services.db, req.user, { action: 'sign_out', entityType: 'user', entityId: req.user.id }, req.ip);
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie('dp.sid');
    // The session (and the language chosen in it) is gone: the last page says goodbye in the same language.
    res.redirect(303, res.locals.lang === 'cy' ? '/signed-out?lang=cy' : '/signed-out');
  });

  router.get('/signed-out', (req, res) => {
    if (req.query.lang === 'cy' && !req.user && !req.session?.lang) useLanguage(res, 'cy');
    res.render('auth/signed-out.njk', { pageTitle: res.locals.t('common:signOut.done') });
  });

  return router;
}
