import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { param } from '../../platform/http/errors.ts';
import { fieldError, parseForm } from '../../platform/http/validation.ts';
import { checkRepresentative, representativeKindsIn, REPRESENTATIVE_NAMES, type RepresentativeKind } from '../../domain/who-can-receive.ts';
import { personFor, fullName, type PersonRow } from './access.ts';
import { typed } from './form-values.ts';
import { advocacyForm, contactForm, informationForm, representativeForm, INFORMAL_SUPPORT, INFORMATION_FORMATS } from './support-forms.ts';

const REPRESENTATIVE_HINTS: Record<RepresentativeKind, string> = {
  nominated: 'Chosen by the person, who has capacity, to receive and manage the direct payment for them',
  authorised: 'Receives the direct payment for an adult who lacks capacity to consent to it',
  suitable: 'Receives the direct payment for an adult who lacks capacity to consent to it',
  parental_responsibility: 'Receives the direct payment for a disabled child',
};

const orNull = (v: string) => (v === '' ? null : v);

/** The things recorded around a person: contacts, representatives, advocacy and information given. */
export function supportRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  const load = async (req: express.Request) => {
    const user = userOf(req);
    const person = await personFor(db, user, param(req, 'personId'), clock.today());
    return { user, person, back: `/people/${person.id}` };
  };
  // A form page shows part of the record, so opening one is a read of it.
  const loadForm = async (req: express.Request, page: string) => {
    const loaded = await load(req);
    await audit(db, loaded.user, { action: 'view', entityType: 'person', entityId: loaded.person.id, personId: loaded.person.id, details: { page } }, req.ip);
    return loaded;
  };
  const page = (res: express.Response, status: number, view: string, person: PersonRow, locals: Record<string, unknown>) =>
    res.status(status).render(`people/views/${view}.njk`, { person, name: fullName(person), backLink: `/people/${person.id}`, ...locals });

  // Contacts: family, friends and others. Informal support is only recorded where they are willing and able.
  router.get('/people/:personId/contacts/new', requireCapability('people:write'), async (req, res) => {
    const { person } = await loadForm(req, 'new contacts');
    page(res, 200, 'contact-form', person, { pageTitle: 'Add a contact', values: {}, options: INFORMAL_SUPPORT });
  });

  router.post('/people/:personId/contacts/new', requireCapability('people:write'), async (req, res) => {
    const { user, person, back } = await load(req);
    const form = parseForm(contactForm, req.body);
    if (!form.ok) return page(res, 400, 'contact-form', person, { pageTitle: 'Add a contact', values: typed(req.body), errors: form.errors, options: INFORMAL_SUPPORT });
    const v = form.data;
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('contacts')
        .values({
          person_id: person.id,
          name: v.name,
          relationship: v.relationship,
          phone: orNull(v.phone),
          email: orNull(v.email),
          gives_informal_support: v.informalSupport === 'yes',
          willing_and_able: v.informalSupport === 'unknown' ? null : v.informalSupport === 'yes',
          notes: v.informalSupport === 'yes' ? v.supportNotes : orNull(v.supportNotes),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'create', entityType: 'contact', entityId: row.id, personId: person.id }, req.ip);
    });
    res.redirect(303, `${back}#contacts`);
  });

  // Representatives: who acts for the person, and whether they receive the money.
  const repLocals = (person: PersonRow) => {
    const kinds = representativeKindsIn(person.jurisdiction);
    return { kinds: kinds.map((k) => ({ value: k, text: REPRESENTATIVE_NAMES[k], hint: { text: REPRESENTATIVE_HINTS[k] } })) };
  };

  router.get('/people/:personId/representatives/new', requireCapability('people:write'), async (req, res) => {
    const { person } = await loadForm(req, 'new representatives');
    page(res, 200, 'representative-form', person, { pageTitle: 'Add a representative', values: {}, ...repLocals(person) });
  });

  router.post('/people/:personId/representatives/new', requireCapability('people:write'), async (req, res) => {
    const { user, person, back } = await load(req);
    const today = clock.today();
    const kinds = representativeKindsIn(person.jurisdiction) as [RepresentativeKind, ...RepresentativeKind[]];
    const form = parseForm(representativeForm(kinds), req.body, { dates: ['dateOfBirth'] });
    const again = (errors: ReturnType<typeof fieldError>) =>
      page(res, 400, 'representative-form', person, { pageTitle: 'Add a representative', values: typed(req.body), errors, ...repLocals(person) });
    if (!form.ok) return again(form.errors);
    const v = form.data;
    const kind = v.kind as RepresentativeKind;
    if (v.dateOfBirth && v.dateOfBirth > today) return again(fieldError('dateOfBirth', 'Date of birth must be in the past', '#dateOfBirth-day'));
    const fit = checkRepresentative(
      person.jurisdiction,
      { kind: person.kind, dateOfBirth: person.date_of_birth, hasCapacity: person.has_capacity },
      { kind, dateOfBirth: v.dateOfBirth || null, receivesPayment: v.receivesPayment },
      today,
    );
    if (!fit.ok) return again(fit.about === 'age' ? fieldError('dateOfBirth', fit.reason, '#dateOfBirth-day') : fieldError('kind', fit.reason));
    const saved = await db.transaction().execute(async (trx) => {
      // Lock the person so two people adding a receiving representative at once cannot both succeed.
      await trx.selectFrom('people').select('id').where('id', '=', person.id).forUpdate().execute();
      if (v.receivesPayment) {
        const receiving = await trx
          .selectFrom('representatives')
          .select('name')
          .where('person_id', '=', person.id)
          .where('receives_payment', '=', true)
          .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
          .executeTakeFirst();
        if (receiving) return { clash: receiving.name };
      }
      const row = await trx
        .insertInto('representatives')
        .values({
          person_id: person.id,
          name: v.name,
          relationship: v.relationship,
          kind,
          date_of_birth: v.dateOfBirth || null,
          receives_payment: v.receivesPayment,
          starts_on: today,
          notes: orNull(v.notes),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'create', entityType: 'representative', entityId: row.id, personId: person.id, details: { kind, receivesPayment: v.receivesPayment } }, req.ip);
      return { clash: null };
    });
    if (saved.clash) return again(fieldError('receivesPayment', `${saved.clash} already receives the direct payment. Only one person can receive it`));
    res.redirect(303, `${back}#representatives`);
  });

  // Advocacy: everyone has the right to an independent advocate; record the offer and the answer.
  router.get('/people/:personId/advocacy/new', requireCapability('people:write'), async (req, res) => {
    const { person } = await loadForm(req, 'new advocacy');
    page(res, 200, 'advocacy-form', person, { pageTitle: 'Record an offer of advocacy', values: {} });
  });

  router.post('/people/:personId/advocacy/new', requireCapability('people:write'), async (req, res) => {
    const { user, person, back } = await load(req);
    const form = parseForm(advocacyForm(clock.today()), req.body, { dates: ['offeredOn'] });
    if (!form.ok) return page(res, 400, 'advocacy-form', person, { pageTitle: 'Record an offer of advocacy', values: typed(req.body), errors: form.errors });
    const v = form.data;
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('advocacy')
        .values({
          person_id: person.id,
          offered_on: v.offeredOn,
          accepted: v.accepted,
          advocate_name: v.accepted ? orNull(v.advocateName) : null,
          organisation: v.accepted ? orNull(v.organisation) : null,
          notes: orNull(v.notes),
          recorded_by: user.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'create', entityType: 'advocacy', entityId: row.id, personId: person.id, details: { accepted: v.accepted } }, req.ip);
    });
    res.redirect(303, `${back}#advocacy`);
  });

  // Information given before the assessment, so the person has time to think and talk it over.
  router.get('/people/:personId/information/new', requireCapability('people:write'), async (req, res) => {
    const { person } = await loadForm(req, 'new information');
    page(res, 200, 'information-form', person, { pageTitle: 'Record information given', values: {}, formats: INFORMATION_FORMATS });
  });

  router.post('/people/:personId/information/new', requireCapability('people:write'), async (req, res) => {
    const { user, person, back } = await load(req);
    const form = parseForm(informationForm(clock.today()), req.body, { dates: ['givenOn'] });
    if (!form.ok) return page(res, 400, 'information-form', person, { pageTitle: 'Record information given', values: typed(req.body), errors: form.errors, formats: INFORMATION_FORMATS });
    await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('information_given')
        .values({ person_id: person.id, given_on: form.data.givenOn, format: form.data.format, recorded_by: user.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'create', entityType: 'information-given', entityId: row.id, personId: person.id, details: { format: form.data.format } }, req.ip);
    });
    res.redirect(303, `${back}#information`);
  });

  return router;
}
