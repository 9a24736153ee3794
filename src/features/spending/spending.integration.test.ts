import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { approvedDirectPayment, representativeFor } from '../payments/test-data.ts';
import { verifyLedger } from '../payments/ledger.ts';

let t: TestApp;
let practitioner: Agent;
let finance: Agent;
let pat: Agent;
let dp: { id: string; personId: string };
beforeAll(async () => {
  t = await startTestApp();
  [practitioner, finance] = await Promise.all([signedIn(t.app, 'practitioner'), signedIn(t.app, 'finance')]);
  dp = await approvedDirectPayment(t.db, { username: 'pat', givenName: 'Pat' });
  const created = await practitioner.post2(`/direct-payments/${dp.id}/agreement`, {});
  const agreementId = created.headers.location!.split('/').pop()!;
  await practitioner.post2(`/agreements/${agreementId}/signed`, { 'signedOn-day': '23', 'signedOn-month': '11', 'signedOn-year': '2026', signedBy: 'Pat Tester' });
  const payment = await t.db.selectFrom('payments').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
  await finance.post2(`/direct-payments/${dp.id}/payments/${payment.id}/sent`, {});
  await finance.post2(`/direct-payments/${dp.id}/payments/${payment.id}/paid`, {});
  pat = await signedIn(t.app, 'pat');
});
afterAll(async () => {
  await t?.stop();
});

const good = { 'spentOn-day': '22', 'spentOn-month': '11', 'spentOn-year': '2026', amount: '£399.99', paidTo: 'Currys', outcome: '0', note: 'The cooker, delivered and fitted' };

async function records() {
  return t.db.selectFrom('spending_records').selectAll().where('direct_payment_id', '=', dp.id).orderBy('created_at').execute();
}

describe('recording what was bought', () => {
  it("offers the plan's outcomes and saves the record as the person's own, not a ledger movement", async () => {
    const form = await pat.get(`/my/direct-payments/${dp.id}/spending/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('I want to cook my own meals again');
    expect(form.text).toContain('Something else');
    const ledgerBefore = await t.db.selectFrom('ledger_transactions').select('id').where('direct_payment_id', '=', dp.id).execute();

    const res = await pat.post2(`/my/direct-payments/${dp.id}/spending/new`, good);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/my/direct-payments/${dp.id}?recorded=yes`);
    const saved = await records();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ spent_on: '2026-11-22', amount_pence: 39999, paid_to: 'Currys', outcome: 'I want to cook my own meals again', note: 'The cooker, delivered and fitted' });
    expect(await t.db.selectFrom('ledger_transactions').select('id').where('direct_payment_id', '=', dp.id).execute()).toHaveLength(ledgerBefore.length);
    expect(await verifyLedger(t.db)).toEqual([]);
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', saved[0]!.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);

    const home = await pat.get(res.headers.location!);
    expect(home.text).toContain('What you bought has been saved');
    expect(home.text).toContain('Currys');
    expect(home.text).toContain('About £50.01 left, going by what you’ve recorded');
    const statement = await finance.get(`/direct-payments/${dp.id}/payments`);
    expect(statement.text).toContain('Currys');
    expect(statement.text).toContain('£399.99');
  });

  it('records "something else" without an outcome', async () => {
    const res = await pat.post2(`/my/direct-payments/${dp.id}/spending/new`, { ...good, amount: '12', paidTo: 'Hardware shop', outcome: 'other', note: '' });
    expect(res.status).toBe(303);
    const last = (await records()).at(-1)!;
    expect(last).toMatchObject({ amount_pence: 1200, outcome: null, note: null });
  });

  it('keeps what was typed and explains each problem', async () => {
    const before = (await records()).length;
    const empty = await pat.post2(`/my/direct-payments/${dp.id}/spending/new`, { 'spentOn-day': '', 'spentOn-month': '', 'spentOn-year': '', amount: '', paidTo: '', note: 'kept note' });
    expect(empty.status).toBe(400);
    for (const message of ['Enter the date you paid', 'Enter how much you paid', 'Enter who you paid', 'Select what it was for']) expect(empty.text).toContain(message);
    expect(empty.text).toContain('kept note');
    expect(empty.text).toContain('href="#spentOn-day"');
    expect(empty.text).toContain('href="#outcome"');

    const cases: Array<[Record<string, string>, string]> = [
      [{ 'spentOn-day': '24' }, 'The date you paid must be today or in the past'],
      [{ 'spentOn-day': '31', 'spentOn-month': '2' }, 'The date you paid must be a real date'],
      [{ amount: '0' }, 'The amount must be more than £0'],
      [{ amount: '-5' }, 'The amount must be more than £0'],
      [{ amount: '100000.01' }, 'The amount must be £100,000 or less'],
      [{ amount: 'lots' }, 'Enter the amount in pounds'],
      [{ outcome: '7' }, 'Select what it was for'],
    ];
    for (const [change, message] of cases) {
      const res = await pat.post2(`/my/direct-payments/${dp.id}/spending/new`, { ...good, ...change });
      expect(res.status, message).toBe(400);
      expect(res.text).toContain(message);
      expect(res.text).toContain('value="Currys"');
    }
    expect((await pat.post2(`/my/direct-payments/${dp.id}/spending/new`, { ...good, amount: '100,000' })).status).toBe(303);
    expect((await records()).length).toBe(before + 1);
  });

  it("refuses another person's direct payment, and staff, without saving anything", async () => {
    const before = (await records()).length;
    const other = await approvedDirectPayment(t.db, { username: 'kim', givenName: 'Kim' });
    const kim = await signedIn(t.app, 'kim');
    expect((await kim.get(`/my/direct-payments/${dp.id}/spending/new`)).status).toBe(404);
    expect((await kim.post2(`/my/direct-payments/${dp.id}/spending/new`, good)).status).toBe(404);
    // Kim's own direct payment is only approved: nothing to record against yet.
    expect((await kim.post2(`/my/direct-payments/${other.id}/spending/new`, good)).status).toBe(404);
    expect((await practitioner.post2(`/my/direct-payments/${dp.id}/spending/new`, good)).status).toBe(403);
    expect((await finance.get(`/my/direct-payments/${dp.id}/spending/new`)).status).toBe(403);
    expect((await records()).length).toBe(before);
  });

  it('lets a representative record for the person they act for, labelled as such', async () => {
    await representativeFor(t.db, 'sam', [dp.personId]);
    const sam = await signedIn(t.app, 'sam');
    const form = await sam.get(`/my/direct-payments/${dp.id}/spending/new`);
    expect(form.text).toContain('You are managing this for Pat Tester');
    const res = await sam.post2(`/my/direct-payments/${dp.id}/spending/new`, { ...good, paidTo: 'Gas engineer' });
    expect(res.status).toBe(303);
    expect((await records()).at(-1)).toMatchObject({ paid_to: 'Gas engineer' });
  });
});
