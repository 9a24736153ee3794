import { sql, type Kysely } from 'kysely';

// A payment run for 120,000 direct payments writes 600,000 rows. Row-by-row foreign-key checks
// were a third of its time: each is a query of its own, and most ask the same question again and
// again (is this run there? is the budget account there? is this council there?). Where the
// answer can be had once per statement just as safely, it is:
//
// - payment_run_lines.run_id → payment_runs, ledger_transactions.council_id → councils,
//   ledger_transactions.created_by → users, ledger_postings.account_id → ledger_accounts: the rows
//   a statement adds name a handful of parents between them. An AFTER … FOR EACH STATEMENT trigger
//   checks the distinct ones exist and locks them FOR KEY SHARE until the transaction ends,
//   exactly what the foreign key did row by row; a trigger on each parent refuses to delete it (or
//   change its id) while anything names it, which is what the foreign key's other half did.
// - ledger_postings.transaction_id → ledger_transactions: the parent is append-only (0001's
//   triggers refuse UPDATE, DELETE and TRUNCATE for every role), so no lock is needed, only the
//   check that every transaction named exists, once per statement, in the balance check's pass.
//
// The foreign keys to parents with many rows (a payment's direct payment and schedule, a line's
// payment, a transaction's direct payment) stay as they are: checking and locking 120,000
// different parents in one pass was measured slower than the foreign keys' own row-by-row checks.
//
// Every other foreign key stays too. dp ledger verify also checks that every posting's transaction and
// account exist, and that these triggers are in place.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table payment_run_lines drop constraint payment_run_lines_run_id_fkey;
alter table ledger_transactions drop constraint ledger_transactions_council_id_fkey;
alter table ledger_transactions drop constraint ledger_transactions_created_by_fkey;
alter table ledger_postings drop constraint ledger_postings_account_id_fkey;
alter table ledger_postings drop constraint ledger_postings_transaction_id_fkey;

-- The child side: once per statement, over the rows it added.
create function check_added_run_lines_parents() returns trigger language plpgsql
  security definer set search_path = public, pg_temp as $$
declare wanted integer; got integer;
begin
  select count(*) into wanted from (select distinct run_id from added where run_id is not null) d;
  select count(*) into got from (select 1 from payment_runs where id in (select run_id from added) for key share) r;
  if got < wanted then
    raise exception 'a payment run line names a payment run that does not exist' using errcode = '23503';
  end if;
  return null;
end $$;
create trigger payment_run_lines_parents after insert on payment_run_lines
  referencing new table as added for each statement execute function check_added_run_lines_parents();

create function check_added_transactions_parents() returns trigger language plpgsql
  security definer set search_path = public, pg_temp as $$
declare wanted integer; got integer;
begin
  select count(*) into wanted from (select distinct council_id from added where council_id is not null) d;
  select count(*) into got from (select 1 from councils where id in (select council_id from added) for key share) c;
  if got < wanted then
    raise exception 'a ledger transaction names a council that does not exist' using errcode = '23503';
  end if;
  select count(*) into wanted from (select distinct created_by from added where created_by is not null) d;
  select count(*) into got from (select 1 from users where id in (select created_by from added) for key share) u;
  if got < wanted then
    raise exception 'a ledger transaction names a user that does not exist' using errcode = '23503';
  end if;
  return null;
end $$;
create trigger ledger_transactions_parents after insert on ledger_transactions
  referencing new table as added for each statement execute function check_added_transactions_parents();

-- 0800's balance check, which already reads the added postings once per statement, now also
-- checks their transactions and accounts exist (and holds the accounts until the end).
create or replace function check_added_postings_balance() returns trigger language plpgsql
  security definer set search_path = public, pg_temp as $$
declare bad record; wanted integer; got integer;
begin
  select count(*) into wanted from (select distinct account_id from added where account_id is not null) d;
  select count(*) into got from (select 1 from ledger_accounts where id in (select account_id from added) for key share) a;
  if got < wanted then
    raise exception 'a ledger posting names an account that does not exist' using errcode = '23503';
  end if;
  select t.transaction_id into bad from (select distinct transaction_id from added) t
  where not exists (select 1 from ledger_transactions x where x.id = t.transaction_id) limit 1;
  if found then
    raise exception 'a ledger posting names transaction %, which does not exist', bad.transaction_id using errcode = '23503';
  end if;
  -- Each transaction touched, looked up by its own index entries: the cost follows the statement,
  -- not the size of the ledger (0800's join read the whole index once the ledger was big).
  select t.transaction_id, s.total, s.n into bad
  from (select distinct transaction_id from added) t
    cross join lateral (select coalesce(sum(p.amount_pence), 0) as total, count(*) as n from ledger_postings p where p.transaction_id = t.transaction_id) s
  where s.total <> 0 or s.n < 2
  limit 1;
  if found and bad.n < 2 then
    raise exception 'ledger transaction % has fewer than two postings', bad.transaction_id using errcode = 'P0002';
  elsif found then
    raise exception 'ledger transaction % does not balance: postings sum to % pence', bad.transaction_id, bad.total using errcode = 'P0002';
  end if;
  return null;
end $$;

-- The parent side: nothing named by a run line or the ledger can go (or change its id).
create function refuse_removing_named_parent() returns trigger language plpgsql
  security definer set search_path = public, pg_temp as $$
declare named boolean;
begin
  if tg_op = 'UPDATE' and new.id = old.id then return new; end if;
  if tg_table_name = 'payment_runs' then
    named := exists (select 1 from payment_run_lines where run_id = old.id);
  elsif tg_table_name = 'ledger_accounts' then
    named := exists (select 1 from ledger_postings where account_id = old.id);
  elsif tg_table_name = 'councils' then
    named := exists (select 1 from ledger_transactions where council_id = old.id);
  elsif tg_table_name = 'users' then
    named := exists (select 1 from ledger_transactions where created_by = old.id);
  end if;
  if named then
    raise exception '% % is named by payment run lines or the ledger, so it cannot be removed', tg_table_name, old.id using errcode = '23503';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end $$;
create trigger payment_runs_named before delete or update of id on payment_runs for each row execute function refuse_removing_named_parent();
create trigger ledger_accounts_named before delete or update of id on ledger_accounts for each row execute function refuse_removing_named_parent();
create trigger councils_named_by_ledger before delete or update of id on councils for each row execute function refuse_removing_named_parent();
create trigger users_named_by_ledger before delete or update of id on users for each row execute function refuse_removing_named_parent();
create function refuse_truncating_named_parent() returns trigger language plpgsql as $$
begin
  raise exception '% is named by payment run lines or the ledger, so it cannot be truncated', tg_table_name using errcode = '23503';
end $$;
create trigger payment_runs_no_truncate before truncate on payment_runs for each statement execute function refuse_truncating_named_parent();
create trigger ledger_accounts_no_truncate before truncate on ledger_accounts for each statement execute function refuse_truncating_named_parent();
`.execute(db);
}
