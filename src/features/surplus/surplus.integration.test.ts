import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, signedIn, type Agent, type TestApp } from '../../../test/support/app.ts';
import { TEST_TODAY } from '../../../test/support/database.ts';
import { addDays } from '../../domain/dates.ts';
import { accountFor, balanceOf, verifyLedger } from '../payments/ledger.ts';
import { fundedDirectPayment } from './test-data.ts';
import { offsetRemaining } from './offsets.ts';

let t: TestApp;
let practitioner: Agent;
let finance: Agent;
beforeAll(async () => {
  t = await startTestApp();
  [practitioner, finance] = await Promise.all([signedIn(t.app, 'practitioner'), signedIn(t.app, 'finance')]);
});
afterAll(async () => t?.stop());

const setToday = (date: string) => {
  t.clock.today = () => date;
  t.clock.now = () => new Date(`${date}T12:00:00Z`);
};

const caseOf = (dpId: string) => t.ownerDb.selectFrom('surplus_cases').selectAll().where('direct_payment_id', '=', dpId).orderBy('created_at', 'desc').executeTakeFirstOrThrow();

async function owedBack() {
  const england = (await t.db.selectFrom('councils').select('id').where('code', '=', 'EASTMOOR').executeTakeFirstOrThrow()).id;
  const [owed, budget] = await t.db.transaction().execute(async (trx) => Promise.all([accountFor(trx, england, 'owed_back'), accountFor(trx, england, 'budget')]));
  return { owed: await balanceOf(t.db, owed), budget: await balanceOf(t.db, budget) };
}

const conversation = (over: Record<string, string> = {}) => ({
  'heldOn-day': '20', 'heldOn-month': '11', 'heldOn-year': '2026', reason: 'not_needed',
  notes: 'Support was not used while Morgan was staying with family.', keep: 'no', amount: '2000', method: 'refund', ...over,
});

