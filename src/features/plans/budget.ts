import type express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/permissions.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { parseForm } from '../../platform/http/validation.ts';
import { penceToInput } from '../../domain/money.ts';
import { costsByFrequency } from '../../domain/personal-budget.ts';
import { budgetForm } from './forms.ts';
import { asCosts, budgetOf, lockDraftPlan, planFor, planItems } from './queries.ts';
import { setFlash } from '../../platform/http/flash.ts';

/**
 * The personal budget of an ongoing plan: the weekly cost to the council of meeting the needs, the
 * person's assessed weekly contribution (after the financial assessment), and so the council's part.
 * One-off plans have no personal budget, so for them this page does not exist.
 */
export function budgetRoutes(router: express.Router, services: Services): void {
  const { db, clock } = services;

  async function ongoingPlan(req: express.Request) {
    const plan = await planFor(db, userOf(req), param(req, 'planId'), clock.today());
    if (plan.kind !== 'ongoing') notFound();
    return plan;
  }

  async function view(plan: Awaited<ReturnType<typeof ongoingPlan>>, user: ReturnType<typeof userOf>, extra: Record<string, unknown>) {
    const items = await planItems(db, plan.id);
    return {
      pageTitle: 'Personal budget',
      plan,
      budget: budgetOf(plan),
      weeklyItemsCost: costsByFrequency(asCosts(items)).weekly,
      canChange: plan.status === 'draft' && can(user, 'plans:write'),
      backLink: `/plans/${plan.id}`,
      ...extra,
    };
  }

  router.get('/plans/:planId/budget', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const plan = await ongoingPlan(req);
    const page = await view(plan, user, {});
    const values = {
      weekly_cost: plan.weekly_cost_pence === null ? penceToInput(page.weeklyItemsCost || null) : penceToInput(plan.weekly_cost_pence),
      weekly_contribution: penceToInput(plan.weekly_contribution_pence),
    };
    await audit(db, user, { action: 'view', entityType: 'personal-budget', entityId: plan.id, personId: plan.person_id }, req.ip);
    res.render('plans/views/budget.njk', { ...page, values });
  });

  router.post('/plans/:planId/budget', requireCapability('plans:write'), async (req, res) => {
    const user = userOf(req);
    const plan = await ongoingPlan(req);
    if (plan.status !== 'draft') return res.redirect(303, `/plans/${plan.id}`);
    const form = parseForm(budgetForm, req.body);
    if (!form.ok) {
      res.status(400).render('plans/views/budget.njk', await view(plan, user, { values: req.body, errors: form.errors }));
      return;
    }
    const { weekly_cost, weekly_contribution } = form.data;
    await db.transaction().execute(async (trx) => {
      await lockDraftPlan(trx, plan.id);
      await trx
        .updateTable('care_plans')
        .set({ weekly_cost_pence: weekly_cost, weekly_contribution_pence: weekly_contribution, updated_at: new Date() })
        .where('id', '=', plan.id)
        .execute();
      await audit(trx, user, { action: 'update', entityType: 'personal-budget', entityId: plan.id, personId: plan.person_id, details: { weeklyCostPence: weekly_cost, weeklyContributionPence: weekly_contribution } }, req.ip);
    });
    await setFlash(req, 'Personal budget saved');
    res.redirect(303, req.query.returnTo === 'agree' ? `/plans/${plan.id}/agree` : `/plans/${plan.id}`);
  });
}
