import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { verifyLedger } from '../payments/ledger.ts';
import { agreedDirectPayment, setUpBacs } from './test-data.ts';
import { offsetFor } from '../../../test/integration/payment-runs-support.ts';

let t: TestApp;
let finance: Agent;
let manager: Agent;
let runId: string;
const dps: Record<string, { id: string; reference: string }> = {};

const date = (iso: string, name = 'paymentDate') => {
  const [y, m, d] = iso.split('-');
  return { [`${name}-day`]: d!, [`${name}-month`]: m!, [`${name}-year`]: y! };
};

async function ledgerHolds() {
  expect(await verifyLedger(t.db)).toEqual([]);
}

async function lines(id = runId) {
  return t.db.selectFrom('payment_run_lines').selectAll().where('run_id', '=', id).orderBy('line_number').execute();
}

beforeAll(async () => {
  t = await startTestApp();
  // These tests set the council's Bacs details up themselves, starting from none.
  await t.db.deleteFrom('council_payment_settings').execute();
  [finance, manager] = await Promise.all([signedIn(t.app, 'finance'), signedIn(t.app, 'manager')]);
  dps.kate = await agreedDirectPayment(t.db, { givenName: 'Kathleen', kind: 'ongoing', weeklyPence: 18800, contributionPence: 2350 });
  dps.peter = await agreedDirectPayment(t.db, { givenName: 'Pedr', amountPence: 45000 });
  dps.nobank = await agreedDirectPayment(t.db, { givenName: 'Nobank', kind: 'ongoing', weeklyPence: 10000, contributionPence: 0, bank: { sortCode: null, accountNumber: null, accountName: null } });
  dps.accents = await agreedDirectPayment(t.db, { givenName: 'Zoë', kind: 'ongoing', weeklyPence: 5000, contributionPence: 0, bank: { sortCode: '12-34-56', accountNumber: '12345678', accountName: 'Zoë O’Brien-Łukasz (DP)' } });
  dps.huge = await agreedDirectPayment(t.db, { givenName: 'Huge', amountPence: 2_000_000_001 });
  await ledgerHolds();
});
// The ledger's every rule holds after every step.
afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  await t?.stop();
});

