import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { hashPassword, temporaryPassword } from '../../platform/auth/passwords.ts';
import { audit } from '../../platform/audit.ts';
import { isUuid } from '../../platform/permissions.ts';
import { whoReceives, type Jurisdiction, type PersonKind, type RepresentativeKind } from '../../domain/who-can-receive.ts';

/**
 * Sign-ins for a person and their representatives: one each at most (people.user_id,
 * representatives.user_id), set up by a member of staff with a temporary password that the person
 * must change the first time they sign in (users.must_change_password, platform/auth/new-password.ts).
 */

export type SignIn = { id: string; username: string; email: string | null; active: boolean; mustChangePassword: boolean };

export type SignInHolder = {
  kind: 'person' | 'representative';
  personId: string;
  /** The representative's id, for a representative. */
  representativeId: string | null;
  /** Their name as the sign-in shows it. */
  name: string;
  signIn: SignIn | null;
  /** Whether a new sign-in may be set up now: a person who receives the money themselves, a current representative. */
  mayHaveOne: boolean;
};

type Actor = Pick<CurrentUser, 'id' | 'username' | 'role'> | null;
type Db = Database;

type PersonForSignIn = {
  id: string;
  given_name: string;
  family_name: string;
  kind: PersonKind | string;
  date_of_birth: string;
  has_capacity: boolean;
  user_id: string | null;
  jurisdiction: Jurisdiction;
};

async function signInsById(db: Db, ids: string[]): Promise<Map<string, SignIn>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'username', 'email', 'active', 'must_change_password']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, username: r.username, email: r.email, active: r.active, mustChangePassword: r.must_change_password }]));
}

/** The person and each of their representatives, with the sign-in each has (or may have). */
export async function signInHolders(db: Db, person: PersonForSignIn, today: string): Promise<{ person: SignInHolder; representatives: SignInHolder[] }> {
  const reps = await db
    .selectFrom('representatives')
    .select(['id', 'name', 'kind', 'date_of_birth', 'receives_payment', 'starts_on', 'ends_on', 'user_id'])
    .where('person_id', '=', person.id)
    .orderBy('starts_on')
    .orderBy('created_at')
    .execute();
  const users = await signInsById(db, [person.user_id, ...reps.map((r) => r.user_id)].filter((id): id is string => !!id));
  const current = reps.filter((r) => r.starts_on <= today && (!r.ends_on || r.ends_on >= today));
  const receiver = whoReceives(
    person.jurisdiction,
    { kind: person.kind as PersonKind, dateOfBirth: person.date_of_birth, hasCapacity: person.has_capacity },
    current.map((r) => ({ id: r.id, kind: r.kind as RepresentativeKind, dateOfBirth: r.date_of_birth, receivesPayment: r.receives_payment })),
    today,
  );
  return {
    person: {
      kind: 'person',
      personId: person.id,
      representativeId: null,
      name: `${person.given_name} ${person.family_name}`,
      signIn: person.user_id ? (users.get(person.user_id) ?? null) : null,
      mayHaveOne: !person.user_id && receiver.who === 'person',
    },
    representatives: reps.map((r) => ({
      kind: 'representative' as const,
      personId: person.id,
      representativeId: r.id,
      name: r.name,
      signIn: r.user_id ? (users.get(r.user_id) ?? null) : null,
      mayHaveOne: !r.user_id && current.some((c) => c.id === r.id),
    })),
  };
}

/** One holder of the person's record (the person, or one of their representatives by id), or undefined. */
export async function signInHolder(db: Db, person: PersonForSignIn, representativeId: string | undefined, today: string): Promise<SignInHolder | undefined> {
  const holders = await signInHolders(db, person, today);
  if (representativeId === undefined) return holders.person;
  if (!isUuid(representativeId)) return undefined;
  return holders.representatives.find((r) => r.representativeId === representativeId);
}

export type GiveSignIn = {
  holder: SignInHolder;
  username: string;
  email: string | null;
  councilId: string;
  /** The person's language, for their own sign-in (a representative's starts with the council's). */
  preferredLanguage: 'en' | 'cy' | null;
};

export type GiveResult =
  | { ok: true; userId: string; username: string; temporaryPassword: string }
  | { ok: false; reason: 'username_taken' | 'already_has_one' | 'not_allowed' };

class AlreadyHasOne extends Error {}

/** A database refusal that means "someone got there first": which one, or undefined for anything else. */
function clash(err: unknown): 'username_taken' | 'already_has_one' | undefined {
  const e = err as { code?: string; constraint?: string };
  if (e?.code !== '23505') return undefined;
  if (e.constraint === 'users_username_key') return 'username_taken';
  if (e.constraint === 'people_user_id_key' || e.constraint === 'representatives_one_sign_in_per_person') return 'already_has_one';
  return undefined;
}

