import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import { addDays } from '../../domain/dates.ts';
import { accountFor, postTransaction } from '../payments/ledger.ts';
import { approvedDirectPayment } from '../payments/test-data.ts';
import { demoIds } from '../../../test/support/builders.ts';

/**
 * Test data for monitoring and surplus tests (not used by the app): an active ongoing direct
 * payment with a schedule and `periods` four-weekly payments paid through the ledger with the same
 * idempotency keys the payments feature uses, so `verifyLedger` holds; and recorded spending.
 */
export async function fundedDirectPayment(
  db: Database,
  opts: { username?: string; givenName?: string; weeklyPence?: number; contributionPence?: number; periods?: number; firstPeriodOn?: string; spentPence?: number } = {},
) {
  const weekly = opts.weeklyPence ?? 20_000;
  const contribution = opts.contributionPence ?? 0;
  const dp = await approvedDirectPayment(db, { username: opts.username, givenName: opts.givenName ?? 'Morgan', kind: 'ongoing', weeklyPence: weekly, contributionPence: contribution, startsOn: opts.firstPeriodOn ?? '2026-06-01' });
  const ids = await demoIds(db);
  const finance = ids.user('finance');
  const row = await db.updateTable('direct_payments').set({ status: 'active' }).where('id', '=', dp.id).returning(['council_id', 'reference']).executeTakeFirstOrThrow();
  const schedule = await db
    .insertInto('payment_schedules')
    .values({ direct_payment_id: dp.id, frequency: 'four_weekly', starts_on: opts.firstPeriodOn ?? '2026-06-01', weekly_amount_pence: weekly, weekly_contribution_pence: contribution, created_by: finance })
    .returning('id')
    .executeTakeFirstOrThrow();
  const net = (weekly - contribution) * 4;
  let start = opts.firstPeriodOn ?? '2026-06-01';
  for (let i = 0; i < (opts.periods ?? 6); i++) {
    const payment = await db
      .insertInto('payments')
      .values({ direct_payment_id: dp.id, schedule_id: schedule.id, period_starts_on: start, period_ends_on: addDays(start, 27), due_on: start, amount_pence: net, status: 'paid' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.transaction().execute(async (trx) => {
      const [budget, transit, held] = [await accountFor(trx, row.council_id, 'budget'), await accountFor(trx, row.council_id, 'in_transit'), await accountFor(trx, row.council_id, 'direct_payment', dp.id)];
      await postTransaction(trx, { idempotencyKey: `payment:${payment.id}:sent`, councilId: row.council_id, kind: 'payment_sent', description: 'sent', effectiveOn: start, directPaymentId: dp.id, postings: [{ accountId: budget, amountPence: -net }, { accountId: transit, amountPence: net }] });
      const paid = await postTransaction(trx, { idempotencyKey: `payment:${payment.id}:paid`, councilId: row.council_id, kind: 'payment_paid', description: 'paid', effectiveOn: start, directPaymentId: dp.id, postings: [{ accountId: transit, amountPence: -net }, { accountId: held, amountPence: net }] });
      await trx.updateTable('payments').set({ ledger_transaction_id: paid.id }).where('id', '=', payment.id).execute();
    });
    start = addDays(start, 28);
  }
  if (opts.spentPence) {
    await db.insertInto('spending_records').values({ direct_payment_id: dp.id, spent_on: '2026-10-01', amount_pence: opts.spentPence, paid_to: 'Home help', recorded_by: finance }).execute();
  }
  return { id: dp.id, personId: dp.personId, councilId: row.council_id, reference: row.reference, netPerPeriod: net, weeklyNet: weekly - contribution };
}

/** Adds statement lines (an import first), as the statements feature would. Amounts: + in, − out. */
export async function addStatementLines(
  owner: Database,
  directPaymentId: string,
  lines: Array<{ on: string; pence: number; description: string; counterparty?: string | null; explained?: string | null; spendingRecordId?: string | null }>,
): Promise<void> {
  const imp = await sql<{ id: string }>`
    insert into statement_imports (direct_payment_id, uploaded_by, via, format, file_name, lines_read, lines_added)
    values (${directPaymentId}, null, 'cli', 'csv', 'statement.csv', ${lines.length}, ${lines.length}) returning id`.execute(owner);
  for (const l of lines) {
    const match = l.spendingRecordId ? 'spending' : l.explained ? 'explained' : null;
    await sql`
      insert into statement_lines (direct_payment_id, import_id, posted_on, amount_pence, description, counterparty, fingerprint, match_kind, explanation, spending_record_id)
      values (${directPaymentId}, ${imp.rows[0]!.id}, ${l.on}, ${l.pence}, ${l.description}, ${l.counterparty ?? null}, ${crypto.randomUUID()}, ${match}, ${l.explained ?? null}, ${l.spendingRecordId ?? null})`.execute(owner);
  }
}

export async function addAssistant(owner: Database, directPaymentId: string, name: string, payroll: 'provider' | 'managed_account' | 'self' | 'none', weeklyMinutes = 0): Promise<void> {
  const ids = await demoIds(owner);
  await sql`
    insert into personal_assistants (direct_payment_id, name, role, starts_on, weekly_minutes, hourly_rate_pence, payroll, payroll_provider, created_by)
    values (${directPaymentId}, ${name}, 'Personal assistant', '2026-01-01', ${weeklyMinutes}, 1250, ${payroll},
            ${payroll === 'provider' || payroll === 'managed_account' ? 'Payroll Co' : null}, ${ids.user('practitioner')})`.execute(owner);
}
