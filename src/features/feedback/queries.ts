import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { visiblePersonIds } from '../../platform/permissions.ts';
import { addDays } from '../../domain/dates.ts';
import { OFFER_DAYS, QUESTIONS, POSITIVE, type Moment, type Question } from './questions.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type FeedbackOffer = {
  directPaymentId: string;
  councilId: string;
  personId: string;
  personName: string;
  reference: string;
  moment: Moment;
  momentKey: string;
  /** The day of the moment: the first payment, or the day the review was recorded. */
  on: string;
};

/**
 * Every moment of the last OFFER_DAYS days not yet answered, for some direct payments: the first
 * payment, and each review (or one-off check-back) recorded.
 */
async function openMoments(db: Db, today: string, where: { personIds?: string[]; councilId?: string }): Promise<FeedbackOffer[]> {
  const since = addDays(today, -OFFER_DAYS);
  const scope = where.personIds
    ? sql`dp.person_id = any(${where.personIds}::uuid[])`
    : sql`dp.council_id = ${where.councilId!}::uuid`;
  const rows = await sql<{ direct_payment_id: string; council_id: string; person_id: string; person_name: string; reference: string; moment: Moment; moment_key: string; on: string }>`
    with moments as (
      select dp.id as direct_payment_id, 'first_payment'::text as moment, 'first_payment'::text as moment_key, dp.first_payment_on as on
      from direct_payments dp
      where ${scope} and dp.first_payment_on between ${since}::date and ${today}::date
      union all
      select dp.id, 'review', 'review:' || r.id::text, r.completed_on
      from reviews r join direct_payments dp on dp.id = r.direct_payment_id
      where ${scope} and r.completed_on between ${since}::date and ${today}::date
    )
    select m.direct_payment_id, dp.council_id, dp.person_id, p.given_name || ' ' || p.family_name as person_name, dp.reference,
           m.moment, m.moment_key, m.on
    from moments m
    join direct_payments dp on dp.id = m.direct_payment_id
    join people p on p.id = dp.person_id
    where not exists (select 1 from feedback_responses f where f.direct_payment_id = m.direct_payment_id and f.moment_key = m.moment_key)
    order by m.on desc, m.moment_key`.execute(db);
  return rows.rows.map((r) => ({
    directPaymentId: r.direct_payment_id,
    councilId: r.council_id,
    personId: r.person_id,
    personName: r.person_name,
    reference: r.reference,
    moment: r.moment,
    momentKey: r.moment_key,
    on: r.on,
  }));
}

/** The survey moments open to this recipient or representative now, newest first. Staff have none. */
export async function openFeedbackFor(db: Db, user: CurrentUser, today: string): Promise<FeedbackOffer[]> {
  const scope = await visiblePersonIds(db, user, today);
  if (scope === 'council' || scope.length === 0) return [];
  return openMoments(db, today, { personIds: scope });
}

/** Every open moment in a council with the users (the person, their representatives) to invite. */
export async function openFeedbackInCouncil(db: Db, councilId: string, today: string) {
  const offers = await openMoments(db, today, { councilId });
  if (!offers.length) return [];
  const personIds = [...new Set(offers.map((o) => o.personId))];
  const [own, reps] = await Promise.all([
    db.selectFrom('people').innerJoin('users', 'users.id', 'people.user_id').select(['people.id as person_id', 'users.id as user_id']).where('people.id', '=', sql<string>`any(${personIds}::uuid[])`).where('users.active', '=', true).execute(),
    db
      .selectFrom('representatives')
      .innerJoin('users', 'users.id', 'representatives.user_id')
      .select(['representatives.person_id', 'users.id as user_id'])
      .where('representatives.person_id', '=', sql<string>`any(${personIds}::uuid[])`)
      .where('users.active', '=', true)
      .where('representatives.starts_on', '<=', today)
      .where((eb) => eb.or([eb('representatives.ends_on', 'is', null), eb('representatives.ends_on', '>=', today)]))
      .execute(),
  ]);
  const usersOf = new Map<string, string[]>();
  for (const r of [...own, ...reps]) {
    const list = usersOf.get(r.person_id) ?? [];
    list.push(r.user_id);
    usersOf.set(r.person_id, list);
  }
  return offers.flatMap((o) => (usersOf.get(o.personId) ?? []).map((userId) => ({ ...o, userId })));
}

export type FeedbackAnswers = { helps: string; easy: string; listened: string; better: string };

/** Stores one answer for the moment; a second answer to the same moment is refused quietly (created: false). */
export async function saveFeedback(
  db: Db,
  offer: FeedbackOffer,
  answers: FeedbackAnswers,
  by: { role: 'recipient' | 'representative'; language: 'en' | 'cy' },
): Promise<{ created: boolean; id: string | null }> {
  const row = await db
    .insertInto('feedback_responses')
    .values({
      council_id: offer.councilId,
      direct_payment_id: offer.directPaymentId,
      moment: offer.moment,
      moment_key: offer.momentKey,
      helps: answers.helps,
      easy: answers.easy,
      listened: answers.listened,
      better: answers.better || null,
      answered_as: by.role,
      language: by.language,
    })
    .onConflict((oc) => oc.columns(['direct_payment_id', 'moment_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return { created: !!row, id: row?.id ?? null };
}

export type SummaryFilters = { from: string; to: string; moment: Moment | '' };

/** Counts per answer to each question for the council, with the share that were positive, and the latest comments. */
export async function feedbackSummary(db: Db, councilId: string, filters: SummaryFilters) {
  let q = db
    .selectFrom('feedback_responses')
    .where('council_id', '=', councilId)
    .where(sql<boolean>`(created_at at time zone 'Europe/London')::date between ${filters.from}::date and ${filters.to}::date`);
  if (filters.moment) q = q.where('moment', '=', filters.moment);
  const rows = await q.select(['helps', 'easy', 'listened', 'moment']).execute();
  const total = rows.length;
  const questions = (Object.keys(QUESTIONS) as Question[]).map((question) => {
    const counts = QUESTIONS[question].map((answer) => {
      const n = rows.filter((r) => r[question] === answer).length;
      return { answer, count: n, percent: total ? Math.round((n * 100) / total) : 0 };
    });
    const positive = rows.filter((r) => POSITIVE[question].includes(r[question])).length;
    return { question, counts, positive, positivePercent: total ? Math.round((positive * 100) / total) : 0 };
  });
  const comments = await q.select(['better', 'created_at', 'moment']).where('better', 'is not', null).orderBy('created_at', 'desc').limit(20).execute();
  return { total, questions, comments };
}
