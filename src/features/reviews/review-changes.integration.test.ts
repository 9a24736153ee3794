import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type Agent, type TestApp } from '../../../test/support/app.ts';
import { agreedDirectPayment } from '../payment-runs/test-data.ts';
import { verifyLedger } from '../payments/ledger.ts';

// Today is 2026-11-23. A review that changes the support feeds back into the payment schedule
// (a new rate from a date, through the schedules feature) and the plan (review_changes).
let t: TestApp;
let gareth: Agent;

const day = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: String(Number(d)), [`${name}-month`]: String(Number(m)), [`${name}-year`]: y! };
};

async function activeWithReview(givenName: string) {
  const dp = await agreedDirectPayment(t.db, { givenName, kind: 'ongoing', weeklyPence: 18800, contributionPence: 2350 });
  await t.db.updateTable('direct_payments').set({ status: 'active', first_payment_on: '2026-05-20' }).where('id', '=', dp.id).execute();
  // A first review recorded late: due 20 November, recorded today.
  const review = await t.db.insertInto('reviews').values({ direct_payment_id: dp.id, kind: 'first', due_on: '2026-11-20' }).returning('id').executeTakeFirstOrThrow();
  const items = await t.db
    .selectFrom('plan_items')
    .innerJoin('direct_payments', 'direct_payments.plan_id', 'plan_items.plan_id')
    .select('plan_items.id')
    .where('direct_payments.id', '=', dp.id)
    .orderBy('position')
    .execute();
  return { dp, reviewId: review.id, items: items.map((i) => i.id) };
}

function answers(items: string[], extra: Record<string, string>) {
  return {
    dueReview: '',
    ...Object.fromEntries(items.map((id) => [`outcome-${id}`, 'partly'])),
    outcomesMet: 'partly',
    working: 'yes',
    ...day('nextReview', '2027-11-23'),
    ...extra,
  };
}

const rates = (dpId: string) =>
  t.db
    .selectFrom('payment_schedule_rates as r')
    .innerJoin('payment_schedules as s', 's.id', 'r.schedule_id')
    .select(['r.effective_from', 'r.weekly_amount_pence', 'r.weekly_contribution_pence'])
    .where('s.direct_payment_id', '=', dpId)
    .execute();

beforeAll(async () => {
  t = await startTestApp();
  gareth = await signedIn(t.app, 'practitioner');
});
afterAll(async () => {
  await t?.stop();
});

