import { sql, type Kysely } from 'kysely';

// Sign-ins for people and their representatives (features/people/sign-ins.ts).
// - must_change_password: set when a member of staff sets up a sign-in with a temporary password;
//   the person must choose their own before they are signed in (platform/auth/new-password.ts).
// - A person has at most one sign-in (people.user_id is a single column, unique since 0001) and so
//   does each representative row (representatives.user_id). The same sign-in may act for several
//   people (a parent of two children), but for one person only once.
// - A sign-in linked to a person is a recipient's, and one linked to a representative is a
//   representative's: checked by triggers, so a staff account can never be made someone's own.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table users add column must_change_password boolean not null default false;

create unique index representatives_one_sign_in_per_person on representatives (person_id, user_id) where user_id is not null;

create function sign_in_role_matches() returns trigger language plpgsql as $$
declare
  wanted text := case when tg_table_name = 'people' then 'recipient' else 'representative' end;
  actual text;
begin
  select role into actual from users where id = new.user_id;
  if actual is distinct from wanted then
    raise exception 'a sign-in linked to % must have the role %, not %', tg_table_name, wanted, coalesce(actual, 'none')
      using errcode = 'check_violation';
  end if;
  return new;
end $$;

-- Only rows that name a sign-in fire it, so loading many people at once costs nothing extra.
create trigger people_sign_in_role before insert or update of user_id on people
  for each row when (new.user_id is not null) execute function sign_in_role_matches();
create trigger representatives_sign_in_role before insert or update of user_id on representatives
  for each row when (new.user_id is not null) execute function sign_in_role_matches();
`.execute(db);
}
