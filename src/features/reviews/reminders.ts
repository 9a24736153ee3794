import { sql } from 'kysely';
import type { Services } from '../../platform/services.ts';
import { notify, registerTemplates } from '../../platform/notifications/index.ts';
import { addDays, daysBetween, formatDate } from '../../domain/dates.ts';
import { REVIEW_KIND_NAMES, type ReviewKind } from '../../domain/review-dates.ts';
import { formatDateIn } from '../../platform/i18n/index.ts';

// Reminders about reviews, sent by the daily job `reviews.reminders`:
// - due_soon: the review is due within REMINDER_DAYS_BEFORE days;
// - overdue: the due date has passed and it is not recorded.
// Both go to the person's practitioner (or, with no practitioner, to every manager of the
// council), in the app and by email.
// - coming_up: to the person themself (and their representatives), within 28 days of a regular
//   review or check-back, in their language: what a review is, and that we will be in touch.
// Each is recorded once per review, kind and recipient: the notification's reference
// `review-reminder:<review>:<kind>:<user>` is the idempotency key, so the job may run any number
// of times, or twice at once. The words carry references, never names: the outbox is read by
// administrators, and emails leave the service.

export const REMINDER_DAYS_BEFORE = 28;
export const REMINDER_KINDS = ['due_soon', 'overdue', 'coming_up'] as const;
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

export const PERSON_TEMPLATES = {
  'review-coming-up': {
    subject: 'Your direct payment review is coming up',
    body: [
      'Direct payment ((direct payment)) is due to be reviewed by ((date)).',
      '',
      'A review is a conversation about what is working, what is not, and whether anything should change. Your social worker will get in touch to arrange it. You can ask for someone to be with you.',
    ].join('\n'),
  },
  'review-coming-up.cy': {
    subject: 'Mae adolygiad eich taliad uniongyrchol yn dod',
    body: [
      'Mae taliad uniongyrchol ((direct payment)) i fod i gael ei adolygu erbyn ((dyddiad)).',
      '',
      'Sgwrs yw adolygiad am beth sy’n gweithio, beth sydd ddim, ac a ddylai unrhyw beth newid. Bydd eich gweithiwr cymdeithasol yn cysylltu â chi i’w drefnu. Gallwch ofyn i rywun fod gyda chi.',
    ].join('\n'),
  },
};
registerTemplates(PERSON_TEMPLATES);

const TEMPLATE_FOR: Record<'due_soon' | 'overdue', keyof typeof REVIEW_TEMPLATES> = { due_soon: 'review-due-soon', overdue: 'review-overdue' };

export function reminderReference(reviewId: string, kind: ReminderKind, userId: string): string {
  return `review-reminder:${reviewId}:${kind}:${userId}`;
}

/** The reminder a review needs on a day, if any. Pure, for the tests of the rule. */
export function reminderKindOn(dueOn: string, today: string): 'due_soon' | 'overdue' | null {
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
  // Open reviews due by the horizon, with whoever should hear about them; those already told
  // about this kind of reminder are skipped in the query (one pass), so a daily run reads little.
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
    ])
    .where('reviews.completed_on', 'is', null)
    .where('reviews.due_on', '<=', horizon)
    .where((eb) => eb.or([eb('dp.status', 'in', ['active', 'suspended']), eb('reviews.kind', '=', 'check_back')]))
    .orderBy('reviews.due_on')
    .execute();
  const candidates = rows.flatMap((r) => {
    const kind = reminderKindOn(r.due_on, today);
    return kind ? [{ ...r, kind, reference: reminderReference(r.review_id, kind, r.user_id) }] : [];
  });
  const done = await alreadyRecorded(db, candidates);
  const todo = candidates.filter((c) => !done.has(`${c.council_id}|${c.reference}`));
  // Recorded in short transactions of BATCH messages each.
  for (let i = 0; i < todo.length; i += BATCH) {
    await db.transaction().execute(async (trx) => {
      for (const r of todo.slice(i, i + BATCH)) {
        const kind = r.kind;
        const overdueDays = daysBetween(r.due_on, today);
        const { created } = await notify(trx, {
          councilId: r.council_id,
          templateId: TEMPLATE_FOR[kind],
          reference: r.reference,
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
  }
  return { processed: processed + (await tellPeople(services, today)) };
}

/**
 * The person's own reminder (coming_up): for regular reviews and check-backs due in the next 28
 * days and not yet past, to the person's own sign-in and their representatives' (active today).
 */
async function tellPeople(services: Services, today: string): Promise<number> {
  const { db } = services;
  const horizon = addDays(today, REMINDER_DAYS_BEFORE);
  const rows = await sql<{ review_id: string; due_on: string; dp_reference: string; council_id: string; user_id: string }>`
    select r.id as review_id, r.due_on, dp.reference as dp_reference, dp.council_id, u.id as user_id
    from reviews r
    join direct_payments dp on dp.id = r.direct_payment_id
    join people p on p.id = dp.person_id
    join users u on u.active and u.council_id = dp.council_id and (
      u.id = p.user_id
      or u.id in (select rep.user_id from representatives rep
                  where rep.person_id = p.id and rep.starts_on <= ${today}::date and (rep.ends_on is null or rep.ends_on >= ${today}::date)))
    where r.completed_on is null and r.kind in ('first', 'annual', 'check_back')
      and r.due_on between ${today}::date and ${horizon}::date
      and (dp.status in ('active', 'suspended') or r.kind = 'check_back')
    order by r.id, u.id`.execute(db);
  const candidates = rows.rows.map((r) => ({ ...r, reference: reminderReference(r.review_id, 'coming_up', r.user_id) }));
  const done = await alreadyRecorded(db, candidates);
  const todo = candidates.filter((c) => !done.has(`${c.council_id}|${c.reference}`));
  let created = 0;
  for (let i = 0; i < todo.length; i += BATCH) {
    await db.transaction().execute(async (trx) => {
      for (const r of todo.slice(i, i + BATCH)) {
        const result = await notify(trx, {
          councilId: r.council_id,
          templateId: 'review-coming-up',
          reference: r.reference,
          toUserId: r.user_id,
          link: '/my',
          personalisation: { 'direct payment': r.dp_reference, date: formatDate(r.due_on), dyddiad: formatDateIn('cy', r.due_on) },
        });
        if (result.created) created += 1;
      }
    });
  }
  return created;
}

/** Which of these references each council has recorded already, as 'council|reference'. */
async function alreadyRecorded(db: Services['db'], wanted: Array<{ council_id: string; reference: string }>): Promise<Set<string>> {
  const found = new Set<string>();
  const byCouncil = new Map<string, string[]>();
  for (const w of wanted) {
    const list = byCouncil.get(w.council_id) ?? [];
    list.push(w.reference);
    byCouncil.set(w.council_id, list);
  }
  for (const [councilId, references] of byCouncil) {
    for (let i = 0; i < references.length; i += 5000) {
      const rows = await db
        .selectFrom('notifications')
        .select('reference')
        .where('council_id', '=', councilId)
        .where('reference', '=', sql<string>`any(${references.slice(i, i + 5000)}::text[])`)
        .execute();
      for (const r of rows) found.add(`${councilId}|${r.reference}`);
    }
  }
  return found;
}
