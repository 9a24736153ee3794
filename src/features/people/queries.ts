import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';

export async function listPeople(db: Database, user: CurrentUser, search: string) {
  let q = db
    .selectFrom('people')
    .leftJoin('users as worker', 'worker.id', 'people.practitioner_id')
    .select(['people.id', 'people.reference', 'people.given_name', 'people.family_name', 'people.date_of_birth', 'people.kind', 'worker.display_name as practitioner'])
    .where('people.council_id', '=', user.councilId)
    .orderBy('people.family_name')
    .orderBy('people.given_name');
  const term = search.trim();
  if (term) {
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('people.given_name', 'ilike', like), eb('people.family_name', 'ilike', like), eb('people.reference', 'ilike', like)]));
  }
  return q.limit(200).execute();
}
