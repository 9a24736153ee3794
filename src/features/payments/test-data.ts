import type { Database } from '../../platform/db/database.ts';
import { buildConversation, buildDirectPayment, buildPerson, buildPlan, demoIds } from '../../../test/support/builders.ts';

/**
 * Test data for the agreement, payments, the person's home and spending tests: a new person (with
 * their own sign-in when `username` is given) and a direct payment the funding panel has approved,
 * with the plan's outcomes and the panel's decision. Not used by the app.
 */
export async function approvedDirectPayment(
  db: Database,
  opts: {
    username?: string;
    givenName?: string;
    personId?: string;
    kind?: 'one_off' | 'ongoing';
    amountPence?: number;
    weeklyPence?: number;
    contributionPence?: number;
    startsOn?: string | null;
    endsOn?: string | null;
    purpose?: string;
  } = {},
) {
  const ids = await demoIds(db);
  const practitioner = ids.user('practitioner');
  const personId = opts.personId ?? (await newPerson(db, opts.username, opts.givenName ?? 'Pat')).id;
  const kind = opts.kind ?? 'one_off';
  const conversation = await buildConversation(db, personId, practitioner, { status: 'completed', eligible: true, held_on: '2026-09-01' });
  const plan = await buildPlan(db, personId, practitioner, { kind, conversation_id: conversation.id });
  await db
    .insertInto('plan_items')
    .values([
      { plan_id: plan.id, position: 1, outcome: 'I want to cook my own meals again', met_by: 'direct_payment', how: 'Buy an accessible cooker', cost_pence: 45000, cost_frequency: 'one_off' },
      { plan_id: plan.id, position: 2, outcome: 'I want to see my friends', met_by: 'community', how: 'The lunch club on Tuesdays' },
    ])
    .execute();
  const dp = await buildDirectPayment(
    db,
    { councilId: ids.england, personId, createdBy: practitioner, planId: plan.id },
    kind === 'one_off'
      ? { kind, status: 'approved', amount_pence: opts.amountPence ?? 45000, purpose: opts.purpose ?? 'An accessible cooker', starts_on: opts.startsOn ?? null }
      : {
          kind,
          status: 'approved',
          amount_pence: null,
          weekly_amount_pence: opts.weeklyPence ?? 18800,
          weekly_contribution_pence: opts.contributionPence ?? 2350,
          frequency: 'four_weekly',
          purpose: opts.purpose ?? 'Personal assistants for help at home',
          starts_on: opts.startsOn ?? null,
        },
  );
  await db
    .updateTable('direct_payments')
    .set({ account_name: 'P Walsh', sort_code: '12-34-56', account_number: '12345678', ends_on: opts.endsOn ?? null })
    .where('id', '=', dp.id)
    .execute();
  const bc = await db
    .insertInto('business_cases')
    .values({ direct_payment_id: dp.id, author_id: practitioner, proposal: 'A cooker', why_necessary: 'To cook', outcomes_expected: 'Cooking', status: 'decided' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('panel_decisions')
    .values({ business_case_id: bc.id, decided_by: ids.user('panel'), decision: 'approved', reasons: 'Cheaper than months of homecare' })
    .execute();
  return { ...dp, personId, planId: plan.id };
}

/** A person in the English council, with a recipient sign-in (the demo password) when a username is given. */
export async function newPerson(db: Database, username: string | undefined, givenName: string) {
  const ids = await demoIds(db);
  const userId = username ? await newUser(db, username, `${givenName} Tester`, 'recipient') : null;
  return buildPerson(db, ids.england, { given_name: givenName, family_name: 'Tester', user_id: userId, practitioner_id: ids.user('practitioner') });
}

/** A representative sign-in acting for the given people, from the start of the year. */
export async function representativeFor(db: Database, username: string, personIds: string[]) {
  const userId = await newUser(db, username, 'Sam Carer', 'representative');
  for (const personId of personIds) {
    await db
      .insertInto('representatives')
      .values({ person_id: personId, user_id: userId, name: 'Sam Carer', relationship: 'Son', kind: 'nominated', receives_payment: true, starts_on: '2026-01-01' })
      .execute();
  }
  return userId;
}

async function newUser(db: Database, username: string, displayName: string, role: 'recipient' | 'representative') {
  const ids = await demoIds(db);
  const demo = await db.selectFrom('users').select('password_hash').where('username', '=', 'peter').executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({ username, display_name: displayName, role, council_id: ids.england, password_hash: demo.password_hash })
    .returning('id')
    .executeTakeFirstOrThrow();
  return user.id;
}
