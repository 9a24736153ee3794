import express from 'express';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Services } from '../services.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { isStaff } from '../auth/roles.ts';
import { audit } from '../audit.ts';
import { isLang, translator, type Lang, type Translate } from './index.ts';

declare module 'express-session' {
  interface SessionData {
    /** The language chosen with the switch, before sign-in (and kept through it). */
    lang: Lang;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      t: Translate;
      lang: Lang;
    }
  }
}

/**
 * The language of this request. Staff pages stay in English for now. For the person (recipient
 * or representative): their own choice, else the council's first language. Before sign-in: the
 * choice made in this session, else English.
 */
export function languageFor(user: CurrentUser | undefined, sessionLang: Lang | undefined): Lang {
  if (user) {
    if (isStaff(user.role)) return 'en';
    return user.preferredLanguage ?? sessionLang ?? user.councilFirstLanguage ?? 'en';
  }
  return sessionLang ?? 'en';
}

/** Whether the English / Cymraeg switch shows: on the person's pages and before sign-in. */
export function showsLanguageSwitch(user: CurrentUser | undefined): boolean {
  return !user || !isStaff(user.role);
}

/** A safe place to go back to after switching: a path on this site, never another site. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > 500) return '/';
  if (!/^\/(?![/\\])[^\s\\]*$/.test(value)) return '/';
  return value;
}

/** Sets the page's language: `t`, `lang`, `htmlLang` and the switch's current choice. */
export function useLanguage(res: express.Response, lang: Lang): void {
  res.locals.lang = lang;
  res.locals.htmlLang = lang;
  res.locals.t = translator(lang);
  if (res.locals.languageSwitch) res.locals.languageSwitch.current = lang;
}

/** Puts `t`, `lang` and `htmlLang` on every request (after the current user is known). */
export const setUpLanguage: express.RequestHandler = (req, res, next) => {
  if (showsLanguageSwitch(req.user)) {
    res.locals.languageSwitch = { returnTo: safeReturnTo(req.method === 'GET' ? req.originalUrl : req.originalUrl.split('?')[0]) };
  }
  useLanguage(res, languageFor(req.user, isLang(req.session?.lang) ? req.session.lang : undefined));
  next();
};

/** Saves a person's language choice on their user record, with its audit row. */
export async function rememberLanguage(
  db: Kysely<DB> | Transaction<DB>,
  user: Pick<CurrentUser, 'id' | 'username' | 'role'>,
  lang: Lang,
  ip?: string,
): Promise<void> {
  await db.updateTable('users').set({ preferred_language: lang }).where('id', '=', user.id).execute();
  await audit(db, user, { action: 'update', entityType: 'user', entityId: user.id, details: { preferredLanguage: lang } }, ip);
}

/**
 * POST /language: the switch. Remembered in the session (before sign-in) and on the user
 * record (once signed in), then back to the page the person was on.
 */
export function languageRoutes(services: Services): express.Router {
  const router = express.Router();
  router.post('/language', async (req, res) => {
    const lang = req.body?.lang;
    const back = safeReturnTo(req.body?.returnTo);
    if (!isLang(lang)) {
      res.redirect(303, back);
      return;
    }
    req.session.lang = lang;
    if (req.user && !isStaff(req.user.role)) {
      const user = req.user;
      await services.db.transaction().execute((trx) => rememberLanguage(trx, user, lang, req.ip));
    }
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    res.redirect(303, back);
  });
  return router;
}

/**
 * At sign-in the session is replaced (against session fixation). A language chosen on the
 * sign-in page is the person's latest choice: carry it into the new session and remember it.
 */
export async function carryLanguageThroughSignIn(
  services: Services,
  req: express.Request,
  user: Pick<CurrentUser, 'id' | 'username' | 'role'>,
  chosen: unknown,
): Promise<void> {
  if (!isLang(chosen)) return;
  req.session.lang = chosen;
  if (!isStaff(user.role)) await services.db.transaction().execute((trx) => rememberLanguage(trx, user, chosen, req.ip));
}
