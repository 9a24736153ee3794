import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { can, canSeePerson } from '../../platform/permissions.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { newPlanForm, agreeForm } from './forms.ts';
import { findPersonName, latestCompletedConversation, planFor, planItems } from './queries.ts';
import { planPage } from './plan-page.ts';
import { itemRoutes } from './items.ts';
import { budgetRoutes } from './budget.ts';
import { setFlash } from '../../platform/http/flash.ts';

export function plansRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  async function personFor(req: express.Request) {
    const user = userOf(req);
    const personId = param(req, 'personId');
    if (!(await canSeePerson(db, user, personId, clock.today()))) notFound();
    const person = await findPersonName(db, personId);
    if (!person) notFound();
    return person;
  }

  router.get('/people/:personId/plans/new', requireCapability('plans:write'), async (req, res) => {
    const user = userOf(req);
    const person = await personFor(req);
    const conversation = await latestCompletedConversation(db, person.id);
    await audit(db, user, { action: 'view', entityType: 'care-plan-new', personId: person.id }, req.ip);
    res.render('plans/views/new.njk', { pageTitle: 'Start a care and support plan', person, conversation, values: {}, backLink: `/people/${person.id}` });
  });

  router.post('/people/:personId/plans/new', requireCapability('plans:write'), async (req, res) => {
    const user = userOf(req);
    const person = await personFor(req);
    const conversation = await latestCompletedConversation(db, person.id);
    const form = parseForm(newPlanForm, req.body);
    if (!form.ok) {
      res.status(400).render('plans/views/new.njk', { pageTitle: 'Start a care and support plan', person, conversation, values: req.body, errors: form.errors, backLink: `/people/${person.id}` });
      return;
    }
    const plan = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('care_plans')
        .values({ person_id: person.id, conversation_id: conversation?.id ?? null, kind: form.data.kind, co_produced_with: form.data.co_produced_with, created_by: user.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'create', entityType: 'care-plan', entityId: row.id, personId: person.id, details: { kind: form.data.kind } }, req.ip);
      return row;
    });
    await setFlash(req, 'Plan started', 'Now add each outcome and how it will be met.');
    res.redirect(303, `/plans/${plan.id}`);
  });

  router.get('/plans/:planId', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const plan = await planFor(db, user, param(req, 'planId'), clock.today());
    const page = await planPage(db, plan, { canChange: can(user, 'plans:write') && plan.status === 'draft', canAddDirectPayment: can(user, 'direct-payments:write') && plan.status !== 'replaced' });
    await audit(db, user, { action: 'view', entityType: 'care-plan', entityId: plan.id, personId: plan.person_id }, req.ip);
    res.render('plans/views/plan.njk', { pageTitle: 'Care and support plan', ...page, backLink: `/people/${plan.person_id}` });
  });

  async function renderAgree(req: express.Request, res: express.Response, errors?: FormErrors) {
    const user = userOf(req);
    const plan = await planFor(db, user, param(req, 'planId'), clock.today());
    if (plan.status !== 'draft') return res.redirect(303, `/plans/${plan.id}`);
    const page = await planPage(db, plan, { canChange: true, canAddDirectPayment: false, returnTo: 'agree' });
    await audit(db, user, { action: 'view', entityType: 'care-plan', entityId: plan.id, personId: plan.person_id, details: { page: 'agree' } }, req.ip);
    res.status(errors ? 400 : 200).render('plans/views/agree.njk', { pageTitle: 'Check the plan before it is agreed', ...page, errors, values: req.body ?? {}, backLink: `/plans/${plan.id}` });
  }

  router.get('/plans/:planId/agree', requireCapability('plans:write'), (req, res) => renderAgree(req, res));

  router.post('/plans/:planId/agree', requireCapability('plans:write'), async (req, res) => {
    const user = userOf(req);
    const plan = await planFor(db, user, param(req, 'planId'), clock.today());
    if (plan.status !== 'draft') return res.redirect(303, `/plans/${plan.id}`);
    const items = await planItems(db, plan.id);
    const form = parseForm(agreeForm, req.body);
    const errors: FormErrors = { list: [], fields: {} };
    const add = (e: FormErrors) => {
      errors.list.push(...e.list);
      Object.assign(errors.fields, e.fields);
    };
    if (!items.length) add(fieldError('outcomes', 'Add at least one outcome before the plan is agreed', '#outcomes'));
    if (plan.kind === 'ongoing' && plan.weekly_cost_pence === null) add(fieldError('budget', 'Set the personal budget before an ongoing plan is agreed', '#budget'));
    if (!form.ok) add(form.errors);
    if (errors.list.length) return renderAgree(req, res, errors);
    const agreed = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('care_plans')
        .set({ status: 'agreed', agreed_on: clock.today(), updated_at: new Date() })
        .where('id', '=', plan.id)
        .where('status', '=', 'draft')
        .returning('id')
        .executeTakeFirst();
      if (row) await audit(trx, user, { action: 'update', entityType: 'care-plan', entityId: plan.id, personId: plan.person_id, details: { status: 'agreed' } }, req.ip);
      return !!row;
    });
    if (agreed) await setFlash(req, 'Plan agreed', 'The plan can no longer be changed. If needs change, start a new plan.');
    res.redirect(303, `/plans/${plan.id}`);
  });

  itemRoutes(router, services);
  budgetRoutes(router, services);
  return router;
}
