import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addDays } from '../../domain/dates.ts';
import { firstPaymentDate, periodsDue } from '../../domain/schedule.ts';
import { paymentSettings } from '../payment-runs/settings.ts';
import { scheduleWithTerms } from '../schedules/terms.ts';

type Trx = Transaction<DB>;

type DirectPaymentTerms = {
  id: string;
  council_id: string;
  kind: string;
  amount_pence: number | null;
  weekly_amount_pence: number | null;
  weekly_contribution_pence: number;
  starts_on: string | null;
  ends_on: string | null;
  first_payment_on: string | null;
};

/**
 * Sets up the money once an agreement is signed: one payment for a one-off, or a schedule and its
 * first period's payment for an ongoing direct payment. The schedule follows the council's payment
 * settings (every 4 weeks, in advance, net of the contribution, unless the council says otherwise).
 * Safe to run twice: the schedule is made only if there is none, and the database allows one
 * payment per direct payment per period.
 */
export async function startPayments(trx: Trx, dp: DirectPaymentTerms, createdBy: string, today: string): Promise<void> {
  const payOn = firstPaymentDate(dp.first_payment_on ?? dp.starts_on, today);
  if (dp.kind === 'one_off') {
    await insertPayment(trx, { direct_payment_id: dp.id, schedule_id: null, period_starts_on: payOn, period_ends_on: payOn, due_on: payOn, amount_pence: dp.amount_pence!, invoiced_contribution_pence: 0 });
    return;
  }
  let schedule = await trx.selectFrom('payment_schedules').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirst();
  if (!schedule) {
    const settings = await paymentSettings(trx, dp.council_id);
    schedule = await trx
      .insertInto('payment_schedules')
      .values({
        direct_payment_id: dp.id,
        frequency: settings.frequency,
        contributions: settings.contributions,
        anchor_on: settings.cycleAnchorOn,
        starts_on: payOn,
        ends_on: dp.ends_on,
        weekly_amount_pence: dp.weekly_amount_pence!,
        weekly_contribution_pence: dp.weekly_contribution_pence,
        created_by: createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  }
  await scheduleNextPayment(trx, schedule.id);
}

/**
 * Adds the payment for the period after the last one scheduled (the first, if none), in advance:
 * due on the first day of its period, at the rates in force over it. Returns false when there is
 * no further period, payments are suspended, or the contribution covers the whole period. Payment
 * runs schedule every period due in one go (schedules/due-payments.ts); this is the one-at-a-time
 * version for a signed agreement and the statement's button.
 */
export async function scheduleNextPayment(trx: Trx, scheduleId: string): Promise<boolean> {
  await trx.selectFrom('payment_schedules').select('id').where('id', '=', scheduleId).forUpdate().executeTakeFirstOrThrow();
  const { schedule, terms } = await scheduleWithTerms(trx, scheduleId);
  const last = await trx
    .selectFrom('payments')
    .select('period_starts_on')
    .where('direct_payment_id', '=', schedule.direct_payment_id)
    .orderBy('period_starts_on', 'desc')
    .executeTakeFirst();
  const after = last?.period_starts_on ?? null;
  // A year ahead is further than any period reaches; skip periods wholly suspended since.
  const next = periodsDue(terms, after, addDays(after ?? terms.startsOn, 400)).find((o) => o.kind !== 'nothing');
  if (!next || next.kind !== 'pay') return false;
  await insertPayment(trx, {
    direct_payment_id: schedule.direct_payment_id,
    schedule_id: schedule.id,
    period_starts_on: next.period.startsOn,
    period_ends_on: next.period.endsOn,
    due_on: next.period.startsOn,
    amount_pence: next.amountPence,
    invoiced_contribution_pence: next.contributionPence,
  });
  return true;
}

async function insertPayment(
  trx: Trx,
  p: { direct_payment_id: string; schedule_id: string | null; period_starts_on: string; period_ends_on: string; due_on: string; amount_pence: number; invoiced_contribution_pence: number },
): Promise<void> {
  await trx
    .insertInto('payments')
    .values(p)
    .onConflict((oc) => oc.columns(['direct_payment_id', 'period_starts_on']).doNothing())
    .execute();
}
