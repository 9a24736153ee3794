import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import { firstPaymentDate } from '../../domain/schedule.ts';
import { directPaymentFor, outcomesPaidFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { agreementTerms, type AgreementTerms } from './terms.ts';

type Db = Kysely<DB> | Transaction<DB>;

// An agreement can be drawn up once the panel has approved the money, and redrawn (a new version)
// while it is running; a signed version is never changed.
export const AGREEABLE_STATUSES = ['approved', 'agreed', 'active'];

export async function agreementsFor(db: Db, directPaymentId: string) {
  return db
    .selectFrom('agreements')
    .leftJoin('users', 'users.id', 'agreements.created_by')
    .selectAll('agreements')
    .select('users.display_name as created_by_name')
    .where('direct_payment_id', '=', directPaymentId)
    .orderBy('version', 'desc')
    .execute();
}

/** An agreement and its direct payment, or a 404 when the user may not see the direct payment. */
export async function agreementFor(db: Db, user: CurrentUser, agreementId: string, today: string) {
  if (!isUuid(agreementId)) notFound();
  const agreement = await db
    .selectFrom('agreements')
    .leftJoin('users as recorder', 'recorder.id', 'agreements.signed_recorded_by')
    .selectAll('agreements')
    .select('recorder.display_name as signed_recorded_by_name')
    .where('agreements.id', '=', agreementId)
    .executeTakeFirst();
  if (!agreement) notFound();
  const dp = await directPaymentFor(db, user, agreement.direct_payment_id, today);
  const latest = await db
    .selectFrom('agreements')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('direct_payment_id', '=', dp.id)
    .executeTakeFirstOrThrow();
  return { agreement, dp, isLatest: Number(latest.version) === agreement.version };
}

/** What a new agreement for this direct payment would say today. */
export async function termsFor(db: Db, dp: DirectPaymentRow, today: string): Promise<AgreementTerms> {
  return agreementTerms({
    ...dp,
    outcomes: await outcomesPaidFor(db, dp.plan_id),
    firstPaymentOn: firstPaymentDate(dp.first_payment_on ?? dp.starts_on, today),
    assessedOn: await assessedOn(db, dp.plan_id, dp.person_id),
  });
}

/** The 'what matters' conversation is the assessment: the plan's own, else the person's latest completed one. */
async function assessedOn(db: Db, planId: string | null, personId: string): Promise<string | null> {
  const fromPlan = planId
    ? await db
        .selectFrom('care_plans')
        .innerJoin('conversations', 'conversations.id', 'care_plans.conversation_id')
        .select('conversations.held_on')
        .where('care_plans.id', '=', planId)
        .executeTakeFirst()
    : undefined;
  if (fromPlan) return fromPlan.held_on;
  const latest = await db
    .selectFrom('conversations')
    .select('held_on')
    .where('person_id', '=', personId)
    .where('status', '=', 'completed')
    .orderBy('held_on', 'desc')
    .executeTakeFirst();
  return latest?.held_on ?? null;
}
