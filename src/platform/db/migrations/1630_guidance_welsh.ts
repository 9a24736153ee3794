import { sql, type Kysely } from 'kysely';

// Guidance in Welsh (what direct payments can buy). A council writes each item in English and, if it
// can, in Welsh. Null (or a blank title or body) means "not written in Welsh yet": a Welsh-speaking
// person is then shown the English, marked as English. Examples may be left out in Welsh on their own.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table guidance_items
  add column title_cy text,
  add column body_cy text,
  add column examples_cy text,
  add constraint guidance_items_welsh_whole check ((title_cy is null) = (body_cy is null));
`.execute(db);
}
