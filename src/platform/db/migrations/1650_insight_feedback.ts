import { sql, type Kysely } from 'kysely';

// Two more summary tables for the insight pages (features/insight/summaries.ts), like those of 1610:
// counts only, never a person or a comment; derived, so the job insight.refresh-summaries deletes a
// council's rows and writes them again.
// - insight_feedback_months: the feedback survey's answers (features/feedback) for the page "What
//   people told us": one row per team, month (of the answer, London time), question and answer;
//   `better` (the optional free-text question) is counted as 'wrote' or 'blank'.
// - insight_community_people_months: people, not services, for the community support share.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table insight_feedback_months (
  council_id uuid not null references councils(id),
  team_id uuid,
  month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
  after_as_at boolean not null,
  question text not null check (question in ('helps', 'easy', 'listened', 'better')),
  answer text not null,
  answers integer not null
);
create index insight_feedback_months_council on insight_feedback_months (council_id, month);

-- Adults with long-term community support, counted as ASCOF 3D parts 1a/2a count them (each
-- person once; 18 or over and alive on the day): measure 'any' is any such support (a direct
-- payment whose Client Level Data service type is 'Long term support: Community', or a weekly service
-- the council arranges), 'dp' such support as a direct payment. Each person's spells of support,
-- merged and cut to the days they are an adult and alive, start and stop by month (stopped: the
-- month of the day after the last day), so the people at any month's end are a running sum.
create table insight_community_people_months (
  council_id uuid not null references councils(id),
  team_id uuid,
  measure text not null check (measure in ('any', 'dp')),
  month text not null check (month ~ '^[0-9]{4}-[0-9]{2}$'),
  started integer not null,
  stopped integer not null
);
create index insight_community_people_months_council on insight_community_people_months (council_id, measure);
`.execute(db);

  const canGrant = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (canGrant.rows[0]?.ok) {
    await sql`revoke all on insight_feedback_months, insight_community_people_months from dp_app`.execute(db);
    await sql`grant select, insert, delete on insight_feedback_months, insight_community_people_months to dp_app`.execute(db);
  }
}
