import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { notify, registerTemplates } from '../../platform/notifications/index.ts';
import { translator, isLang, type Lang } from '../../platform/i18n/index.ts';
import { f } from '../../platform/http/validation.ts';
import { z } from 'zod';
import type { ContactKind, ContactRequestRow } from './queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

// The in-app message (and email) a person gets when the council replies, in English and Welsh:
// the words live in the contact catalogues, so a translator edits one place.
for (const lang of ['en', 'cy'] as const) {
  const t = translator(lang);
  registerTemplates({
    [`contact-reply-${lang}`]: { subject: t('contact:notify.replySubject'), body: t('contact:notify.replyBody') },
  });
}

export const MESSAGE_MAX = 5000;

/** The person's message; `t` gives the words in their language. */
export function messageSchema(t: (key: string, vars?: Record<string, unknown>) => string, kind: ContactKind | 'reply') {
  return z.object({
    message: f.text(t(`contact:errors.${kind}`), MESSAGE_MAX, t('contact:errors.tooLong', { max: MESSAGE_MAX })),
  });
}

export const staffReplySchema = z.object({
  message: f.text('Write your reply', MESSAGE_MAX, `Your reply must be ${MESSAGE_MAX} characters or fewer`),
});

/** A new request from the person (or their representative) about one of their direct payments. */
export async function askCouncil(
  trx: Db,
  args: { user: CurrentUser; dp: { id: string; person_id: string; council_id: string }; kind: ContactKind; message: string; ip?: string },
): Promise<string> {
  const row = await trx
    .insertInto('contact_requests')
    .values({ council_id: args.dp.council_id, person_id: args.dp.person_id, direct_payment_id: args.dp.id, kind: args.kind, message: args.message, created_by: args.user.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, { action: 'create', entityType: 'contact-request', entityId: row.id, personId: args.dp.person_id, details: { kind: args.kind } }, args.ip);
  return row.id;
}

/**
 * Adds a message to the thread. From the council it marks the request answered and tells whoever
 * asked (in-app, in their language); from the person it puts the request back in the inbox as waiting.
 * The request row is locked first, so two replies at once are both kept and the status ends right.
 */
export async function addReply(trx: Db, args: { user: CurrentUser; request: ContactRequestRow; message: string; fromCouncil: boolean; today: string; ip?: string }): Promise<string> {
  const { request, user } = args;
  const locked = await trx.selectFrom('contact_requests').select(['status']).where('id', '=', request.id).forUpdate().executeTakeFirstOrThrow();
  const reply = await trx
    .insertInto('contact_request_replies')
    .values({ request_id: request.id, author_id: user.id, from_council: args.fromCouncil, message: args.message })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A message on a closed request opens it again: the conversation is never a dead end.
  await trx
    .updateTable('contact_requests')
    .set({ status: args.fromCouncil ? 'answered' : 'waiting', last_activity_at: sql`now()`, closed_at: null, closed_by: null })
    .where('id', '=', request.id)
    .execute();
  await audit(trx, user, { action: 'create', entityType: 'contact-reply', entityId: reply.id, personId: request.person_id, details: { requestId: request.id, fromCouncil: args.fromCouncil, wasStatus: locked.status } }, args.ip);
  if (args.fromCouncil) {
    // Whoever asked, while they may still read the person's record (a representative's authority
    // can end); otherwise the person, if they sign in; otherwise nobody is told.
    const toUserId = (await mayStillRead(trx, request.created_by, request.person_id, args.today)) ? request.created_by : (await personUserId(trx, request.person_id));
    if (!toUserId) return reply.id;
    const asker = await trx
      .selectFrom('users')
      .innerJoin('councils', 'councils.id', 'users.council_id')
      .select(['users.id', 'users.preferred_language', 'councils.first_language', 'councils.name as council_name'])
      .where('users.id', '=', toUserId)
      .executeTakeFirstOrThrow();
    const lang: Lang = isLang(asker.preferred_language) ? asker.preferred_language : isLang(asker.first_language) ? asker.first_language : 'en';
    const t = translator(lang);
    await notify(trx, {
      councilId: request.council_id,
      templateId: `contact-reply-${lang}`,
      reference: `contact-reply:${reply.id}`,
      toUserId: asker.id,
      link: `/my/contact/${request.id}`,
      personalisation: { council: asker.council_name, kind: t(`contact:kinds.${request.kind}.inMessage`), reference: request.dp_reference },
    });
  }
  return reply.id;
}

/** Whether a recipient or representative may read this person's record today. */
export async function mayStillRead(trx: Db, userId: string, personId: string, today: string): Promise<boolean> {
  const own = await trx.selectFrom('people').select('id').where('id', '=', personId).where('user_id', '=', userId).executeTakeFirst();
  if (own) return true;
  const acting = await trx
    .selectFrom('representatives')
    .select('person_id')
    .where('user_id', '=', userId)
    .where('person_id', '=', personId)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .executeTakeFirst();
  return !!acting;
}

async function personUserId(trx: Db, personId: string): Promise<string | null> {
  const row = await trx.selectFrom('people').select('user_id').where('id', '=', personId).executeTakeFirst();
  return row?.user_id ?? null;
}

export async function closeRequest(trx: Db, args: { user: CurrentUser; request: ContactRequestRow; ip?: string }): Promise<void> {
  await trx
    .updateTable('contact_requests')
    .set({ status: 'closed', closed_at: sql`now()`, closed_by: args.user.id, last_activity_at: sql`now()` })
    .where('id', '=', args.request.id)
    .where('status', '<>', 'closed')
    .execute();
  await audit(trx, args.user, { action: 'update', entityType: 'contact-request', entityId: args.request.id, personId: args.request.person_id, details: { closed: true } }, args.ip);
}
