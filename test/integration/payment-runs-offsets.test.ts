import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, TEST_TODAY, type TestServices } from '../support/database.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createPaymentRun } from '../../src/features/payment-runs/create-run.ts';
import { recordApproval } from '../../src/features/payment-runs/approve-run.ts';
import { continueRun } from '../../src/features/payment-runs/run-work.ts';
import { cancelRun } from '../../src/features/payment-runs/cancel-run.ts';
import { runFile } from '../../src/features/payment-runs/bacs-file.ts';
import { requestMarkPaid } from '../../src/features/payment-runs/mark-paid.ts';
import { recordReturn, ReturnRefused } from '../../src/features/payment-runs/record-return.ts';
import { SimulatedCrash, simulateCrashAt } from '../../src/features/payment-runs/crash.ts';
import { accountFor, balanceOf, verifyLedger } from '../../src/features/payments/ledger.ts';
import { offsetProgress, offsetRemaining, offsetsAvailable } from '../../src/features/surplus/offsets.ts';
import { statementFor } from '../../src/features/payments/statement.ts';
import { councilOfItsOwn, directPaymentIn, offsetFor } from './payment-runs-support.ts';

/**
 * "Reduce future payments" through payment runs: the surplus a person owes back comes off their
 * next payments, period by period, until it is all taken; the bank pays only the rest, and the
 * account still receives the whole period's money.
 */

let t: TestServices;
let db: Database;
let n = 0;

beforeAll(async () => {
  t = await freshServices();
  db = t.db;
});
afterAll(async () => {
  simulateCrashAt(null);
  delete process.env.PAYMENT_RUN_BATCH_SIZE;
  await t?.close();
});

type C = Awaited<ReturnType<typeof councilOfItsOwn>>;

async function setUp(weekly = 10_000) {
  const c = await councilOfItsOwn(db, `Offsets${++n}`);
  // £400 every four weeks from today; a neighbour with no offset, so every file has a payment in it.
  const dp = await directPaymentIn(db, c, { kind: 'ongoing', pence: weekly, startsOn: TEST_TODAY, today: TEST_TODAY, name: 'Offset' });
  const other = await directPaymentIn(db, c, { kind: 'ongoing', pence: 5_000, startsOn: TEST_TODAY, today: TEST_TODAY, name: 'Neighbour', bank: ['401276', '87654321'] });
  return { c, dp, other };
}

async function run(c: C, wanted: string, today: string, until: 'draft' | 'approved' | 'file' | 'paid' = 'paid') {
  const { run } = await createPaymentRun(db, { user: c.finance, wanted, today });
  if (until === 'draft') return { runId: run.id, file: null };
  await recordApproval(db, { runId: run.id, user: c.manager, today });
  expect(await continueRun(db, run.id, today)).toBe('done');
  if (until === 'approved') return { runId: run.id, file: null };
  const file = await runFile(db, { runId: run.id, format: 'std18-data', user: c.finance });
  if (until === 'file') return { runId: run.id, file };
  await requestMarkPaid(db, { runId: run.id, user: c.finance });
  expect(await continueRun(db, run.id, today)).toBe('done');
  return { runId: run.id, file };
}

const linesOf = (runId: string, dpId: string) =>
  db.selectFrom('payment_run_lines').selectAll().where('run_id', '=', runId).where('direct_payment_id', '=', dpId).orderBy('line_number').execute();

async function held(c: C, dpId: string) {
  return balanceOf(db, await db.transaction().execute((trx) => accountFor(trx, c.councilId, 'direct_payment', dpId)));
}
async function owedBack(c: C) {
  return balanceOf(db, await db.transaction().execute((trx) => accountFor(trx, c.councilId, 'owed_back')));
}
/** The Bacs records (data-only file) that pay into an account number. */
const creditsTo = (file: Buffer, account: string) => file.toString('ascii').split('\r\n').filter((r) => r.slice(6, 14) === account && r.slice(15, 17) === '99');

