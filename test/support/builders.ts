import type { Database } from '../../src/platform/db/database.ts';

/**
 * Small builders for test data, written straight to the tables. Each returns ids; pass `overrides`
 * for the columns a test cares about. They assume the demo seed (councils and staff) is present.
 */
export async function demoIds(db: Database) {
  const councils = await db.selectFrom('councils').select(['id', 'code']).execute();
  const users = await db.selectFrom('users').select(['id', 'username']).execute();
  const people = await db.selectFrom('people').select(['id', 'given_name']).execute();
  const byUser = Object.fromEntries(users.map((u) => [u.username, u.id]));
  return {
    england: councils.find((c) => c.code === 'EASTMOOR')!.id,
    wales: councils.find((c) => c.code === 'DYFFRYN')!.id,
    user: (username: string) => {
      const id = byUser[username];
      if (!id) throw new Error(`No demo user ${username}`);
      return id;
    },
    person: (givenName: string) => {
      const p = people.find((x) => x.given_name.toLowerCase() === givenName.toLowerCase());
      if (!p) throw new Error(`No demo person ${givenName}`);
      return p.id;
    },
  };
}

export async function buildPerson(db: Database, councilId: string, overrides: Partial<{ given_name: string; family_name: string; date_of_birth: string; kind: string; user_id: string | null; practitioner_id: string | null }> = {}) {
  return db
    .insertInto('people')
    .values({ council_id: councilId, given_name: 'Test', family_name: 'Person', date_of_birth: '1970-01-01', kind: 'adult', ...overrides })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
}

export async function buildConversation(db: Database, personId: string, practitionerId: string, overrides: Partial<{ held_on: string; status: string; eligible: boolean | null; what_matters: string }> = {}) {
  return db
    .insertInto('conversations')
    .values({ person_id: personId, practitioner_id: practitionerId, held_on: '2026-09-01', what_matters: 'Cooking my own meals', ...overrides })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function buildPlan(db: Database, personId: string, createdBy: string, overrides: Partial<{ kind: string; status: string; conversation_id: string | null; weekly_cost_pence: number | null; weekly_contribution_pence: number | null }> = {}) {
  return db
    .insertInto('care_plans')
    .values({ person_id: personId, created_by: createdBy, kind: 'one_off', status: 'agreed', ...overrides })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function buildDirectPayment(
  db: Database,
  args: { councilId: string; personId: string; createdBy: string; planId?: string | null },
  overrides: Partial<{ kind: string; status: string; purpose: string; amount_pence: number | null; weekly_amount_pence: number | null; weekly_contribution_pence: number; frequency: string; payment_method: string; starts_on: string | null }> = {},
) {
  return db
    .insertInto('direct_payments')
    .values({
      council_id: args.councilId,
      person_id: args.personId,
      created_by: args.createdBy,
      plan_id: args.planId ?? null,
      kind: 'one_off',
      status: 'draft',
      purpose: 'A cooker, so I can cook fresh meals',
      amount_pence: 45000,
      frequency: 'once',
      payment_method: 'bank_account',
      ...overrides,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
}
