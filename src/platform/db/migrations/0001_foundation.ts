import { sql, type Kysely } from 'kysely';

// The whole schema of the direct-payment journey. Money is integer pence (bigint); calendar dates
// are `date`; moments are `timestamptz`. Ids that appear in URLs are random UUIDs so that no URL
// carries anything about a person.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create extension if not exists pgcrypto;

create table councils (
  id uuid primary key default gen_random_uuid(),
  code text not null unique,
  name text not null,
  jurisdiction text not null check (jurisdiction in ('england', 'wales')),
  welsh_first boolean not null default false,
  contact_email text,
  contact_phone text,
  created_at timestamptz not null default now()
);

create table teams (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  name text not null,
  unique (council_id, name)
);

create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null unique check (username = lower(username) and length(username) between 2 and 64),
  password_hash text not null,
  display_name text not null,
  role text not null check (role in ('practitioner', 'manager', 'panel', 'finance', 'admin', 'recipient', 'representative')),
  council_id uuid not null references councils(id),
  team_id uuid references teams(id),
  email text,
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create sequence person_reference_seq start 1;
create table people (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique default ('P-' || lpad(nextval('person_reference_seq')::text, 6, '0')),
  council_id uuid not null references councils(id),
  team_id uuid references teams(id),
  practitioner_id uuid references users(id),
  given_name text not null,
  family_name text not null,
  preferred_name text,
  date_of_birth date not null,
  kind text not null check (kind in ('adult', 'carer', 'child')),
  address text,
  postcode text,
  phone text,
  email text,
  preferred_language text not null default 'en' check (preferred_language in ('en', 'cy')),
  communication_needs text,
  has_capacity boolean not null default true,
  -- The recipient's own sign-in, where they manage their own direct payment.
  user_id uuid unique references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table contacts (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people(id),
  name text not null,
  relationship text not null,
  phone text,
  email text,
  -- Informal support is recorded only where the person is willing and able to give it.
  gives_informal_support boolean not null default false,
  willing_and_able boolean,
  notes text,
  created_at timestamptz not null default now()
);

create table representatives (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people(id),
  user_id uuid references users(id),
  name text not null,
  relationship text not null,
  -- nominated: chosen by a person with capacity; authorised (England) / suitable (Wales): for a
  -- person who lacks capacity; parental_responsibility: for a disabled child.
  kind text not null check (kind in ('nominated', 'authorised', 'suitable', 'parental_responsibility')),
  date_of_birth date,
  receives_payment boolean not null default false,
  starts_on date not null default current_date,
  ends_on date,
  notes text,
  created_at timestamptz not null default now()
);

create table advocacy (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people(id),
  offered_on date not null,
  accepted boolean not null,
  advocate_name text,
  organisation text,
  notes text,
  recorded_by uuid not null references users(id),
  created_at timestamptz not null default now()
);

create table information_given (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people(id),
  given_on date not null,
  format text not null,
  recorded_by uuid not null references users(id),
  created_at timestamptz not null default now()
);

create table conversations (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people(id),
  practitioner_id uuid not null references users(id),
  held_on date not null,
  status text not null default 'draft' check (status in ('draft', 'completed')),
  what_matters text not null default '',
  wanted_outcomes text not null default '',
  strengths text not null default '',
  informal_support text not null default '',
  community_resources text not null default '',
  barriers text not null default '',
  dp_offered boolean not null default false,
  dp_offered_on date,
  dp_response text,
  -- England: unable to achieve two or more outcomes and a significant impact on well-being.
  significant_impact boolean,
  -- Wales: needs the person can meet, and can only meet, with the council's care and support.
  can_and_can_only boolean,
  eligible boolean,
  eligibility_reasons text,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table conversation_outcomes (
  conversation_id uuid not null references conversations(id),
  outcome text not null,
  unable boolean not null,
  reason text,
  primary key (conversation_id, outcome)
);

create table care_plans (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references people(id),
  conversation_id uuid references conversations(id),
  status text not null default 'draft' check (status in ('draft', 'agreed', 'replaced')),
  kind text not null check (kind in ('one_off', 'ongoing')),
  -- Personal budget (ongoing support only): weekly cost to the council, the person's assessed
  -- contribution, and so the council's part.
  weekly_cost_pence bigint check (weekly_cost_pence >= 0),
  weekly_contribution_pence bigint check (weekly_contribution_pence >= 0),
  co_produced_with text,
  agreed_on date,
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (weekly_contribution_pence is null or weekly_cost_pence is null or weekly_contribution_pence <= weekly_cost_pence)
);

create table plan_items (
  id uuid primary key default gen_random_uuid(),
  plan_id uuid not null references care_plans(id),
  position integer not null,
  outcome text not null,
  met_by text not null check (met_by in ('strengths', 'informal_support', 'community', 'council_service', 'direct_payment')),
  how text not null,
  cost_pence bigint not null default 0 check (cost_pence >= 0),
  cost_frequency text not null default 'none' check (cost_frequency in ('none', 'one_off', 'weekly')),
  unique (plan_id, position)
);

create sequence direct_payment_reference_seq start 1;
create table direct_payments (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique default ('DP-' || lpad(nextval('direct_payment_reference_seq')::text, 6, '0')),
  council_id uuid not null references councils(id),
  person_id uuid not null references people(id),
  plan_id uuid references care_plans(id),
  kind text not null check (kind in ('one_off', 'ongoing')),
  status text not null default 'draft' check (status in ('draft', 'at_panel', 'more_information', 'approved', 'declined', 'agreed', 'active', 'suspended', 'ended')),
  purpose text not null,
  meets_needs text not null default 'all' check (meets_needs in ('all', 'part')),
  -- One-off: the single amount. Ongoing: the gross weekly amount and the person's weekly contribution.
  amount_pence bigint check (amount_pence > 0),
  weekly_amount_pence bigint check (weekly_amount_pence > 0),
  weekly_contribution_pence bigint not null default 0 check (weekly_contribution_pence >= 0),
  frequency text not null default 'once' check (frequency in ('once', 'weekly', 'four_weekly', 'monthly')),
  payment_method text not null check (payment_method in ('bank_account', 'prepaid_card', 'managed_account')),
  payee text not null default 'person' check (payee in ('person', 'representative', 'provider')),
  representative_id uuid references representatives(id),
  provider_name text,
  account_name text,
  sort_code text,
  account_number text,
  starts_on date,
  ends_on date,
  first_payment_on date,
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'one_off' and amount_pence is not null) or (kind = 'ongoing' and weekly_amount_pence is not null))
);

