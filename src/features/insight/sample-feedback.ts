import { sql } from 'kysely';
import type { Db } from './figures.ts';

/**
 * Survey answers for a generated council (src/demo/generate.ts makes none), so the feedback page
 * has figures in the tests and the bench: for one direct payment in three with a first payment, an
 * answer 1–60 days after it (never after today), the answers picked deterministically from the row
 * number; one in four writes a comment. Set-based, one statement. Returns how many it wrote.
 */
export async function sampleFeedback(db: Db, councilId: string, today: string): Promise<number> {
  const r = await sql`
    insert into feedback_responses (council_id, direct_payment_id, moment, moment_key, helps, easy, listened, better, answered_as, language, created_at)
    select council_id, id, 'first_payment', 'first_payment',
      (array['a_lot', 'a_lot', 'a_little', 'not_really', 'not_at_all'])[1 + n % 5],
      (array['very_easy', 'fairly_easy', 'fairly_easy', 'fairly_hard', 'very_hard'])[1 + (n / 5) % 5],
      (array['yes', 'yes', 'mostly', 'not_really', 'no'])[1 + (n / 25) % 5],
      case when n % 4 = 0 then 'More help with the paperwork.' end,
      case when n % 7 = 0 then 'representative' else 'recipient' end, 'en',
      (answered_on + time '10:00') at time zone 'Europe/London'
    from (
      select d.council_id, d.id, row_number() over (order by d.id)::int as n, d.first_payment_on + (1 + (row_number() over (order by d.id))::int % 60) as answered_on
      from direct_payments d
      where d.council_id = ${councilId} and d.first_payment_on is not null
        and not exists (select 1 from feedback_responses f where f.direct_payment_id = d.id and f.moment_key = 'first_payment')
    ) x
    where n % 3 = 0 and answered_on <= ${today}::date`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
