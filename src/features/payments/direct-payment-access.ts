import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { canSeePerson, isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * A direct payment with its person and council, or a 404 when the user may not see it: staff see
 * their own council's, a recipient only their own, a representative only those of the people they
 * act for. An unknown id and someone else's id look the same. Agreements, payments, the
 * recipient's home and spending records all start here.
 */
export async function directPaymentFor(db: Db, user: CurrentUser, directPaymentId: string, today: string) {
  if (!isUuid(directPaymentId)) notFound();
  const dp = await db
    .selectFrom('direct_payments')
    .innerJoin('people', 'people.id', 'direct_payments.person_id')
    .innerJoin('councils', 'councils.id', 'direct_payments.council_id')
    .selectAll('direct_payments')
    .select([
      'people.given_name', 'people.family_name', 'people.preferred_name', 'people.date_of_birth', 'people.kind as person_kind',
      'councils.name as council_name', 'councils.jurisdiction', 'councils.contact_email', 'councils.contact_phone',
    ])
    .where('direct_payments.id', '=', directPaymentId)
    .executeTakeFirst();
  if (!dp) notFound();
  if (!(await canSeePerson(db, user, dp.person_id, today))) notFound();
  return { ...dp, jurisdiction: dp.jurisdiction as 'england' | 'wales', personName: `${dp.given_name} ${dp.family_name}` };
}

export type DirectPaymentRow = Awaited<ReturnType<typeof directPaymentFor>>;

/** What the direct payment pays for, outcome by outcome, as written in the care and support plan. */
export async function outcomesPaidFor(db: Db, planId: string | null): Promise<Array<{ outcome: string; how: string }>> {
  if (!planId) return [];
  return db
    .selectFrom('plan_items')
    .select(['outcome', 'how'])
    .where('plan_id', '=', planId)
    .where('met_by', '=', 'direct_payment')
    .orderBy('position')
    .execute();
}