create table business_cases (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null unique references direct_payments(id),
  author_id uuid not null references users(id),
  proposal text not null,
  why_necessary text not null,
  context_family text not null default '',
  context_community text not null default '',
  context_agencies text not null default '',
  outcomes_expected text not null,
  horizon_months integer not null default 12 check (horizon_months between 1 and 120),
  status text not null default 'draft' check (status in ('draft', 'submitted', 'decided')),
  submitted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table business_case_options (
  id uuid primary key default gen_random_uuid(),
  business_case_id uuid not null references business_cases(id),
  position integer not null,
  description text not null,
  proposed boolean not null default false,
  one_off_cost_pence bigint not null default 0 check (one_off_cost_pence >= 0),
  weekly_cost_pence bigint not null default 0 check (weekly_cost_pence >= 0),
  notes text,
  unique (business_case_id, position)
);

create table panel_decisions (
  id uuid primary key default gen_random_uuid(),
  business_case_id uuid not null references business_cases(id),
  decided_by uuid not null references users(id),
  decision text not null check (decision in ('approved', 'approved_with_conditions', 'declined', 'more_information')),
  reasons text not null,
  conditions text,
  decided_at timestamptz not null default now()
);

create table agreements (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  version integer not null,
  amount_pence bigint not null,
  frequency text not null,
  account_summary text not null,
  purpose text not null,
  records_to_keep text not null,
  review_on date not null,
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  signed_on date,
  signed_by_name text,
  signed_recorded_by uuid references users(id),
  unique (direct_payment_id, version)
);

create table payment_schedules (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  frequency text not null check (frequency in ('weekly', 'four_weekly', 'monthly')),
  starts_on date not null,
  ends_on date,
  weekly_amount_pence bigint not null check (weekly_amount_pence >= 0),
  weekly_contribution_pence bigint not null default 0 check (weekly_contribution_pence >= 0),
  status text not null default 'active' check (status in ('active', 'suspended', 'ended')),
  created_by uuid not null references users(id),
  created_at timestamptz not null default now()
);

create table payments (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  schedule_id uuid references payment_schedules(id),
  period_starts_on date not null,
  period_ends_on date not null,
  due_on date not null,
  amount_pence bigint not null check (amount_pence > 0),
  status text not null default 'scheduled' check (status in ('scheduled', 'in_transit', 'paid', 'returned')),
  ledger_transaction_id uuid,
  created_at timestamptz not null default now(),
  -- Exactly once: one payment per direct payment per period.
  unique (direct_payment_id, period_starts_on)
);

create table ledger_accounts (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  code text not null,
  name text not null,
  kind text not null check (kind in ('budget', 'in_transit', 'direct_payment', 'contributions', 'owed_back', 'bank')),
  direct_payment_id uuid unique references direct_payments(id),
  created_at timestamptz not null default now(),
  unique (council_id, code)
);

create table ledger_transactions (
  id uuid primary key default gen_random_uuid(),
  -- Chosen by the caller before submission, so a retried posting is recognised and not repeated.
  idempotency_key text not null unique,
  council_id uuid not null references councils(id),
  kind text not null,
  description text not null,
  effective_on date not null,
  direct_payment_id uuid references direct_payments(id),
  reverses_id uuid unique references ledger_transactions(id),
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);

create table ledger_postings (
  id bigserial primary key,
  transaction_id uuid not null references ledger_transactions(id),
  account_id uuid not null references ledger_accounts(id),
  amount_pence bigint not null check (amount_pence <> 0)
);
create index ledger_postings_account on ledger_postings(account_id);
create index ledger_postings_transaction on ledger_postings(transaction_id);

alter table payments add foreign key (ledger_transaction_id) references ledger_transactions(id);

create table spending_records (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  spent_on date not null,
  amount_pence bigint not null check (amount_pence > 0),
  paid_to text not null,
  outcome text,
  note text,
  recorded_by uuid not null references users(id),
  created_at timestamptz not null default now()
);

create table reviews (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  kind text not null check (kind in ('first', 'annual', 'check_back', 'concern', 'capacity', 'breach', 'request')),
  due_on date not null,
  completed_on date,
  reviewer_id uuid references users(id),
  outcomes_met text check (outcomes_met in ('met', 'partly', 'not_met')),
  working boolean,
  what_changed text,
  changes text check (changes in ('none', 'more', 'less', 'different')),
  notes text,
  created_at timestamptz not null default now()
);
create index reviews_due on reviews(due_on) where completed_on is null;

create table guidance_items (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  position integer not null,
  title text not null,
  body text not null,
  examples text not null default '',
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);

create table audit_log (
  id bigserial primary key,
  at timestamptz not null default now(),
  user_id uuid,
  username text,
  role text,
  action text not null,
  entity_type text not null,
  entity_id text,
  person_id uuid,
  details jsonb not null default '{}'::jsonb,
  ip text
);
create index audit_log_person on audit_log(person_id, at);
create index audit_log_at on audit_log(at);

-- Sessions (connect-pg-simple's table).
create table session (
  sid varchar not null primary key,
  sess json not null,
  expire timestamp(6) not null
);
create index session_expire on session(expire);

-- The audit log and the ledger's postings are append-only. These triggers hold for every role,
-- the table owner included; corrections to money are linked reversals, never edits.
create function refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'P0001';
end $$;
create trigger audit_log_append_only before update or delete on audit_log for each row execute function refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function refuse_change();
create trigger ledger_postings_append_only before update or delete on ledger_postings for each row execute function refuse_change();
create trigger ledger_postings_no_truncate before truncate on ledger_postings for each statement execute function refuse_change();
create trigger ledger_transactions_append_only before update or delete on ledger_transactions for each row execute function refuse_change();
create trigger ledger_transactions_no_truncate before truncate on ledger_transactions for each statement execute function refuse_change();

-- Every transaction's postings sum to zero, checked when the database transaction commits.
create function check_transaction_balances() returns trigger language plpgsql as $$
declare total bigint; n integer;
begin
  select coalesce(sum(amount_pence), 0), count(*) into total, n from ledger_postings where transaction_id = new.transaction_id;
  if total <> 0 then
    raise exception 'ledger transaction % does not balance: postings sum to % pence', new.transaction_id, total using errcode = 'P0002';
  end if;
  if n < 2 then
    raise exception 'ledger transaction % has fewer than two postings', new.transaction_id using errcode = 'P0002';
  end if;
  return null;
end $$;
create constraint trigger ledger_postings_balance after insert on ledger_postings
  deferrable initially deferred for each row execute function check_transaction_balances();
`.execute(db);
}
