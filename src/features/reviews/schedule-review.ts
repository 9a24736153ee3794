import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { firstReviewDue, type DirectPaymentKind, type Jurisdiction } from '../../domain/review-dates.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Puts the first review (or a one-off payment's check-back) on the list when the first payment is
 * paid. Call it in the same transaction as the payment. Calling it again changes nothing, so a
 * retried payment run cannot schedule a second first review.
 */
export async function scheduleFirstReview(trx: Db, directPaymentId: string, firstPaymentOn: string): Promise<{ id: string; due_on: string; kind: string }> {
  // Holding the direct payment's row makes two payment runs at once take turns here.
  const dp = await trx
    .selectFrom('direct_payments as dp')
    .innerJoin('people', 'people.id', 'dp.person_id')
    .innerJoin('councils', 'councils.id', 'dp.council_id')
    .select(['dp.id', 'dp.kind', 'dp.plan_id', 'dp.person_id', 'people.date_of_birth', 'councils.jurisdiction'])
    .where('dp.id', '=', directPaymentId)
    .forUpdate('dp')
    .executeTakeFirstOrThrow();
  const existing = await trx
    .selectFrom('reviews')
    .select(['id', 'due_on', 'kind'])
    .where('direct_payment_id', '=', dp.id)
    .where('kind', 'in', ['first', 'check_back'])
    .executeTakeFirst();
  if (existing) return existing;
  const due = firstReviewDue({
    jurisdiction: dp.jurisdiction as Jurisdiction,
    kind: dp.kind as DirectPaymentKind,
    firstPaymentOn,
    assessedOn: await assessedOn(trx, dp.plan_id, dp.person_id, firstPaymentOn),
    dateOfBirth: dp.date_of_birth,
  });
  return trx
    .insertInto('reviews')
    .values({ direct_payment_id: dp.id, kind: due.kind, due_on: due.dueOn })
    .returning(['id', 'due_on', 'kind'])
    .executeTakeFirstOrThrow();
}

/** The 'what matters' conversation is the assessment: the plan's own, else the person's latest before the payment. */
async function assessedOn(trx: Db, planId: string | null, personId: string, by: string): Promise<string | null> {
  if (planId) {
    const fromPlan = await trx
      .selectFrom('care_plans')
      .innerJoin('conversations', 'conversations.id', 'care_plans.conversation_id')
      .select('conversations.held_on')
      .where('care_plans.id', '=', planId)
      .executeTakeFirst();
    if (fromPlan) return fromPlan.held_on;
  }
  const latest = await trx
    .selectFrom('conversations')
    .select('held_on')
    .where('person_id', '=', personId)
    .where('status', '=', 'completed')
    .where('held_on', '<=', by)
    .orderBy('held_on', 'desc')
    .executeTakeFirst();
  return latest?.held_on ?? null;
}