describe('surplus, fairly: conversation → notice → challenge period → recovery', () => {
  it('takes one surplus through every step in order, never recovering more than the surplus, exactly once', async () => {
    setToday(TEST_TODAY);
    // £200 a week; 6 payments of £800 in; £1,000 spent: £3,800 held, £1,600 contingency: £2,200 surplus.
    const dp = await fundedDirectPayment(t.db, { username: 'morgan', givenName: 'Morgan', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
    const page = await practitioner.get(`/direct-payments/${dp.id}/surplus`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('£2,200.00');

    // Nothing can be recovered, or noticed, before its step.
    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus/recovery`, {})).text).toContain('There is no open surplus on this direct payment');
    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus`, {})).status).toBe(303);
    const early = await practitioner.post2(`/direct-payments/${dp.id}/surplus/notice`, {});
    expect(early.status).toBe(400);
    expect(early.text).toContain('Record the conversation with the person first');
    const tooSoon = await practitioner.post2(`/direct-payments/${dp.id}/surplus/recovery`, {});
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.text).toContain('The person must be given written notice before anything is recovered');

    // More than the surplus is refused, the form kept, nothing saved; the database refuses it too.
    const greedy = await practitioner.post2(`/direct-payments/${dp.id}/surplus/conversation`, conversation({ amount: '2200.01' }));
    expect(greedy.status).toBe(400);
    expect(greedy.text).toContain('The amount to recover must be no more than the surplus, £2,200.00');
    expect(greedy.text).toContain('value="2200.01"');
    expect((await caseOf(dp.id)).status).toBe('conversation_due');
    const c0 = await caseOf(dp.id);
    await expect(sql`update surplus_cases set recover_pence = surplus_pence + 1, keep_money = false, conversation_on = opened_on, method = 'refund' where id = ${c0.id}`.execute(t.ownerDb)).rejects.toThrow(/check constraint/);

    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus/conversation`, conversation())).status).toBe(303);
    expect(await caseOf(dp.id)).toMatchObject({ status: 'notice_due', recover_pence: 200_000, keep_money: false });

    // Notice: the person is told, with 28 days to challenge.
    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus/notice`, {})).status).toBe(303);
    const noticed = await caseOf(dp.id);
    expect(noticed).toMatchObject({ status: 'notice_sent', notice_sent_on: TEST_TODAY, challenge_ends_on: addDays(TEST_TODAY, 28) });
    const morgan = await t.db.selectFrom('users').select('id').where('username', '=', 'morgan').executeTakeFirstOrThrow();
    const message = await t.db.selectFrom('notifications').selectAll().where('to_user_id', '=', morgan.id).executeTakeFirstOrThrow();
    expect(message.body).toContain('£2,000.00');
    expect(message.link).toBe(`/my/direct-payments/${dp.id}/surplus`);

    // During the challenge period: refused by the code, and by the database.
    const during = await practitioner.post2(`/direct-payments/${dp.id}/surplus/recovery`, {});
    expect(during.status).toBe(400);
    expect(during.text).toContain('The person still has time to challenge the notice');
    await expect(sql`update surplus_cases set recovered_on = notice_sent_on + 1, recovered_pence = 1, recovery_transaction_id = (select id from ledger_transactions limit 1) where id = ${noticed.id}`.execute(t.ownerDb)).rejects.toThrow(/check constraint/);

    // The person reads the notice, in English and in Welsh, and downloads the tagged letter.
    const person = await signedIn(t.app, 'morgan');
    const mine = await person.get(`/my/direct-payments/${dp.id}/surplus`);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('We plan to take back £2,000.00. We will ask you to pay it back to the council.');
    expect(mine.text).toContain('You can tell us you disagree until 21 December 2026');
    const letter = await person.get(`/my/direct-payments/${dp.id}/surplus/letter`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(letter.headers['content-type']).toContain('application/pdf');
    const pdf = (letter.body as Buffer).toString('latin1');
    expect(pdf.startsWith('%PDF-1.7')).toBe(true);
    expect(pdf).toContain('/StructTreeRoot');
    expect(pdf).toContain('/Lang (en-GB)');
    await t.db.updateTable('users').set({ preferred_language: 'cy' }).where('id', '=', morgan.id).execute();
    const welsh = await person.get(`/my/direct-payments/${dp.id}/surplus`);
    expect(welsh.text).toContain('Rydym yn bwriadu cymryd £2,000.00 yn ôl.');
    expect(welsh.text).toContain('21 Rhagfyr 2026');

    // The person challenges it; empty is refused kindly, in their language.
    const empty = await person.post2(`/my/direct-payments/${dp.id}/surplus/challenge`, { challenge: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Dywedwch wrthym pam rydych yn anghytuno');
    expect((await person.post2(`/my/direct-payments/${dp.id}/surplus/challenge`, { challenge: 'I am saving for a new wheelchair cushion.' })).status).toBe(303);
    expect((await caseOf(dp.id)).status).toBe('challenged');
    setToday(addDays(TEST_TODAY, 40));
    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus/recovery`, {})).text).toContain('record a decision on the challenge first');
    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus/challenge-decision`, { upheld: 'no', decision: 'The cushion is funded by the wheelchair service.' })).status).toBe(303);

    // Morgan spends £500 more on support meanwhile: the surplus is now £1,700, so that is all that is recovered.
    await t.db.insertInto('spending_records').values({ direct_payment_id: dp.id, spent_on: addDays(TEST_TODAY, 30), amount_pence: 50_000, paid_to: 'Respite', recorded_by: morgan.id }).execute();
    const before = await owedBack();
    const [a, b] = await Promise.all([
      practitioner.post2(`/direct-payments/${dp.id}/surplus/recovery`, {}),
      practitioner.post2(`/direct-payments/${dp.id}/surplus/recovery`, {}),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 400]);
    const recovered = await caseOf(dp.id);
    expect(recovered).toMatchObject({ status: 'recovered', recovered_pence: 170_000 });
    const postings = await t.db.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `surplus:${recovered.id}:recovery`).execute();
    expect(postings).toHaveLength(1);
    expect((await owedBack()).owed - before.owed).toBe(170_000);
    expect(await verifyLedger(t.db)).toEqual([]);

    // Finance records the refund: owed back → budget, once.
    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus/refund`, {})).status).toBe(403);
    expect((await finance.post2(`/direct-payments/${dp.id}/surplus/refund`, {})).status).toBe(303);
    expect((await finance.post2(`/direct-payments/${dp.id}/surplus/refund`, {})).status).toBe(400);
    const after = await owedBack();
    expect(after.owed).toBe(before.owed);
    expect(after.budget - before.budget).toBe(170_000);
    expect((await caseOf(dp.id)).status).toBe('refunded');
    expect(await verifyLedger(t.db)).toEqual([]);
    const status = await person.get(`/my/direct-payments/${dp.id}/surplus`);
    expect(status.text).toContain('Cawsom eich taliad o £1,700.00');
  });

  it('closes with nothing recovered when the reason is a good one (a PA vacancy)', async () => {
    setToday(TEST_TODAY);
    const dp = await fundedDirectPayment(t.db, { givenName: 'Vacancy', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
    await practitioner.post2(`/direct-payments/${dp.id}/surplus`, {});
    const done = await practitioner.post2(`/direct-payments/${dp.id}/surplus/conversation`, conversation({ reason: 'pa_vacancy', keep: 'yes', amount: '', method: '' }));
    expect(done.status).toBe(303);
    expect(await caseOf(dp.id)).toMatchObject({ status: 'no_recovery', keep_money: true, recover_pence: null });
    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus/notice`, {})).status).toBe(400);
    const posted = await t.db.selectFrom('ledger_transactions').select('id').where('direct_payment_id', '=', dp.id).where('kind', 'like', 'surplus%').execute();
    expect(posted).toEqual([]);
  });

  it('reduces future payments: an offset for payment runs to take, shown to staff and to the person', async () => {
    setToday(TEST_TODAY);
    const dp = await fundedDirectPayment(t.db, { username: 'offset-person', givenName: 'Offset', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
    await practitioner.post2(`/direct-payments/${dp.id}/surplus`, {});
    await practitioner.post2(`/direct-payments/${dp.id}/surplus/conversation`, conversation({ amount: '1000', method: 'reduce_payments' }));
    await practitioner.post2(`/direct-payments/${dp.id}/surplus/notice`, {});
    setToday(addDays(TEST_TODAY, 29));
    expect((await practitioner.post2(`/direct-payments/${dp.id}/surplus/recovery`, {})).status).toBe(303);
    expect((await caseOf(dp.id)).status).toBe('offsetting');
    expect(await offsetRemaining(t.db, dp.id)).toBe(100_000);
    expect(await verifyLedger(t.db)).toEqual([]);

    // Nothing is taken until a payment run pays the next payment (test/integration/payment-runs-offsets.test.ts).
    const staff = await practitioner.get(`/direct-payments/${dp.id}/surplus`);
    expect(staff.text).toContain('Taken back so far');
    expect(staff.text).toContain('£0.00 of £1,000.00');
    expect(staff.text).toContain('Nothing has been taken yet: the next payment run takes it off the next payment.');
    // The person: what has come off so far, what is left, and what their next £800 payment will be.
    const person = await signedIn(t.app, 'offset-person');
    const mine = await person.get(`/my/direct-payments/${dp.id}/surplus`);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('So far we have taken £0.00 off your payments.');
    expect(mine.text).toContain('£1,000.00 is still to come off your next payments.');
    expect(mine.text).toMatch(/Your next payment, due [^,]+, will be £0\.00\. It is £800\.00 less because we are taking back money that was left over\./);
    const takes = await t.db.selectFrom('surplus_offset_takes').select('amount_pence').execute();
    expect(takes).toEqual([]);
    await expect(sql`update surplus_offsets set taken_pence = amount_pence + 1`.execute(t.ownerDb)).rejects.toThrow(/check constraint/);
    expect(await verifyLedger(t.db)).toEqual([]);
  });

  it('answers 404 to other councils’ staff and to people who are not the recipient', async () => {
    setToday(TEST_TODAY);
    const dp = await fundedDirectPayment(t.db, { givenName: 'Private', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/direct-payments/${dp.id}/surplus`)).status).toBe(404);
    expect((await rhys.post2(`/direct-payments/${dp.id}/surplus`, {})).status).toBe(404);
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/my/direct-payments/${dp.id}/surplus`)).status).toBe(404);
    expect((await peter.get(`/direct-payments/${dp.id}/surplus`)).status).toBe(403);
    expect(await t.db.selectFrom('surplus_cases').select('id').where('direct_payment_id', '=', dp.id).execute()).toEqual([]);
  });
});
