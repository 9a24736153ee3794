import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { approvedDirectPayment, newPerson, representativeFor } from '../payments/test-data.ts';
import { verifyLedger } from '../payments/ledger.ts';
import { formatPounds } from '../../domain/money.ts';
import { offsetFor } from '../../../test/integration/payment-runs-support.ts';

let t: TestApp;
let practitioner: Agent;
let finance: Agent;
let peterDp: { id: string; personId: string };
let kateDp: { id: string; personId: string };
beforeAll(async () => {
  t = await startTestApp();
  [practitioner, finance] = await Promise.all([signedIn(t.app, 'practitioner'), signedIn(t.app, 'finance')]);
  peterDp = await approvedDirectPayment(t.db, { username: 'pat', givenName: 'Pat' });
  kateDp = await approvedDirectPayment(t.db, { username: 'kim', givenName: 'Kim', kind: 'ongoing', weeklyPence: 18800, contributionPence: 2350 });
});
afterAll(async () => {
  await t?.stop();
});

async function signAndPay(dpId: string) {
  const created = await practitioner.post2(`/direct-payments/${dpId}/agreement`, {});
  const agreementId = created.headers.location!.split('/').pop()!;
  await practitioner.post2(`/agreements/${agreementId}/signed`, { 'signedOn-day': '23', 'signedOn-month': '11', 'signedOn-year': '2026', signedBy: 'Signed Here' });
  const payment = await t.db.selectFrom('payments').select('id').where('direct_payment_id', '=', dpId).orderBy('period_starts_on').executeTakeFirstOrThrow();
  await finance.post2(`/direct-payments/${dpId}/payments/${payment.id}/sent`, {});
  await finance.post2(`/direct-payments/${dpId}/payments/${payment.id}/paid`, {});
  expect(await verifyLedger(t.db)).toEqual([]);
}