describe('starting a payment run', () => {
  it('refuses a missing, too-late or too-far-ahead date, keeping what was typed', async () => {
    const empty = await finance.post2('/payment-runs', { 'paymentDate-day': '', 'paymentDate-month': '', 'paymentDate-year': '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter the date the money should arrive');
    const late = await finance.post2('/payment-runs', date('2026-11-24'));
    expect(late.status).toBe(400);
    expect(late.text).toContain('It is too late for money to arrive on 24 November 2026: the Bacs file had to be sent by 20 November 2026. The earliest day money can arrive now is 25 November 2026.');
    expect(late.text).toContain('value="24"');
    const far = await finance.post2('/payment-runs', date('2027-02-26'));
    expect(far.status).toBe(400);
    expect(far.text).toContain('A payment run can be prepared up to 8 weeks ahead. Choose a day on or before 18 January 2027.');
    expect(await t.db.selectFrom('payment_runs').select('id').execute()).toHaveLength(0);
  });

  it('lists what is due and what is not paid, with the reasons in plain English', async () => {
    const res = await finance.post2('/payment-runs', date('2026-11-27'));
    expect(res.status).toBe(303);
    runId = res.headers.location!.split('/').pop()!;
    const page = await finance.get(`/payment-runs/${runId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Payment run created');
    expect(page.text).toContain('26 November 2026'); // the Bacs processing day
    expect(page.text).toContain('25 November 2026, before the bank’s cut-off');
    expect(page.text).toContain('Pays what is due up to');
    expect(page.text).toContain('29 November 2026');
    expect(page.text).toContain('No bank details.');
    expect(page.text).toContain('£20,000,000.01 is more than Bacs allows in one payment (£20,000,000.00).');
    const ls = await lines();
    const mine = ls.filter((l) => [dps.kate!.id, dps.peter!.id, dps.accents!.id].includes(l.direct_payment_id));
    expect(mine.map((l) => l.amount_pence).sort((a, b) => a - b)).toEqual([20000, 45000, 65800]);
    expect(ls.every((l) => l.status === 'pending')).toBe(true);
    const exceptions = await t.db.selectFrom('payment_run_exceptions').select(['direct_payment_id', 'reason']).where('run_id', '=', runId).execute();
    expect(exceptions).toEqual(expect.arrayContaining([{ direct_payment_id: dps.nobank!.id, reason: 'bank_details' }, { direct_payment_id: dps.huge!.id, reason: 'over_limit' }]));
    // Every person whose name and account the page showed has an audit row naming them.
    const shown = await t.db.selectFrom('audit_log').select('person_id').where('action', '=', 'view').where('entity_type', '=', 'payment-run').where('entity_id', '=', runId).execute();
    const people = await t.db.selectFrom('direct_payments').select('person_id').where('id', 'in', [...ls.map((l) => l.direct_payment_id), ...exceptions.map((x) => x.direct_payment_id)]).execute();
    expect(new Set(shown.map((r) => r.person_id))).toEqual(new Set(people.map((p) => p.person_id)));
    expect(shown.length).toBe(new Set(people.map((p) => p.person_id)).size);
    // A payment on a run moves with the run, never by hand as well.
    const onRun = mine.find((l) => l.direct_payment_id === dps.peter!.id)!;
    const byHand = await finance.post2(`/direct-payments/${dps.peter!.id}/payments/${onRun.payment_id}/sent`, {});
    expect(byHand.headers.location).toBe(`/direct-payments/${dps.peter!.id}/payments`);
    const statement = await finance.get(byHand.headers.location!);
    expect(statement.text).toContain('That payment is on a payment run, so it is sent with the run');
    expect(statement.text).not.toContain('Mark as sent');
    await ledgerHolds();
  });

  it('returns the same run when the date is asked for again, and a Saturday gives Friday’s run', async () => {
    const again = await finance.post2('/payment-runs', date('2026-11-27'));
    expect(again.headers.location).toBe(`/payment-runs/${runId}`);
    const saturday = await finance.post2('/payment-runs', date('2026-11-28'));
    expect(saturday.headers.location).toBe(`/payment-runs/${runId}`);
    expect((await finance.get(saturday.headers.location!)).text).toContain('There is already a payment run for that day');
    expect(await t.db.selectFrom('payment_runs').select('id').execute()).toHaveLength(1);
  });
});

describe('approving it', () => {
  it('will not let the person who prepared it approve it', async () => {
    const page = await finance.get(`/payment-runs/${runId}/approve`);
    expect(page.status).toBe(403);
    expect(page.text).toContain('You prepared this payment run, so someone else must approve it');
    const post = await finance.post2(`/payment-runs/${runId}/approve`, { password: 'direct-payments' });
    expect(post.status).toBe(403);
    expect((await t.db.selectFrom('payment_runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow()).status).toBe('draft');
  });

  it('needs the Bacs details, and the approver’s password, typed again', async () => {
    const noBacs = await manager.post2(`/payment-runs/${runId}/approve`, { password: 'direct-payments' });
    expect(noBacs.status).toBe(400);
    expect(noBacs.text).toContain('The council’s Bacs details are not set up yet');
    await setUpBacs(t.db);
    const missing = await manager.post2(`/payment-runs/${runId}/approve`, { password: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Enter your password');
    const wrong = await manager.post2(`/payment-runs/${runId}/approve`, { password: 'not my password' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('The password is not right');
    expect((await lines()).every((l) => l.status === 'pending')).toBe(true);
    await ledgerHolds();
  });

  it('approves once, however often it is submitted, and sends every line through the ledger', async () => {
    const [a, b] = await Promise.all([
      manager.post2(`/payment-runs/${runId}/approve`, { password: 'direct-payments' }),
      manager.post2(`/payment-runs/${runId}/approve`, { password: 'direct-payments' }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const messages = await Promise.all([manager.get(`/payment-runs/${runId}`)]);
    expect(messages[0]!.text).toMatch(/Payment run approved|had already been approved/);
    const run = await t.db.selectFrom('payment_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'approved', file_serial: '000001', file_creation_date: '2026-11-23', service_user_number: '123456' });
    expect(run.posted_at).not.toBeNull();
    const ls = await lines();
    expect(ls.every((l) => l.status === 'in_transit')).toBe(true);
    const keys = await t.db.selectFrom('ledger_transactions').select('idempotency_key').where('idempotency_key', 'like', 'run-line:%').execute();
    expect(keys).toHaveLength(ls.length);
    const approvals = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'approve').where('entity_id', '=', runId).execute();
    expect(approvals.filter((r) => !(r.details as { refused?: string }).refused)).toHaveLength(1);
    await ledgerHolds();
  });
});

describe('the Bacs file', () => {
  it('is Standard 18, cleaned to the Bacs characters, and the same bytes every time', async () => {
    const first = await finance.post2(`/payment-runs/${runId}/file`, { format: 'std18' });
    expect(first.status).toBe(200);
    expect(first.headers['content-disposition']).toContain('bacs-2026-11-27-000001.txt');
    const text = first.text;
    const records: string[] = text.split('\r\n').filter(Boolean);
    expect(records[0]).toMatch(/^VOL1000001/);
    expect(records.find((r) => r.startsWith('UHL1'))).toMatch(/^UHL1 26330/);
    expect(text).toContain('ZOE O BRIEN-');
    expect(text).not.toMatch(/[^\x20-\x7e\r\n]/);
    const again = await finance.post2(`/payment-runs/${runId}/file`, { format: 'std18' });
    expect(again.text).toBe(first.text);
    const data = await finance.post2(`/payment-runs/${runId}/file`, { format: 'std18-data' });
    expect(data.text.split('\r\n').filter(Boolean)).toHaveLength((await lines()).length + 1);
    expect((await t.db.selectFrom('payment_runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow()).status).toBe('file_generated');
  });

  it('asks which file when none is chosen, and refuses a manager', async () => {
    const none = await finance.post2(`/payment-runs/${runId}/file`, {});
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choose the kind of file');
    expect((await manager.post2(`/payment-runs/${runId}/file`, { format: 'std18' })).status).toBe(403);
  });
});

describe('paid, and returned', () => {
  it('moves the money into each account, and the first payment makes a direct payment active', async () => {
    expect((await finance.get(`/payment-runs/${runId}/paid`)).status).toBe(200);
    const res = await finance.post2(`/payment-runs/${runId}/paid`, {});
    expect(res.status).toBe(303);
    expect((await t.db.selectFrom('payment_runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow()).status).toBe('paid');
    expect((await lines()).every((l) => l.status === 'paid')).toBe(true);
    const kate = await t.db.selectFrom('direct_payments').select('status').where('id', '=', dps.kate!.id).executeTakeFirstOrThrow();
    expect(kate.status).toBe('active');
    const review = await t.db.selectFrom('reviews').select(['kind', 'due_on']).where('direct_payment_id', '=', dps.kate!.id).execute();
    expect(review).toHaveLength(1);
    const statement = await finance.get(`/direct-payments/${dps.kate!.id}/payments`);
    expect(statement.text).toContain('Payment run for 27 November 2026');
    await ledgerHolds();
  });

  it('reverses a returned payment exactly once and puts it back on the list, for the next run to pay', async () => {
    const line = (await lines()).find((l) => l.direct_payment_id === dps.peter!.id)!;
    const form = await finance.get(`/payment-runs/${runId}/lines/${line.line_number}/returned`);
    expect(form.status).toBe(200);
    const bad = await finance.post2(`/payment-runs/${runId}/lines/${line.line_number}/returned`, {});
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Choose why the bank sent the payment back');
    const [a, b] = await Promise.all([
      finance.post2(`/payment-runs/${runId}/lines/${line.line_number}/returned`, { reason: 'account_closed' }),
      finance.post2(`/payment-runs/${runId}/lines/${line.line_number}/returned`, { reason: 'account_closed' }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const reversals = await t.db.selectFrom('ledger_transactions').select('id').where('kind', '=', 'reversal').where('direct_payment_id', '=', dps.peter!.id).execute();
    expect(reversals).toHaveLength(2); // the arrival and the sending, once each
    await ledgerHolds();
    const list = await finance.get('/payment-runs');
    expect(list.text).toContain('Returned payments to sort out');
    expect(list.text).toContain('The account is closed');

    const next = await finance.post2('/payment-runs', date('2026-12-04'));
    const nextLines = await lines(next.headers.location!.split('/').pop()!);
    expect(nextLines.filter((l) => l.payment_id === line.payment_id)).toHaveLength(1);
    expect((await finance.get('/payment-runs')).text).not.toContain('Returned payments to sort out');
    await ledgerHolds();
  });
});

describe('cancelling a draft', () => {
  it('lets its payments go, so a new run for the same day pays them; an approved run cannot be cancelled', async () => {
    const dp = await agreedDirectPayment(t.db, { givenName: 'Cancelled', amountPence: 12345, startsOn: '2026-12-08' });
    const first = await finance.post2('/payment-runs', date('2026-12-11'));
    const firstId = first.headers.location!.split('/').pop()!;
    expect((await lines(firstId)).map((l) => l.direct_payment_id)).toContain(dp.id);
    const [a, b] = await Promise.all([manager.post2(`/payment-runs/${firstId}/cancel`, {}), manager.post2(`/payment-runs/${firstId}/cancel`, {})]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const page = await manager.get(`/payment-runs/${firstId}`);
    expect(page.text).toMatch(/Payment run cancelled|had already been cancelled/);
    expect(page.text).toContain('This run was cancelled before it was approved');
    expect(await lines(firstId)).toEqual([]);
    const second = await finance.post2('/payment-runs', date('2026-12-11'));
    const secondId = second.headers.location!.split('/').pop()!;
    expect(secondId).not.toBe(firstId);
    expect((await lines(secondId)).map((l) => l.direct_payment_id)).toContain(dp.id);
    const approved = await manager.post2(`/payment-runs/${runId}/cancel`, {});
    expect(approved.status).toBe(400);
    expect(approved.text).toContain('Only a run waiting for approval can be cancelled');
  });
});

describe('surplus taken off a payment', () => {
  it('shows the payment gross, the surplus taken off and the net the bank pays', async () => {
    const ids = await demoIds(t.db);
    const dp = await agreedDirectPayment(t.db, { givenName: 'Owesback', amountPence: 30_000, startsOn: '2026-12-15' });
    await offsetFor(t.db, { id: dp.id, council_id: ids.england }, 10_000, { id: ids.user('finance') });
    const created = await finance.post2('/payment-runs', date('2026-12-18'));
    const id = created.headers.location!.split('/').pop()!;
    const mine = (await lines(id)).find((l) => l.direct_payment_id === dp.id)!;
    expect([mine.amount_pence, mine.offset_pence]).toEqual([30_000, 10_000]);
    const page = await finance.get(`/payment-runs/${id}`);
    expect(page.text).toContain('£300.00<br><span class="govuk-body-s">less £100.00 surplus owed back</span><br><strong>£200.00</strong>');
    expect(page.text).toContain('Surplus taken off');
    expect(page.text).toContain('£100.00 owed back, taken off 1 payment');
    expect(page.text).toContain('Paid through Bacs');
  });
});

describe('who may see and do what', () => {
  it("answers 404 for another council's run and unknown ids, and 403 for roles without the work", async () => {
    const ffion = await signedIn(t.app, 'ffion');
    expect((await ffion.get(`/payment-runs/${runId}`)).status).toBe(404);
    expect((await ffion.post2(`/payment-runs/${runId}/approve`, { password: 'direct-payments' })).status).toBe(404);
    expect((await finance.get('/payment-runs/not-a-run')).status).toBe(404);
    expect((await finance.get(`/payment-runs/${runId}/lines/999/returned`)).status).toBe(404);
    const practitioner = await signedIn(t.app, 'practitioner');
    expect((await practitioner.get('/payment-runs')).status).toBe(403);
    expect((await practitioner.post2('/payment-runs', date('2026-12-11'))).status).toBe(403);
    expect((await manager.post2('/payment-runs', date('2026-12-11'))).status).toBe(403);
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/payment-runs/${runId}`)).status).toBe(403);
  });

  it('keeps the settings as typed when they are wrong, and saves them when right', async () => {
    const bad = await finance.post2('/payment-runs/settings', { frequency: 'four_weekly', contributions: 'net', contingencyWeeks: '99', serviceUserNumber: '12ab', serviceUserName: 'EASTMOOR £', sortCode: '40-12-76', accountNumber: '123', accountName: 'X' });
    expect(bad.status).toBe(400);
    for (const message of ['The service user number must be 6 digits', 'The name can only use letters', 'The account number must be 8 digits', 'from 0 to 52']) expect(bad.text).toContain(message);
    expect(bad.text).toContain('value="12ab"');
    const good = await finance.post2('/payment-runs/settings', { frequency: 'monthly', contributions: 'gross', contingencyWeeks: '6', serviceUserNumber: '654321', serviceUserName: 'Eastmoor CC', sortCode: '40-12-76', accountNumber: '87654321', accountName: 'EASTMOOR DP' });
    expect(good.status).toBe(303);
    const ids = await demoIds(t.db);
    const saved = await t.db.selectFrom('council_payment_settings').selectAll().where('council_id', '=', ids.england).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ frequency: 'monthly', contributions: 'gross', contingency_weeks: 6, originating_sort_code: '401276', service_user_number: '654321' });
    expect((await manager.get('/payment-runs/settings')).status).toBe(403);
  });
});
