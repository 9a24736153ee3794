import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { approvedDirectPayment } from '../payments/test-data.ts';
import { verifyLedger } from '../payments/ledger.ts';
import { agreementTitle } from './pdf.ts';

let t: TestApp;
let practitioner: Agent;
beforeAll(async () => {
  t = await startTestApp();
  practitioner = await signedIn(t.app, 'practitioner');
});
afterAll(async () => {
  await t?.stop();
});

const signedForm = (day = '23', name = 'Peter Walsh') => ({ 'signedOn-day': day, 'signedOn-month': '11', 'signedOn-year': '2026', signedBy: name });

async function createAgreement(dpId: string): Promise<string> {
  const res = await practitioner.post2(`/direct-payments/${dpId}/agreement`, {});
  expect(res.status).toBe(303);
  const m = /^\/agreements\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '');
  expect(m).not.toBeNull();
  return m![1]!;
}

async function paymentsOf(dpId: string) {
  return t.db.selectFrom('payments').selectAll().where('direct_payment_id', '=', dpId).orderBy('period_starts_on').execute();
}

describe('drawing up the agreement', () => {
  it('shows what a one-off agreement will say, then creates version 1 from the direct payment', async () => {
    const dp = await approvedDirectPayment(t.db);
    const preview = await practitioner.get(`/direct-payments/${dp.id}/agreement`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('£450.00, paid once');
    expect(preview.text).toContain('Dedicated bank account ending 5678');
    expect(preview.text).toContain('I want to cook my own meals again: Buy an accessible cooker');
    expect(preview.text).not.toContain('I want to see my friends');
    expect(preview.text).toContain('Keep the receipt for what you buy');
    // Paid today (no start date), checked back three months later.
    expect(preview.text).toContain('We will check back with you by 23 February 2027');

    const id = await createAgreement(dp.id);
    const row = await t.db.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ version: 1, amount_pence: 45000, frequency: 'once', account_summary: 'Dedicated bank account ending 5678', review_on: '2027-02-23', signed_on: null });
    expect(row.records_to_keep).toMatch(/6 years/);
    const page = await practitioner.get(`/agreements/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Record that it was signed');
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'view']));
  });

  it('agrees an ongoing payment every 4 weeks, net of the contribution, reviewed within 6 months in England', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Kate', kind: 'ongoing', weeklyPence: 18800, contributionPence: 2350, startsOn: '2026-12-01' });
    const id = await createAgreement(dp.id);
    const row = await t.db.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    // (£188.00 − £23.50) × 4
    expect(row).toMatchObject({ amount_pence: 65800, frequency: 'four_weekly', review_on: '2027-06-01' });
    expect((await practitioner.get(`/agreements/${id}`)).text).toContain('£658.00 every 4 weeks, paid in advance');
  });

  it('makes a new version each time, and only the latest can be signed', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Jemima' });
    const first = await createAgreement(dp.id);
    const second = await createAgreement(dp.id);
    const versions = await t.db.selectFrom('agreements').select(['id', 'version']).where('direct_payment_id', '=', dp.id).orderBy('version').execute();
    expect(versions).toEqual([{ id: first, version: 1 }, { id: second, version: 2 }]);
    const old = await practitioner.get(`/agreements/${first}`);
    expect(old.text).toContain('A newer version of this agreement has replaced this one');
    expect(old.text).not.toContain('Record that it was signed');
    const refused = await practitioner.post2(`/agreements/${first}/signed`, signedForm());
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('record the signature on that version');
    expect(await paymentsOf(dp.id)).toHaveLength(0);
  });

  it('refuses an agreement before the panel has approved the money', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'John' });
    await t.db.updateTable('direct_payments').set({ status: 'at_panel' }).where('id', '=', dp.id).execute();
    const page = await practitioner.get(`/direct-payments/${dp.id}/agreement`);
    expect(page.text).toContain('once the funding panel has approved');
    const res = await practitioner.post2(`/direct-payments/${dp.id}/agreement`, {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(await t.db.selectFrom('agreements').select('id').where('direct_payment_id', '=', dp.id).execute()).toHaveLength(0);
  });
});

describe('the accessible PDF', () => {
  it('is a tagged PDF in British English that shows its title', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Fatima' });
    const id = await createAgreement(dp.id);
    const res = await practitioner.get(`/agreements/${id}/pdf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/pdf/);
    expect(res.headers['content-disposition']).toContain(`agreement-${dp.reference}-v1.pdf`);
    expect(res.headers['content-disposition']).not.toMatch(/Fatima|Rahman/);
    const bytes = (res.body as Buffer).toString('latin1');
    expect(bytes.startsWith('%PDF-1.7')).toBe(true);
    expect(bytes).toContain('/StructTreeRoot');
    expect(bytes).toContain('/MarkInfo');
    expect(bytes).toMatch(/\/Marked true/);
    expect(bytes).toContain('/Lang (en-GB)');
    expect(bytes).toMatch(/\/DisplayDocTitle true/);
    expect(bytes).toContain(`(${agreementTitle({ reference: dp.reference }, 1)})`);
    expect(bytes).toContain('/H1');
    const downloaded = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).where('action', '=', 'download').execute();
    expect(downloaded).toHaveLength(1);
  });
});

