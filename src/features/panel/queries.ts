import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { londonDate } from '../../platform/services.ts';
import { daysBetween } from '../../domain/dates.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Cases waiting for the panel in the user's council, the longest-waiting first. */
export async function panelQueue(db: Db, user: CurrentUser, today: string) {
  const rows = await db
    .selectFrom('business_cases as bc')
    .innerJoin('direct_payments as dp', 'dp.id', 'bc.direct_payment_id')
    .innerJoin('people as p', 'p.id', 'dp.person_id')
    .innerJoin('users as author', 'author.id', 'bc.author_id')
    .select([
      'bc.id', 'bc.submitted_at', 'bc.author_id', 'dp.reference as dp_reference', 'dp.purpose', 'p.given_name', 'p.family_name',
      'author.display_name as author_name',
    ])
    .where('dp.council_id', '=', user.councilId)
    .where('bc.status', '=', 'submitted')
    .orderBy('bc.submitted_at')
    .orderBy('bc.id')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    ...r,
    daysWaiting: r.submitted_at ? Math.max(0, daysBetween(londonDate(new Date(r.submitted_at)), today)) : 0,
    writtenByYou: r.author_id === user.id,
  }));
}

/** The panel's latest decisions in the user's council, newest first. */
export async function recentlyDecided(db: Db, user: CurrentUser, limit = 20) {
  return db
    .selectFrom('panel_decisions as d')
    .innerJoin('business_cases as bc', 'bc.id', 'd.business_case_id')
    .innerJoin('direct_payments as dp', 'dp.id', 'bc.direct_payment_id')
    .innerJoin('people as p', 'p.id', 'dp.person_id')
    .innerJoin('users as u', 'u.id', 'd.decided_by')
    .select(['d.id', 'd.decision', 'd.decided_at', 'bc.id as case_id', 'dp.reference as dp_reference', 'p.given_name', 'p.family_name', 'u.display_name as decided_by_name'])
    .where('dp.council_id', '=', user.councilId)
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id')
    .limit(limit)
    .execute();
}

/**
 * What the person said matters to them, from their latest 'what matters' conversation, and the
 * outcomes in the care and support plan this direct payment belongs to: the panel never met them.
 */
export async function personOutcomes(db: Db, personId: string, planId: string | null) {
  const conversation = await db
    .selectFrom('conversations')
    .select(['held_on', 'what_matters', 'wanted_outcomes', 'strengths'])
    .where('person_id', '=', personId)
    .orderBy('held_on', 'desc')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const planItems = planId
    ? await db.selectFrom('plan_items').select(['outcome', 'how', 'met_by']).where('plan_id', '=', planId).orderBy('position').execute()
    : [];
  return { conversation: conversation ?? null, planItems };
}
