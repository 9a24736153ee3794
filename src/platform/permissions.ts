import type { Kysely, Transaction } from 'kysely';
import type { DB } from './db/schema.ts';
import type { CurrentUser } from './auth/current-user.ts';
import type { Role } from './auth/roles.ts';

// What each role may do. Least privilege: a role gets only what its work needs. Administrators run
// the service (users, guidance, the audit log) but do not open care records.
const CAPABILITIES = {
  'people:read': ['practitioner', 'manager', 'panel', 'finance'],
  'people:write': ['practitioner', 'manager'],
  // Giving a person or their representative a sign-in (and turning it off): the people who keep
  // the record and know the person, not administrators (who do not open care records).
  'people:grant-sign-in': ['practitioner', 'manager'],
  // What a person said about their life and health is for the people who support them: finance
  // officers and panel members see the plan and the business case instead.
  'conversations:read': ['practitioner', 'manager'],
  'conversations:write': ['practitioner', 'manager'],
  'plans:write': ['practitioner', 'manager'],
  'direct-payments:write': ['practitioner', 'manager'],
  'direct-payments:list': ['practitioner', 'manager', 'finance'],
  'business-cases:write': ['practitioner', 'manager'],
  'panel:decide': ['panel', 'manager'],
  'agreements:write': ['practitioner', 'manager'],
  'payments:manage': ['finance'],
  'payments:approve': ['finance', 'manager'],
  'schedules:write': ['practitioner', 'manager', 'finance'],
  // Changing where the money goes is the classic target of mandate fraud: only those who handle it.
  'bank-details:change': ['practitioner', 'finance'],
  'spending:record': ['recipient', 'representative', 'practitioner', 'finance'],
  'reviews:write': ['practitioner', 'manager'],
  'reviews:list': ['practitioner', 'manager'],
  'guidance:manage': ['admin'],
  'audit:read': ['admin'],
  'users:manage': ['admin'],
  'holidays:manage': ['admin'],
  // The language a council's people see first (platform/i18n/admin.ts).
  'language:manage': ['admin'],
  // Employing PAs and pooling (features/employers, features/pools).
  'employers:write': ['practitioner', 'manager'],
  'employers:own': ['recipient', 'representative'],
  'employers:decide-family': ['practitioner', 'manager'],
  'wage-rates:manage': ['admin'],
  'pools:read': ['practitioner', 'manager', 'finance'],
  'pools:write': ['practitioner', 'manager', 'finance'],
  'notifications:outbox': ['admin'],
  'feedback:read': ['manager'],
  'own:read': ['recipient', 'representative'],
  // Client Level Data return and ASCOF: managers run them; administrators keep the defined lists.
  'reports:cld': ['manager'],
  'cld-lists:manage': ['admin'],
  // Insight dashboards (counts and money, no one's record) and the year's budget behind them.
  'insight:read': ['manager', 'finance'],
  'budget:manage': ['finance', 'manager'],
  // Proportionate monitoring and surplus recovery (features/monitoring, features/surplus): the
  // worklist is for the people who check accounts; the rules are set by an administrator or finance.
  'monitoring:read': ['practitioner', 'manager', 'finance'],
  'monitoring:settings': ['admin', 'finance'],
  'monitoring:concern': ['practitioner', 'manager'],
  'surplus:manage': ['practitioner', 'manager'],
  // Statements of the direct payment's account: the person (or their representative) and finance
  // upload them; staff who support the person read them with the person's explanations.
  'statements:upload': ['recipient', 'representative', 'finance'],
  'statements:read': ['practitioner', 'manager', 'finance'],
  // Contact requests reach the people who support the person; complaints are logged by them and
  // taken through their stages by a manager.
  'contact:reply': ['practitioner', 'manager'],
  'complaints:read': ['practitioner', 'manager'],
  'complaints:log': ['practitioner', 'manager'],
  'complaints:manage': ['manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function can(user: Pick<CurrentUser, 'role'>, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Role[]).includes(user.role);
}

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The ids of the people this user may see, as a subquery-friendly list. Staff see their own
 * council's people; a recipient sees only themself; a representative only the people they act for.
 */
export async function visiblePersonIds(db: Db, user: CurrentUser, today: string): Promise<string[] | 'council'> {
  if (can(user, 'people:read')) return 'council';
  if (user.role === 'recipient') {
    const rows = await db.selectFrom('people').select('id').where('user_id', '=', user.id).execute();
    return rows.map((r) => r.id);
  }
  if (user.role === 'representative') {
    const rows = await db
      .selectFrom('representatives')
      .select('person_id')
      .where('user_id', '=', user.id)
      .where('starts_on', '<=', today)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
      .execute();
    return rows.map((r) => r.person_id);
  }
  return [];
}

/** True when the user may see this person's record at all. Unknown and forbidden look the same to the caller. */
export async function canSeePerson(db: Db, user: CurrentUser, personId: string, today: string): Promise<boolean> {
  if (!isUuid(personId)) return false;
  const person = await db.selectFrom('people').select(['id', 'council_id']).where('id', '=', personId).executeTakeFirst();
  if (!person) return false;
  const scope = await visiblePersonIds(db, user, today);
  if (scope === 'council') return person.council_id === user.councilId;
  return scope.includes(person.id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
