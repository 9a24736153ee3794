import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';

/** Bank holidays from today on, soonest first. */
export async function upcomingHolidays(db: Kysely<DB>, today: string) {
  return db
    .selectFrom('bank_holidays')
    .select(['falls_on', 'title', 'notes'])
    .where('falls_on', '>=', today)
    .orderBy('falls_on')
    .execute();
}

/** The most recent import, from the audit log, which records every one whether or not it changed anything. */
export async function lastImport(db: Kysely<DB>, viewer: Pick<CurrentUser, 'councilId'>) {
  const row = await db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select(['audit_log.at', 'users.display_name', 'users.council_id', 'audit_log.details'])
    .where('audit_log.entity_type', '=', 'bank-holidays')
    .where('audit_log.action', '=', 'update')
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  // Bank holidays are the same for every council, but staff names stay within their own council.
  const by = !row.council_id ? 'the dp command' : row.council_id === viewer.councilId ? row.display_name! : 'an administrator at another council';
  return { on: row.at.toLocaleDateString('en-CA', { timeZone: 'Europe/London' }), by };
}
