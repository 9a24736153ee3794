import { sql, type Kysely } from 'kysely';

// Contact requests (a question, a change, a new idea, a reassessment) with their replies, and
// complaints with their statutory deadlines (domain/complaint-deadlines.ts). Replies and the
// history of a complaint are append-only: a thread or a complaint's path can be added to, never
// rewritten.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table contact_requests (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  person_id uuid not null references people(id),
  direct_payment_id uuid not null references direct_payments(id),
  kind text not null check (kind in ('question', 'change', 'idea', 'reassessment')),
  message text not null check (length(message) between 1 and 5000),
  -- waiting: for the council to answer; answered: the council has replied; closed: finished.
  status text not null default 'waiting' check (status in ('waiting', 'answered', 'closed')),
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  last_activity_at timestamptz not null default now(),
  closed_at timestamptz,
  closed_by uuid references users(id),
  check ((status = 'closed') = (closed_at is not null))
);
create index contact_requests_inbox on contact_requests (council_id, created_at) where status <> 'closed';
create index contact_requests_person on contact_requests (person_id, created_at);
create index contact_requests_direct_payment on contact_requests (direct_payment_id, created_at);

create table contact_request_replies (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references contact_requests(id),
  author_id uuid not null references users(id),
  from_council boolean not null,
  message text not null check (length(message) between 1 and 5000),
  created_at timestamptz not null default now()
);
create index contact_request_replies_request on contact_request_replies (request_id, created_at);

create sequence complaint_reference_seq;
create table complaints (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique default ('C-' || lpad(nextval('complaint_reference_seq')::text, 6, '0')),
  council_id uuid not null references councils(id),
  person_id uuid not null references people(id),
  direct_payment_id uuid references direct_payments(id),
  received_on date not null,
  received_by text not null check (received_by in ('online', 'phone', 'letter', 'email', 'in_person')),
  summary text not null check (length(summary) between 1 and 5000),
  wanted_outcome text not null default '' check (length(wanted_outcome) <= 5000),
  stage text not null default 'stage_1' check (stage in ('stage_1', 'stage_2', 'ombudsman')),
  -- The day the current stage began: the complaint's receipt, or the request for the next stage.
  stage_started_on date not null,
  -- The current stage's deadlines; none while the Ombudsman has the complaint (it sets its own).
  acknowledge_by date,
  acknowledged_on date,
  respond_by date,
  -- A response date agreed with the person (England, 2009 Regulations reg 13(3)).
  respond_by_agreed boolean not null default false,
  responded_on date,
  outcome text check (outcome in ('upheld', 'partly_upheld', 'not_upheld', 'withdrawn')),
  response_summary text check (length(response_summary) <= 5000),
  remedy text check (length(remedy) <= 5000),
  closed_on date,
  logged_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (stage = 'ombudsman' or (acknowledge_by is not null and respond_by is not null)),
  check (received_on <= stage_started_on),
  check (acknowledged_on is null or acknowledged_on >= stage_started_on),
  check (responded_on is null or responded_on >= stage_started_on),
  check (responded_on is null or outcome is not null)
);
create index complaints_open on complaints (council_id, respond_by) where closed_on is null;
create index complaints_person on complaints (person_id, received_on);

-- What happened to a complaint, step by step, with the deadlines as they were: an escalation
-- replaces the current stage's dates on the complaint, never its history.
create table complaint_events (
  id uuid primary key default gen_random_uuid(),
  complaint_id uuid not null references complaints(id),
  event text not null check (event in ('received', 'acknowledged', 'responded', 'escalated', 'closed', 'reopened')),
  stage text not null check (stage in ('stage_1', 'stage_2', 'ombudsman')),
  happened_on date not null,
  details jsonb not null default '{}',
  recorded_by uuid not null references users(id),
  created_at timestamptz not null default now()
);
create index complaint_events_complaint on complaint_events (complaint_id, created_at);

create trigger contact_request_replies_append_only before update or delete on contact_request_replies for each row execute function refuse_change();
create trigger contact_request_replies_no_truncate before truncate on contact_request_replies for each statement execute function refuse_change();
create trigger complaint_events_append_only before update or delete on complaint_events for each row execute function refuse_change();
create trigger complaint_events_no_truncate before truncate on complaint_events for each statement execute function refuse_change();
`.execute(db);

  // The app adds and reads; requests and complaints change state but are never deleted.
  const hasAppRole = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (hasAppRole.rows[0]?.ok) {
    await sql`
revoke all on contact_requests, contact_request_replies, complaints, complaint_events from dp_app;
grant select, insert, update on contact_requests, complaints to dp_app;
grant select, insert on contact_request_replies, complaint_events to dp_app;
grant usage, select on sequence complaint_reference_seq to dp_app;
`.execute(db);
  }
}
