import { sql, type Kysely } from 'kysely';

// Employing personal assistants (PAs) and pooling direct payments (issue 6).
//
// Minimum wage rates are data, not constants: date-effective and age-banded, seeded with the rates
// in shared/reference/calendar-and-rates.md, and an administrator adds next April's. A council may
// set its own higher floor for PAs (e.g. the Real Living Wage).
//
// Paying a close relative who lives in the same household needs a recorded decision that it is
// necessary (England: Care and Support (Direct Payments) Regulations 2014, reg 3); the database
// refuses a payment arrangement for such a PA without one.
//
// A pool has its own ledger account (kind 'pool'); contributions are ledger transactions from a
// member's direct payment account to it, tagged with the member's direct payment.
const RATES: [band: string, from: string, pence: number][] = [
  ['age_21_plus', '2024-04-01', 1144], ['age_18_20', '2024-04-01', 860], ['age_16_17', '2024-04-01', 640], ['apprentice', '2024-04-01', 640],
  ['age_21_plus', '2025-04-01', 1221], ['age_18_20', '2025-04-01', 1000], ['age_16_17', '2025-04-01', 755], ['apprentice', '2025-04-01', 755],
  ['age_21_plus', '2026-04-01', 1271], ['age_18_20', '2026-04-01', 1085], ['age_16_17', '2026-04-01', 800], ['apprentice', '2026-04-01', 800],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table minimum_wage_rates (
  id uuid primary key default gen_random_uuid(),
  band text not null check (band in ('age_21_plus', 'age_18_20', 'age_16_17', 'apprentice')),
  effective_from date not null,
  hourly_pence integer not null check (hourly_pence between 100 and 10000),
  source text not null default 'built in' check (source in ('built in', 'administrator')),
  added_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (band, effective_from)
);

create table council_wage_floors (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  name text not null check (length(name) between 1 and 100),
  effective_from date not null,
  hourly_pence integer not null check (hourly_pence between 100 and 10000),
  added_by uuid references users(id),
  created_at timestamptz not null default now(),
  unique (council_id, effective_from)
);

create table personal_assistants (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  name text not null check (length(name) between 1 and 200),
  role text not null check (length(role) between 1 and 200),
  starts_on date not null,
  ends_on date check (ends_on is null or ends_on >= starts_on),
  hours_pattern text not null default '' check (length(hours_pattern) <= 500),
  weekly_minutes integer not null check (weekly_minutes between 0 and 10080),
  pay_period text not null default 'monthly' check (pay_period in ('weekly', 'fortnightly', 'four_weekly', 'monthly')),
  hourly_rate_pence integer not null check (hourly_rate_pence between 1 and 100000),
  date_of_birth date,
  is_apprentice boolean not null default false,
  payroll text not null check (payroll in ('provider', 'managed_account', 'self', 'none')),
  payroll_provider text check (payroll_provider is null or length(payroll_provider) between 1 and 200),
  is_close_relative_in_household boolean not null default false,
  relationship text check (relationship is null or length(relationship) <= 100),
  contract_issued_on date,
  right_to_work_checked_on date,
  dbs_level text not null default 'not_done' check (dbs_level in ('not_done', 'basic', 'enhanced', 'enhanced_barred')),
  dbs_checked_on date,
  dbs_renew_by date,
  training text not null default '' check (length(training) <= 2000),
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (payroll not in ('provider', 'managed_account') or payroll_provider is not null),
  check ((dbs_level = 'not_done') = (dbs_checked_on is null))
);
create index personal_assistants_dp on personal_assistants(direct_payment_id);

-- The council's decision that paying a close relative who lives in the same household is
-- necessary. Decisions are never edited: a new one replaces the last.
create table family_payment_decisions (
  id uuid primary key default gen_random_uuid(),
  personal_assistant_id uuid not null references personal_assistants(id),
  necessary boolean not null,
  reasons text not null check (length(reasons) between 1 and 5000),
  decided_by uuid not null references users(id),
  decided_on date not null,
  created_at timestamptz not null default now()
);
create index family_payment_decisions_pa on family_payment_decisions(personal_assistant_id, created_at);

-- One row per direct payment: the employer's duties.
create table employer_checklists (
  direct_payment_id uuid primary key references direct_payments(id),
  insurer text check (insurer is null or length(insurer) <= 200),
  insurance_policy text check (insurance_policy is null or length(insurance_policy) <= 100),
  insurance_cover_pence bigint check (insurance_cover_pence is null or insurance_cover_pence > 0),
  insurance_renews_on date,
  paye_registered boolean not null default false,
  paye_reference text check (paye_reference is null or length(paye_reference) <= 50),
  pension_assessed_on date,
  pension_scheme text check (pension_scheme is null or length(pension_scheme) <= 200),
  holiday_explained boolean not null default false,
  updated_by uuid not null references users(id),
  updated_at timestamptz not null default now()
);

-- Hours a PA actually worked in a week, against the plan.
create table pa_timesheets (
  id uuid primary key default gen_random_uuid(),
  personal_assistant_id uuid not null references personal_assistants(id),
  week_starts_on date not null,
  minutes integer not null check (minutes between 0 and 10080),
  recorded_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  unique (personal_assistant_id, week_starts_on)
);
`.execute(db);

  // No payment arrangement for a close relative in the household without a decision that it is
  // necessary. Checked at commit, so a PA and their decision may be saved in one transaction.
  await sql`
create function check_family_payment() returns trigger language plpgsql as $$
begin
  if new.is_close_relative_in_household and new.payroll <> 'none' and not exists (
    select 1 from (select necessary from family_payment_decisions where personal_assistant_id = new.id
                   order by created_at desc limit 1) latest where latest.necessary
  ) then
    raise exception 'A close relative living in the same household can be paid only after a recorded decision that it is necessary'
      using errcode = 'check_violation';
  end if;
  return null;
end $$;
create constraint trigger personal_assistants_family_payment after insert or update on personal_assistants
  deferrable initially deferred for each row execute function check_family_payment();

create function employers_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only', tg_table_name;
end $$;
create trigger family_payment_decisions_append_only before update or delete on family_payment_decisions
  for each row execute function employers_refuse_change();
`.execute(db);

  await sql`
insert into minimum_wage_rates (band, effective_from, hourly_pence)
select b, f::date, p from unnest(${RATES.map((r) => r[0])}::text[], ${RATES.map((r) => r[1])}::text[], ${RATES.map((r) => r[2])}::int[]) as r(b, f, p)
`.execute(db);

  // Pools.
  await sql`
alter table ledger_accounts drop constraint ledger_accounts_kind_check;
alter table ledger_accounts add constraint ledger_accounts_kind_check
  check (kind in ('budget', 'in_transit', 'direct_payment', 'contributions', 'owed_back', 'bank', 'pool'));

create table pools (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  name text not null check (length(name) between 1 and 200),
  service_kind text not null check (service_kind in ('purchase', 'session_series', 'shared_pas')),
  service_description text not null check (length(service_description) between 1 and 2000),
  managed_by text not null check (length(managed_by) between 1 and 200),
  agreement_signed_on date,
  ledger_account_id uuid not null unique references ledger_accounts(id),
  created_by uuid not null references users(id),
  created_at timestamptz not null default now()
);

create table pool_members (
  id uuid primary key default gen_random_uuid(),
  pool_id uuid not null references pools(id),
  direct_payment_id uuid not null references direct_payments(id),
  share_parts integer not null check (share_parts between 1 and 1000),
  contribution_pence bigint not null check (contribution_pence > 0),
  joined_on date not null,
  left_on date check (left_on is null or left_on >= joined_on),
  settlement_transaction_id uuid references ledger_transactions(id),
  created_at timestamptz not null default now(),
  unique (pool_id, direct_payment_id)
);
create index pool_members_dp on pool_members(direct_payment_id);

create table pool_purchases (
  id uuid primary key default gen_random_uuid(),
  pool_id uuid not null references pools(id),
  bought_on date not null,
  description text not null check (length(description) between 1 and 500),
  supplier text not null check (length(supplier) between 1 and 200),
  amount_pence bigint not null check (amount_pence > 0),
  recorded_by uuid not null references users(id),
  created_at timestamptz not null default now()
);
create index pool_purchases_pool on pool_purchases(pool_id, bought_on);

-- Each member's part of a purchase (largest remainder by share, so the parts sum to the whole).
create table pool_purchase_shares (
  purchase_id uuid not null references pool_purchases(id),
  pool_member_id uuid not null references pool_members(id),
  direct_payment_id uuid not null references direct_payments(id),
  amount_pence bigint not null check (amount_pence >= 0),
  primary key (purchase_id, pool_member_id)
);
create index pool_purchase_shares_dp on pool_purchase_shares(direct_payment_id);

create trigger pool_purchases_append_only before update or delete on pool_purchases
  for each row execute function employers_refuse_change();
create trigger pool_purchase_shares_append_only before update or delete on pool_purchase_shares
  for each row execute function employers_refuse_change();

-- A purchase's parts always sum to the purchase, checked when the transaction commits.
create function check_pool_purchase_shares() returns trigger language plpgsql as $$
declare total bigint; parts bigint;
begin
  select amount_pence into total from pool_purchases where id = new.id;
  select coalesce(sum(amount_pence), 0) into parts from pool_purchase_shares where purchase_id = new.id;
  if total <> parts then
    raise exception 'A pool purchase of % pence is shared out as % pence', total, parts using errcode = 'check_violation';
  end if;
  return null;
end $$;
create constraint trigger pool_purchases_shared_exactly after insert on pool_purchases
  deferrable initially deferred for each row execute function check_pool_purchase_shares();
`.execute(db);

  const canCreateRole = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (canCreateRole.rows[0]?.ok) {
    // Rates and floors are added, never changed; decisions, purchases and their shares are append-only.
    await sql`revoke update, delete, truncate on minimum_wage_rates, council_wage_floors, family_payment_decisions, pool_purchases, pool_purchase_shares from dp_app`.execute(db);
    await sql`revoke delete, truncate on personal_assistants, employer_checklists, pa_timesheets, pools, pool_members from dp_app`.execute(db);
  }
}
