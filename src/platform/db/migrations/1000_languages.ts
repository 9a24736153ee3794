import { sql, type Kysely } from 'kysely';

// English and Welsh (issue 4). A council says which language its people see first; a person's own
// choice, made with the "English / Cymraeg" switch, is remembered on their user record (null until
// they choose). `welsh_first` from 0001 was never read; it seeds `first_language` and stays for
// anything outside that still sets it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table councils add column first_language text not null default 'en' check (first_language in ('en', 'cy'));
update councils set first_language = 'cy' where welsh_first;
alter table users add column preferred_language text check (preferred_language in ('en', 'cy'));
`.execute(db);
}
