import { sql, type Kysely } from 'kysely';

// A review records, for each outcome in the person's plan, whether it was met; and an extra review
// keeps who asked for it and why, so the reviewer knows what to look at.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table review_outcomes (
  review_id uuid not null references reviews(id),
  plan_item_id uuid not null references plan_items(id),
  met text not null check (met in ('met', 'partly', 'not_met')),
  primary key (review_id, plan_item_id)
);

alter table reviews
  add column raised_by uuid references users(id),
  add column raised_because text;

create index reviews_direct_payment on reviews(direct_payment_id);
`.execute(db);
}
