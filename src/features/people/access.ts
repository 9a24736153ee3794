import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { canSeePerson } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { Jurisdiction, PersonKind } from '../../domain/who-can-receive.ts';

/**
 * The person's record with their council's country, or a 404 when the user may not see it: an
 * unknown id and someone else's id look the same. Conversations and the forms here all start here.
 */
export async function personFor(db: Database, user: CurrentUser, personId: string, today: string) {
  if (!(await canSeePerson(db, user, personId, today))) notFound();
  const person = await db
    .selectFrom('people')
    .innerJoin('councils', 'councils.id', 'people.council_id')
    .selectAll('people')
    .select('councils.jurisdiction')
    .where('people.id', '=', personId)
    .executeTakeFirst();
  if (!person) notFound();
  return { ...person, jurisdiction: person.jurisdiction as Jurisdiction, kind: person.kind as PersonKind };
}

export type PersonRow = Awaited<ReturnType<typeof personFor>>;

export function fullName(person: { given_name: string; family_name: string }): string {
  return `${person.given_name} ${person.family_name}`;
}