describe('recording the signature', () => {
  it('keeps what was typed and explains each problem', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Trevor' });
    const id = await createAgreement(dp.id);
    const empty = await practitioner.post2(`/agreements/${id}/signed`, { 'signedOn-day': '31', 'signedOn-month': '2', 'signedOn-year': '2026', signedBy: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('The date it was signed must be a real date');
    expect(empty.text).toContain('Enter the name of the person who signed it');
    expect(empty.text).toContain('value="31"');
    expect(empty.text).toContain('href="#signedOn-day"');
    const future = await practitioner.post2(`/agreements/${id}/signed`, signedForm('24', 'Trevor Mills'));
    expect(future.status).toBe(400);
    expect(future.text).toContain('must be today or in the past');
    expect(future.text).toContain('value="Trevor Mills"');
    const early = await practitioner.post2(`/agreements/${id}/signed`, { ...signedForm('1', 'Trevor Mills') });
    expect(early.status).toBe(400);
    expect(early.text).toContain('on or after the day the agreement was drawn up');
    const dpAfter = await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow();
    expect(dpAfter.status).toBe('approved');
    expect(await paymentsOf(dp.id)).toHaveLength(0);
  });

  it('moves a one-off to agreed and creates exactly one payment, even when submitted twice at once', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Anwen', startsOn: '2026-12-01' });
    const id = await createAgreement(dp.id);
    const [a, b] = await Promise.all([practitioner.post2(`/agreements/${id}/signed`, signedForm()), practitioner.post2(`/agreements/${id}/signed`, signedForm())]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect([a.headers.location, b.headers.location]).toEqual([`/agreements/${id}`, `/agreements/${id}`]);
    const payments = await paymentsOf(dp.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amount_pence: 45000, period_starts_on: '2026-12-01', period_ends_on: '2026-12-01', due_on: '2026-12-01', status: 'scheduled', schedule_id: null });
    const after = await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('agreed');
    const row = await t.db.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ signed_on: '2026-11-23', signed_by_name: 'Peter Walsh' });
    const page = await practitioner.get(`/agreements/${id}`);
    expect(page.text).toContain('Signed by Peter Walsh on 23 November 2026');
    expect(page.text).not.toContain('Record that it was signed');
    // Once more, later: still one payment.
    expect((await practitioner.post2(`/agreements/${id}/signed`, signedForm())).status).toBe(303);
    expect(await paymentsOf(dp.id)).toHaveLength(1);
    expect(await verifyLedger(t.db)).toEqual([]);
  });

  it('sets up an ongoing schedule and its first four weeks, pro rata when the payment ends sooner', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'John', kind: 'ongoing', weeklyPence: 14000, contributionPence: 0, endsOn: '2026-12-02' });
    const id = await createAgreement(dp.id);
    const signed = await practitioner.post2(`/agreements/${id}/signed`, signedForm('23', 'John Baker'));
    expect(signed.status).toBe(303);
    // Back to the agreement with no message in the URL: the page says it once, from the session.
    expect(signed.headers.location).toBe(`/agreements/${id}`);
    const confirmed = (await practitioner.get(`/agreements/${id}`)).text;
    expect(confirmed).toContain('Agreement recorded as signed');
    expect(confirmed).toContain('The payments have been set up.');
    expect((await practitioner.get(`/agreements/${id}`)).text).not.toContain('Agreement recorded as signed');
    const schedules = await t.db.selectFrom('payment_schedules').selectAll().where('direct_payment_id', '=', dp.id).execute();
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({ frequency: 'four_weekly', starts_on: '2026-11-23', ends_on: '2026-12-02', weekly_amount_pence: 14000 });
    const payments = await paymentsOf(dp.id);
    // 10 days of £140 a week = £200.
    expect(payments.map((p) => [p.period_starts_on, p.period_ends_on, p.due_on, p.amount_pence, p.schedule_id])).toEqual([
      ['2026-11-23', '2026-12-02', '2026-11-23', 20000, schedules[0]!.id],
    ]);
  });
});

describe('who may do what', () => {
  it('lets only practitioners and managers draw up or sign agreements', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Peter' });
    const finance = await signedIn(t.app, 'finance');
    const seen = await finance.get(`/direct-payments/${dp.id}/agreement`);
    expect(seen.status).toBe(200);
    expect(seen.text).not.toContain('Create the agreement');
    expect((await finance.post2(`/direct-payments/${dp.id}/agreement`, {})).status).toBe(403);
    const id = await createAgreement(dp.id);
    expect((await finance.get(`/agreements/${id}`)).status).toBe(200);
    expect((await finance.post2(`/agreements/${id}/signed`, signedForm())).status).toBe(403);
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/agreements/${id}`)).status).toBe(403);
    expect(await paymentsOf(dp.id)).toHaveLength(0);
  });

  it("answers 404 for another council's direct payment or agreement, and for ids that are not ids", async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Kate' });
    const id = await createAgreement(dp.id);
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/direct-payments/${dp.id}/agreement`)).status).toBe(404);
    expect((await rhys.post2(`/direct-payments/${dp.id}/agreement`, {})).status).toBe(404);
    expect((await rhys.get(`/agreements/${id}`)).status).toBe(404);
    expect((await rhys.get(`/agreements/${id}/pdf`)).status).toBe(404);
    expect((await rhys.post2(`/agreements/${id}/signed`, signedForm())).status).toBe(404);
    expect((await practitioner.get('/agreements/not-an-id')).status).toBe(404);
    expect((await practitioner.get('/direct-payments/00000000-0000-4000-8000-000000000000/agreement')).status).toBe(404);
    expect(await paymentsOf(dp.id)).toHaveLength(0);
  });
});