describe('surplus taken off payments by payment runs', () => {
  it('takes the offset over several periods until it is exhausted; a £0 line is paid but never in the Bacs file', async () => {
    const { c, dp } = await setUp();
    await offsetFor(db, dp, 90_000, c.finance);
    const owedBefore = await owedBack(c);
    const heldBefore = await held(c, dp.id);
    expect(owedBefore).toBe(90_000);

    // Period 1 (£400): all of it taken. Not in the file; still marked paid, with the offset posted.
    const first = await run(c, '2026-11-27', TEST_TODAY);
    const [l1] = await linesOf(first.runId, dp.id);
    expect([l1!.amount_pence, l1!.offset_pence, l1!.status]).toEqual([40_000, 40_000, 'paid']);
    expect(creditsTo(first.file!.bytes, '12345678')).toEqual([]);
    expect(creditsTo(first.file!.bytes, '87654321')).toHaveLength(1);
    // The file's count and total are the neighbour's payment alone.
    const records = first.file!.bytes.toString('ascii').split('\r\n').filter(Boolean);
    expect(records).toHaveLength(2); // one credit and its contra
    expect(records[1]!.slice(15, 17)).toBe('17');
    expect(records[1]!.slice(35, 46)).toBe('00000020000');
    expect(await held(c, dp.id)).toBe(heldBefore + 40_000);
    expect(await owedBack(c)).toBe(50_000);
    const sent = await db.selectFrom('ledger_transactions').select('idempotency_key').where('idempotency_key', 'like', `run-line:${l1!.id}:%`).orderBy('idempotency_key').execute();
    expect(sent.map((x) => x.idempotency_key.split(':')[2])).toEqual(['offset']);
    expect(await offsetRemaining(db, dp.id)).toBe(50_000);
    expect(await verifyLedger(db)).toEqual([]);

    // Period 2: £400 taken again; period 3: the last £100, the bank pays £300.
    const second = await run(c, '2026-12-24', '2026-12-14');
    const [l2] = await linesOf(second.runId, dp.id);
    expect([l2!.offset_pence, l2!.status]).toEqual([40_000, 'paid']);
    const third = await run(c, '2027-01-21', '2027-01-11');
    const [l3] = await linesOf(third.runId, dp.id);
    expect([l3!.amount_pence, l3!.offset_pence]).toEqual([40_000, 10_000]);
    const credit = creditsTo(third.file!.bytes, '12345678');
    expect(credit).toHaveLength(1);
    expect(credit[0]!.slice(35, 46)).toBe('00000030000');
    expect(await held(c, dp.id)).toBe(heldBefore + 120_000);
    expect(await owedBack(c)).toBe(0);

    // Exhausted: period 4 is paid in full.
    const fourth = await run(c, '2027-02-18', '2027-02-08');
    const [l4] = await linesOf(fourth.runId, dp.id);
    expect(l4!.offset_pence).toBe(0);
    expect(creditsTo(fourth.file!.bytes, '12345678')[0]!.slice(35, 46)).toBe('00000040000');
    expect(await held(c, dp.id)).toBe(heldBefore + 160_000);
    const progress = await offsetProgress(db, dp.id);
    expect(progress).toMatchObject({ amountPence: 90_000, takenPence: 90_000, leftPence: 0, onRunsPence: 0 });
    expect(progress!.takes.map((x) => [x.periodStartsOn, x.amountPence])).toEqual([['2026-11-23', 40_000], ['2026-12-21', 40_000], ['2027-01-18', 10_000]]);
    expect(await verifyLedger(db)).toEqual([]);
  });

  it('gives the offset back when a draft run is cancelled, and the next run takes it again, once', async () => {
    const { c, dp } = await setUp();
    await offsetFor(db, dp, 15_000, c.finance);
    const draft = await run(c, '2026-11-27', TEST_TODAY, 'draft');
    expect((await linesOf(draft.runId, dp.id))[0]!.offset_pence).toBe(15_000);
    // Claimed by the draft: nothing more is available to another run meanwhile.
    expect((await offsetsAvailable(db, c.councilId)).get(dp.id)).toBeUndefined();
    await cancelRun(db, { runId: draft.runId, user: c.manager });
    expect((await offsetsAvailable(db, c.councilId)).get(dp.id)).toBe(15_000);
    expect(await offsetRemaining(db, dp.id)).toBe(15_000);

    const again = await run(c, '2026-11-30', TEST_TODAY);
    const [line] = await linesOf(again.runId, dp.id);
    expect([line!.offset_pence, line!.status]).toEqual([15_000, 'paid']);
    expect(creditsTo(again.file!.bytes, '12345678')[0]!.slice(35, 46)).toBe('00000025000');
    expect(await offsetRemaining(db, dp.id)).toBe(0);
    const takes = await db.selectFrom('surplus_offset_takes').innerJoin('surplus_offsets', 'surplus_offsets.id', 'surplus_offset_takes.offset_id')
      .select('surplus_offset_takes.amount_pence').where('surplus_offsets.direct_payment_id', '=', dp.id).execute();
    expect(takes.map((x) => x.amount_pence)).toEqual([15_000]);
    expect(await verifyLedger(db)).toEqual([]);
  });

  it('gives the offset back when the bank returns the payment, and the next run takes it again', async () => {
    const { c, dp } = await setUp();
    await offsetFor(db, dp, 15_000, c.finance);
    const heldBefore = await held(c, dp.id);
    const paid = await run(c, '2026-11-27', TEST_TODAY);
    const [line] = await linesOf(paid.runId, dp.id);
    expect(await held(c, dp.id)).toBe(heldBefore + 40_000);
    expect(await recordReturn(db, { runId: paid.runId, lineNumber: line!.line_number, reason: 'account_closed', user: c.finance, today: TEST_TODAY })).toBe('returned');
    expect(await recordReturn(db, { runId: paid.runId, lineNumber: line!.line_number, reason: 'account_closed', user: c.finance, today: TEST_TODAY })).toBe('already');
    // Everything it moved is reversed: the bank's £250 and the £150 of surplus.
    expect(await held(c, dp.id)).toBe(heldBefore);
    expect(await owedBack(c)).toBe(15_000);
    expect(await offsetRemaining(db, dp.id)).toBe(15_000);
    const takes = await db.selectFrom('surplus_offset_takes').select(['amount_pence', 'reverses_id', 'period_starts_on']).where('line_id', '=', line!.id).orderBy('amount_pence').execute();
    expect(takes.map((x) => [x.amount_pence, x.reverses_id !== null])).toEqual([[-15_000, true], [15_000, false]]);
    expect(await verifyLedger(db)).toEqual([]);

    // The same period, on the next run: taken again (the period was given back), never twice.
    const next = await run(c, '2026-12-04', TEST_TODAY);
    const [again] = await linesOf(next.runId, dp.id);
    expect([again!.payment_id, again!.offset_pence, again!.status]).toEqual([line!.payment_id, 15_000, 'paid']);
    expect(await held(c, dp.id)).toBe(heldBefore + 40_000);
    expect(await offsetRemaining(db, dp.id)).toBe(0);
    expect(await owedBack(c)).toBe(0);
    // The database itself refuses a second take for a period not given back.
    const offset = await db.selectFrom('surplus_offsets').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
    const tx = await db.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `run-line:${again!.id}:offset`).executeTakeFirstOrThrow();
    await expect(db.insertInto('surplus_offset_takes').values({ offset_id: offset.id, period_starts_on: takes[0]!.period_starts_on, amount_pence: 1, transaction_id: tx.id, line_id: again!.id }).execute())
      .rejects.toThrow(/already been taken for the period/);
    await expect(sql`update surplus_offset_takes set amount_pence = 1`.execute(t.ownerDb)).rejects.toThrow(/append-only/);
    expect(await verifyLedger(db)).toEqual([]);
  });

  it('refuses to record a £0 payment as returned: it never went to the bank', async () => {
    const { c, dp } = await setUp();
    await offsetFor(db, dp, 50_000, c.finance);
    const paid = await run(c, '2026-11-27', TEST_TODAY);
    const [line] = await linesOf(paid.runId, dp.id);
    await expect(recordReturn(db, { runId: paid.runId, lineNumber: line!.line_number, reason: 'account_closed', user: c.finance, today: TEST_TODAY })).rejects.toThrow(ReturnRefused);
    expect(await offsetRemaining(db, dp.id)).toBe(10_000);
  });

  it('pays a run whose every payment comes from surplus without a Bacs file', async () => {
    const c = await councilOfItsOwn(db, `Offsets${++n}`);
    const dp = await directPaymentIn(db, c, { kind: 'ongoing', pence: 10_000, startsOn: TEST_TODAY, today: TEST_TODAY, name: 'Alone' });
    await offsetFor(db, dp, 40_000, c.finance);
    const { runId } = await run(c, '2026-11-27', TEST_TODAY, 'approved');
    await expect(runFile(db, { runId, format: 'std18', user: c.finance })).rejects.toThrow('Every payment in this run is paid in full from surplus owed back');
    expect(await requestMarkPaid(db, { runId, user: c.finance })).toBe('marked');
    expect(await continueRun(db, runId, TEST_TODAY)).toBe('done');
    const done = await db.selectFrom('payment_runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow();
    expect(done.status).toBe('paid');
    expect(await held(c, dp.id)).toBe(0); // −£400 recovered, +£400 taken off this payment
    expect(await offsetRemaining(db, dp.id)).toBe(0);
    expect(await verifyLedger(db)).toEqual([]);
  });

  it('shows the next payment less the offset, as a run would take it', async () => {
    const { c, dp } = await setUp();
    await offsetFor(db, dp, 15_000, c.finance);
    const before = await statementFor(db, dp.id, TEST_TODAY);
    expect(before.next).toMatchObject({ amountPence: 25_000, grossPence: 40_000, offsetPence: 15_000 });
    await run(c, '2026-11-27', TEST_TODAY);
    const after = await statementFor(db, dp.id, TEST_TODAY);
    expect(after.next).toMatchObject({ amountPence: 40_000, offsetPence: 0 });
  });

  it('posts each offset once however often paying is cut short and carried on', async () => {
    const { c, dp } = await setUp();
    const more = await Promise.all([1, 2, 3].map((i) => directPaymentIn(db, c, { kind: 'ongoing', pence: 10_000, startsOn: TEST_TODAY, today: TEST_TODAY, name: `More${i}` })));
    for (const d of [dp, ...more]) await offsetFor(db, d, 12_345, c.finance);
    process.env.PAYMENT_RUN_BATCH_SIZE = '2';
    try {
      const { runId } = await run(c, '2026-11-27', TEST_TODAY, 'file');
      await requestMarkPaid(db, { runId, user: c.finance });
      for (const at of ['paid:batch:1', 'paid:batch:2']) {
        simulateCrashAt(at);
        await expect(continueRun(db, runId, TEST_TODAY)).rejects.toThrow(SimulatedCrash);
        simulateCrashAt(null);
        expect(await verifyLedger(db)).toEqual([]);
      }
      expect(await continueRun(db, runId, TEST_TODAY)).toBe('done');
      expect(await continueRun(db, runId, TEST_TODAY)).toBe('done');
    } finally {
      simulateCrashAt(null);
      delete process.env.PAYMENT_RUN_BATCH_SIZE;
    }
    const posted = await sql<{ n: number; total: number }>`
      select count(*)::int as n, sum(p.amount_pence)::bigint as total from ledger_transactions t join ledger_postings p on p.transaction_id = t.id
        join ledger_accounts a on a.id = p.account_id
      where t.kind = 'surplus_offset' and a.kind = 'owed_back' and a.council_id = ${c.councilId}`.execute(db);
    expect(posted.rows[0]).toEqual({ n: 4, total: -4 * 12_345 });
    expect(await owedBack(c)).toBe(0);
    const offsets = await db.selectFrom('surplus_offsets').select('taken_pence').where('council_id', '=', c.councilId).execute();
    expect(offsets.map((o) => o.taken_pence)).toEqual([12_345, 12_345, 12_345, 12_345]);
    expect(await verifyLedger(db)).toEqual([]);
  });

  it('verifyLedger notices a tampered offset posting or take', async () => {
    const { c, dp } = await setUp();
    await offsetFor(db, dp, 15_000, c.finance);
    const { runId } = await run(c, '2026-11-27', TEST_TODAY);
    const [line] = await linesOf(runId, dp.id);
    expect(await verifyLedger(db)).toEqual([]);
    // The owner sets the triggers aside and makes the offset posting £1 bigger on both sides.
    await t.ownerDb.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update ledger_postings set amount_pence = amount_pence + sign(amount_pence) * 100
        where transaction_id = (select id from ledger_transactions where idempotency_key = ${`run-line:${line!.id}:offset`})`.execute(trx);
    });
    const problems = await verifyLedger(db);
    expect(problems.join('\n')).toMatch(new RegExp(`Payment ${line!.line_number} of run ${runId} is paid \\(40000 pence, 15000 of it surplus taken off\\) but its postings are budget -25000, in transit 0, account 40100, owed back -15100`));
    expect(problems.join('\n')).toMatch(/has taken \d+ pence of surplus off payments but owed back went down by \d+ pence/);
    await t.ownerDb.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update ledger_postings set amount_pence = amount_pence - sign(amount_pence) * 100
        where transaction_id = (select id from ledger_transactions where idempotency_key = ${`run-line:${line!.id}:offset`})`.execute(trx);
      await sql`update surplus_offsets set taken_pence = taken_pence - 1 where direct_payment_id = ${dp.id}`.execute(trx);
    });
    expect((await verifyLedger(db)).join('\n')).toMatch(/Surplus offset .* says 14999 pence taken but its takes come to 15000 pence/);
  });
});
