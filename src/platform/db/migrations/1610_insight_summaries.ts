import { sql, type Kysely } from 'kysely';

// Summary tables for the insight dashboards (features/insight/summaries.ts). They hold only counts
// and sums, never a person, and are derived: the job `insight.refresh-summaries` replaces a
// council's rows in one transaction (every 15 minutes, on start in demo mode, and when a manager
// asks). Each page reads its council's rows, filtered by team and summed over months, in one query.
// - team_id is the person's team (people.team_id; null: no team). "All teams" sums every row.
// - month is 'YYYY-MM'. after_as_at marks what is dated after the day the figures are as at (the
//   rest of the current month and later), so a period ending today leaves it out and one ending at
//   a month's end takes it in: the same answer as the live query, from whole months.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table insight_refreshes (
  council_id uuid primary key references councils(id),
  -- The day the figures are for ("today" when they were worked out) and the moment they were.
  as_at_date date not null,
  refreshed_at timestamptz not null,
  took_ms integer not null,
  -- False when the monitoring checks are not in this service (the flags page says so).
  flags_available boolean not null,
  -- The flags are counted from features/monitoring's stored flags: when those were worked out.
  flags_evaluated_at timestamptz
);

-- Ongoing direct payments and council-arranged weekly services starting and stopping each month
-- (stopped: counted in the month of the day after the last day).
create table insight_support_months (
  council_id uuid not null references councils(id),
  team_id uuid,
  delivery text not null check (delivery in ('direct_payment', 'council_arranged')),
  person_kind text not null,
  month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
  started integer not null,
  stopped integer not null
);
create index insight_support_months_council on insight_support_months (council_id, delivery);

-- Payments paid, by the month they were due.
create table insight_spend_months (
  council_id uuid not null references councils(id),
  team_id uuid,
  month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
  paid_pence bigint not null
);
create index insight_spend_months_council on insight_spend_months (council_id, month);

-- One-off direct payments by the month they started: how their check-backs went, and the cost avoided.
create table insight_one_off_months (
  council_id uuid not null references councils(id),
  team_id uuid,
  month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
  after_as_at boolean not null,
  payments integer not null,
  paid_pence bigint not null,
  met integer not null,
  partly integer not null,
  not_met integer not null,
  waiting integer not null,
  avoided_pence bigint not null
);
create index insight_one_off_months_council on insight_one_off_months (council_id, month);

-- Reviews by the month they fell due: done on time, late, overdue on the as-at day, not due yet.
create table insight_review_months (
  council_id uuid not null references councils(id),
  team_id uuid,
  month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
  after_as_at boolean not null,
  on_time integer not null,
  late integer not null,
  overdue integer not null,
  not_due integer not null
);
create index insight_review_months_council on insight_review_months (council_id, month);

-- Days from the first conversation to the first payment: how many people waited each number of
-- days, by the month of the first payment (a histogram, so medians and percentiles over any months
-- and teams come out exactly as percentile_disc gives them).
create table insight_first_payment_waits (
  council_id uuid not null references councils(id),
  team_id uuid,
  month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
  after_as_at boolean not null,
  days integer not null,
  people integer not null
);
create index insight_first_payment_waits_council on insight_first_payment_waits (council_id, month);

-- Figures for the as-at day, per team: reviews overdue and coming up, and people flagged by monitoring.
create table insight_team_today (
  council_id uuid not null references councils(id),
  team_id uuid,
  reviews_overdue integer not null,
  oldest_overdue_due_on date,
  reviews_due_next_30_days integer not null,
  flagged_people integer not null
);
create index insight_team_today_council on insight_team_today (council_id);

-- Monitoring flags on the as-at day, by team, check and level.
create table insight_flag_counts (
  council_id uuid not null references councils(id),
  team_id uuid,
  rule text not null,
  level text not null,
  flags integer not null
);
create index insight_flag_counts_council on insight_flag_counts (council_id);
`.execute(db);

  const canGrant = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (canGrant.rows[0]?.ok) {
    const tables = sql`insight_refreshes, insight_support_months, insight_spend_months, insight_one_off_months, insight_review_months,
      insight_first_payment_waits, insight_team_today, insight_flag_counts`;
    await sql`revoke all on ${tables} from dp_app`.execute(db);
    // Derived figures: the refresh deletes a council's rows and writes them again.
    await sql`grant select, insert, delete on ${tables} to dp_app`.execute(db);
    await sql`grant update on insight_refreshes to dp_app`.execute(db);
  }
}
