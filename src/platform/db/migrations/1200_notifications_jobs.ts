import { sql, type Kysely } from 'kysely';
import { getConstructionPlans } from 'pg-boss';

// Notifications (GOV.UK Notify-shaped): every message the service sends, to a user in the app and
// by email, is one row of this outbox first. The default client sends nothing out; administrators
// read the outbox at /admin/outbox. `reference` is the idempotency key: one message per reference.
//
// Background jobs run on pg-boss in its own schema `pgboss`, installed here as the owner so that
// the app never needs to create schemas at start-up (and every test database, copied from the
// migrated template, already has it). pg-boss connects as the owner, never as dp_app; dp_app gets
// no rights on that schema. Later pg-boss versions migrate their own schema when they start.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table notifications (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  template_id text not null check (length(template_id) between 1 and 100),
  -- The idempotency key: the same reference is recorded once per council, however often asked.
  reference text not null check (length(reference) between 1 and 200),
  -- In-app: shown to this user at /notifications.
  to_user_id uuid references users(id),
  email_address text check (email_address is null or email_address like '%_@_%'),
  subject text not null,
  body text not null,
  personalisation jsonb not null default '{}'::jsonb,
  -- In-app only: where in the service the message leads (a path, never personal data).
  link text check (link is null or link ~ '^/[A-Za-z0-9/_?=&.-]*$'),
  -- none: no email to send; recorded: kept in the outbox only (the default client); sent / failed:
  -- what a real email client reported.
  email_status text not null default 'none' check (email_status in ('none', 'recorded', 'sent', 'failed')),
  email_sent_at timestamptz,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  unique (council_id, reference),
  check (to_user_id is not null or email_address is not null)
);
create index notifications_inbox on notifications(to_user_id, created_at desc) where to_user_id is not null;
create index notifications_outbox on notifications(council_id, created_at desc);

-- Each run of a background job, however it was started (pg-boss's schedule, dp jobs run, a test).
create table job_runs (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  trigger text not null check (trigger in ('schedule', 'cli', 'test')),
  run_for date not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  processed integer check (processed >= 0),
  error text
);
create index job_runs_by_name on job_runs(name, started_at desc);
`.execute(db);

  // Least privilege for the app's role (where 0002 could create it): messages are never removed,
  // and only their read and delivery state changes.
  await sql`
do $$ begin
  if exists (select 1 from pg_roles where rolname = 'dp_app') then
    revoke update, delete, truncate on notifications, job_runs from dp_app;
    grant update (read_at, email_status, email_sent_at) on notifications to dp_app;
    grant update (finished_at, processed, error) on job_runs to dp_app;
  end if;
end $$;
`.execute(db);

  // pg-boss's own tables. Its plan is one transaction of its own; this migration already runs in
  // one, so its outer BEGIN and COMMIT are left out.
  const installed = await sql<{ ok: boolean }>`select exists (select 1 from pg_namespace where nspname = 'pgboss') as ok`.execute(db);
  if (!installed.rows[0]?.ok) {
    const whole = getConstructionPlans('pgboss').trim();
    if (!whole.startsWith('BEGIN;') || !whole.endsWith('COMMIT;')) throw new Error('pg-boss changed the shape of its install plan');
    const plan = whole.slice('BEGIN;'.length, -'COMMIT;'.length);
    await sql.raw(plan).execute(db);
    await sql`revoke all on schema pgboss from public`.execute(db);
  }
}
