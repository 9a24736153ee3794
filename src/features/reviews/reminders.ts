import { sql } from 'kysely';
import type { Services } from '../../platform/services.ts';
import { notify, registerTemplates } from '../../platform/notifications/index.ts';
import { addDays, daysBetween, formatDate } from '../../domain/dates.ts';
import { REVIEW_KIND_NAMES, type ReviewKind } from '../../domain/review-dates.ts';

// Reminders about reviews, sent by the daily job `reviews.reminders`:
// - due_soon: the review is due within REMINDER_DAYS_BEFORE days;
// - overdue: the due date has passed and it is not recorded.
// Each goes to the person's practitioner (or, with no practitioner, to every manager of the
// council), in the app and by email, once per review, kind and recipient: the notification's
// reference `review-reminder:<review>:<kind>:<user>` is the idempotency key, so the job may run
// any number of times, or twice at once. The words carry references, never names: the outbox is
// read by administrators, and emails leave the service.

export const REMINDER_DAYS_BEFORE = 28;
export const REMINDER_KINDS = ['due_soon', 'overdue'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const REVIEW_TEMPLATES = {
  'review-due-soon': {
    subject: 'Review due by ((due date)): ((direct payment))',
    body: [
      'A ((review kind)) is due by ((due date)) for direct payment ((direct payment)) (person ((person reference))).',
      '',
      'Please arrange it with the person and record it in Manage direct payments, under Reviews due.',
    ].join('\n'),
  },
  'review-overdue': {
    subject: 'Review overdue: ((direct payment))',
    body: [
      'A ((review kind)) for direct payment ((direct payment)) (person ((person reference))) was due by ((due date)) and is now ((days overdue)) overdue.',
      '',
      'Please review it as soon as you can and record it in Manage direct payments, under Reviews due. If it cannot happen soon, tell the person why and when it will.',
    ].join('\n'),
  },
};
registerTemplates(REVIEW_TEMPLATES);

const TEMPLATE_FOR: Record<ReminderKind, keyof typeof REVIEW_TEMPLATES> = { due_soon: 'review-due-soon', overdue: 'review-overdue' };

export function reminderReference(reviewId: string, kind: ReminderKind, userId: string): string {
  return `review-reminder:${reviewId}:${kind}:${userId}`;
}

/** The reminder a review needs on a day, if any. Pure, for the tests of the rule. */
export function reminderKindOn(dueOn: string, today: string): ReminderKind | null {
  if (dueOn < today) return 'overdue';
  if (dueOn <= addDays(today, REMINDER_DAYS_BEFORE)) return 'due_soon';
  return null;
}

const BATCH = 500;

/**
 * Records every reminder now needed and not recorded before. Returns how many it recorded.
 * Reviews of direct payments that have ended are left alone, except a one-off's check-back.
 */
export async function sendReviewReminders(services: Services, today: string): Promise<{ processed: number }> {
  const { db } = services;
  const horizon = addDays(today, REMINDER_DAYS_BEFORE);
  let processed = 0;
  let after = '';
  for (;;) {
    // Open reviews due by the horizon, with whoever should hear about them; those already told
    // about this kind of reminder are skipped in the query, so a daily run reads little.
    const rows = await db
      .selectFrom('reviews')
      .innerJoin('direct_payments as dp', 'dp.id', 'reviews.direct_payment_id')
      .innerJoin('people', 'people.id', 'dp.person_id')
      .innerJoin('users as u', (join) =>
        join
          .on('u.council_id', '=', sql.ref('people.council_id'))
          .on('u.active', '=', true)
          .on((eb) =>
            eb.or([
              eb('u.id', '=', eb.ref('people.practitioner_id')),
              eb.and([
                eb('people.practitioner_id', 'is', null),
                eb('u.role', '=', 'manager'),
              ]),
            ]),
          ),
      )
      .select([
        'reviews.id as review_id', 'reviews.kind', 'reviews.due_on', 'dp.reference as dp_reference', 'dp.council_id',
        'people.reference as person_reference', 'u.id as user_id',
        sql<string>`reviews.id::text || ':' || u.id::text`.as('cursor'),
      ])
      .where('reviews.completed_on', 'is', null)
      .where('reviews.due_on', '<=', horizon)
      .where((eb) => eb.or([eb('dp.status', 'in', ['active', 'suspended']), eb('reviews.kind', '=', 'check_back')]))
      .where(sql<string>`reviews.id::text || ':' || u.id::text`, '>', after)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('notifications as n')
              .select(sql`1`.as('one'))
              .whereRef('n.council_id', '=', 'dp.council_id')
              .where(
                'n.reference',
                '=',
                sql<string>`'review-reminder:' || reviews.id::text || ':' || (case when reviews.due_on < ${today}::date then 'overdue' else 'due_soon' end) || ':' || u.id::text`,
              ),
          ),
        ),
      )
      .orderBy(sql`reviews.id::text || ':' || u.id::text`)
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const kind = reminderKindOn(r.due_on, today);
        if (!kind) continue;
        const overdueDays = daysBetween(r.due_on, today);
        const { created } = await notify(trx, {
          councilId: r.council_id,
          templateId: TEMPLATE_FOR[kind],
          reference: reminderReference(r.review_id, kind, r.user_id),
          toUserId: r.user_id,
          link: `/reviews/${r.review_id}`,
          personalisation: {
            'review kind': (REVIEW_KIND_NAMES[r.kind as ReviewKind] ?? 'review').toLowerCase(),
            'due date': formatDate(r.due_on),
            'direct payment': r.dp_reference,
            'person reference': r.person_reference,
            'days overdue': `${overdueDays} day${overdueDays === 1 ? '' : 's'}`,
          },
        });
        if (created) processed += 1;
      }
    });
    after = rows[rows.length - 1]!.cursor;
    if (rows.length < BATCH) break;
  }
  return { processed };
}
