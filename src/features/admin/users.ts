import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import { auditEach } from '../../platform/audit.ts';

/** Everyone who can sign in for the administrator's council: staff first, then people and representatives. */
export async function listCouncilUsers(db: Database, admin: CurrentUser) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'email', 'active'])
    .where('council_id', '=', admin.councilId)
    .orderBy((eb) => eb.case().when('role', 'in', ['recipient', 'representative']).then(1).else(0).end())
    .orderBy('display_name')
    .limit(1000)
    .execute();
}

/** One of the council's users, or a 404: another council's user looks the same as no user. */
export async function councilUser(db: Database, admin: CurrentUser, userId: string) {
  if (!isUuid(userId)) notFound();
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'email', 'active', 'created_at'])
    .where('id', '=', userId)
    .where('council_id', '=', admin.councilId)
    .executeTakeFirst();
  if (!user) notFound();
  return user;
}

/** Stops an account signing in; the next request on any of its sessions finds it inactive and signs it out. */
export async function deactivateUser(db: Database, admin: CurrentUser, userId: string, ip?: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('users')
      .set({ active: false })
      .where('id', '=', userId)
      .where('council_id', '=', admin.councilId)
      .where('active', '=', true)
      .returning('id')
      .executeTakeFirst();
    if (!changed) return;
    // A recipient's or representative's sign-in belongs to a person's record: audit it against them.
    const people = await trx.selectFrom('people').select('id as person_id').where('user_id', '=', userId)
      .union(trx.selectFrom('representatives').select('person_id').where('user_id', '=', userId))
      .execute();
    await auditEach(trx, admin, { action: 'update', entityType: 'user', entityId: userId, details: { active: false } }, people.map((p) => p.person_id), ip);
  });
}
