import type { Database } from '../../platform/db/database.ts';
import type { RepresentativeKind } from '../../domain/who-can-receive.ts';

/**
 * Everything shown on a person's record page. Plans, direct payments and reviews belong to other
 * features; the record only lists them and links to their pages.
 */
export async function loadRecord(db: Database, personId: string) {
  const [contacts, representatives, advocacy, information, conversations, plans, directPayments, reviews] = await Promise.all([
    db.selectFrom('contacts').selectAll().where('person_id', '=', personId).orderBy('created_at').execute(),
    db.selectFrom('representatives').selectAll().where('person_id', '=', personId).orderBy('starts_on').orderBy('created_at').execute(),
    db
      .selectFrom('advocacy')
      .select(['id', 'offered_on', 'accepted', 'advocate_name', 'organisation', 'notes'])
      .where('person_id', '=', personId)
      .orderBy('offered_on', 'desc')
      .execute(),
    db
      .selectFrom('information_given')
      .innerJoin('users', 'users.id', 'information_given.recorded_by')
      .select(['information_given.id', 'information_given.given_on', 'information_given.format', 'users.display_name as recorded_by'])
      .where('information_given.person_id', '=', personId)
      .orderBy('information_given.given_on', 'desc')
      .execute(),
    db
      .selectFrom('conversations')
      .innerJoin('users', 'users.id', 'conversations.practitioner_id')
      .select(['conversations.id', 'conversations.held_on', 'conversations.status', 'conversations.eligible', 'users.display_name as practitioner'])
      .where('conversations.person_id', '=', personId)
      .orderBy('conversations.held_on', 'desc')
      .orderBy('conversations.created_at', 'desc')
      .execute(),
    db
      .selectFrom('care_plans')
      .select(['id', 'kind', 'status', 'agreed_on', 'created_at'])
      .where('person_id', '=', personId)
      .orderBy('created_at', 'desc')
      .execute(),
    db
      .selectFrom('direct_payments')
      .select(['id', 'reference', 'kind', 'status', 'purpose'])
      .where('person_id', '=', personId)
      .orderBy('created_at', 'desc')
      .execute(),
    db
      .selectFrom('reviews')
      .innerJoin('direct_payments', 'direct_payments.id', 'reviews.direct_payment_id')
      .select(['reviews.id', 'reviews.kind', 'reviews.due_on', 'reviews.completed_on', 'direct_payments.id as direct_payment_id', 'direct_payments.reference'])
      .where('direct_payments.person_id', '=', personId)
      .orderBy('reviews.due_on', 'desc')
      .execute(),
  ]);
  return {
    contacts,
    representatives: representatives.map((r) => ({ ...r, kind: r.kind as RepresentativeKind })),
    advocacy,
    information,
    conversations,
    plans,
    directPayments,
    reviews,
    canStartPlan: conversations.some((c) => c.status === 'completed' && c.eligible === true),
  };
}
