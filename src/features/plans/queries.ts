import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { canSeePerson, isUuid } from '../../platform/permissions.ts';
import { notFound, RedirectError } from '../../platform/http/errors.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { personalBudget, type PlanCost } from '../../domain/personal-budget.ts';

/** The person's most recent completed 'what matters' conversation, which a new plan builds on. */
export async function latestCompletedConversation(db: Database, personId: string) {
  return db
    .selectFrom('conversations')
    .select(['id', 'held_on', 'what_matters'])
    .where('person_id', '=', personId)
    .where('status', '=', 'completed')
    .orderBy('held_on', 'desc')
    .orderBy('completed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findPersonName(db: Database, personId: string) {
  return db.selectFrom('people').select(['id', 'reference', 'given_name', 'family_name', 'council_id']).where('id', '=', personId).executeTakeFirst();
}

/** The plan with its person, or a 404 when it is unknown or not the user's to see. */
export async function planFor(db: Database, user: CurrentUser, planId: string, today: string) {
  if (!isUuid(planId)) notFound();
  const plan = await db
    .selectFrom('care_plans')
    .innerJoin('people', 'people.id', 'care_plans.person_id')
    .leftJoin('conversations', 'conversations.id', 'care_plans.conversation_id')
    .select([
      'care_plans.id', 'care_plans.person_id', 'care_plans.status', 'care_plans.kind', 'care_plans.co_produced_with',
      'care_plans.weekly_cost_pence', 'care_plans.weekly_contribution_pence', 'care_plans.agreed_on', 'care_plans.conversation_id',
      'people.reference as person_reference', 'people.given_name', 'people.family_name', 'people.council_id',
      'conversations.held_on as conversation_held_on',
    ])
    .where('care_plans.id', '=', planId)
    .executeTakeFirst();
  if (!plan || !(await canSeePerson(db, user, plan.person_id, today))) notFound();
  return plan;
}

export type Plan = Awaited<ReturnType<typeof planFor>>;

export async function planItems(db: Database, planId: string) {
  return db.selectFrom('plan_items').selectAll().where('plan_id', '=', planId).orderBy('position').execute();
}

export type PlanItem = Awaited<ReturnType<typeof planItems>>[number];

export function asCosts(items: readonly PlanItem[]): PlanCost[] {
  return items.map((i) => ({ metBy: i.met_by, costPence: i.cost_pence, costFrequency: i.cost_frequency }));
}

export async function directPaymentsForPlan(db: Database, planId: string) {
  return db
    .selectFrom('direct_payments')
    .select(['id', 'reference', 'kind', 'status', 'amount_pence', 'weekly_amount_pence', 'weekly_contribution_pence', 'frequency', 'meets_needs'])
    .where('plan_id', '=', planId)
    .orderBy('created_at')
    .execute();
}

/** The budget as the domain sees it, once both parts are set. */
export function budgetOf(plan: Pick<Plan, 'weekly_cost_pence' | 'weekly_contribution_pence'>) {
  if (plan.weekly_cost_pence === null || plan.weekly_contribution_pence === null) return null;
  return personalBudget(plan.weekly_cost_pence, plan.weekly_contribution_pence);
}

/**
 * Locks a plan for a change and makes sure it is still a draft: an outcome or budget changed at the
 * moment someone agrees the plan must not slip into the agreed plan.
 */
export async function lockDraftPlan(trx: Transaction<DB>, planId: string): Promise<void> {
  const row = await trx.selectFrom('care_plans').select('status').where('id', '=', planId).forUpdate().executeTakeFirstOrThrow();
  if (row.status !== 'draft') throw new RedirectError(`/plans/${planId}`);
}
