import { sql, type Kysely } from 'kysely';

// The monitoring worklist, stored (issue 4, performance). Evaluating every rule over every direct
// payment of a national caseload takes seconds, so the result is kept:
// - monitoring_flags: each council's current flags, one row per direct payment and rule that
//   flags it (a direct payment with no row is low). Replaced per council in one transaction by
//   the hourly job monitoring.refresh-flags (features/monitoring/snapshot.ts), and per direct
//   payment straight away when something that changes its flags happens (refreshFlagsFor).
//   No names: pages join people for those when they read.
// - monitoring_snapshots: when each council's flags were last worked out in full ("as at"), and
//   for which day; a council without a row has never been evaluated.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table monitoring_flags (
  council_id uuid not null references councils(id),
  direct_payment_id uuid not null references direct_payments(id),
  rule text not null check (rule in ('balance_over_contingency', 'unexplained_spending', 'no_statements', 'unregistered_payee', 'previous_concern')),
  -- Where the flag comes in the direct payment's list (the rules' order).
  position smallint not null check (position >= 0),
  level text not null check (level in ('medium', 'high')),
  reason text not null,
  evidence jsonb not null,
  evaluated_at timestamptz not null,
  primary key (direct_payment_id, rule)
);
create index monitoring_flags_council on monitoring_flags(council_id);

create table monitoring_snapshots (
  council_id uuid primary key references councils(id),
  evaluated_at timestamptz not null,
  evaluated_for date not null,
  monitored integer not null check (monitored >= 0),
  flagged integer not null check (flagged >= 0),
  took_ms integer not null check (took_ms >= 0)
);
`.execute(db);

  const hasRole = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (hasRole.rows[0]?.ok) {
    await sql`revoke all on monitoring_flags, monitoring_snapshots from dp_app`.execute(db);
    // A derived copy: the app replaces it (delete + insert), never edits a flag in place.
    await sql`grant select, insert, delete on monitoring_flags to dp_app`.execute(db);
    await sql`grant select, insert, update on monitoring_snapshots to dp_app`.execute(db);
  }
}
