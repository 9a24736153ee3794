import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { approvedDirectPayment } from './test-data.ts';
import { accountFor, balanceOf, verifyLedger } from './ledger.ts';

let t: TestApp;
let practitioner: Agent;
let finance: Agent;
beforeAll(async () => {
  t = await startTestApp();
  [practitioner, finance] = await Promise.all([signedIn(t.app, 'practitioner'), signedIn(t.app, 'finance')]);
});
afterAll(async () => {
  await t?.stop();
});

/** An approved direct payment taken through a signed agreement, as the practitioner would. */
async function signedDirectPayment(opts: Parameters<typeof approvedDirectPayment>[1]) {
  const dp = await approvedDirectPayment(t.db, opts);
  const created = await practitioner.post2(`/direct-payments/${dp.id}/agreement`, {});
  const agreementId = created.headers.location!.split('/').pop()!;
  const signed = await practitioner.post2(`/agreements/${agreementId}/signed`, { 'signedOn-day': '23', 'signedOn-month': '11', 'signedOn-year': '2026', signedBy: 'Signed Here' });
  expect(signed.status).toBe(303);
  expect(await verifyLedger(t.db)).toEqual([]);
  return dp;
}

async function onlyPayment(dpId: string) {
  return t.db.selectFrom('payments').selectAll().where('direct_payment_id', '=', dpId).executeTakeFirstOrThrow();
}

async function balances(dpId: string) {
  const england = (await t.db.selectFrom('councils').select('id').where('code', '=', 'EASTMOOR').executeTakeFirstOrThrow()).id;
  const [budget, inTransit, held] = await t.db.transaction().execute(async (trx) =>
    Promise.all([accountFor(trx, england, 'budget'), accountFor(trx, england, 'in_transit'), accountFor(trx, england, 'direct_payment', dpId)]),
  );
  return { budget: await balanceOf(t.db, budget), inTransit: await balanceOf(t.db, inTransit), held: await balanceOf(t.db, held) };
}

