import { sql, type Kysely } from 'kysely';

// The application runs as `dp_app`, a role that may read and add audit rows and ledger postings but
// never change or remove them. Where the migrating user may not create roles (some managed
// databases), the append-only triggers of 0001 still hold.
export async function up(db: Kysely<unknown>): Promise<void> {
  const canCreateRole = await sql<{ ok: boolean }>`
    select (rolsuper or rolcreaterole) as ok from pg_roles where rolname = current_user`.execute(db);
  if (!canCreateRole.rows[0]?.ok) return;
  await sql`
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'dp_app') then
    create role dp_app nologin;
  end if;
end $$;
`.execute(db);
  await sql`grant dp_app to current_user`.execute(db).catch(() => undefined);
  await sql`grant usage on schema public to dp_app`.execute(db);
  await sql`grant select, insert, update, delete on all tables in schema public to dp_app`.execute(db);
  await sql`grant usage, select on all sequences in schema public to dp_app`.execute(db);
  await sql`revoke update, delete, truncate on audit_log, ledger_postings, ledger_transactions from dp_app`.execute(db);
  await sql`alter default privileges in schema public grant select, insert, update, delete on tables to dp_app`.execute(db);
  await sql`alter default privileges in schema public grant usage, select on sequences to dp_app`.execute(db);
}