describe('a review that changes the support', () => {
  it('offers the weekly amount now and the earliest day a new one can start', async () => {
    const { dp } = await activeWithReview('Olwen');
    const page = await gareth.get(`/direct-payments/${dp.id}/reviews/new`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('It is £188.00 a week now');
    expect(page.text).toContain('The earliest is 23 November 2026');
  });

  it('refuses an amount that contradicts the change, a missing date, or an amount with no change, keeping what was typed', async () => {
    const { dp, reviewId, items } = await activeWithReview('Bethan');
    const more = await gareth.post2(`/direct-payments/${dp.id}/reviews/new`, answers(items, { dueReview: reviewId, changes: 'more', whatChanged: 'Another morning a week', newWeekly: '150' }));
    expect(more.status).toBe(400);
    expect(more.text).toContain('For more support, the new weekly amount must be more than £188.00');
    expect(more.text).toContain('Enter the date the new weekly amount starts');
    expect(more.text).toContain('value="150"');
    expect(more.text).toContain('Another morning a week');
    const none = await gareth.post2(`/direct-payments/${dp.id}/reviews/new`, answers(items, { dueReview: reviewId, changes: 'none', newWeekly: '200', ...day('newWeeklyFrom', '2026-12-21') }));
    expect(none.status).toBe(400);
    expect(none.text).toContain('Leave the new weekly amount empty if the support stays as it is');
    const early = await gareth.post2(`/direct-payments/${dp.id}/reviews/new`, answers(items, { dueReview: reviewId, changes: 'less', whatChanged: 'Fewer hours', newWeekly: '100', ...day('newWeeklyFrom', '2026-11-01') }));
    expect(early.status).toBe(400);
    expect(early.text).toContain('The new amount can start on 23 November 2026 or later');
    // Nothing was half-saved.
    expect(await rates(dp.id)).toEqual([]);
    expect((await t.db.selectFrom('reviews').select('completed_on').where('id', '=', reviewId).executeTakeFirstOrThrow()).completed_on).toBeNull();
  });

  it('records more support: a new rate on the schedule from the date, the change against the plan, the next review from today', async () => {
    const { dp, reviewId, items } = await activeWithReview('Glenys');
    const res = await gareth.post2(
      `/direct-payments/${dp.id}/reviews/new`,
      answers(items, { dueReview: reviewId, changes: 'more', whatChanged: 'A personal assistant on Saturday mornings too', newWeekly: '£230.50', ...day('newWeeklyFrom', '2026-12-21') }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/reviews/${reviewId}`);
    expect(await rates(dp.id)).toEqual([{ effective_from: '2026-12-21', weekly_amount_pence: 23050, weekly_contribution_pence: 2350 }]);
    const change = await t.db.selectFrom('review_changes').selectAll().where('review_id', '=', reviewId).executeTakeFirstOrThrow();
    const plan = await t.db.selectFrom('direct_payments').select('plan_id').where('id', '=', dp.id).executeTakeFirstOrThrow();
    expect(change).toMatchObject({
      direct_payment_id: dp.id,
      plan_id: plan.plan_id,
      change: 'more',
      what_changed: 'A personal assistant on Saturday mornings too',
      weekly_amount_before_pence: 18800,
      weekly_amount_after_pence: 23050,
      effective_from: '2026-12-21',
    });
    // Recorded late (due 20 November, done 23 November): the next review counts from the day it was done.
    const next = await t.db.selectFrom('reviews').select(['kind', 'due_on']).where('direct_payment_id', '=', dp.id).where('completed_on', 'is', null).execute();
    expect(next).toEqual([{ kind: 'annual', due_on: '2027-11-23' }]);
    const page = await gareth.get(`/reviews/${reviewId}`);
    expect(page.text).toContain('The plan needs to change');
    expect(page.text).toContain('£188.00 a week before, £230.50 a week from 21 December 2026');
    expect(page.text).toContain(`href="/plans/${plan.plan_id}"`);
    const audited = await t.db.selectFrom('audit_log').select('entity_type').where('person_id', '=', dp.personId).where('action', '=', 'update').execute();
    expect(audited.map((a) => a.entity_type)).toContain('payment-schedule');
    expect(await verifyLedger(t.db)).toEqual([]);
  });

  it('records different support with no change of money: the plan needs revising, the schedule is untouched', async () => {
    const { dp, reviewId, items } = await activeWithReview('Nerys');
    const res = await gareth.post2(`/direct-payments/${dp.id}/reviews/new`, answers(items, { dueReview: reviewId, changes: 'different', whatChanged: 'A day centre instead of the lunch club' }));
    expect(res.status).toBe(303);
    expect(await rates(dp.id)).toEqual([]);
    const change = await t.db.selectFrom('review_changes').selectAll().where('review_id', '=', reviewId).executeTakeFirstOrThrow();
    expect(change).toMatchObject({ change: 'different', weekly_amount_after_pence: null, effective_from: null, weekly_amount_before_pence: null });
  });

  it('keeps what a review changed for good: the app may not alter or remove it', async () => {
    const any = await t.db.selectFrom('review_changes').select('review_id').executeTakeFirstOrThrow();
    await expect(t.db.updateTable('review_changes').set({ what_changed: 'x' }).where('review_id', '=', any.review_id).execute()).rejects.toThrow(/permission denied/);
    await expect(t.db.deleteFrom('review_changes').where('review_id', '=', any.review_id).execute()).rejects.toThrow(/permission denied/);
  });
});
