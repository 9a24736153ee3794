import { sql, type Kysely } from 'kysely';

// "Reduce future payments", taken by payment runs (features/surplus/offsets.ts,
// features/payment-runs/fix-lines.ts and post-lines.ts).
// - payment_run_lines.offset_pence: how much of the person's surplus offsets this line takes, fixed
//   with the line (min(offset left, the payment)). The Bacs file pays amount − offset; a line whose
//   net is nothing is not in the file. Fixed like the rest of the line.
// - surplus_offset_takes: a take now names the run line it was taken for, and a take can be given
//   back (a payment returned by the bank) by a reversing take: the opposite amount, same offset and
//   period, naming the take it reverses (once). Takes stay append-only. "Once per period" becomes:
//   at most one take for an offset and period that has not been given back (a trigger, as a unique
//   index cannot say "not reversed"), so a period given back can be taken again, never twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
alter table payment_run_lines add column offset_pence bigint not null default 0;
alter table payment_run_lines add constraint payment_run_lines_offset_check check (offset_pence >= 0 and offset_pence <= amount_pence);

-- Lines that take an offset are few; what is reserved on runs not yet paid is read through this.
create index payment_run_lines_offsets on payment_run_lines(direct_payment_id) where offset_pence > 0;
-- ... and a run's few offset lines, when it is paid and shown, without reading all its lines.
create index payment_run_lines_run_offsets on payment_run_lines(run_id, line_number) where offset_pence > 0;

drop trigger payment_run_lines_fixed on payment_run_lines;
create trigger payment_run_lines_fixed before update of run_id, line_number, payment_id, direct_payment_id, amount_pence, contribution_pence, offset_pence, sort_code, account_number, account_name, reference
  on payment_run_lines for each row execute function refuse_line_change();

alter table surplus_offset_takes drop constraint surplus_offset_takes_offset_id_period_starts_on_key;
alter table surplus_offset_takes drop constraint surplus_offset_takes_amount_pence_check;
alter table surplus_offset_takes add column line_id uuid references payment_run_lines(id);
alter table surplus_offset_takes add column reverses_id uuid unique references surplus_offset_takes(id);
alter table surplus_offset_takes add constraint surplus_offset_takes_amount_check
  check ((reverses_id is null and amount_pence > 0) or (reverses_id is not null and amount_pence < 0));
create index surplus_offset_takes_period on surplus_offset_takes(offset_id, period_starts_on);
create index surplus_offset_takes_line on surplus_offset_takes(line_id) where line_id is not null;

create function check_offset_take() returns trigger language plpgsql as $$
declare original surplus_offset_takes%rowtype;
begin
  if new.reverses_id is null then
    if exists (select 1 from surplus_offset_takes t
               where t.offset_id = new.offset_id and t.period_starts_on = new.period_starts_on and t.reverses_id is null
                 and not exists (select 1 from surplus_offset_takes r where r.reverses_id = t.id)) then
      raise exception 'this surplus offset has already been taken for the period from %', new.period_starts_on using errcode = '23505';
    end if;
  else
    select * into original from surplus_offset_takes where id = new.reverses_id;
    if original.id is null or original.reverses_id is not null or original.offset_id <> new.offset_id
       or original.period_starts_on <> new.period_starts_on or original.amount_pence <> -new.amount_pence
       or original.line_id is distinct from new.line_id then
      raise exception 'a take given back must be the exact opposite of the take it reverses' using errcode = '23514';
    end if;
  end if;
  return new;
end $$;
create trigger surplus_offset_takes_once_per_period before insert on surplus_offset_takes
  for each row execute function check_offset_take();
`.execute(db);
}
