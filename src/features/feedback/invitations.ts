import type { Services } from '../../platform/services.ts';
import { notify, registerTemplates } from '../../platform/notifications/index.ts';
import { formatDateIn } from '../../platform/i18n/index.ts';
import { addDays } from '../../domain/dates.ts';
import { openFeedbackInCouncil } from './queries.ts';
import { OFFER_DAYS, slugOf } from './questions.ts';

// The daily job `feedback.invitations`: for every moment of the last 90 days not yet answered
// (a first payment, a review recorded), invite the person and their representatives, in the app
// (and by email if they gave one), once: the reference is
// `feedback-invitation:<direct payment>:<moment>:<user>`. In Welsh where that is their language.

export const FEEDBACK_TEMPLATES = {
  'feedback-after-first-payment': {
    subject: 'How is your direct payment going?',
    body: 'The first payment for direct payment ((reference)) was made on ((date)). We would like to know how it is going: there are 4 short questions, and it takes about a minute.',
  },
  'feedback-after-first-payment.cy': {
    subject: 'Sut mae eich taliad uniongyrchol yn mynd?',
    body: 'Cafodd y taliad cyntaf ar gyfer taliad uniongyrchol ((reference)) ei wneud ar ((dyddiad)). Hoffem wybod sut mae pethau’n mynd: mae 4 cwestiwn byr, ac mae’n cymryd tua munud.',
  },
  'feedback-after-review': {
    subject: 'How did the review go?',
    body: 'Direct payment ((reference)) was reviewed on ((date)). We would like to know how it is going: there are 4 short questions, and it takes about a minute.',
  },
  'feedback-after-review.cy': {
    subject: 'Sut aeth yr adolygiad?',
    body: 'Cafodd taliad uniongyrchol ((reference)) ei adolygu ar ((dyddiad)). Hoffem wybod sut mae pethau’n mynd: mae 4 cwestiwn byr, ac mae’n cymryd tua munud.',
  },
};
registerTemplates(FEEDBACK_TEMPLATES);

export function invitationReference(directPaymentId: string, momentKey: string, userId: string): string {
  return `feedback-invitation:${directPaymentId}:${momentKey}:${userId}`;
}

export async function sendFeedbackInvitations(services: Services, today: string): Promise<{ processed: number }> {
  const { db } = services;
  let processed = 0;
  const councils = await db.selectFrom('councils').select('id').execute();
  for (const council of councils) {
    const invites = await openFeedbackInCouncil(db, council.id, today);
    if (!invites.length) continue;
    // Those already invited are skipped without a query each.
    const sent = await db
      .selectFrom('notifications')
      .select('reference')
      .where('council_id', '=', council.id)
      .where('reference', 'like', 'feedback-invitation:%')
      .where('created_at', '>=', new Date(`${addDays(today, -OFFER_DAYS - 7)}T00:00:00Z`))
      .execute();
    const done = new Set(sent.map((s) => s.reference));
    const todo = invites.filter((i) => !done.has(invitationReference(i.directPaymentId, i.momentKey, i.userId)));
    for (let i = 0; i < todo.length; i += 200) {
      await db.transaction().execute(async (trx) => {
        for (const invite of todo.slice(i, i + 200)) {
          const { created } = await notify(trx, {
            councilId: invite.councilId,
            templateId: invite.moment === 'review' ? 'feedback-after-review' : 'feedback-after-first-payment',
            reference: invitationReference(invite.directPaymentId, invite.momentKey, invite.userId),
            toUserId: invite.userId,
            link: `/my/feedback/${invite.directPaymentId}/${slugOf(invite.momentKey)}`,
            personalisation: { reference: invite.reference, date: formatDateIn('en', invite.on), dyddiad: formatDateIn('cy', invite.on) },
          });
          if (created) processed += 1;
        }
      });
    }
  }
  return { processed };
}
