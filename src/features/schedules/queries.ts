import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addDays } from '../../domain/dates.ts';
import { netAmountForFullPeriod, periodsDue, type ScheduleTerms } from '../../domain/schedule.ts';
import { directPaymentMoney } from '../payments/ledger.ts';
import { spendingFor } from '../spending/queries.ts';
import { scheduleWithTerms } from './terms.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const FREQUENCY_TEXT: Record<string, string> = { weekly: 'every week', four_weekly: 'every 4 weeks', monthly: 'every month' };

/**
 * The last day already paid for, or on its way, or on a payment run: changes to the rate can only
 * start after it (earlier days have been paid at the old rate; arrears are not worked out here).
 */
export async function paidUpTo(db: Db, directPaymentId: string): Promise<string | null> {
  const row = await sql<{ last: string | null }>`
    select max(p.period_ends_on) as last from payments p
    where p.direct_payment_id = ${directPaymentId}
      and (p.status in ('in_transit', 'paid') or exists (select 1 from payment_run_lines l where l.payment_id = p.id and l.status <> 'returned'))`.execute(db);
  return row.rows[0]?.last ?? null;
}

/** Everything the schedule page shows: the terms, their history, and what is paid next. */
export async function schedulePage(db: Db, directPaymentId: string, today: string) {
  const row = await db.selectFrom('payment_schedules').select('id').where('direct_payment_id', '=', directPaymentId).executeTakeFirst();
  if (!row) return null;
  const { schedule, terms } = await scheduleWithTerms(db, row.id);
  const [rates, suspensions, last, upTo] = await Promise.all([
    db
      .selectFrom('payment_schedule_rates')
      .leftJoin('users', 'users.id', 'payment_schedule_rates.created_by')
      .select(['effective_from', 'weekly_amount_pence', 'weekly_contribution_pence', 'reason', 'users.display_name as by'])
      .where('schedule_id', '=', schedule.id)
      .orderBy('effective_from')
      .execute(),
    db
      .selectFrom('payment_schedule_suspensions')
      .leftJoin('users', 'users.id', 'payment_schedule_suspensions.suspended_by')
      .select(['suspended_from', 'resumed_from', 'reason', 'users.display_name as by'])
      .where('schedule_id', '=', schedule.id)
      .orderBy('suspended_from')
      .execute(),
    db.selectFrom('payments').select((eb) => eb.fn.max('period_starts_on').as('last')).where('direct_payment_id', '=', directPaymentId).executeTakeFirst(),
    paidUpTo(db, directPaymentId),
  ]);
  const perPeriod = (weekly: number, contribution: number) =>
    netAmountForFullPeriod(terms.frequency, weekly, terms.contributions === 'gross' ? 0 : contribution);
  const after = last?.last ?? null;
  // The next periods not yet scheduled (those already scheduled are on the statement).
  const upcoming = periodsDue(terms, after, addDays(after ?? (today > terms.startsOn ? today : terms.startsOn), 120)).slice(0, 3);
  return {
    schedule,
    terms,
    rateHistory: [
      { effective_from: schedule.starts_on, weekly_amount_pence: schedule.weekly_amount_pence, weekly_contribution_pence: schedule.weekly_contribution_pence, reason: 'When payments started', by: null },
      ...rates.filter((r) => r.effective_from > schedule.starts_on),
    ].map((r) => ({ ...r, perPeriodPence: perPeriod(r.weekly_amount_pence, r.weekly_contribution_pence) })),
    suspensions,
    openSuspension: suspensions.find((s) => s.resumed_from === null) ?? null,
    upcoming,
    paidUpTo: upTo,
    frequencyText: FREQUENCY_TEXT[terms.frequency] ?? terms.frequency,
  };
}

export type SchedulePage = NonNullable<Awaited<ReturnType<typeof schedulePage>>>;

/**
 * Where the money stands when payments end: what has reached the account and what the person has
 * recorded spending (as on the statement), and what was paid, or is on its way, for days after
 * the end, which the council may ask to have back (after talking to the person, with notice).
 */
export async function closingBalance(db: Db, directPaymentId: string, terms: ScheduleTerms, endsOn: string) {
  const ended = { ...terms, endsOn };
  const covering = await sql<{ period_starts_on: string; period_ends_on: string; amount_pence: number }>`
    select p.period_starts_on, p.period_ends_on, p.amount_pence from payments p
    where p.direct_payment_id = ${directPaymentId} and p.period_ends_on > ${endsOn}
      and (p.status in ('in_transit', 'paid') or exists (select 1 from payment_run_lines l where l.payment_id = p.id and l.status <> 'returned'))`.execute(db);
  let afterEndPence = 0;
  for (const p of covering.rows) {
    // What the period is worth now it is cut short at the end (nothing, if it starts after).
    const owed = periodsDue(ended, addDays(p.period_starts_on, -1), p.period_starts_on)[0];
    afterEndPence += p.amount_pence - (owed?.kind === 'pay' ? owed.amountPence : 0);
  }
  const money = await directPaymentMoney(db, directPaymentId);
  const spending = await spendingFor(db, directPaymentId);
  return {
    paidInPence: money.paidInPence,
    inTransitPence: money.inTransitPence,
    spentPence: spending.totalPence,
    leftPence: money.paidInPence - spending.totalPence,
    afterEndPence: Math.max(0, afterEndPence),
  };
}