describe('the finance statement', () => {
  it('moves a one-off payment from the budget, through transit, into the account, exactly once per step', async () => {
    const dp = await signedDirectPayment({ givenName: 'Peter' });
    const payment = await onlyPayment(dp.id);
    const statement = await finance.get(`/direct-payments/${dp.id}/payments`);
    expect(statement.status).toBe(200);
    expect(statement.text).toContain('Mark as sent');
    expect(statement.text).toContain('£450.00');
    const before = await balances(dp.id);

    const [s1, s2] = await Promise.all([
      finance.post2(`/direct-payments/${dp.id}/payments/${payment.id}/sent`, {}),
      finance.post2(`/direct-payments/${dp.id}/payments/${payment.id}/sent`, {}),
    ]);
    expect([s1.status, s2.status]).toEqual([303, 303]);
    expect(await verifyLedger(t.db)).toEqual([]);
    const sent = await balances(dp.id);
    expect(sent.budget - before.budget).toBe(-45000);
    expect(sent.inTransit - before.inTransit).toBe(45000);
    expect(sent.held).toBe(0);
    expect((await onlyPayment(dp.id)).status).toBe('in_transit');
    const keys = await t.db.selectFrom('ledger_transactions').select('idempotency_key').where('direct_payment_id', '=', dp.id).execute();
    expect(keys.map((k) => k.idempotency_key)).toEqual([`payment:${payment.id}:sent`]);
    expect((await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow()).status).toBe('agreed');

    const paid = await finance.post2(`/direct-payments/${dp.id}/payments/${payment.id}/paid`, {});
    // What happened is shown once on the next page, from the session: nothing goes in the URL.
    expect(paid.headers.location).toBe(`/direct-payments/${dp.id}/payments`);
    expect((await finance.get(paid.headers.location!)).text).toContain('Payment marked as paid');
    expect(await verifyLedger(t.db)).toEqual([]);
    const after = await balances(dp.id);
    expect(after.budget - before.budget).toBe(-45000);
    expect(after.inTransit - before.inTransit).toBe(0);
    expect(after.held).toBe(45000);
    expect((await onlyPayment(dp.id)).status).toBe('paid');
    expect((await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow()).status).toBe('active');

    const again = await finance.post2(`/direct-payments/${dp.id}/payments/${payment.id}/paid`, {});
    expect(again.headers.location).toBe(`/direct-payments/${dp.id}/payments`);
    expect((await finance.get(again.headers.location!)).text).toContain('That payment had already been marked as paid');
    expect((await balances(dp.id)).held).toBe(45000);
    const page = await finance.get(`/direct-payments/${dp.id}/payments`);
    expect(page.text).toContain('Paid into the account');
    expect(page.text).not.toContain('Mark as paid');
    // The first payment puts the check-back on the review list.
    const reviews = await t.db.selectFrom('reviews').select(['kind', 'due_on']).where('direct_payment_id', '=', dp.id).execute();
    expect(reviews).toEqual([{ kind: 'check_back', due_on: '2027-02-23' }]);
  });

  it('will not mark a payment paid before it has been sent', async () => {
    const dp = await signedDirectPayment({ givenName: 'Jemima' });
    const payment = await onlyPayment(dp.id);
    const res = await finance.post2(`/direct-payments/${dp.id}/payments/${payment.id}/paid`, {});
    expect(res.headers.location).toBe(`/direct-payments/${dp.id}/payments`);
    expect((await onlyPayment(dp.id)).status).toBe('scheduled');
    expect(await t.db.selectFrom('ledger_transactions').select('id').where('direct_payment_id', '=', dp.id).execute()).toHaveLength(0);
    expect((await finance.get(res.headers.location!)).text).toContain('Mark the payment as sent before marking it as paid');
  });

  it('shows the contribution and schedules the next four weeks of an ongoing payment', async () => {
    const dp = await signedDirectPayment({ givenName: 'Kate', kind: 'ongoing', weeklyPence: 18800, contributionPence: 2350 });
    const page = await finance.get(`/direct-payments/${dp.id}/payments`);
    expect(page.text).toContain('£658.00 every 4 weeks');
    expect(page.text).toContain('£23.50 a week (£94.00 every 4 weeks)');
    expect(page.text).toContain('23 November 2026 to 20 December 2026');
    const next = await finance.post2(`/direct-payments/${dp.id}/payments/next`, {});
    expect(next.headers.location).toBe(`/direct-payments/${dp.id}/payments`);
    const shown = (await finance.get(next.headers.location!)).text;
    expect(shown).toContain('Next payment scheduled');
    // Once only.
    expect((await finance.get(next.headers.location!)).text).not.toContain('Next payment scheduled');
    const periods = await t.db.selectFrom('payments').select(['period_starts_on', 'amount_pence', 'due_on']).where('direct_payment_id', '=', dp.id).orderBy('period_starts_on').execute();
    expect(periods).toEqual([
      { period_starts_on: '2026-11-23', amount_pence: 65800, due_on: '2026-11-23' },
      { period_starts_on: '2026-12-21', amount_pence: 65800, due_on: '2026-12-21' },
    ]);
  });

  it('shows practitioners the statement without the buttons, and refuses them the money actions', async () => {
    const dp = await signedDirectPayment({ givenName: 'Anwen' });
    const payment = await onlyPayment(dp.id);
    const page = await practitioner.get(`/direct-payments/${dp.id}/payments`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Mark as sent');
    expect((await practitioner.post2(`/direct-payments/${dp.id}/payments/${payment.id}/sent`, {})).status).toBe(403);
    expect((await practitioner.post2(`/direct-payments/${dp.id}/payments/${payment.id}/paid`, {})).status).toBe(403);
    expect((await practitioner.post2(`/direct-payments/${dp.id}/payments/next`, {})).status).toBe(403);
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/direct-payments/${dp.id}/payments`)).status).toBe(403);
    expect((await onlyPayment(dp.id)).status).toBe('scheduled');
  });

  it("answers 404 for another council's direct payment and for a payment of a different direct payment", async () => {
    const dp = await signedDirectPayment({ givenName: 'Trevor' });
    const other = await signedDirectPayment({ givenName: 'Fatima' });
    const payment = await onlyPayment(dp.id);
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/direct-payments/${dp.id}/payments`)).status).toBe(404);
    expect((await finance.post2(`/direct-payments/${other.id}/payments/${payment.id}/sent`, {})).status).toBe(404);
    expect((await finance.post2(`/direct-payments/${dp.id}/payments/not-an-id/sent`, {})).status).toBe(404);
    expect((await onlyPayment(dp.id)).status).toBe('scheduled');
    expect(await verifyLedger(t.db)).toEqual([]);
  });
});
