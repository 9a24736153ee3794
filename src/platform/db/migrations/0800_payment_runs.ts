import { sql, type Kysely } from 'kysely';

// Schedules that change over time (rates from a date, suspensions), each council's payment
// settings, and payment runs: a run fixes its lines when it is created, a second person approves
// it, and each line moves pending → in_transit → paid | returned with its own ledger postings.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table council_payment_settings (
  council_id uuid primary key references councils(id),
  frequency text not null default 'four_weekly' check (frequency in ('weekly', 'four_weekly', 'monthly')),
  -- net: we pay the budget less the person's contribution, which they pay into the account;
  -- gross: we pay the whole budget and invoice the contribution.
  contributions text not null default 'net' check (contributions in ('net', 'gross')),
  service_user_number text check (service_user_number ~ '^[0-9]{6}$'),
  service_user_name text check (length(service_user_name) between 1 and 18),
  originating_sort_code text check (originating_sort_code ~ '^[0-9]{6}$'),
  originating_account_number text check (originating_account_number ~ '^[0-9]{8}$'),
  originating_account_name text check (length(originating_account_name) between 1 and 18),
  -- A day on which a payment period starts, so that everyone is paid on the same cycle; null: each
  -- schedule runs from its own start date.
  cycle_anchor_on date,
  contingency_weeks integer not null default 8 check (contingency_weeks between 0 and 52),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);

-- One schedule per direct payment: a change of rate is a new rate from a date, not a new schedule.
create unique index payment_schedules_one_per_direct_payment on payment_schedules(direct_payment_id);
alter table payment_schedules
  add column contributions text not null default 'net' check (contributions in ('net', 'gross')),
  add column ended_reason text,
  add column ended_by uuid references users(id),
  -- A boundary of the council's payment cycle; periods run between boundaries (null: from starts_on).
  add column anchor_on date;

-- Gross councils invoice the person's contribution for the period when its payment is sent.
alter table payments add column invoiced_contribution_pence bigint not null default 0 check (invoiced_contribution_pence >= 0);
-- Room on each page, so a run moving 120,000 payments on can update them in place (no index changes).
alter table payments set (fillfactor = 85);

create table payment_schedule_rates (
  id uuid primary key default gen_random_uuid(),
  schedule_id uuid not null references payment_schedules(id),
  effective_from date not null,
  weekly_amount_pence bigint not null check (weekly_amount_pence > 0),
  weekly_contribution_pence bigint not null default 0 check (weekly_contribution_pence >= 0),
  reason text not null default '',
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  unique (schedule_id, effective_from),
  check (weekly_contribution_pence <= weekly_amount_pence)
);

create table payment_schedule_suspensions (
  id uuid primary key default gen_random_uuid(),
  schedule_id uuid not null references payment_schedules(id),
  suspended_from date not null,
  -- The first day paid again; null while the payments are suspended.
  resumed_from date,
  reason text not null,
  suspended_by uuid not null references users(id),
  resumed_by uuid references users(id),
  created_at timestamptz not null default now(),
  check (resumed_from is null or resumed_from > suspended_from)
);
create unique index payment_schedule_suspensions_one_open on payment_schedule_suspensions(schedule_id) where resumed_from is null;

create table payment_runs (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  -- The day the money should arrive; Bacs processes it the processing day before, and the file
  -- must be in by the latest input day.
  payment_date date not null,
  processing_date date not null,
  latest_input_date date not null,
  -- Pays everything due before the next day money could arrive (a Friday run covers the weekend).
  due_by date not null,
  status text not null default 'preparing' check (status in ('preparing', 'draft', 'approved', 'file_generated', 'paid', 'cancelled')),
  line_count integer not null default 0,
  total_pence bigint not null default 0,
  exception_count integer not null default 0,
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  approved_by uuid references users(id),
  approved_at timestamptz,
  -- Every line has been sent through the ledger (budget → in transit).
  posted_at timestamptz,
  -- Fixed at approval, so the same run always gives the same file.
  file_serial text check (file_serial ~ '^[0-9]{6}$' and file_serial <> '000000'),
  file_creation_date date,
  service_user_number text,
  service_user_name text,
  originating_sort_code text,
  originating_account_number text,
  originating_account_name text,
  file_generated_at timestamptz,
  file_generated_by uuid references users(id),
  paid_requested_at timestamptz,
  paid_requested_by uuid references users(id),
  paid_at timestamptz,
  -- A draft found wrong is cancelled (its lines let go) rather than approved.
  cancelled_by uuid references users(id),
  cancelled_at timestamptz,
  unique (council_id, file_serial),
  -- Two people: whoever created a run may not approve it.
  check (approved_by is null or approved_by <> created_by),
  check (status in ('preparing', 'draft', 'cancelled') or (approved_by is not null and file_serial is not null))
);
-- Exactly once: one run per payment date per council, not counting cancelled drafts.
create unique index payment_runs_one_per_date on payment_runs(council_id, payment_date) where status <> 'cancelled';