/**
 * Sets up a sign-in for the person or a representative: a new recipient or representative user
 * with a temporary password, linked to them, with its audit row, all in one transaction. The link
 * is made only where there is none yet (checked under the row's lock), and the database's unique
 * constraints (username; one sign-in per person) turn a race into a refusal, never a second sign-in.
 */
export async function giveSignIn(db: Db, args: GiveSignIn, by: Actor, opts: { ip?: string; via?: string } = {}): Promise<GiveResult> {
  const { holder } = args;
  if (!holder.mayHaveOne) return { ok: false, reason: holder.signIn ? 'already_has_one' : 'not_allowed' };
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  const role = holder.kind === 'person' ? 'recipient' : 'representative';
  try {
    const userId = await db.transaction().execute(async (trx) => {
      const user = await trx
        .insertInto('users')
        .values({
          username: args.username,
          display_name: holder.name,
          role,
          email: args.email,
          password_hash: passwordHash,
          council_id: args.councilId,
          team_id: null,
          must_change_password: true,
          preferred_language: args.preferredLanguage,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const linked =
        holder.kind === 'person'
          ? await trx.updateTable('people').set({ user_id: user.id }).where('id', '=', holder.personId).where('user_id', 'is', null).returning('id').executeTakeFirst()
          : await trx
              .updateTable('representatives')
              .set({ user_id: user.id })
              .where('id', '=', holder.representativeId!)
              .where('person_id', '=', holder.personId)
              .where('user_id', 'is', null)
              .returning('id')
              .executeTakeFirst();
      if (!linked) throw new AlreadyHasOne();
      await audit(
        trx,
        by,
        {
          action: 'create',
          entityType: 'user',
          entityId: user.id,
          personId: holder.personId,
          details: { username: args.username, role, signInFor: holder.kind, ...(holder.representativeId ? { representativeId: holder.representativeId } : {}), ...(opts.via ? { via: opts.via } : {}) },
        },
        opts.ip,
      );
      return user.id;
    });
    return { ok: true, userId, username: args.username, temporaryPassword: password };
  } catch (err) {
    if (err instanceof AlreadyHasOne) return { ok: false, reason: 'already_has_one' };
    const reason = clash(err);
    if (reason) return { ok: false, reason };
    throw err;
  }
}

/**
 * Ends every session of a user, so a changed or withdrawn password takes effect at once: signed-in
 * sessions, and one half way through choosing a new password after signing in with a temporary one
 * (else a leaked temporary password, reset by staff, could still be used to finish choosing one).
 */
export async function endSessionsOf(db: Db, userId: string): Promise<void> {
  await sql`delete from session where sess->>'userId' = ${userId} or sess->'choosingPassword'->>'userId' = ${userId}`.execute(db);
}

/** Stops the holder's sign-in working (their sessions end too), with its audit row. */
export async function turnOffSignIn(db: Db, holder: SignInHolder, by: Actor, ip?: string): Promise<boolean> {
  const signIn = holder.signIn;
  if (!signIn) return false;
  const changed = await db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('users').set({ active: false }).where('id', '=', signIn.id).where('active', '=', true).returning('id').executeTakeFirst();
    if (!row) return false;
    await audit(trx, by, { action: 'update', entityType: 'user', entityId: signIn.id, personId: holder.personId, details: { active: false, signInFor: holder.kind } }, ip);
    await endSessionsOf(trx, signIn.id);
    return true;
  });
  return changed;
}

/**
 * A new temporary password for the holder's sign-in (forgotten, or turning it back on): it works
 * again, their sessions end, and they must choose their own password at their next sign-in.
 */
export async function resetSignIn(db: Db, holder: SignInHolder, by: Actor, ip?: string): Promise<{ username: string; temporaryPassword: string } | undefined> {
  const signIn = holder.signIn;
  if (!signIn) return undefined;
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: true, active: true }).where('id', '=', signIn.id).execute();
    await audit(trx, by, { action: 'update', entityType: 'user', entityId: signIn.id, personId: holder.personId, details: { temporaryPassword: true, active: true, signInFor: holder.kind } }, ip);
    await endSessionsOf(trx, signIn.id);
  });
  return { username: signIn.username, temporaryPassword: password };
}

/** A free username to suggest, from the name: `pat.tester`, else `pat.tester2`, … */
export async function suggestUsername(db: Db, name: string): Promise<string> {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^\.+|\.+$/g, '')
      .slice(0, 56) || 'user';
  const start = base.length < 2 ? `${base}.user` : base;
  const taken = new Set((await db.selectFrom('users').select('username').where('username', 'like', `${start.replace(/[\\%_]/g, '\\$&')}%`).execute()).map((r) => r.username));
  if (!taken.has(start)) return start;
  for (let n = 2; ; n++) if (!taken.has(`${start}${n}`)) return `${start}${n}`;
}
