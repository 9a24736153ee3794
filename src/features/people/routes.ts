import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/permissions.ts';
import { param } from '../../platform/http/errors.ts';
import { parseForm } from '../../platform/http/validation.ts';
import { whoReceives, REPRESENTATIVE_NAMES, type Receiver } from '../../domain/who-can-receive.ts';
import { listPeople } from './queries.ts';
import { personFor, fullName, type PersonRow } from './access.ts';
import { loadRecord } from './record.ts';
import { personForm, personColumns, personValues, changedFields, PERSON_KINDS, LANGUAGES } from './person-form.ts';
import { typed } from './form-values.ts';
import { supportRoutes } from './support-routes.ts';
import { personSignInRoutes } from './sign-in-routes.ts';
import { signInHolders } from './sign-ins.ts';
import { INFORMATION_FORMATS } from './support-forms.ts';
import { DIRECT_PAYMENT_STATUS, PAYMENT_KIND, PLAN_STATUS, REVIEW_KIND } from './labels.ts';

export function peopleRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const formPage = (res: express.Response, status: number, locals: Record<string, unknown>) =>
    res.status(status).render('people/views/person-form.njk', { kinds: PERSON_KINDS, languages: LANGUAGES, ...locals });

  // A search is POSTed, never put in the URL: a name in a URL ends up in browser history and logs.
  const listPage = async (req: express.Request, res: express.Response, search: string) => {
    const user = userOf(req);
    const people = await listPeople(db, user, search);
    await audit(db, user, { action: 'view', entityType: 'people-list', details: { search: search ? 'yes' : 'no', count: people.length } }, req.ip);
    res.render('people/views/list.njk', { pageTitle: 'People', people, search, canAdd: can(user, 'people:write') });
  };
  router.get('/people', requireCapability('people:read'), (req, res) => listPage(req, res, ''));
  router.post('/people', requireCapability('people:read'), (req, res) => listPage(req, res, typeof req.body.search === 'string' ? req.body.search.trim().slice(0, 100) : ''));

  router.get('/people/new', requireCapability('people:write'), (_req, res) => {
    formPage(res, 200, { pageTitle: 'Add a person', values: { preferredLanguage: 'en' }, action: '/people/new', backLink: '/people' });
  });

  router.post('/people/new', requireCapability('people:write'), async (req, res) => {
    const user = userOf(req);
    const form = parseForm(personForm(clock.today()), req.body, { dates: ['dateOfBirth'] });
    if (!form.ok) return formPage(res, 400, { pageTitle: 'Add a person', values: typed(req.body), errors: form.errors, action: '/people/new', backLink: '/people' });
    const person = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('people')
        .values({
          ...personColumns(form.data),
          council_id: user.councilId,
          team_id: user.teamId,
          practitioner_id: user.role === 'practitioner' ? user.id : null,
        })
        .returning(['id', 'reference'])
        .executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'create', entityType: 'person', entityId: row.id, personId: row.id, details: { reference: row.reference } }, req.ip);
      return row;
    });
    res.redirect(303, `/people/${person.id}`);
  });

  router.get('/people/:personId', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const person = await personFor(db, user, param(req, 'personId'), clock.today());
    const [record, signIns] = await Promise.all([loadRecord(db, person.id), signInHolders(db, person, clock.today())]);
    await audit(db, user, { action: 'view', entityType: 'person', entityId: person.id, personId: person.id }, req.ip);
    res.render('people/views/person.njk', {
      pageTitle: fullName(person),
      person,
      record,
      receiver: describeReceiver(person, record.representatives, clock.today()),
      kinds: PERSON_KINDS,
      repNames: REPRESENTATIVE_NAMES,
      formats: INFORMATION_FORMATS,
      planStatus: PLAN_STATUS,
      paymentKinds: PAYMENT_KIND,
      dpStatus: DIRECT_PAYMENT_STATUS,
      reviewKinds: REVIEW_KIND,
      today: clock.today(),
      canEdit: can(user, 'people:write'),
      canConverse: can(user, 'conversations:write'),
      canReadConversations: can(user, 'conversations:read'),
      canPlan: can(user, 'plans:write'),
      canReview: can(user, 'reviews:write'),
      signIns,
      repSignIns: Object.fromEntries(signIns.representatives.map((r) => [r.representativeId, r])),
      canGrantSignIn: can(user, 'people:grant-sign-in'),
      backLink: '/people',
    });
  });

  router.get('/people/:personId/edit', requireCapability('people:write'), async (req, res) => {
    const user = userOf(req);
    const person = await personFor(db, user, param(req, 'personId'), clock.today());
    await audit(db, user, { action: 'view', entityType: 'person', entityId: person.id, personId: person.id, details: { page: 'edit' } }, req.ip);
    formPage(res, 200, { pageTitle: `Change ${fullName(person)}’s details`, values: personValues(person), action: `/people/${person.id}/edit`, backLink: `/people/${person.id}`, editing: true });
  });

  router.post('/people/:personId/edit', requireCapability('people:write'), async (req, res) => {
    const user = userOf(req);
    const person = await personFor(db, user, param(req, 'personId'), clock.today());
    const form = parseForm(personForm(clock.today()), req.body, { dates: ['dateOfBirth'] });
    if (!form.ok) {
      return formPage(res, 400, { pageTitle: `Change ${fullName(person)}’s details`, values: typed(req.body), errors: form.errors, action: `/people/${person.id}/edit`, backLink: `/people/${person.id}`, editing: true });
    }
    const after = personColumns(form.data);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('people').set({ ...after, updated_at: new Date() }).where('id', '=', person.id).execute();
      await audit(trx, user, { action: 'update', entityType: 'person', entityId: person.id, personId: person.id, details: { changed: changedFields(person, after) } }, req.ip);
    });
    res.redirect(303, `/people/${person.id}`);
  });

  router.use(supportRoutes(services));
  router.use(personSignInRoutes(services));
  return router;
}

/** Who the money would go to today, in words for the record page. */
function describeReceiver(
  person: PersonRow,
  representatives: Array<{ id: string; name: string; kind: keyof typeof REPRESENTATIVE_NAMES; date_of_birth: string | null; receives_payment: boolean; ends_on: string | null }>,
  today: string,
): string {
  const current = representatives.filter((r) => !r.ends_on || r.ends_on >= today);
  const receiver: Receiver<string> = whoReceives(
    person.jurisdiction,
    { kind: person.kind, dateOfBirth: person.date_of_birth, hasCapacity: person.has_capacity },
    current.map((r) => ({ id: r.id, kind: r.kind, dateOfBirth: r.date_of_birth, receivesPayment: r.receives_payment })),
    today,
  );
  if (receiver.who === 'person') return `${person.given_name} can receive a direct payment themselves.`;
  if (receiver.who === 'representative') {
    const rep = current.find((r) => r.id === receiver.representativeId)!;
    return `${rep.name} (${REPRESENTATIVE_NAMES[rep.kind].toLowerCase()}) receives a direct payment for ${person.given_name}.`;
  }
  return receiver.reason;
}
