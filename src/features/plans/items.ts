import type express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { isUuid } from '../../platform/permissions.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { parseForm } from '../../platform/http/validation.ts';
import { penceToInput } from '../../domain/money.ts';
import { allowedCostFrequencies, MET_BY, type PlanKind } from '../../domain/personal-budget.ts';
import { planItemForm } from './forms.ts';
import { lockDraftPlan, planFor } from './queries.ts';
import { COST_FREQUENCY_NAMES, MET_BY_NAMES } from './labels.ts';
import { setFlash } from '../../platform/http/flash.ts';

/** Adding, changing and removing the outcomes of a draft plan. An agreed plan is read-only. */
export function itemRoutes(router: express.Router, services: Services): void {
  const { db, clock } = services;

  async function draftPlan(req: express.Request, res: express.Response) {
    const plan = await planFor(db, userOf(req), param(req, 'planId'), clock.today());
    if (plan.status !== 'draft') {
      res.redirect(303, `/plans/${plan.id}`);
      return null;
    }
    return plan;
  }

  async function itemOf(planId: string, itemId: string) {
    if (!isUuid(itemId)) notFound();
    const item = await db.selectFrom('plan_items').selectAll().where('id', '=', itemId).where('plan_id', '=', planId).executeTakeFirst();
    if (!item) notFound();
    return item;
  }

  const back = (req: express.Request, planId: string) => (req.query.returnTo === 'agree' ? `/plans/${planId}/agree` : `/plans/${planId}`);

  function formView(kind: PlanKind, extra: Record<string, unknown>) {
    const frequencies = allowedCostFrequencies(kind);
    return {
      metByOptions: MET_BY.map((m) => [m, MET_BY_NAMES[m]]),
      frequencyOptions: frequencies.map((f) => [f, COST_FREQUENCY_NAMES[f]]),
      ...extra,
    };
  }

  router.get('/plans/:planId/items/new', requireCapability('plans:write'), async (req, res) => {
    const plan = await draftPlan(req, res);
    if (!plan) return;
    await audit(db, userOf(req), { action: 'view', entityType: 'care-plan', entityId: plan.id, personId: plan.person_id, details: { page: 'add-outcome' } }, req.ip);
    res.render('plans/views/item.njk', formView(plan.kind as PlanKind, { pageTitle: 'Add an outcome', plan, values: {}, backLink: back(req, plan.id) }));
  });

  router.post('/plans/:planId/items/new', requireCapability('plans:write'), async (req, res) => {
    const user = userOf(req);
    const plan = await draftPlan(req, res);
    if (!plan) return;
    const form = parseForm(planItemForm(plan.kind as PlanKind), req.body);
    if (!form.ok) {
      res.status(400).render('plans/views/item.njk', formView(plan.kind as PlanKind, { pageTitle: 'Add an outcome', plan, values: req.body, errors: form.errors, backLink: back(req, plan.id) }));
      return;
    }
    const d = form.data;
    await db.transaction().execute(async (trx) => {
      // The lock also keeps two outcomes added at once from taking the same place in the list.
      await lockDraftPlan(trx, plan.id);
      const last = await trx.selectFrom('plan_items').select((eb) => eb.fn.max('position').as('max')).where('plan_id', '=', plan.id).executeTakeFirst();
      const row = await trx
        .insertInto('plan_items')
        .values({ plan_id: plan.id, position: Number(last?.max ?? 0) + 1, outcome: d.outcome, met_by: d.met_by, how: d.how, cost_frequency: d.cost_frequency, cost_pence: d.cost_frequency === 'none' ? 0 : (d.cost ?? 0) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('care_plans').set({ updated_at: new Date() }).where('id', '=', plan.id).execute();
      await audit(trx, user, { action: 'create', entityType: 'plan-item', entityId: row.id, personId: plan.person_id, details: { planId: plan.id, metBy: d.met_by } }, req.ip);
    });
    await setFlash(req, 'Outcome added');
    res.redirect(303, back(req, plan.id));
  });

  router.get('/plans/:planId/items/:itemId/edit', requireCapability('plans:write'), async (req, res) => {
    const plan = await draftPlan(req, res);
    if (!plan) return;
    const item = await itemOf(plan.id, param(req, 'itemId'));
    await audit(db, userOf(req), { action: 'view', entityType: 'plan-item', entityId: item.id, personId: plan.person_id }, req.ip);
    const values = { outcome: item.outcome, met_by: item.met_by, how: item.how, cost_frequency: item.cost_frequency, cost: item.cost_frequency === 'none' ? '' : penceToInput(item.cost_pence) };
    res.render('plans/views/item.njk', formView(plan.kind as PlanKind, { pageTitle: 'Change an outcome', plan, item, values, backLink: back(req, plan.id) }));
  });

  router.post('/plans/:planId/items/:itemId/edit', requireCapability('plans:write'), async (req, res) => {
    const user = userOf(req);
    const plan = await draftPlan(req, res);
    if (!plan) return;
    const item = await itemOf(plan.id, param(req, 'itemId'));
    const form = parseForm(planItemForm(plan.kind as PlanKind), req.body);
    if (!form.ok) {
      res.status(400).render('plans/views/item.njk', formView(plan.kind as PlanKind, { pageTitle: 'Change an outcome', plan, item, values: req.body, errors: form.errors, backLink: back(req, plan.id) }));
      return;
    }
    const d = form.data;
    await db.transaction().execute(async (trx) => {
      await lockDraftPlan(trx, plan.id);
      await trx
        .updateTable('plan_items')
        .set({ outcome: d.outcome, met_by: d.met_by, how: d.how, cost_frequency: d.cost_frequency, cost_pence: d.cost_frequency === 'none' ? 0 : (d.cost ?? 0) })
        .where('id', '=', item.id)
        .execute();
      await trx.updateTable('care_plans').set({ updated_at: new Date() }).where('id', '=', plan.id).execute();
      await audit(trx, user, { action: 'update', entityType: 'plan-item', entityId: item.id, personId: plan.person_id, details: { planId: plan.id, metBy: d.met_by } }, req.ip);
    });
    await setFlash(req, 'Outcome changed');
    res.redirect(303, back(req, plan.id));
  });

  router.get('/plans/:planId/items/:itemId/remove', requireCapability('plans:write'), async (req, res) => {
    const plan = await draftPlan(req, res);
    if (!plan) return;
    const item = await itemOf(plan.id, param(req, 'itemId'));
    await audit(db, userOf(req), { action: 'view', entityType: 'plan-item', entityId: item.id, personId: plan.person_id, details: { page: 'remove' } }, req.ip);
    res.render('plans/views/remove-item.njk', { pageTitle: 'Remove this outcome?', plan, item, returnTo: req.query.returnTo === 'agree' ? '?returnTo=agree' : '', backLink: back(req, plan.id) });
  });

  router.post('/plans/:planId/items/:itemId/remove', requireCapability('plans:write'), async (req, res) => {
    const user = userOf(req);
    const plan = await draftPlan(req, res);
    if (!plan) return;
    const item = await itemOf(plan.id, param(req, 'itemId'));
    await db.transaction().execute(async (trx) => {
      await lockDraftPlan(trx, plan.id);
      await trx.deleteFrom('plan_items').where('id', '=', item.id).execute();
      await trx.updateTable('care_plans').set({ updated_at: new Date() }).where('id', '=', plan.id).execute();
      await audit(trx, user, { action: 'delete', entityType: 'plan-item', entityId: item.id, personId: plan.person_id, details: { planId: plan.id } }, req.ip);
    });
    await setFlash(req, 'Outcome removed');
    res.redirect(303, back(req, plan.id));
  });
}