describe("the person's own page", () => {
  it('shows an approved direct payment in plain English before the agreement, with the panel decision', async () => {
    const pat = await signedIn(t.app, 'pat');
    const res = await pat.get('/my');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your direct payment');
    expect(res.text).toContain('The money has been approved');
    expect(res.text).toContain('An accessible cooker');
    expect(res.text).toContain('I want to cook my own meals again');
    expect(res.text).toContain('Read the funding panel’s decision');
    expect(res.text).toContain('Cheaper than months of homecare');
    expect(res.text).not.toContain('Record what you bought');
    expect(res.text).toContain('href="/my/guidance"');
    expect(res.text).toContain('mailto:direct.payments@eastmoor.example.gov.uk');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'person_id']).where('entity_type', '=', 'own-direct-payment').where('entity_id', '=', peterDp.id).execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('shows the money once paid: what came in, the next payment, the review date and what is left', async () => {
    await signAndPay(kateDp.id);
    const kim = await signedIn(t.app, 'kim');
    const res = await kim.get(`/my/direct-payments/${kateDp.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your payments are being made');
    expect(res.text).toContain('£658.00 for 23 November 2026 to 20 December 2026');
    expect(res.text).toContain('£658.00 on 23 November 2026');
    expect(res.text).toContain('£658.00 on 21 December 2026');
    expect(res.text).toContain('About £658.00 left, going by what you’ve recorded');
    expect(res.text).toContain('We will look at how it is going with you by 23 May 2027');
    expect(res.text).toContain('£94.00 every 4 weeks, paid into the account by you');
    expect(res.text).toContain('Record what you bought');
    expect(res.text).toContain(`/my/direct-payments/${kateDp.id}/agreement/pdf`);
    const pdf = await kim.get(`/my/direct-payments/${kateDp.id}/agreement/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toMatch(/^application\/pdf/);
  });

  it("does not let one person open another person's direct payment", async () => {
    await newPerson(t.db, 'robin', 'Robin');
    const robin = await signedIn(t.app, 'robin');
    expect((await robin.get(`/my/direct-payments/${peterDp.id}`)).status).toBe(404);
    expect((await robin.get(`/my/direct-payments/${kateDp.id}/agreement/pdf`)).status).toBe(404);
    expect((await robin.get('/my/direct-payments/not-an-id')).status).toBe(404);
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/my/direct-payments/${kateDp.id}`)).status).toBe(404);
    const mine = await robin.get('/my');
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('You do not have a direct payment yet');
    expect(mine.text).not.toContain('An accessible cooker');
  });

  it('keeps staff out of the personal pages', async () => {
    expect((await practitioner.get('/my')).status).toBe(403);
    expect((await finance.get(`/my/direct-payments/${peterDp.id}`)).status).toBe(403);
  });

  it('hides a draft from the person', async () => {
    const draft = await approvedDirectPayment(t.db, { username: 'terry', givenName: 'Terry' });
    await t.db.updateTable('direct_payments').set({ status: 'draft' }).where('id', '=', draft.id).execute();
    const terry = await signedIn(t.app, 'terry');
    expect((await terry.get(`/my/direct-payments/${draft.id}`)).status).toBe(404);
    expect((await terry.get('/my')).text).toContain('You do not have a direct payment yet');
  });
});

describe('a representative', () => {
  it('acting for one person sees it labelled as managed for them', async () => {
    await representativeFor(t.db, 'sam', [peterDp.personId]);
    const sam = await signedIn(t.app, 'sam');
    const res = await sam.get('/my');
    expect(res.status).toBe(200);
    expect(res.text).toContain('You are managing this for Pat Tester');
    expect(res.text).toContain('Pat Tester’s direct payment');
    expect((await sam.get(`/my/direct-payments/${kateDp.id}`)).status).toBe(404);
  });

  it('acting for several people sees a list first, then each one labelled', async () => {
    await representativeFor(t.db, 'alex-rep', [peterDp.personId, kateDp.personId]);
    const rep = await signedIn(t.app, 'alex-rep');
    const list = await rep.get('/my');
    expect(list.text).toContain('Direct payments you manage');
    expect(list.text).toContain('Pat Tester');
    expect(list.text).toContain('Kim Tester');
    expect(list.text).toContain(`href="/my/direct-payments/${kateDp.id}"`);
    expect(list.text).not.toContain('You are managing this for');
    const one = await rep.get(`/my/direct-payments/${kateDp.id}`);
    expect(one.text).toContain('You are managing this for Kim Tester');
  });
});

describe('in words for whoever is reading, in English or Welsh', () => {
  it('speaks about the person to a representative, never of "your social worker"', async () => {
    const sam = await signedIn(t.app, 'sam');
    const res = await sam.get(`/my/direct-payments/${peterDp.id}`);
    expect(res.text).toContain('Pat Tester’s direct payment');
    expect(res.text).toContain('What has been bought for Pat Tester');
    expect(res.text).not.toMatch(/your social worker/i);
    expect(res.text).not.toContain('What you have bought');
  });

  it('"What can I spend it on?": the council’s guidance, real stories, and a way to ask about a new idea', async () => {
    const pat = await signedIn(t.app, 'pat');
    const page = await pat.get('/my/guidance');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Equipment that increases independence');
    expect(page.text).toContain('A greyhound called Wilmer');
    expect(page.text).toContain('talk to your social worker');
    expect(page.text).toContain(`href="/my/direct-payments/${peterDp.id}/contact/new/idea"`);
    const home = await pat.get('/my');
    expect(home.text).toContain(`href="/my/direct-payments/${peterDp.id}/contact/new/idea"`);
    // A representative acting for two people gets one idea link per direct payment.
    const rep = await signedIn(t.app, 'alex-rep');
    const theirs = await rep.get('/my/guidance');
    expect(theirs.text).toContain(`href="/my/direct-payments/${peterDp.id}/contact/new/idea"`);
    expect(theirs.text).toContain(`href="/my/direct-payments/${kateDp.id}/contact/new/idea"`);
    expect(theirs.text).toContain('the social worker of the person you act for');
    expect((await practitioner.get('/my/guidance')).status).toBe(403);
  });

  it('shows a Welsh-first council’s person their page, money and guidance in Welsh', async () => {
    const dewi = await signedIn(t.app, 'dewi');
    const home = await dewi.get('/my');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<html lang="cy"');
    for (const welsh of ['Eich taliad uniongyrchol', 'Beth yw diben yr arian', 'Wedi’i dalu i mewn hyd yma', 'Pethau y gallwch chi eu gwneud', 'Ar beth alla i ei wario?', 'Gofyn i ni am syniad newydd', 'Cofnodi beth wnaethoch chi ei brynu']) {
      expect(home.text, welsh).toContain(welsh);
    }
    expect(home.text).toMatch(/\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}/);
    // "Paid in so far" is everything paid in, even when money has since moved on (Dewi's goes into a pooled budget).
    const dewisPaid = await t.db
      .selectFrom('payments')
      .innerJoin('direct_payments', 'direct_payments.id', 'payments.direct_payment_id')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select((eb) => eb.fn.sum<string>('payments.amount_pence').as('total'))
      .where('people.given_name', '=', 'Dewi')
      .where('payments.status', '=', 'paid')
      .executeTakeFirstOrThrow();
    expect(Number(dewisPaid.total)).toBeGreaterThan(0);
    expect(home.text).toMatch(new RegExp(`Wedi’i dalu i mewn hyd yma\\s*</dt>\\s*<dd class="govuk-summary-list__value">\\s*${formatPounds(Number(dewisPaid.total)).replace(/[.$]/g, '\\$&')}`));
    const guide = await dewi.get('/my/guidance');
    expect(guide.text).toContain('Offer sy’n cynyddu annibyniaeth');
    expect(guide.text).toContain('Milgi o’r enw Wilmer');
    expect(guide.text).not.toContain('Equipment that increases independence');
  });
});

describe('surplus taken back from future payments', () => {
  it('tells the person their next payment is less, by how much and why', async () => {
    const kim = await signedIn(t.app, 'kim');
    if (!(await t.db.selectFrom('payments').select('id').where('direct_payment_id', '=', kateDp.id).where('status', '=', 'paid').executeTakeFirst())) await signAndPay(kateDp.id);
    const before = await kim.get(`/my/direct-payments/${kateDp.id}`);
    expect(before.text).not.toContain('less because we are taking back money');
    const dp = await t.db.selectFrom('direct_payments').select(['id', 'council_id']).where('id', '=', kateDp.id).executeTakeFirstOrThrow();
    const financeUser = await t.db.selectFrom('users').select('id').where('username', '=', 'finance').executeTakeFirstOrThrow();
    await offsetFor(t.db, dp, 5_000, financeUser);
    const after = await kim.get(`/my/direct-payments/${kateDp.id}`);
    expect(after.status).toBe(200);
    expect(after.text).toContain(`It is ${formatPounds(5_000)} less because we are taking back money that was left over.`);
    expect(await verifyLedger(t.db)).toEqual([]);
  });
});

describe('links that lead somewhere', () => {
  it('offers the employer pages only once the money is approved, so no link ends in "page not found"', async () => {
    const john = await signedIn(t.app, 'john');
    const list = await john.get('/my');
    const dp = await t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').innerJoin('users', 'users.id', 'people.user_id')
      .select(['direct_payments.id', 'direct_payments.status']).where('users.username', '=', 'john').executeTakeFirstOrThrow();
    expect(dp.status).toBe('at_panel');
    const page = list.text.includes('Your direct payment') ? list : await john.get(`/my/direct-payments/${dp.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/my/direct-payments/${dp.id}/employer`);
    for (const href of [...page.text.matchAll(/href="(\/my\/[^"#?]+)"/g)].map((m) => m[1]!)) {
      expect([200, 303], href).toContain((await john.get(href)).status);
    }
  });
});
