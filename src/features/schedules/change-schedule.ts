import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { addDays, formatDate } from '../../domain/dates.ts';
import { canTransition, transition } from '../../domain/direct-payment-status.ts';
import { paidUpTo } from './queries.ts';
import { recalculateUnpaid, type Recalculated } from './recalculate.ts';

type Trx = Transaction<DB>;

/** The change cannot be made; the message says why, for the field named. */
export class ScheduleChangeRefused extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

type Who = { user: CurrentUser; today: string; ip?: string };
type Schedule = { id: string; direct_payment_id: string; starts_on: string; ends_on: string | null };
type Dp = { id: string; person_id: string; council_id: string; status: string };

async function lockedSchedule(trx: Trx, dp: Dp): Promise<Schedule> {
  return trx
    .selectFrom('payment_schedules')
    .select(['id', 'direct_payment_id', 'starts_on', 'ends_on'])
    .where('direct_payment_id', '=', dp.id)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/**
 * A new weekly rate (and contribution) from a date: an April uplift, a reassessment. Periods
 * straddling the date are paid part at each rate, by days. Days already paid for keep the rate
 * they were paid at, so the change must start after them.
 */
export async function changeRate(
  trx: Trx,
  dp: Dp,
  change: { from: string; weeklyAmountPence: number; weeklyContributionPence: number; reason: string },
  who: Who,
): Promise<Recalculated> {
  const schedule = await lockedSchedule(trx, dp);
  if (change.from < schedule.starts_on) throw new ScheduleChangeRefused('from', `Payments started on ${formatDate(schedule.starts_on)}. Choose that date or a later one.`);
  if (schedule.ends_on && change.from > schedule.ends_on) throw new ScheduleChangeRefused('from', `Payments end on ${formatDate(schedule.ends_on)}. Choose a date before then.`);
  const upTo = await paidUpTo(trx, dp.id);
  if (upTo && change.from <= upTo) {
    throw new ScheduleChangeRefused('from', `Payments have already been made up to ${formatDate(upTo)}. Choose ${formatDate(addDays(upTo, 1))} or later.`);
  }
  const values = { weekly_amount_pence: change.weeklyAmountPence, weekly_contribution_pence: change.weeklyContributionPence, reason: change.reason, created_by: who.user.id };
  if (change.from === schedule.starts_on) {
    await trx.updateTable('payment_schedules').set({ weekly_amount_pence: change.weeklyAmountPence, weekly_contribution_pence: change.weeklyContributionPence }).where('id', '=', schedule.id).execute();
  } else {
    await trx
      .insertInto('payment_schedule_rates')
      .values({ schedule_id: schedule.id, effective_from: change.from, ...values })
      .onConflict((oc) => oc.columns(['schedule_id', 'effective_from']).doUpdateSet(values))
      .execute();
  }
  const recalculated = await recalculateUnpaid(trx, schedule.id, dp.council_id);
  await audit(trx, who.user, {
    action: 'update',
    entityType: 'payment-schedule',
    entityId: schedule.id,
    personId: dp.person_id,
    details: { rateFrom: change.from, weeklyAmountPence: change.weeklyAmountPence, weeklyContributionPence: change.weeklyContributionPence, reason: change.reason, ...recalculated },
  }, who.ip);
  return recalculated;
}

/**
 * Suspends payments from a date (a hospital stay, a concern about how the money is used). Periods
 * starting while suspended are not paid; payment runs list them as exceptions. Money already paid
 * stays paid. The direct payment shows as suspended once the date has come.
 */
export async function suspendPayments(trx: Trx, dp: Dp, change: { from: string; reason: string }, who: Who): Promise<Recalculated> {
  const schedule = await lockedSchedule(trx, dp);
  const open = await trx.selectFrom('payment_schedule_suspensions').select('suspended_from').where('schedule_id', '=', schedule.id).where('resumed_from', 'is', null).executeTakeFirst();
  if (open) throw new ScheduleChangeRefused('from', `Payments are already suspended from ${formatDate(open.suspended_from)}.`);
  if (schedule.ends_on && change.from > schedule.ends_on) throw new ScheduleChangeRefused('from', `Payments end on ${formatDate(schedule.ends_on)}, so there is nothing to suspend after that.`);
  const latest = await trx.selectFrom('payment_schedule_suspensions').select((eb) => eb.fn.max('resumed_from').as('last')).where('schedule_id', '=', schedule.id).executeTakeFirst();
  if (latest?.last && change.from < latest.last) throw new ScheduleChangeRefused('from', `Payments were last resumed on ${formatDate(latest.last)}. Choose that date or a later one.`);
  await trx.insertInto('payment_schedule_suspensions').values({ schedule_id: schedule.id, suspended_from: change.from, reason: change.reason, suspended_by: who.user.id }).execute();
  await trx.updateTable('payment_schedules').set({ status: 'suspended' }).where('id', '=', schedule.id).execute();
  if (change.from <= who.today && canTransition(dp.status, 'suspended')) {
    await trx.updateTable('direct_payments').set({ status: transition(dp.status, 'suspended'), updated_at: new Date() }).where('id', '=', dp.id).execute();
  }
  const recalculated = await recalculateUnpaid(trx, schedule.id, dp.council_id);
  await audit(trx, who.user, {
    action: 'update',
    entityType: 'payment-schedule',
    entityId: schedule.id,
    personId: dp.person_id,
    details: { suspendedFrom: change.from, reason: change.reason, ...recalculated },
  }, who.ip);
  return recalculated;
}

/** Resumes payments from a date: the next period is paid, a part-period pro rata from that day. */
export async function resumePayments(trx: Trx, dp: Dp, change: { from: string }, who: Who): Promise<Recalculated> {
  const schedule = await lockedSchedule(trx, dp);
  const open = await trx.selectFrom('payment_schedule_suspensions').select(['id', 'suspended_from']).where('schedule_id', '=', schedule.id).where('resumed_from', 'is', null).executeTakeFirst();
  if (!open) throw new ScheduleChangeRefused('from', 'Payments are not suspended.');
  if (change.from <= open.suspended_from) throw new ScheduleChangeRefused('from', `Payments were suspended from ${formatDate(open.suspended_from)}. Choose a later date.`);
  await trx.updateTable('payment_schedule_suspensions').set({ resumed_from: change.from, resumed_by: who.user.id }).where('id', '=', open.id).execute();
  await trx.updateTable('payment_schedules').set({ status: schedule.ends_on ? 'ended' : 'active' }).where('id', '=', schedule.id).execute();
  if (dp.status === 'suspended') {
    await trx.updateTable('direct_payments').set({ status: transition(dp.status, 'active'), updated_at: new Date() }).where('id', '=', dp.id).execute();
  }
  const recalculated = await recalculateUnpaid(trx, schedule.id, dp.council_id);
  await audit(trx, who.user, {
    action: 'update',
    entityType: 'payment-schedule',
    entityId: schedule.id,
    personId: dp.person_id,
    details: { resumedFrom: change.from, ...recalculated },
  }, who.ip);
  return recalculated;
}

/**
 * Ends the payments on a date (the last day paid for). The last period is paid pro rata to it, and
 * payments not yet on a run for later periods are removed. Once the date has come the direct
 * payment shows as ended. Anything already paid for days after the end shows in the closing balance.
 */
export async function endPayments(trx: Trx, dp: Dp, change: { endsOn: string; reason: string }, who: Who): Promise<Recalculated> {
  const schedule = await lockedSchedule(trx, dp);
  if (change.endsOn < schedule.starts_on) throw new ScheduleChangeRefused('endsOn', `Payments started on ${formatDate(schedule.starts_on)}. Choose that date or a later one.`);
  await trx
    .updateTable('payment_schedules')
    .set({ ends_on: change.endsOn, status: 'ended', ended_reason: change.reason, ended_by: who.user.id })
    .where('id', '=', schedule.id)
    .execute();
  await trx.updateTable('direct_payments').set({ ends_on: change.endsOn, updated_at: new Date() }).where('id', '=', dp.id).execute();
  if (change.endsOn <= who.today && canTransition(dp.status, 'ended')) {
    await trx.updateTable('direct_payments').set({ status: transition(dp.status, 'ended') }).where('id', '=', dp.id).execute();
  }
  const recalculated = await recalculateUnpaid(trx, schedule.id, dp.council_id);
  await audit(trx, who.user, {
    action: 'update',
    entityType: 'payment-schedule',
    entityId: schedule.id,
    personId: dp.person_id,
    details: { endsOn: change.endsOn, reason: change.reason, ...recalculated },
  }, who.ip);
  return recalculated;
}
