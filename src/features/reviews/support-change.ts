import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { addDays, dateFromParts, formatDate } from '../../domain/dates.ts';
import { formatPounds, parsePounds } from '../../domain/money.ts';
import { rateOn } from '../../domain/schedule.ts';
import { fieldError, type FormErrors } from '../../platform/http/validation.ts';
import { scheduleWithTerms } from '../schedules/terms.ts';
import { paidUpTo } from '../schedules/queries.ts';
import { changeRate } from '../schedules/change-schedule.ts';

// A review that changes the support feeds it back: the change is recorded against the review and
// the plan it meets (review_changes), and a new weekly amount becomes a new rate on the payment
// schedule from the date chosen, through the schedules feature's own changeRate (which refuses
// days already paid for and recalculates the payments not yet made).

type Db = Kysely<DB> | Transaction<DB>;

export type CurrentSupport = {
  scheduleId: string;
  weeklyAmountPence: number;
  weeklyContributionPence: number;
  /** The first day a new rate may start: after every day already paid for. */
  earliestFrom: string;
  endsOn: string | null;
};

/** The payment schedule's weekly amount in force today, or null for a direct payment without one. */
export async function currentSupport(db: Db, directPaymentId: string, today: string): Promise<CurrentSupport | null> {
  const row = await db.selectFrom('payment_schedules').select('id').where('direct_payment_id', '=', directPaymentId).executeTakeFirst();
  if (!row) return null;
  const { schedule, terms } = await scheduleWithTerms(db, row.id);
  const rate = rateOn(terms.rates, today);
  const upTo = await paidUpTo(db, directPaymentId);
  const afterPaid = upTo ? addDays(upTo, 1) : schedule.starts_on;
  return {
    scheduleId: schedule.id,
    weeklyAmountPence: rate.weeklyAmount,
    weeklyContributionPence: rate.weeklyContribution,
    earliestFrom: afterPaid > schedule.starts_on ? afterPaid : schedule.starts_on,
    endsOn: schedule.ends_on,
  };
}

export type NewRate = { weeklyAmountPence: number; from: string };

const MAX_WEEKLY_PENCE = 10_000_000;

/**
 * The optional new weekly amount on the review form ("If the weekly amount changes…"), checked
 * against the change chosen: more support cannot cost less, less support cannot cost more.
 */
export function parseNewRate(raw: Record<string, unknown>, changes: string, support: CurrentSupport | null): { rate: NewRate | null; errors: FormErrors } {
  const errors: FormErrors = { list: [], fields: {} };
  const add = (more: FormErrors) => {
    errors.list.push(...more.list);
    Object.assign(errors.fields, more.fields);
  };
  const amountText = String(raw.newWeekly ?? '').trim();
  const parts = ['day', 'month', 'year'].map((p) => String(raw[`newWeeklyFrom-${p}`] ?? '').trim());
  if (!support) return { rate: null, errors };
  if (!amountText) {
    if (parts.some(Boolean) && changes !== 'none') add(fieldError('newWeekly', 'Enter the new weekly amount, or leave the date empty'));
    return { rate: null, errors };
  }
  if (changes === 'none') {
    add(fieldError('newWeekly', 'Leave the new weekly amount empty if the support stays as it is'));
    return { rate: null, errors };
  }
  const pence = parsePounds(amountText);
  const current = formatPounds(support.weeklyAmountPence);
  if (pence === null) add(fieldError('newWeekly', 'Enter the new weekly amount in pounds, like 150 or 150.50'));
  else if (pence <= 0) add(fieldError('newWeekly', 'The new weekly amount must be more than £0'));
  else if (pence > MAX_WEEKLY_PENCE) add(fieldError('newWeekly', 'The new weekly amount must be £100,000 or less'));
  else if (pence < support.weeklyContributionPence) add(fieldError('newWeekly', `The new weekly amount cannot be less than the person’s contribution (${formatPounds(support.weeklyContributionPence)})`));
  else if (changes === 'more' && pence <= support.weeklyAmountPence) add(fieldError('newWeekly', `For more support, the new weekly amount must be more than ${current}`));
  else if (changes === 'less' && pence >= support.weeklyAmountPence) add(fieldError('newWeekly', `For less support, the new weekly amount must be less than ${current}`));
  else if (pence === support.weeklyAmountPence) add(fieldError('newWeekly', `The weekly amount is already ${current}. Leave it empty to keep it`));

  let from: string | null = null;
  if (!parts.some(Boolean)) add(fieldError('newWeeklyFrom', 'Enter the date the new weekly amount starts', '#newWeeklyFrom-day'));
  else {
    from = dateFromParts(parts[0]!, parts[1]!, parts[2]!);
    if (!from) add(fieldError('newWeeklyFrom', 'The date the new weekly amount starts must be a real date, like 4 1 2027', '#newWeeklyFrom-day'));
    else if (from < support.earliestFrom) {
      add(fieldError('newWeeklyFrom', `Payments are made up to ${formatDate(addDays(support.earliestFrom, -1))}. The new amount can start on ${formatDate(support.earliestFrom)} or later`, '#newWeeklyFrom-day'));
    } else if (support.endsOn && from > support.endsOn) {
      add(fieldError('newWeeklyFrom', `Payments end on ${formatDate(support.endsOn)}. Choose a date before then`, '#newWeeklyFrom-day'));
    }
  }
  if (errors.list.length || pence === null || !from) return { rate: null, errors };
  return { rate: { weeklyAmountPence: pence, from }, errors };
}

/**
 * Records the change a review made, in the review's transaction: the row in review_changes and,
 * with a new weekly amount, the new rate on the payment schedule.
 */
export async function applySupportChange(
  trx: Transaction<DB>,
  args: {
    user: CurrentUser;
    today: string;
    ip?: string;
    reviewId: string;
    dp: { id: string; person_id: string; council_id: string; status: string; plan_id: string | null };
    change: 'more' | 'less' | 'different';
    whatChanged: string;
    rate: NewRate | null;
  },
): Promise<void> {
  const support = args.rate ? await currentSupport(trx, args.dp.id, args.today) : null;
  if (args.rate && support) {
    await changeRate(
      trx,
      args.dp,
      {
        from: args.rate.from,
        weeklyAmountPence: args.rate.weeklyAmountPence,
        weeklyContributionPence: support.weeklyContributionPence,
        reason: `Review on ${formatDate(args.today)}: ${args.change} support. ${args.whatChanged}`.slice(0, 500),
      },
      { user: args.user, today: args.today, ip: args.ip },
    );
  }
  await trx
    .insertInto('review_changes')
    .values({
      review_id: args.reviewId,
      direct_payment_id: args.dp.id,
      plan_id: args.dp.plan_id,
      change: args.change,
      what_changed: args.whatChanged,
      weekly_amount_before_pence: support?.weeklyAmountPence ?? null,
      weekly_amount_after_pence: args.rate && support ? args.rate.weeklyAmountPence : null,
      effective_from: args.rate && support ? args.rate.from : null,
      created_by: args.user.id,
    })
    .execute();
}

/** The change a recorded review made, for its page. */
export function changeFor(db: Db, reviewId: string) {
  return db.selectFrom('review_changes').selectAll().where('review_id', '=', reviewId).executeTakeFirst();
}
