import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addDays } from '../../domain/dates.ts';
import { netAmountForFullPeriod, periodsDue, rateOn } from '../../domain/schedule.ts';
import { scheduleWithTerms } from '../schedules/terms.ts';
import { FREQUENCY_TEXT } from '../schedules/queries.ts';
import { spendingFor } from '../spending/queries.ts';
import { directPaymentMoney } from './ledger.ts';
import { nextPaymentOffset } from '../surplus/offsets.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const PAYMENT_STATUS_NAMES: Record<string, string> = {
  scheduled: 'Scheduled',
  in_transit: 'Sent',
  paid: 'Paid',
  returned: 'Returned',
};

/**
 * Everything known about a direct payment's money, for the finance statement and the person's own
 * page: the payments, what the ledger says has arrived or is on its way, what the person has
 * recorded spending, and what comes next. Balances come from the ledger's postings, never a stored
 * figure; "left" is the person's own reckoning (paid in less what they recorded), not the ledger's.
 */
export async function statementFor(db: Db, directPaymentId: string, today: string) {
  const payments = await db
    .selectFrom('payments')
    .leftJoin('ledger_transactions', 'ledger_transactions.id', 'payments.ledger_transaction_id')
    // The payment run it is on, if any: at most one line per payment is live (not returned).
    .leftJoin('payment_run_lines', (join) => join.onRef('payment_run_lines.payment_id', '=', 'payments.id').on('payment_run_lines.status', '<>', 'returned'))
    .leftJoin('payment_runs', 'payment_runs.id', 'payment_run_lines.run_id')
    .select([
      'payments.id', 'payments.period_starts_on', 'payments.period_ends_on', 'payments.due_on', 'payments.amount_pence',
      'payments.status', 'payments.schedule_id', 'ledger_transactions.effective_on as moved_on',
      'payment_runs.id as run_id', 'payment_runs.payment_date as run_payment_date',
    ])
    .where('payments.direct_payment_id', '=', directPaymentId)
    .orderBy('payments.period_starts_on')
    .execute();
  const scheduleRow = await db.selectFrom('payment_schedules').select('id').where('direct_payment_id', '=', directPaymentId).executeTakeFirst();
  const found = scheduleRow ? await scheduleWithTerms(db, scheduleRow.id) : null;
  const money = await directPaymentMoney(db, directPaymentId);
  const spending = await spendingFor(db, directPaymentId);

  const rows = payments.map((p) => ({ ...p, statusName: PAYMENT_STATUS_NAMES[p.status] ?? p.status, paidOn: p.status === 'paid' ? (p.moved_on ?? p.run_payment_date) : null }));
  const paid = rows.filter((p) => p.status === 'paid');
  const thisPeriod = rows.find((p) => p.period_starts_on <= today && today <= p.period_ends_on && p.schedule_id) ?? null;

  // The next payment, less any surplus owed back that a payment run takes off it ("reduce future
  // payments"): amountPence is what arrives from the bank, grossPence the period's payment.
  let next: { dueOn: string; amountPence: number; grossPence: number; offsetPence: number } | null = null;
  let coming: { paymentId: string | null; dueOn: string; amountPence: number } | null = null;
  const unpaid = rows.find((p) => p.status === 'scheduled' || p.status === 'in_transit');
  if (unpaid) coming = { paymentId: unpaid.id, dueOn: unpaid.due_on, amountPence: unpaid.amount_pence };
  else if (found) {
    const after = rows.at(-1)?.period_starts_on ?? null;
    const due = periodsDue(found.terms, after, addDays(after ?? found.terms.startsOn, 400)).find((o) => o.kind !== 'nothing');
    if (due?.kind === 'pay') coming = { paymentId: null, dueOn: due.period.startsOn, amountPence: due.amountPence };
  }
  if (coming) {
    const offset = await nextPaymentOffset(db, directPaymentId, coming);
    next = { dueOn: coming.dueOn, amountPence: coming.amountPence - offset, grossPence: coming.amountPence, offsetPence: offset };
  }

  // The rate in force today (rates can change from a date), as the person and staff know it.
  let schedule = null;
  if (found) {
    const { terms } = found;
    const rate = rateOn(terms.rates, today);
    const gross = terms.contributions === 'gross';
    schedule = {
      ...found.schedule,
      weekly_amount_pence: rate.weeklyAmount,
      weekly_contribution_pence: rate.weeklyContribution,
      frequencyText: FREQUENCY_TEXT[terms.frequency] ?? terms.frequency,
      netPerPeriodPence: netAmountForFullPeriod(terms.frequency, rate.weeklyAmount, gross ? 0 : rate.weeklyContribution),
      contributionPerPeriodPence: netAmountForFullPeriod(terms.frequency, rate.weeklyContribution, 0),
    };
  }

  return {
    payments: rows,
    paid,
    thisPeriod,
    next,
    schedule,
    paidInPence: money.paidInPence,
    inTransitPence: money.inTransitPence,
    spending: spending.records,
    spentPence: spending.totalPence,
    leftPence: money.paidInPence - spending.totalPence,
  };
}

export type Statement = Awaited<ReturnType<typeof statementFor>>;
