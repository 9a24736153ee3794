import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { verifyLedger } from '../payments/ledger.ts';
import { agreedDirectPayment } from '../payment-runs/test-data.ts';

let t: TestApp;
let practitioner: Agent;
let finance: Agent;

const day = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! };
};

beforeAll(async () => {
  t = await startTestApp();
  [practitioner, finance] = await Promise.all([signedIn(t.app, 'practitioner'), signedIn(t.app, 'finance')]);
});
// The ledger's every rule holds after every step.
afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  await t?.stop();
});

async function active(givenName: string) {
  const dp = await agreedDirectPayment(t.db, { givenName, kind: 'ongoing', weeklyPence: 18800, contributionPence: 2350 });
  await t.db.updateTable('direct_payments').set({ status: 'active' }).where('id', '=', dp.id).execute();
  return dp;
}

const payments = (dpId: string) =>
  t.db.selectFrom('payments').select(['period_starts_on', 'period_ends_on', 'amount_pence', 'status']).where('direct_payment_id', '=', dpId).orderBy('period_starts_on').execute();

describe('the payment schedule page', () => {
  it('shows the rate, how it is paid and what comes next, and is audited', async () => {
    const dp = await active('Gwen');
    const page = await practitioner.get(`/direct-payments/${dp.id}/schedule`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('In advance, every 4 weeks, less the person’s contribution');
    expect(page.text).toContain('£188.00');
    expect(page.text).toContain('£658.00');
    expect(page.text).toContain('21 December 2026 to 17 January 2027');
    const audited = await t.db.selectFrom('audit_log').select('entity_type').where('entity_id', '=', dp.id).where('entity_type', '=', 'payment-schedule').execute();
    expect(audited.length).toBeGreaterThan(0);
  });
});

describe('changing the rate from a date', () => {
  it('says what is wrong and keeps what was typed', async () => {
    const dp = await active('Rhiannon');
    const empty = await practitioner.post2(`/direct-payments/${dp.id}/schedule/rate`, {});
    expect(empty.status).toBe(400);
    for (const m of ['Enter the date the new rate starts', 'Enter the new weekly amount', 'Say why the rate is changing']) expect(empty.text).toContain(m);
    const more = await practitioner.post2(`/direct-payments/${dp.id}/schedule/rate`, { ...day('from', '2026-12-07'), weeklyAmount: '100', weeklyContribution: '150', reason: 'Reassessed' });
    expect(more.status).toBe(400);
    expect(more.text).toContain('The contribution cannot be more than the weekly amount');
    expect(more.text).toContain('value="Reassessed"');
    const early = await practitioner.post2(`/direct-payments/${dp.id}/schedule/rate`, { ...day('from', '2026-11-01'), weeklyAmount: '200', weeklyContribution: '23.50', reason: 'Uplift' });
    expect(early.status).toBe(400);
    expect(early.text).toContain('Payments started on 23 November 2026. Choose that date or a later one.');
  });

  it('pays a period straddling the change at each rate for its own days', async () => {
    const dp = await active('Ceri');
    const res = await practitioner.post2(`/direct-payments/${dp.id}/schedule/rate`, { ...day('from', '2026-12-07'), weeklyAmount: '£200', weeklyContribution: '23.50', reason: 'April uplift, early' });
    expect(res.status).toBe(303);
    // 14 days at £658 a period and 14 at £706.
    expect(await payments(dp.id)).toEqual([{ period_starts_on: '2026-11-23', period_ends_on: '2026-12-20', amount_pence: 68200, status: 'scheduled' }]);
    const page = await practitioner.get(`/direct-payments/${dp.id}/schedule`);
    expect(page.text).toContain('New rate saved');
    expect(page.text).toContain('1 payment not yet sent was worked out again');
    expect(page.text).toContain('April uplift, early');
  });

  it('refuses a change for days already paid', async () => {
    const dp = await active('Dylan');
    const payment = await t.db.selectFrom('payments').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
    await finance.post2(`/direct-payments/${dp.id}/payments/${payment.id}/sent`, {});
    const res = await practitioner.post2(`/direct-payments/${dp.id}/schedule/rate`, { ...day('from', '2026-12-01'), weeklyAmount: '200', weeklyContribution: '0', reason: 'Uplift' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Payments have already been made up to 20 December 2026. Choose 21 December 2026 or later.');
    expect(await verifyLedger(t.db)).toEqual([]);
  });
});

describe('suspending, resuming and ending', () => {
  it('suspends from today, so the period starting today is not paid, and resumes part-way through it', async () => {
    const dp = await active('Eira');
    const suspended = await practitioner.post2(`/direct-payments/${dp.id}/schedule/suspend`, { ...day('from', '2026-11-23'), reason: 'In hospital' });
    expect(suspended.status).toBe(303);
    expect((await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow()).status).toBe('suspended');
    expect(await payments(dp.id)).toEqual([]);
    const again = await practitioner.post2(`/direct-payments/${dp.id}/schedule/suspend`, { ...day('from', '2026-11-30'), reason: 'Again' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('Payments are already suspended from 23 November 2026.');
    const page = await practitioner.get(`/direct-payments/${dp.id}/schedule`);
    expect(page.text).toContain('Not paid: suspended');

    const early = await practitioner.post2(`/direct-payments/${dp.id}/schedule/resume`, day('from', '2026-11-23'));
    expect(early.status).toBe(400);
    expect(early.text).toContain('Payments were suspended from 23 November 2026. Choose a later date.');
    const resumed = await practitioner.post2(`/direct-payments/${dp.id}/schedule/resume`, day('from', '2026-12-07'));
    expect(resumed.status).toBe(303);
    expect((await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow()).status).toBe('active');
    // The first period is paid for its last 14 days only.
    expect((await practitioner.get(`/direct-payments/${dp.id}/schedule`)).text).toContain('£329.00');
  });

  it('shows the closing balance before ending, then pays the last period to the end date', async () => {
    const dp = await active('Ffrancon');
    const check = await finance.post2(`/direct-payments/${dp.id}/schedule/end`, { ...day('endsOn', '2026-12-06'), reason: 'Moving to another area' });
    expect(check.status).toBe(200);
    expect(check.text).toContain('Check before ending the payments');
    expect(check.text).toContain('Paid for days after the end');
    expect(await payments(dp.id)).toEqual([expect.objectContaining({ amount_pence: 65800 })]);
    const ended = await finance.post2(`/direct-payments/${dp.id}/schedule/end`, { ...day('endsOn', '2026-12-06'), reason: 'Moving to another area', confirmed: 'yes' });
    expect(ended.status).toBe(303);
    expect(await payments(dp.id)).toEqual([{ period_starts_on: '2026-11-23', period_ends_on: '2026-12-06', amount_pence: 32900, status: 'scheduled' }]);
    const page = await finance.get(`/direct-payments/${dp.id}/schedule`);
    expect(page.text).toContain('Closing balance');
    expect(page.text).toContain('Moving to another area');
    const blank = await finance.post2(`/direct-payments/${dp.id}/schedule/end`, {});
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('Enter the last day payments cover');
  });
});

describe('who may see and change a schedule', () => {
  it('lets the panel read it but not change it, answers 403 to a recipient and 404 to another council', async () => {
    const dp = await active('Heledd');
    const panel = await signedIn(t.app, 'panel');
    expect((await panel.get(`/direct-payments/${dp.id}/schedule`)).status).toBe(200);
    expect((await panel.get(`/direct-payments/${dp.id}/schedule/rate`)).status).toBe(403);
    expect((await panel.post2(`/direct-payments/${dp.id}/schedule/suspend`, { ...day('from', '2026-12-01'), reason: 'x' })).status).toBe(403);
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/direct-payments/${dp.id}/schedule`)).status).toBe(403);
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/direct-payments/${dp.id}/schedule`)).status).toBe(404);
    expect((await rhys.post2(`/direct-payments/${dp.id}/schedule/end`, { ...day('endsOn', '2026-12-01'), reason: 'x', confirmed: 'yes' })).status).toBe(404);
    expect((await practitioner.get('/direct-payments/not-an-id/schedule')).status).toBe(404);
    expect((await t.db.selectFrom('payment_schedules').select('ends_on').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow()).ends_on).toBeNull();
  });
});