create table payment_run_lines (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references payment_runs(id),
  line_number integer not null,
  payment_id uuid not null references payments(id),
  direct_payment_id uuid not null,
  amount_pence bigint not null check (amount_pence > 0),
  -- Gross councils invoice the contribution for the period when the payment is sent.
  contribution_pence bigint not null default 0 check (contribution_pence >= 0),
  sort_code text not null,
  account_number text not null,
  account_name text not null,
  reference text not null,
  status text not null default 'pending' check (status in ('pending', 'in_transit', 'paid', 'returned')),
  returned_at timestamptz,
  returned_reason text,
  returned_by uuid references users(id),
  unique (run_id, line_number),
  -- Never paid twice: a payment is on at most one run line that has not been returned (returned
  -- lines have their own return time; the one live line has none).
  unique nulls not distinct (payment_id, returned_at),
  check ((status = 'returned') = (returned_at is not null))
) with (fillfactor = 85);

-- A run's lines are fixed when it is created: what is paid, to whom and how much never changes.
create function refuse_line_change() returns trigger language plpgsql as $$
begin
  raise exception 'a payment run line''s payment, amount and bank details are fixed when the run is created' using errcode = 'P0001';
end $$;
create trigger payment_run_lines_fixed before update of run_id, line_number, payment_id, direct_payment_id, amount_pence, contribution_pence, sort_code, account_number, account_name, reference
  on payment_run_lines for each row execute function refuse_line_change();

create table payment_run_exceptions (
  id uuid primary key default gen_random_uuid(),
  run_id uuid not null references payment_runs(id),
  direct_payment_id uuid not null references direct_payments(id),
  -- A payment found wanting may later be recalculated away (say the direct payment ended first).
  payment_id uuid references payments(id) on delete set null,
  period_starts_on date not null,
  period_ends_on date not null,
  amount_pence bigint,
  reason text not null check (reason in ('bank_details', 'suspended', 'ended', 'over_limit')),
  detail text not null,
  unique (run_id, direct_payment_id, period_starts_on)
);
create index payment_run_exceptions_run on payment_run_exceptions(run_id);

-- Every statement that adds postings leaves each transaction it touched balanced, with two or more
-- postings. 0001 checked this once per posting at commit; a payment run adds 240,000 postings at
-- once, so it is checked once per statement over the postings added. The rule is the same, a little
-- stricter in time: a transaction's postings are always added in one statement (payments/ledger.ts
-- and the payment runs do so), so no transaction is ever unbalanced between statements either.
drop trigger ledger_postings_balance on ledger_postings;
create function check_added_postings_balance() returns trigger language plpgsql as $$
declare bad record;
begin
  select t.transaction_id, coalesce(sum(p.amount_pence), 0) as total, count(p.id) as n into bad
  from (select distinct transaction_id from added) t join ledger_postings p on p.transaction_id = t.transaction_id
  group by t.transaction_id having coalesce(sum(p.amount_pence), 0) <> 0 or count(p.id) < 2
  limit 1;
  if found and bad.n < 2 then
    raise exception 'ledger transaction % has fewer than two postings', bad.transaction_id using errcode = 'P0002';
  elsif found then
    raise exception 'ledger transaction % does not balance: postings sum to % pence', bad.transaction_id, bad.total using errcode = 'P0002';
  end if;
  return null;
end $$;
create trigger ledger_postings_balance after insert on ledger_postings
  referencing new table as added for each statement execute function check_added_postings_balance();
`.execute(db);
}
