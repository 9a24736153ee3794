import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { canSeePerson, isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const CONTACT_KINDS = ['question', 'change', 'idea', 'reassessment'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export type ContactStatus = 'waiting' | 'answered' | 'closed';

/** Staff-facing names of the kinds (recipient pages use the contact namespace's words). */
export const KIND_NAMES: Record<ContactKind, string> = {
  question: 'Question',
  change: 'Asks for a change',
  idea: 'A new idea',
  reassessment: 'Asks for a reassessment',
};

/**
 * A contact request with its person, or a 404 when the user may not see it: staff of the person's
 * council, the person themself, or a representative acting for them now. Unknown and forbidden look alike.
 */
export async function requestFor(db: Db, user: CurrentUser, requestId: string, today: string) {
  if (!isUuid(requestId)) notFound();
  const row = await db
    .selectFrom('contact_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .innerJoin('direct_payments as d', 'd.id', 'r.direct_payment_id')
    .innerJoin('councils as c', 'c.id', 'r.council_id')
    .selectAll('r')
    .select(['p.given_name', 'p.family_name', 'p.reference as person_reference', 'd.reference as dp_reference', 'c.name as council_name', 'c.jurisdiction'])
    .where('r.id', '=', requestId)
    .executeTakeFirst();
  if (!row) notFound();
  if (!(await canSeePerson(db, user, row.person_id, today))) notFound();
  return { ...row, kind: row.kind as ContactKind, status: row.status as ContactStatus, personName: `${row.given_name} ${row.family_name}` };
}

export type ContactRequestRow = Awaited<ReturnType<typeof requestFor>>;

/** The thread: the first message, then every reply, oldest first, with who wrote each. */
export async function threadOf(db: Db, request: Pick<ContactRequestRow, 'id' | 'message' | 'created_at' | 'created_by'>) {
  const replies = await db
    .selectFrom('contact_request_replies as m')
    .innerJoin('users as u', 'u.id', 'm.author_id')
    .select(['m.id', 'm.message', 'm.created_at', 'm.from_council', 'm.author_id', 'u.display_name'])
    .where('m.request_id', '=', request.id)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  const first = await db.selectFrom('users').select('display_name').where('id', '=', request.created_by).executeTakeFirstOrThrow();
  return [
    { id: request.id, message: request.message, created_at: request.created_at, from_council: false, author_id: request.created_by, display_name: first.display_name },
    ...replies,
  ];
}

/** The staff inbox: every request of the council not yet closed, oldest first. */
export async function inbox(db: Db, councilId: string) {
  return db
    .selectFrom('contact_requests as r')
    .innerJoin('people as p', 'p.id', 'r.person_id')
    .select(['r.id', 'r.kind', 'r.status', 'r.created_at', 'r.last_activity_at', 'p.given_name', 'p.family_name', 'p.reference as person_reference'])
    .where('r.council_id', '=', councilId)
    .where('r.status', '<>', 'closed')
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(500)
    .execute();
}

/** A direct payment's requests, newest first, for the person's own contact page. */
export async function requestsForDirectPayment(db: Db, directPaymentId: string) {
  return db
    .selectFrom('contact_requests')
    .select(['id', 'kind', 'status', 'message', 'created_at', 'last_activity_at'])
    .where('direct_payment_id', '=', directPaymentId)
    .orderBy('created_at', 'desc')
    .execute();
}
