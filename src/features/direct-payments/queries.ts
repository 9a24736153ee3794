import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { canSeePerson, isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import { canReceiveThemselves, type Decision, type Jurisdiction, type PersonKind } from '../../domain/who-can-receive.ts';

/** The direct payment with its person and payee, or a 404 when unknown or not the user's to see. */
export async function directPaymentFor(db: Database, user: CurrentUser, dpId: string, today: string) {
  if (!isUuid(dpId)) notFound();
  const dp = await db
    .selectFrom('direct_payments')
    .innerJoin('people', 'people.id', 'direct_payments.person_id')
    .leftJoin('representatives', 'representatives.id', 'direct_payments.representative_id')
    .selectAll('direct_payments')
    .select(['people.given_name', 'people.family_name', 'people.reference as person_reference', 'representatives.name as representative_name', 'representatives.relationship as representative_relationship'])
    .where('direct_payments.id', '=', dpId)
    .executeTakeFirst();
  if (!dp || dp.council_id !== user.councilId || !(await canSeePerson(db, user, dp.person_id, today))) notFound();
  return dp;
}

export type DirectPayment = Awaited<ReturnType<typeof directPaymentFor>>;

/** The outcomes in the plan that the direct payment meets. */
export async function outcomesMetByDirectPayment(db: Database, planId: string | null) {
  if (!planId) return [];
  const rows = await db.selectFrom('plan_items').select('outcome').where('plan_id', '=', planId).where('met_by', '=', 'direct_payment').orderBy('position').execute();
  return rows.map((r) => r.outcome);
}

export async function latestPanelDecision(db: Database, dpId: string) {
  return db
    .selectFrom('panel_decisions')
    .innerJoin('business_cases', 'business_cases.id', 'panel_decisions.business_case_id')
    .select(['panel_decisions.decision', 'panel_decisions.reasons', 'panel_decisions.conditions', 'panel_decisions.decided_at'])
    .where('business_cases.direct_payment_id', '=', dpId)
    .orderBy('panel_decisions.decided_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Representatives who may receive the money for the person today. */
export async function payableRepresentatives(db: Database, personId: string, today: string) {
  return db
    .selectFrom('representatives')
    .select(['id', 'name', 'relationship', 'kind'])
    .where('person_id', '=', personId)
    .where('receives_payment', '=', true)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .orderBy('name')
    .execute();
}

export async function listDirectPayments(db: Database, councilId: string, status: string | null) {
  let q = db
    .selectFrom('direct_payments')
    .innerJoin('people', 'people.id', 'direct_payments.person_id')
    .select([
      'direct_payments.id', 'direct_payments.reference', 'direct_payments.kind', 'direct_payments.status', 'direct_payments.amount_pence',
      'direct_payments.weekly_amount_pence', 'direct_payments.weekly_contribution_pence', 'direct_payments.frequency',
      'people.given_name', 'people.family_name',
    ])
    .where('direct_payments.council_id', '=', councilId)
    .orderBy('direct_payments.reference', 'desc');
  if (status) q = q.where('direct_payments.status', '=', status);
  return q.limit(500).execute();
}

/** Whether the person may receive the money themselves, by the rules in domain/who-can-receive.ts. */
export async function personCanReceive(db: Database, personId: string, today: string): Promise<Decision> {
  const person = await db
    .selectFrom('people')
    .innerJoin('councils', 'councils.id', 'people.council_id')
    .select(['people.kind', 'people.date_of_birth', 'people.has_capacity', 'councils.jurisdiction'])
    .where('people.id', '=', personId)
    .executeTakeFirstOrThrow();
  return canReceiveThemselves(person.jurisdiction as Jurisdiction, { kind: person.kind as PersonKind, dateOfBirth: person.date_of_birth, hasCapacity: person.has_capacity }, today);
}
