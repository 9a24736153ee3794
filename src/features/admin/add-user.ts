import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Role } from '../../platform/auth/roles.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { audit } from '../../platform/audit.ts';

export type UserToAdd = {
  username: string;
  displayName: string;
  role: Role;
  email: string | null;
  password: string;
  councilId: string;
  teamId: string | null;
};

/**
 * Adds a council staff account and its audit row together. A username is unique across every
 * council (it is what people sign in with), so a taken one is refused, not overwritten.
 */
export async function addUser(
  db: Database,
  user: UserToAdd,
  addedBy: Pick<CurrentUser, 'id' | 'username' | 'role'> | null,
  opts: { ip?: string; via?: string } = {},
): Promise<{ ok: true; id: string } | { ok: false; reason: 'username_taken' }> {
  const passwordHash = await hashPassword(user.password);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({
        username: user.username,
        display_name: user.displayName,
        role: user.role,
        email: user.email,
        password_hash: passwordHash,
        council_id: user.councilId,
        team_id: user.teamId,
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) return { ok: false as const, reason: 'username_taken' as const };
    await audit(trx, addedBy, { action: 'create', entityType: 'user', entityId: row.id, details: { username: user.username, role: user.role, ...(opts.via ? { via: opts.via } : {}) } }, opts.ip);
    return { ok: true as const, id: row.id };
  });
}
