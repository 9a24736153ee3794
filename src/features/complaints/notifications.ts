import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { notify, registerTemplates } from '../../platform/notifications/index.ts';
import { isLang, translator, type Lang } from '../../platform/i18n/index.ts';
import { isStaff, type Role } from '../../platform/auth/roles.ts';
import type { ComplaintRow } from './queries.ts';
import { mayStillRead } from '../contact/messages.ts';

type Db = Kysely<DB> | Transaction<DB>;

// In-app messages (and email) about the person's complaint, in English and Welsh; the words live in
// the complaints catalogues.
for (const lang of ['en', 'cy'] as const) {
  const t = translator(lang);
  registerTemplates({
    [`complaint-acknowledged-${lang}`]: { subject: t('complaints:notify.acknowledgedSubject'), body: t('complaints:notify.acknowledgedBody') },
    [`complaint-responded-${lang}`]: { subject: t('complaints:notify.respondedSubject'), body: t('complaints:notify.respondedBody') },
  });
}

/**
 * Tells whoever made the complaint online (the person or their representative), or else the person
 * if they have a sign-in, that it has been acknowledged or answered. Nobody to tell: nothing recorded.
 * The reference makes it once per stage and step, however often this runs.
 */
export async function tellPerson(trx: Db, k: ComplaintRow, what: 'acknowledged' | 'responded', reference: string, today: string): Promise<void> {
  const logger = await trx.selectFrom('users').select(['id', 'role']).where('id', '=', k.logged_by).executeTakeFirstOrThrow();
  // A representative is told only while they still act for the person; otherwise the person is.
  const toUserId = !isStaff(logger.role as Role) && (await mayStillRead(trx, logger.id, k.person_id, today)) ? logger.id : k.person_user_id;
  if (!toUserId) return;
  const to = await trx
    .selectFrom('users')
    .innerJoin('councils', 'councils.id', 'users.council_id')
    .select(['users.preferred_language', 'councils.first_language', 'councils.name as council_name'])
    .where('users.id', '=', toUserId)
    .executeTakeFirstOrThrow();
  const lang: Lang = isLang(to.preferred_language) ? to.preferred_language : isLang(to.first_language) ? to.first_language : 'en';
  await notify(trx, {
    councilId: k.council_id,
    templateId: `complaint-${what}-${lang}`,
    reference,
    toUserId,
    link: `/my/complaints/${k.id}`,
    personalisation: { council: to.council_name, reference: k.reference },
  });
}
