import express from 'express';
import { z } from 'zod';
import { sql } from 'kysely';
import type { Services } from '../services.ts';
import { audit } from '../audit.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { parseForm, type FormErrors } from '../http/validation.ts';
import { homeFor } from '../http/navigation.ts';
import { isLang, type Translate } from '../i18n/index.ts';
import { useLanguage } from '../i18n/middleware.ts';
import type { Role } from './roles.ts';

declare module 'express-session' {
  interface SessionData {
    /**
     * Signed in with a temporary password and not yet chosen their own: not signed in (no
     * userId), so no other page opens until they have.
     */
    choosingPassword: { userId: string; at: number };
  }
}

export const MIN_NEW_PASSWORD = 12;
const MAX_NEW_PASSWORD = 200;
/** How long after signing in with a temporary password the "Choose a new password" page waits. */
const CHOOSE_WITHIN_MS = 30 * 60 * 1000;
export const NEW_PASSWORD_PATH = '/sign-in/new-password';

const newPasswordForm = (t: Translate) =>
  z.object({
    // Taken exactly as typed: a space is part of a password.
    password: z
      .string({ error: t('password:errors.enter') })
      .min(1, { error: t('password:errors.enter') })
      .min(MIN_NEW_PASSWORD, { error: t('password:errors.tooShort', { min: MIN_NEW_PASSWORD }) })
      .max(MAX_NEW_PASSWORD, { error: t('password:errors.tooLong', { max: MAX_NEW_PASSWORD }) }),
  });

const save = (req: express.Request) => new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));

/** Starts "Choose a new password" for someone who has just signed in with a temporary password. */
export async function startChoosingPassword(req: express.Request, userId: string): Promise<void> {
  req.session.choosingPassword = { userId, at: Date.now() };
  await save(req);
}

/**
 * GET/POST /sign-in/new-password: the first sign-in after a member of staff set up a sign-in (or
 * gave a new temporary password). GOV.UK's password guidance; one field with "Show"; the new
 * password must differ from the temporary one and the username. Then the session is replaced (a
 * new id), every other session of the user ends, and they are signed in.
 */
export function newPasswordRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db } = services;

  /** The user choosing a password in this session, in their language, or undefined (back to sign in). */
  const pending = async (req: express.Request, res: express.Response) => {
    const choosing = req.session.choosingPassword;
    if (!choosing || Date.now() - choosing.at > CHOOSE_WITHIN_MS) return undefined;
    const user = await db
      .selectFrom('users')
      .innerJoin('councils', 'councils.id', 'users.council_id')
      .select(['users.id', 'users.username', 'users.role', 'users.password_hash', 'users.active', 'users.must_change_password', 'users.preferred_language', 'councils.first_language'])
      .where('users.id', '=', choosing.userId)
      .executeTakeFirst();
    if (!user || !user.active || !user.must_change_password) return undefined;
    // The page is the person's: the language chosen in this session, else their own, else their council's.
    const lang = isLang(req.session.lang) ? req.session.lang : isLang(user.preferred_language) ? user.preferred_language : isLang(user.first_language) ? user.first_language : 'en';
    useLanguage(res, lang);
    return user;
  };

  const page = (res: express.Response, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('auth/new-password.njk', {
      pageTitle: res.locals.t('password:title'),
      min: MIN_NEW_PASSWORD,
      // A password is never sent back to the browser.
      values: {},
      errors,
    });

  router.get(NEW_PASSWORD_PATH, async (req, res) => {
    if (req.user) return res.redirect(303, homeFor(req.user.role));
    if (!(await pending(req, res))) return res.redirect(303, '/sign-in');
    page(res);
  });

  router.post(NEW_PASSWORD_PATH, async (req, res) => {
    if (req.user) return res.redirect(303, homeFor(req.user.role));
    const user = await pending(req, res);
    if (!user) return res.redirect(303, '/sign-in');
    const t = res.locals.t;
    const form = parseForm(newPasswordForm(t), req.body);
    if (!form.ok) return page(res, form.errors);
    const password = form.data.password;
    const refuse = (key: string) => page(res, { list: [{ text: t(key), href: '#password' }], fields: { password: { text: t(key) } } });
    if (password.trim().toLowerCase() === user.username) return refuse('password:errors.username');
    if (await verifyPassword(user.password_hash, password)) return refuse('password:errors.sameAsTemporary');

    const passwordHash = await hashPassword(password);
    const actor = { id: user.id, username: user.username, role: user.role as Role };
    const changed = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: false })
        .where('id', '=', user.id)
        .where('must_change_password', '=', true)
        .where('active', '=', true)
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      await audit(trx, actor, { action: 'update', entityType: 'user', entityId: user.id, details: { password: 'chosen at first sign-in' } }, req.ip);
      // Any other session of this user (none should be signed in, but a temporary password may
      // have been given before) ends now.
      await sql`delete from session where sess->>'userId' = ${user.id}`.execute(trx);
      return true;
    });
    if (!changed) return res.redirect(303, '/sign-in');

    // A new session id now the person is really signed in, keeping the language they chose.
    const lang = req.session.lang;
    await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
    if (lang) req.session.lang = lang;
    req.session.userId = user.id;
    req.session.signedInAt = Date.now();
    req.session.flash = { title: t('password:done.title'), text: t('password:done.text') };
    await audit(db, actor, { action: 'sign_in', entityType: 'user', entityId: user.id, details: { afterNewPassword: true } }, req.ip);
    await save(req);
    res.redirect(303, homeFor(actor.role));
  });

  return router;
}
