import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, TEST_TODAY, type TestServices } from '../support/database.ts';
import { saveSettings } from '../../src/features/payment-runs/settings.ts';
import { EASTMOOR_BACS } from '../../src/features/payment-runs/test-data.ts';
import { createPaymentRun } from '../../src/features/payment-runs/create-run.ts';
import { recordApproval } from '../../src/features/payment-runs/approve-run.ts';
import { continueRun } from '../../src/features/payment-runs/run-work.ts';
import { runFile } from '../../src/features/payment-runs/bacs-file.ts';
import { recordReturn } from '../../src/features/payment-runs/record-return.ts';
import { importModulusTables, readTableFiles } from '../../src/features/bank-details/tables.ts';
import { verifyLedger } from '../../src/features/payments/ledger.ts';
import { councilOfItsOwn, directPaymentIn } from './payment-runs-support.ts';

// Vocalink's files, read where they are kept, never copied into the project.
const VOCALINK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/reference/vocalink');

let t: TestServices;
beforeAll(async () => {
  t = await freshServices();
});
afterEach(async () => {
  expect(await verifyLedger(t.db)).toEqual([]);
});
afterAll(async () => {
  await t?.close();
});

async function runThrough(c: Awaited<ReturnType<typeof councilOfItsOwn>>, wanted: string) {
  const { run } = await createPaymentRun(t.db, { user: c.finance, wanted, today: TEST_TODAY });
  await recordApproval(t.db, { runId: run.id, user: c.manager, today: TEST_TODAY });
  await continueRun(t.db, run.id, TEST_TODAY);
  await runFile(t.db, { runId: run.id, format: 'std18', user: c.finance });
  return run;
}

describe('a council that pays weekly, gross, and invoices contributions', () => {
  it('pays the whole weekly budget and invoices the contribution once per period, even when a payment is returned and paid again', async () => {
    const c = await councilOfItsOwn(t.db, 'Grossly');
    await t.db.transaction().execute((trx) => saveSettings(trx, c.councilId, { ...EASTMOOR_BACS, frequency: 'weekly', contributions: 'gross' }, c.finance.id));
    const dp = await directPaymentIn(t.db, c, { kind: 'ongoing', pence: 10_000, contributionPence: 2_500, startsOn: TEST_TODAY, today: TEST_TODAY });
    const schedule = await t.db.selectFrom('payment_schedules').select(['frequency', 'contributions']).where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
    expect(schedule).toEqual({ frequency: 'weekly', contributions: 'gross' });
    const first = await runThrough(c, '2026-11-27');
    const lines = await t.db.selectFrom('payment_run_lines').select(['amount_pence', 'contribution_pence']).where('run_id', '=', first.id).execute();
    expect(lines).toEqual([{ amount_pence: 10_000, contribution_pence: 2_500 }]);
    const invoices = () => sql<{ account: string; amount: number }>`
      select a.kind as account, sum(p.amount_pence)::bigint as amount from ledger_postings p join ledger_accounts a on a.id = p.account_id
        join ledger_transactions t on t.id = p.transaction_id
      where t.kind = 'contribution_invoiced' and t.direct_payment_id = ${dp.id} group by a.kind order by a.kind`.execute(t.db).then((r) => r.rows);
    expect(await invoices()).toEqual([{ account: 'contributions', amount: -2_500 }, { account: 'owed_back', amount: 2_500 }]);

    expect(await recordReturn(t.db, { runId: first.id, lineNumber: 1, reason: 'account_closed', user: c.finance, today: TEST_TODAY })).toBe('returned');
    const second = await runThrough(c, '2026-12-04');
    const repaid = await t.db.selectFrom('payment_run_lines').select(['amount_pence']).where('run_id', '=', second.id).orderBy('line_number').execute();
    // The returned week, paid again, and the next week.
    expect(repaid.map((l) => l.amount_pence)).toEqual([10_000, 10_000]);
    expect(await invoices()).toEqual([{ account: 'contributions', amount: -5_000 }, { account: 'owed_back', amount: 5_000 }]);
  });
});

describe('a council on one monthly cycle', () => {
  it('pays a short first month pro rata up to the cycle, then whole months', async () => {
    const c = await councilOfItsOwn(t.db, 'Monthly');
    await t.db.transaction().execute((trx) => saveSettings(trx, c.councilId, { ...EASTMOOR_BACS, frequency: 'monthly', cycleAnchorOn: '2026-01-01' }, c.finance.id));
    const dp = await directPaymentIn(t.db, c, { kind: 'ongoing', pence: 12_000, startsOn: '2026-11-23', today: TEST_TODAY });
    await createPaymentRun(t.db, { user: c.finance, wanted: '2026-12-01', today: TEST_TODAY });
    const payments = await t.db.selectFrom('payments').select(['period_starts_on', 'period_ends_on', 'amount_pence']).where('direct_payment_id', '=', dp.id).orderBy('period_starts_on').execute();
    // £520 a month (52 weeks over 12 months); 8 of November's 30 days, then December whole.
    expect(payments).toEqual([
      { period_starts_on: '2026-11-23', period_ends_on: '2026-11-30', amount_pence: Math.round((52_000 * 8) / 30) },
      { period_starts_on: '2026-12-01', period_ends_on: '2026-12-31', amount_pence: 52_000 },
    ]);
  });
});

describe('bank details checked against Vocalink’s tables', () => {
  it('leaves out a payment whose account number does not match its sort code, saying why', async () => {
    await importModulusTables(t.db, await readTableFiles(VOCALINK), { user: null, label: 'test' });
    const c = await councilOfItsOwn(t.db, 'Modulus');
    const good = await directPaymentIn(t.db, c, { kind: 'one_off', pence: 5_000, startsOn: TEST_TODAY, today: TEST_TODAY, bank: ['118765', '64371389'] });
    const bad = await directPaymentIn(t.db, c, { kind: 'one_off', pence: 5_000, startsOn: TEST_TODAY, today: TEST_TODAY, bank: ['118765', '64371388'] });
    const { run } = await createPaymentRun(t.db, { user: c.finance, wanted: '2026-11-27', today: TEST_TODAY });
    const lines = await t.db.selectFrom('payment_run_lines').select('direct_payment_id').where('run_id', '=', run.id).execute();
    expect(lines).toEqual([{ direct_payment_id: good.id }]);
    const exceptions = await t.db.selectFrom('payment_run_exceptions').select(['direct_payment_id', 'reason', 'detail']).where('run_id', '=', run.id).execute();
    expect(exceptions).toEqual([{ direct_payment_id: bad.id, reason: 'bank_details', detail: expect.stringMatching(/^Bank details fail the modulus check: the account number does not match the sort code/) }]);
  });
});
