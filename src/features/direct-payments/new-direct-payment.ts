import type express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { param } from '../../platform/http/errors.ts';
import { parseForm } from '../../platform/http/validation.ts';
import { penceToInput } from '../../domain/money.ts';
import { directPaymentShare, suggestedContribution } from '../../domain/personal-budget.ts';
import { asCosts, budgetOf, planFor, planItems, type Plan } from '../plans/queries.ts';
import { setFlash } from '../../platform/http/flash.ts';
import { listGuidance } from '../guidance/queries.ts';
import { directPaymentForm, type DirectPaymentFormData } from './forms.ts';
import { payableRepresentatives, personCanReceive } from './queries.ts';
import { REPRESENTATIVE_KIND_NAMES } from './labels.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';

/**
 * Setting up a direct payment from a care and support plan: one form, because every answer is
 * needed before the business case, and it is short enough to check on one page.
 */
export function newDirectPaymentRoutes(router: express.Router, services: Services): void {
  const { db, clock } = services;

  async function context(user: CurrentUser, plan: Plan) {
    const [items, representatives, guidance] = await Promise.all([
      planItems(db, plan.id),
      payableRepresentatives(db, plan.person_id, clock.today()),
      listGuidance(db, user.councilId),
    ]);
    const kind = plan.kind === 'ongoing' ? 'ongoing' : 'one_off';
    const receiver = await personCanReceive(db, plan.person_id, clock.today());
    const budget = budgetOf(plan);
    return {
      kind,
      budget,
      items,
      outcomes: items.filter((i) => i.met_by === 'direct_payment').map((i) => i.outcome),
      share: directPaymentShare(asCosts(items)),
      hasCouncilServices: items.some((i) => i.met_by === 'council_service'),
      // Why the form cannot be filled in yet, if it cannot.
      blocked: plan.status === 'replaced'
        ? 'This plan has been replaced. Set up the direct payment from the current plan.'
        : plan.status !== 'agreed'
          ? 'Agree the plan with the person first: the direct payment is set up from the agreed plan.'
        : !items.some((i) => i.met_by === 'direct_payment')
          ? 'No outcome in this plan is met by a direct payment yet. Add one to the plan first.'
          : kind === 'ongoing' && !budget
            ? 'An ongoing direct payment is part of the person’s personal budget. Set the personal budget first.'
            : null,
      personCannotReceive: receiver.ok ? null : receiver.reason,
      payeeOptions: [
        ...(receiver.ok ? [['person', `${plan.given_name} ${plan.family_name}, the person`]] : []),
        ...representatives.map((r) => [`representative:${r.id}`, `${r.name}, ${r.relationship} (${REPRESENTATIVE_KIND_NAMES[r.kind] ?? r.kind})`]),
        ['provider', 'The managed-account provider'],
      ],
      representativeIds: representatives.map((r) => r.id),
      guidance,
    } as const;
  }

  function render(res: express.Response, plan: Plan, ctx: Awaited<ReturnType<typeof context>>, values: Record<string, unknown>, errors?: unknown) {
    res.status(errors ? 400 : 200).render('direct-payments/views/new.njk', {
      pageTitle: 'Set up a direct payment',
      plan,
      personName: `${plan.given_name} ${plan.family_name}`,
      ...ctx,
      values,
      errors,
      backLink: `/plans/${plan.id}`,
    });
  }

  router.get('/plans/:planId/direct-payments/new', requireCapability('direct-payments:write'), async (req, res) => {
    const user = userOf(req);
    const plan = await planFor(db, user, param(req, 'planId'), clock.today());
    const ctx = await context(user, plan);
    await audit(db, user, { action: 'view', entityType: 'direct-payment-new', entityId: plan.id, personId: plan.person_id }, req.ip);
    const gross = ctx.share.weekly;
    render(res, plan, ctx, {
      meets_needs: ctx.hasCouncilServices ? 'part' : 'all',
      payee: 'person',
      ...(ctx.kind === 'one_off'
        ? { amount: penceToInput(ctx.share.oneOff || null) }
        : { weekly_amount: penceToInput(gross || null), weekly_contribution: ctx.budget ? penceToInput(suggestedContribution(gross, ctx.budget)) : '' }),
    });
  });

  router.post('/plans/:planId/direct-payments/new', requireCapability('direct-payments:write'), async (req, res) => {
    const user = userOf(req);
    const plan = await planFor(db, user, param(req, 'planId'), clock.today());
    const ctx = await context(user, plan);
    if (ctx.blocked) return res.redirect(303, `/plans/${plan.id}/direct-payments/new`);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = parseForm(directPaymentForm({ kind: ctx.kind, budget: ctx.budget, representativeIds: ctx.representativeIds, personCannotReceive: ctx.personCannotReceive, today: clock.today() }, body), body, { dates: ['starts_on'] });
    if (!form.ok) return render(res, plan, ctx, body, form.errors);
    const d = form.data as DirectPaymentFormData;
    const payee = d.payee.startsWith('representative:') ? 'representative' : d.payee;
    const dp = await db.transaction().execute(async (trx) => {
      // One open direct payment per plan: a double-submitted form finds the first one instead of
      // sending two to the panel. The plan row lock makes two simultaneous submissions take turns.
      await trx.selectFrom('care_plans').select('id').where('id', '=', plan.id).forUpdate().executeTakeFirstOrThrow();
      const open = await trx
        .selectFrom('direct_payments')
        .select(['id', 'reference'])
        .where('plan_id', '=', plan.id)
        .where('status', 'not in', ['declined', 'ended'])
        .executeTakeFirst();
      if (open) return { ...open, existing: true };
      const row = await trx
        .insertInto('direct_payments')
        .values({
          council_id: plan.council_id,
          person_id: plan.person_id,
          plan_id: plan.id,
          kind: ctx.kind,
          purpose: d.purpose,
          meets_needs: d.meets_needs,
          amount_pence: ctx.kind === 'one_off' ? d.amount : null,
          weekly_amount_pence: ctx.kind === 'ongoing' ? d.weekly_amount : null,
          weekly_contribution_pence: ctx.kind === 'ongoing' ? (d.weekly_contribution ?? 0) : 0,
          frequency: ctx.kind === 'ongoing' ? 'four_weekly' : 'once',
          payment_method: d.payment_method,
          payee,
          representative_id: payee === 'representative' ? d.payee.slice('representative:'.length) : null,
          provider_name: d.payment_method === 'managed_account' ? d.provider_name : null,
          account_name: d.payment_method === 'bank_account' ? d.account_name : null,
          sort_code: d.payment_method === 'bank_account' ? d.sort_code : null,
          account_number: d.payment_method === 'bank_account' ? d.account_number : null,
          starts_on: d.starts_on,
          created_by: user.id,
        })
        .returning(['id', 'reference'])
        .executeTakeFirstOrThrow();
      // The audit row never carries the bank details themselves.
      await audit(trx, user, { action: 'create', entityType: 'direct-payment', entityId: row.id, personId: plan.person_id, details: { reference: row.reference, kind: ctx.kind, planId: plan.id, method: d.payment_method, payee } }, req.ip);
      return { ...row, existing: false };
    });
    if (dp.existing) await setFlash(req, `This plan already has direct payment ${dp.reference}`, 'Nothing new was set up.');
    else await setFlash(req, `Direct payment ${dp.reference} set up`, 'Next, write the business case for the funding panel.');
    res.redirect(303, `/direct-payments/${dp.id}`);
  });
}
