import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { usernameField } from '../admin/user-form.ts';
import { optionalEmail } from './person-form.ts';
import { personFor, fullName, type PersonRow } from './access.ts';
import { giveSignIn, resetSignIn, signInHolder, suggestUsername, turnOffSignIn, type SignInHolder } from './sign-ins.ts';

export const signInForm = z.object({
  username: usernameField,
  email: optionalEmail('Enter an email address in the correct format, like name@example.com'),
});

const TAKEN = 'That username is already taken: choose another';

// The person's own sign-in, and each representative's: the same pages under two addresses.
const BASES = ['/people/:personId/sign-in', '/people/:personId/representatives/:representativeId/sign-in'];
const at = (suffix: string) => BASES.map((b) => b + suffix);

/** "Give <name> a sign-in", turn it off, or give a new temporary password: on the person's record. */
export function personSignInRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const grant = requireCapability('people:grant-sign-in');
  const usernameTaken = async (username: string) => !!(await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst());

  /** The person (404 unless this user may see them) and whose sign-in the address is about. */
  const load = async (req: express.Request) => {
    const user = userOf(req);
    const person = await personFor(db, user, param(req, 'personId'), clock.today());
    const repId = req.params.representativeId;
    const holder = await signInHolder(db, person, typeof repId === 'string' ? repId : undefined, clock.today());
    if (!holder) notFound();
    const base = holder.representativeId ? `/people/${person.id}/representatives/${holder.representativeId}/sign-in` : `/people/${person.id}/sign-in`;
    return { user, person, holder, base, back: `/people/${person.id}#sign-in` };
  };
  const viewed = (req: express.Request, user: ReturnType<typeof userOf>, person: PersonRow, page: string) =>
    audit(db, user, { action: 'view', entityType: 'person', entityId: person.id, personId: person.id, details: { page } }, req.ip);

  const formPage = (res: express.Response, person: PersonRow, holder: SignInHolder, base: string, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('people/views/sign-in-form.njk', {
      pageTitle: `Give ${holder.name} a sign-in`,
      person,
      name: fullName(person),
      holder,
      action: base,
      values,
      errors,
      backLink: `/people/${person.id}#sign-in`,
    });

  const readyPage = (res: express.Response, person: PersonRow, holder: SignInHolder, details: { username: string; temporaryPassword: string }, fresh: boolean) =>
    // The temporary password is this response only: never stored, never redirected with, and the
    // page is not cached (Cache-Control: no-store on every page).
    res.render('people/views/sign-in-ready.njk', {
      pageTitle: fresh ? `${holder.name} has a sign-in` : `New temporary password for ${holder.name}`,
      person,
      name: fullName(person),
      holder,
      fresh,
      username: details.username,
      temporaryPassword: details.temporaryPassword,
    });

  router.get(at(''), grant, async (req, res) => {
    const { user, person, holder, base } = await load(req);
    if (!holder.mayHaveOne) notFound();
    await viewed(req, user, person, 'new sign-in');
    formPage(res, person, holder, base, { username: await suggestUsername(db, holder.name) });
  });

  router.post(at(''), grant, async (req, res) => {
    const { user, person, holder, base } = await load(req);
    const values = { username: String(req.body?.username ?? ''), email: String(req.body?.email ?? '') };
    const again = (errors: FormErrors) => formPage(res, person, holder, base, values, errors);
    if (!holder.mayHaveOne) {
      if (holder.signIn) return again(fieldError('username', `${holder.name} already has a sign-in, with the username ${holder.signIn.username}`));
      notFound();
    }
    const form = parseForm(signInForm, req.body);
    if (!form.ok) {
      // Every mistake at once: a username that is well formed but taken is said with the others.
      const username = usernameField.safeParse(req.body?.username);
      if (username.success && !form.errors.fields.username && (await usernameTaken(username.data))) {
        const text = TAKEN;
        return again({ list: [{ text, href: '#username' }, ...form.errors.list], fields: { username: { text }, ...form.errors.fields } });
      }
      return again(form.errors);
    }
    const given = await giveSignIn(
      db,
      {
        holder,
        username: form.data.username,
        email: form.data.email || null,
        councilId: person.council_id,
        preferredLanguage: holder.kind === 'person' ? (person.preferred_language === 'cy' ? 'cy' : 'en') : null,
      },
      user,
      { ip: req.ip },
    );
    if (!given.ok) {
      if (given.reason === 'username_taken') return again(fieldError('username', TAKEN));
      return again(fieldError('username', `${holder.name} already has a sign-in`));
    }
    readyPage(res, person, holder, given, true);
  });

  router.get(at('/turn-off'), grant, async (req, res) => {
    const { user, person, holder, back } = await load(req);
    if (!holder.signIn?.active) return res.redirect(303, back);
    await viewed(req, user, person, 'turn off sign-in');
    res.render('people/views/sign-in-turn-off.njk', { pageTitle: `Turn off ${holder.name}’s sign-in`, person, holder, backLink: back });
  });

  router.post(at('/turn-off'), grant, async (req, res) => {
    const { user, holder, back } = await load(req);
    if (!holder.signIn) notFound();
    await turnOffSignIn(db, holder, user, req.ip);
    await flashThenRedirect(req, res, { title: `${holder.name}’s sign-in has been turned off`, text: `They can no longer sign in as ${holder.signIn.username}.` }, back);
  });

  router.get(at('/reset'), grant, async (req, res) => {
    const { user, person, holder, back } = await load(req);
    if (!holder.signIn) return res.redirect(303, back);
    await viewed(req, user, person, 'new temporary password');
    res.render('people/views/sign-in-reset.njk', { pageTitle: `Give ${holder.name} a new temporary password`, person, holder, backLink: back });
  });

  router.post(at('/reset'), grant, async (req, res) => {
    const { user, person, holder } = await load(req);
    if (!holder.signIn) notFound();
    const reset = await resetSignIn(db, holder, user, req.ip);
    if (!reset) notFound();
    readyPage(res, person, holder, reset, false);
  });

  return router;
}
