import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { canSeePerson, isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import { compareCosts, describeComparison, weeksInMonthsText, type CostComparison } from '../../domain/cost-comparison.ts';

type Db = Kysely<DB> | Transaction<DB>;

export async function findDirectPayment(db: Db, directPaymentId: string) {
  if (!isUuid(directPaymentId)) return undefined;
  return db
    .selectFrom('direct_payments as dp')
    .innerJoin('people as p', 'p.id', 'dp.person_id')
    .leftJoin('business_cases as bc', 'bc.direct_payment_id', 'dp.id')
    .select([
      'dp.id', 'dp.reference', 'dp.status', 'dp.kind', 'dp.purpose', 'dp.person_id', 'dp.council_id',
      'p.given_name', 'p.family_name', 'p.reference as person_reference', 'bc.id as business_case_id',
    ])
    .where('dp.id', '=', directPaymentId)
    .executeTakeFirst();
}

/** A direct payment the signed-in user may see, or a 404. */
export async function visibleDirectPayment(db: Db, user: CurrentUser, directPaymentId: string, today: string) {
  const dp = await findDirectPayment(db, directPaymentId);
  if (!dp || !(await canSeePerson(db, user, dp.person_id, today))) notFound();
  return dp;
}

export async function findCase(db: Db, caseId: string) {
  if (!isUuid(caseId)) return undefined;
  return db
    .selectFrom('business_cases as bc')
    .innerJoin('direct_payments as dp', 'dp.id', 'bc.direct_payment_id')
    .innerJoin('people as p', 'p.id', 'dp.person_id')
    .innerJoin('users as author', 'author.id', 'bc.author_id')
    .select([
      'bc.id', 'bc.direct_payment_id', 'bc.author_id', 'bc.proposal', 'bc.why_necessary', 'bc.context_family',
      'bc.context_community', 'bc.context_agencies', 'bc.outcomes_expected', 'bc.horizon_months', 'bc.status',
      'bc.submitted_at', 'bc.created_at',
      'author.display_name as author_name',
      'dp.reference as dp_reference', 'dp.status as dp_status', 'dp.kind as dp_kind', 'dp.purpose as dp_purpose',
      'dp.amount_pence as dp_amount_pence', 'dp.weekly_amount_pence as dp_weekly_amount_pence', 'dp.frequency as dp_frequency',
      'dp.person_id', 'dp.council_id', 'dp.plan_id',
      'p.given_name', 'p.family_name', 'p.preferred_name', 'p.reference as person_reference', 'p.date_of_birth', 'p.kind as person_kind',
    ])
    .where('bc.id', '=', caseId)
    .executeTakeFirst();
}

export type BusinessCase = NonNullable<Awaited<ReturnType<typeof findCase>>>;

/** A business case whose person the signed-in user may see, or a 404: unknown and forbidden look the same. */
export async function visibleCase(db: Db, user: CurrentUser, caseId: string, today: string): Promise<BusinessCase> {
  const c = await findCase(db, caseId);
  if (!c || !(await canSeePerson(db, user, c.person_id, today))) notFound();
  return c;
}

export async function listOptions(db: Db, caseId: string) {
  return db
    .selectFrom('business_case_options')
    .select(['id', 'position', 'description', 'proposed', 'one_off_cost_pence', 'weekly_cost_pence', 'notes'])
    .where('business_case_id', '=', caseId)
    .orderBy('proposed', 'desc')
    .orderBy('position')
    .execute();
}

export type CaseOption = Awaited<ReturnType<typeof listOptions>>[number];

export async function listDecisions(db: Db, caseId: string) {
  return db
    .selectFrom('panel_decisions as d')
    .innerJoin('users as u', 'u.id', 'd.decided_by')
    .select(['d.id', 'd.decision', 'd.reasons', 'd.conditions', 'd.decided_at', 'u.display_name as decided_by_name'])
    .where('d.business_case_id', '=', caseId)
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id')
    .execute();
}

export type CostView = { comparison: CostComparison; sentences: string[]; weeks: string };

/** The comparison the practitioner and the panel see; null until there is something to compare. */
export function costView(options: readonly CaseOption[], months: number): CostView | null {
  if (!options.some((o) => o.proposed) || !options.some((o) => !o.proposed)) return null;
  const comparison = compareCosts(
    options.map((o) => ({ description: o.description, proposed: o.proposed, oneOffPence: o.one_off_cost_pence, weeklyPence: o.weekly_cost_pence })),
    months,
  );
  return { comparison, sentences: describeComparison(comparison), weeks: weeksInMonthsText(months) };
}
