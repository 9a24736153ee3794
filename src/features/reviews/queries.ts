import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { canSeePerson, isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import { addDays } from '../../domain/dates.ts';
import type { Jurisdiction } from '../../domain/review-dates.ts';
import { currentSupport } from './support-change.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** How far ahead the "Reviews due" list looks. */
export const DUE_WINDOW_DAYS = 60;

/** Open reviews due by the end of the window, for the user's council (or only their own people), soonest first. */
export async function listDueReviews(db: Db, user: CurrentUser, today: string, mineOnly: boolean) {
  let q = db
    .selectFrom('reviews')
    .innerJoin('direct_payments as dp', 'dp.id', 'reviews.direct_payment_id')
    .innerJoin('people', 'people.id', 'dp.person_id')
    .leftJoin('users as worker', 'worker.id', 'people.practitioner_id')
    .select([
      'reviews.id', 'reviews.kind', 'reviews.due_on', 'dp.id as direct_payment_id', 'dp.reference as dp_reference', 'dp.kind as dp_kind',
      'people.id as person_id', 'people.given_name', 'people.family_name', 'people.reference as person_reference', 'worker.display_name as practitioner',
    ])
    .where('people.council_id', '=', user.councilId)
    .where('reviews.completed_on', 'is', null)
    .where('reviews.due_on', '<=', addDays(today, DUE_WINDOW_DAYS));
  if (mineOnly) q = q.where('people.practitioner_id', '=', user.id);
  return q.orderBy('reviews.due_on').orderBy('people.family_name').orderBy('people.given_name').limit(500).execute();
}

/**
 * A direct payment with what a review needs (the person, their council's country, the plan's
 * outcomes, the reviews still open), or a 404 when the user may not see it.
 */
export async function directPaymentForReview(db: Db, user: CurrentUser, directPaymentId: string, today: string) {
  if (!isUuid(directPaymentId)) notFound();
  const dp = await db
    .selectFrom('direct_payments as dp')
    .innerJoin('people', 'people.id', 'dp.person_id')
    .innerJoin('councils', 'councils.id', 'dp.council_id')
    .select([
      'dp.id', 'dp.reference', 'dp.kind', 'dp.status', 'dp.purpose', 'dp.plan_id', 'dp.first_payment_on', 'dp.person_id', 'dp.council_id',
      'people.given_name', 'people.family_name', 'people.reference as person_reference', 'people.date_of_birth', 'councils.jurisdiction',
    ])
    .where('dp.id', '=', directPaymentId)
    .executeTakeFirst();
  if (!dp || !(await canSeePerson(db, user, dp.person_id, today))) notFound();
  const outcomes = dp.plan_id
    ? await db.selectFrom('plan_items').select(['id', 'outcome', 'how']).where('plan_id', '=', dp.plan_id).orderBy('position').execute()
    : [];
  const open = await openReviews(db, dp.id);
  const reviewed = await db
    .selectFrom('reviews')
    .select('id')
    .where('direct_payment_id', '=', dp.id)
    .where('completed_on', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  // What the payment schedule pays now, so a review that changes the support can change the amount.
  const support = dp.kind === 'ongoing' ? await currentSupport(db, dp.id, today) : null;
  return { ...dp, jurisdiction: dp.jurisdiction as Jurisdiction, outcomes, open, reviewedBefore: !!reviewed, support };
}

export type ReviewContext = Awaited<ReturnType<typeof directPaymentForReview>>;

export function openReviews(db: Db, directPaymentId: string) {
  return db
    .selectFrom('reviews')
    .select(['id', 'kind', 'due_on', 'raised_because'])
    .where('direct_payment_id', '=', directPaymentId)
    .where('completed_on', 'is', null)
    .orderBy('due_on')
    .orderBy('created_at')
    .execute();
}

/** One review (due or recorded) with its direct payment and person, or a 404 when the user may not see it. */
export async function findReview(db: Db, user: CurrentUser, reviewId: string, today: string) {
  if (!isUuid(reviewId)) notFound();
  const review = await db
    .selectFrom('reviews')
    .innerJoin('direct_payments as dp', 'dp.id', 'reviews.direct_payment_id')
    .innerJoin('people', 'people.id', 'dp.person_id')
    .leftJoin('users as reviewer', 'reviewer.id', 'reviews.reviewer_id')
    .leftJoin('users as raiser', 'raiser.id', 'reviews.raised_by')
    .selectAll('reviews')
    .select([
      'dp.reference as dp_reference', 'dp.kind as dp_kind', 'dp.purpose', 'dp.person_id', 'people.given_name', 'people.family_name',
      'people.reference as person_reference', 'reviewer.display_name as reviewer_name', 'raiser.display_name as raised_by_name',
    ])
    .where('reviews.id', '=', reviewId)
    .executeTakeFirst();
  if (!review || !(await canSeePerson(db, user, review.person_id, today))) notFound();
  const outcomes = await db
    .selectFrom('review_outcomes')
    .innerJoin('plan_items', 'plan_items.id', 'review_outcomes.plan_item_id')
    .select(['plan_items.outcome', 'review_outcomes.met'])
    .where('review_outcomes.review_id', '=', review.id)
    .orderBy('plan_items.position')
    .execute();
  const next = review.completed_on
    ? await db
        .selectFrom('reviews')
        .select(['id', 'due_on', 'kind'])
        .where('direct_payment_id', '=', review.direct_payment_id)
        .where('completed_on', 'is', null)
        .where('kind', 'in', ['first', 'annual'])
        .orderBy('due_on')
        .executeTakeFirst()
    : undefined;
  return { ...review, outcomes, next };
}

/** True when this is a review of this direct payment that has already been recorded. */
export async function wasRecorded(db: Db, directPaymentId: string, reviewId: unknown): Promise<boolean> {
  if (!isUuid(reviewId)) return false;
  const row = await db
    .selectFrom('reviews')
    .select('id')
    .where('id', '=', reviewId)
    .where('direct_payment_id', '=', directPaymentId)
    .where('completed_on', 'is not', null)
    .executeTakeFirst();
  return !!row;
}
