import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, TEST_TODAY, type TestServices } from '../../../test/support/database.ts';
import { seedDemo } from '../../demo/seed.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { addAssistant, addStatementLines, fundedDirectPayment } from '../surplus/test-data.ts';
import { currentFlags, flagsFor, worklist } from './queries.ts';
import { recordConcern, saveRules } from './actions.ts';
import { DEFAULT_RULES } from '../../domain/monitoring.ts';
import { loadUser } from '../../platform/http/auth.ts';

let s: TestServices;
let councilId: string;
beforeAll(async () => {
  s = await freshServices();
  await seedDemo(s);
  councilId = (await demoIds(s.db)).england;
});
afterAll(async () => s?.close());

const today = TEST_TODAY;
const rulesOf = (flags: Array<{ rule: string }>) => flags.map((f) => f.rule).sort();

describe('monitoring rules on real data', () => {
  it('flags money building up beyond the contingency, and not once committed money is recorded', async () => {
    // £200 a week, 6 four-weekly payments (£4,800) in; £1,000 recorded spent: about £3,800 held.
    const dp = await fundedDirectPayment(s.db, { givenName: 'Balance', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
    const flags = await flagsFor(s.db, dp.id, { today });
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ rule: 'balance_over_contingency', level: 'medium' });
    expect(flags[0]!.reason).toBe('The account holds about £3,800.00, which is £2,200.00 more than the £1,600.00 kept for emergencies (8 weeks of payments).');
    expect(flags[0]!.evidence).toMatchObject({ balancePence: 380_000, contingencyPence: 160_000, overPence: 220_000 });

    const practitioner = (await loadUser(s, (await demoIds(s.db)).user('practitioner')))!;
    await s.db.insertInto('monitoring_commitments').values({ direct_payment_id: dp.id, amount_pence: 215_000, committed_for: 'Wages owed to a new PA', recorded_on: today, recorded_by: practitioner.id }).execute();
    // £50 over is within the council's £100 margin.
    expect(await flagsFor(s.db, dp.id, { today })).toEqual([]);
  });

  it('counts money out once when a statement line is matched to a spending record', async () => {
    // £4,800 in; £1,000 recorded and matched to its statement line, plus £500 cash only on the statement: £3,300 held.
    const dp = await fundedDirectPayment(s.db, { givenName: 'Matched', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
    const record = await s.db.selectFrom('spending_records').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
    await addStatementLines(s.ownerDb, dp.id, [
      { on: '2026-10-01', pence: -100_000, description: 'HOME HELP', spendingRecordId: record.id },
      { on: '2026-10-03', pence: -50_000, description: 'CASH', explained: 'Taxi fares' },
    ]);
    const [flag] = await flagsFor(s.db, dp.id, { today });
    expect(flag!.evidence).toMatchObject({ balancePence: 330_000, overPence: 170_000 });
  });

  it('never flags a low-risk direct payment, and the worklist holds only the flagged', async () => {
    const quiet = await fundedDirectPayment(s.db, { givenName: 'Quiet', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
    expect(await flagsFor(s.db, quiet.id, { today })).toEqual([]);
    const list = await worklist(s.db, councilId, { today });
    expect(list.every((e) => e.flags.length > 0 && e.level !== 'low')).toBe(true);
    expect(list.map((e) => e.directPaymentId)).not.toContain(quiet.id);
  });

  it('flags unexplained money out above the threshold, counting only unmatched lines in the last 12 months', async () => {
    const dp = await fundedDirectPayment(s.db, { givenName: 'Unexplained', weeklyPence: 20_000, periods: 2, spentPence: 150_000 });
    await addStatementLines(s.ownerDb, dp.id, [
      { on: '2026-10-02', pence: -20_000, description: 'CASH WITHDRAWAL' },
      { on: '2026-10-20', pence: -11_250, description: 'ONLINE PAYMENT 4471' },
      { on: '2026-10-21', pence: -90_000, description: 'HOME HELP', explained: 'Help with cleaning' },
      { on: '2025-09-01', pence: -99_900, description: 'TOO OLD TO COUNT' },
      { on: '2026-10-01', pence: 160_000, description: 'EASTMOOR CC DP' },
    ]);
    const flags = await flagsFor(s.db, dp.id, { today });
    expect(rulesOf(flags)).toEqual(['unexplained_spending']);
    expect(flags[0]!.reason).toBe('£312.50 spent from the account in the last 12 months (2 payments) has not been matched to a receipt or explained yet.');
  });

  it('flags regular payments to a person with no payroll record, not to a business or a PA on payroll', async () => {
    const dp = await fundedDirectPayment(s.db, { givenName: 'Payee', weeklyPence: 20_000, periods: 2, spentPence: 150_000 });
    const monthly = (description: string, counterparty: string | null, pence: number) =>
      ['2026-08-05', '2026-09-05', '2026-10-05'].map((on) => ({ on, pence: -pence, description, counterparty, explained: 'Paid for help' }));
    await addStatementLines(s.ownerDb, dp.id, [
      ...monthly('FPO J SMITH', 'J SMITH', 12_000),
      ...monthly('TESCO STORES 2231', null, 4_000),
      ...monthly('SO A JONES', 'A JONES', 9_000),
    ]);
    await addAssistant(s.ownerDb, dp.id, 'Ann Jones', 'provider');
    const flags = await flagsFor(s.db, dp.id, { today });
    expect(rulesOf(flags)).toEqual(['unregistered_payee']);
    expect(flags[0]).toMatchObject({ level: 'high' });
    expect(flags[0]!.reason).toBe('Regular payments went to J SMITH (3 payments over 3 months), but there is no payroll record for them.');

    // Once Jane Smith is recorded as a PA with payroll, the flag goes.
    await addAssistant(s.ownerDb, dp.id, 'Jane Smith', 'self');
    expect(await flagsFor(s.db, dp.id, { today })).toEqual([]);
  });

  it('uses the council’s rules: no statements for N months is off until switched on, and a concern raises the level', async () => {
    const dp = await fundedDirectPayment(s.db, { givenName: 'Concern', weeklyPence: 20_000, periods: 6, spentPence: 400_000, firstPeriodOn: '2026-05-04' });
    expect(await flagsFor(s.db, dp.id, { today })).toEqual([]);
    const finance = (await loadUser(s, (await demoIds(s.db)).user('finance')))!;
    await s.db.transaction().execute((trx) => saveRules(trx, councilId, { ...DEFAULT_RULES, no_statements: { rule: 'no_statements', enabled: true, threshold: 3, level: 'medium' } }, 28, finance));
    const noStatements = await flagsFor(s.db, dp.id, { today });
    expect(rulesOf(noStatements)).toEqual(['no_statements']);
    expect(noStatements[0]!.reason).toBe('No bank statement has been shared since payments started on 4 May 2026, more than 3 months ago.');

    const practitioner = (await loadUser(s, (await demoIds(s.db)).user('practitioner')))!;
    await s.db.transaction().execute((trx) => recordConcern(trx, { dp: { id: dp.id, council_id: councilId, person_id: dp.personId }, concern: 'Payments to a relative that were not in the plan', on: '2026-11-02', user: practitioner }));
    const flags = await flagsFor(s.db, dp.id, { today });
    expect(rulesOf(flags)).toEqual(['no_statements', 'previous_concern']);
    expect(flags.find((f) => f.rule === 'previous_concern')!.reason).toBe('A concern was recorded on 2 November 2026, so the account is looked at more closely for 12 months after it.');
    const entry = (await worklist(s.db, councilId, { today })).find((e) => e.directPaymentId === dp.id)!;
    expect(entry.level).toBe('high');
    const all = await currentFlags(s.db, councilId, { today });
    expect(all.filter((f) => f.directPaymentId === dp.id).map((f) => f.rule).sort()).toEqual(['no_statements', 'previous_concern']);
    // Put the rule back for the other tests in this file.
    await s.db.transaction().execute((trx) => saveRules(trx, councilId, DEFAULT_RULES, 28, finance));
  });
});
