import type { Database } from '../../platform/db/database.ts';

export type PhoneOnRecord = { who: string; phone: string };

/** Phone numbers we already hold for the person and their contacts: the only ones to verify a change with. */
export async function phonesOnRecord(db: Database, personId: string): Promise<PhoneOnRecord[]> {
  const [person, contacts] = await Promise.all([
    db.selectFrom('people').select(['given_name', 'family_name', 'phone']).where('id', '=', personId).executeTakeFirstOrThrow(),
    db.selectFrom('contacts').select(['name', 'relationship', 'phone']).where('person_id', '=', personId).where('phone', 'is not', null).orderBy('name').execute(),
  ]);
  const phones: PhoneOnRecord[] = [];
  if (person.phone?.trim()) phones.push({ who: `${person.given_name} ${person.family_name}`, phone: person.phone });
  for (const c of contacts) if (c.phone?.trim()) phones.push({ who: `${c.name} (${c.relationship})`, phone: c.phone });
  return phones;
}

/** The password hash of the signed-in user, to check the password typed to confirm a change. */
export async function passwordHashOf(db: Database, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', userId).where('active', '=', true).executeTakeFirst();
  return row?.password_hash ?? null;
}
