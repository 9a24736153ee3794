import { sql, type Kysely } from 'kysely';

// What a review changed (more, less or different support), with the new weekly amount and the
// day it starts when the money changes too; and the short feedback survey people answer after
// key moments (their first payment, a review), which the reports count.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table review_changes (
  review_id uuid primary key references reviews(id),
  direct_payment_id uuid not null references direct_payments(id),
  -- The plan the direct payment meets, which now needs revising to match.
  plan_id uuid references care_plans(id),
  change text not null check (change in ('more', 'less', 'different')),
  what_changed text not null check (length(what_changed) between 1 and 2000),
  -- When the weekly amount changes: before, after and from (a new rate on the payment schedule).
  weekly_amount_before_pence bigint check (weekly_amount_before_pence >= 0),
  weekly_amount_after_pence bigint check (weekly_amount_after_pence > 0),
  effective_from date,
  created_by uuid not null references users(id),
  created_at timestamptz not null default now(),
  check ((weekly_amount_after_pence is null) = (effective_from is null))
);
create index review_changes_direct_payment on review_changes(direct_payment_id);

-- The four-question survey. One answer per direct payment and moment; nothing about who answered
-- beyond whether it was the person or their representative.
create table feedback_responses (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references councils(id),
  direct_payment_id uuid not null references direct_payments(id),
  -- first_payment: after the first payment; review: after a review or a one-off's check-back.
  moment text not null check (moment in ('first_payment', 'review')),
  -- Which moment exactly: 'first_payment', or 'review:<review id>'.
  moment_key text not null check (length(moment_key) <= 100),
  -- 1. Is your direct payment helping you to live the life you want?
  helps text not null check (helps in ('a_lot', 'a_little', 'not_really', 'not_at_all')),
  -- 2. How easy is it to manage?
  easy text not null check (easy in ('very_easy', 'fairly_easy', 'fairly_hard', 'very_hard')),
  -- 3. Did we listen to what matters to you?
  listened text not null check (listened in ('yes', 'mostly', 'not_really', 'no')),
  -- 4. What one thing could we do better? (optional)
  better text check (better is null or length(better) between 1 and 1000),
  answered_as text not null check (answered_as in ('recipient', 'representative')),
  language text not null check (language in ('en', 'cy')),
  created_at timestamptz not null default now(),
  unique (direct_payment_id, moment_key)
);
create index feedback_responses_council on feedback_responses(council_id, created_at);

create trigger feedback_responses_append_only before update or delete on feedback_responses for each row execute function refuse_change();
`.execute(db);

  await sql`
do $$ begin
  if exists (select 1 from pg_roles where rolname = 'dp_app') then
    revoke update, delete, truncate on review_changes, feedback_responses from dp_app;
  end if;
end $$;
`.execute(db);
}
