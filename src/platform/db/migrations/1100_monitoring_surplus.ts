import { sql, type Kysely } from 'kysely';

// Proportionate monitoring and fair surplus recovery (issue 4).
// - monitoring_rules: each council's rules as data (on/off, a threshold, the level a flag gives).
//   A council with no row for a rule uses the defaults in domain/monitoring.ts.
// - monitoring_concerns: a concern a practitioner recorded on a direct payment (append-only).
// - monitoring_commitments: money a practitioner recorded as already committed (say a PA's next
//   wages), used when the employers' records do not say (append-only; the latest counts).
// - surplus_settings: the council's challenge period for a surplus notice.
// - surplus_cases: one surplus taken, in order, through conversation → notice → recovery. The
//   order and "never more than the surplus" are checked by the database as well as the code.
// - surplus_offsets / surplus_offset_takes: "reduce future payments", taken period by period by
//   the payment scheduler through features/surplus/offsets.ts, each period once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table monitoring_rules (
  council_id uuid not null references councils(id),
  rule text not null check (rule in ('balance_over_contingency', 'unexplained_spending', 'no_statements', 'unregistered_payee', 'previous_concern')),
  enabled boolean not null,
  -- Pence for the money rules, months for no_statements and previous_concern, a number of
  -- payments for unregistered_payee.
  threshold integer not null check (threshold >= 0),
  level text not null check (level in ('medium', 'high')),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now(),
  primary key (council_id, rule)
);

create table surplus_settings (
  council_id uuid primary key references councils(id),
  challenge_days integer not null default 28 check (challenge_days between 14 and 90),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);

create table monitoring_concerns (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  direct_payment_id uuid not null references direct_payments(id),
  recorded_on date not null,
  concern text not null check (length(concern) between 1 and 1000),
  recorded_by uuid not null references users(id),
  created_at timestamptz not null default now()
);
create index monitoring_concerns_dp on monitoring_concerns(direct_payment_id, recorded_on);

create table monitoring_commitments (
  id uuid primary key default gen_random_uuid(),
  direct_payment_id uuid not null references direct_payments(id),
  amount_pence bigint not null check (amount_pence >= 0),
  committed_for text not null check (length(committed_for) between 1 and 500),
  recorded_on date not null,
  recorded_by uuid not null references users(id),
  created_at timestamptz not null default now()
);
create index monitoring_commitments_dp on monitoring_commitments(direct_payment_id, created_at);

create table surplus_cases (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  direct_payment_id uuid not null references direct_payments(id),
  status text not null default 'conversation_due' check (status in (
    'conversation_due', 'no_recovery', 'notice_due', 'notice_sent', 'challenged', 'recovered', 'refunded', 'offsetting')),
  opened_on date not null,
  opened_by uuid not null references users(id),
  -- The sum as it stood when the case was opened.
  balance_pence bigint not null,
  contingency_pence bigint not null check (contingency_pence >= 0),
  contingency_weeks integer not null default 0 check (contingency_weeks between 0 and 52),
  committed_pence bigint not null check (committed_pence >= 0),
  committed_source text not null check (committed_source in ('payroll', 'recorded', 'none')),
  surplus_pence bigint not null check (surplus_pence > 0),
  -- 1. The conversation about why the money is unspent.
  conversation_on date,
  conversation_by uuid references users(id),
  conversation_reason text check (conversation_reason in ('pa_vacancy', 'saving_for_planned', 'needs_changed', 'not_needed', 'other')),
  conversation_notes text check (length(conversation_notes) <= 2000),
  keep_money boolean,
  recover_pence bigint,
  method text check (method in ('refund', 'reduce_payments')),
  -- 2. Written notice, and the time the person has to challenge it.
  notice_sent_on date,
  notice_by uuid references users(id),
  challenge_ends_on date,
  challenged_on date,
  challenge_text text check (length(challenge_text) <= 2000),
  challenge_decided_on date,
  challenge_decided_by uuid references users(id),
  challenge_upheld boolean,
  challenge_decision text check (length(challenge_decision) <= 2000),
  -- 3. Recovery, posted to the ledger once.
  recovered_on date,
  recovered_by uuid references users(id),
  recovered_pence bigint,
  recovery_transaction_id uuid references ledger_transactions(id),
  refund_received_on date,
  refund_by uuid references users(id),
  refund_transaction_id uuid references ledger_transactions(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (surplus_pence = balance_pence - contingency_pence - committed_pence),
  -- Never more than the surplus.
  check (recover_pence is null or (recover_pence > 0 and recover_pence <= surplus_pence)),
  check (recovered_pence is null or (recovered_pence > 0 and recovered_pence <= recover_pence)),
  check ((keep_money is null) = (conversation_on is null)),
  check (keep_money is distinct from false or (recover_pence is not null and method is not null)),
  -- In order: notice only after a conversation that decided to recover; recovery only after the
  -- notice's challenge period has ended and any challenge was decided against; a refund only after.
  check (notice_sent_on is null or (keep_money = false and challenge_ends_on >= notice_sent_on + 14)),
  check (challenged_on is null or (notice_sent_on is not null and challenged_on >= notice_sent_on)),
  check (challenge_decided_on is null or (challenged_on is not null and challenge_upheld is not null)),
  check (recovered_on is null or (notice_sent_on is not null and recovered_on > challenge_ends_on
                                  and (challenged_on is null or challenge_upheld = false)
                                  and recovered_pence is not null and recovery_transaction_id is not null)),
  check (refund_received_on is null or (recovered_on is not null and method = 'refund' and refund_transaction_id is not null))
);
-- One open case per direct payment at a time.
create unique index surplus_cases_one_open on surplus_cases(direct_payment_id)
  where status in ('conversation_due', 'notice_due', 'notice_sent', 'challenged', 'recovered');

create table surplus_offsets (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null unique references surplus_cases(id),
  direct_payment_id uuid not null references direct_payments(id),
  council_id uuid not null references councils(id),
  amount_pence bigint not null check (amount_pence > 0),
  taken_pence bigint not null default 0,
  created_at timestamptz not null default now(),
  check (taken_pence between 0 and amount_pence)
);
create index surplus_offsets_open on surplus_offsets(direct_payment_id) where taken_pence < amount_pence;

create table surplus_offset_takes (
  id uuid primary key default gen_random_uuid(),
  offset_id uuid not null references surplus_offsets(id),
  period_starts_on date not null,
  amount_pence bigint not null check (amount_pence > 0),
  transaction_id uuid not null references ledger_transactions(id),
  created_at timestamptz not null default now(),
  unique (offset_id, period_starts_on)
);

create trigger monitoring_concerns_append_only before update or delete on monitoring_concerns for each row execute function refuse_change();
create trigger monitoring_commitments_append_only before update or delete on monitoring_commitments for each row execute function refuse_change();
create trigger surplus_offset_takes_append_only before update or delete on surplus_offset_takes for each row execute function refuse_change();
`.execute(db);

  // The app's role: what it needs and no more (0002 granted everything by default).
  const hasRole = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (hasRole.rows[0]?.ok) {
    await sql`revoke all on monitoring_rules, surplus_settings, monitoring_concerns, monitoring_commitments, surplus_cases, surplus_offsets, surplus_offset_takes from dp_app`.execute(db);
    await sql`grant select, insert, update on monitoring_rules, surplus_settings, surplus_cases, surplus_offsets to dp_app`.execute(db);
    await sql`grant select, insert on monitoring_concerns, monitoring_commitments, surplus_offset_takes to dp_app`.execute(db);
  }
}
