import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import { personFor } from '../people/access.ts';

/** The conversation, its person and its outcomes, or a 404 when it is unknown or not the user's to see. */
export async function conversationFor(db: Database, user: CurrentUser, conversationId: string, today: string) {
  if (!isUuid(conversationId)) notFound();
  const conversation = await db
    .selectFrom('conversations')
    .innerJoin('users', 'users.id', 'conversations.practitioner_id')
    .selectAll('conversations')
    .select('users.display_name as practitioner')
    .where('conversations.id', '=', conversationId)
    .executeTakeFirst();
  if (!conversation) notFound();
  const person = await personFor(db, user, conversation.person_id, today);
  const outcomes = await db
    .selectFrom('conversation_outcomes')
    .select(['outcome', 'unable', 'reason'])
    .where('conversation_id', '=', conversation.id)
    .execute();
  return { conversation, person, outcomes };
}

export type LoadedConversation = Awaited<ReturnType<typeof conversationFor>>;
export type Conversation = LoadedConversation['conversation'];

/** The person's contacts who are willing and able to give informal support, as a reminder while writing about it. */
export async function willingContacts(db: Database, personId: string) {
  return db
    .selectFrom('contacts')
    .select(['name', 'relationship', 'notes'])
    .where('person_id', '=', personId)
    .where('gives_informal_support', '=', true)
    .where('willing_and_able', '=', true)
    .orderBy('created_at')
    .execute();
}
