import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { visiblePersonIds } from '../../platform/permissions.ts';
import { outcomesPaidFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { statementFor } from '../payments/statement.ts';
import { decisionNoticeFor } from '../panel/decision-notice.ts';
import { RECORDABLE_STATUSES } from '../spending/record-spending.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The people whose direct payments this recipient or representative may see, each with those
 * direct payments. Drafts are left out: they are the social worker's work in progress.
 */
export async function myDirectPayments(db: Db, user: CurrentUser, today: string) {
  const scope = await visiblePersonIds(db, user, today);
  if (scope === 'council' || scope.length === 0) return [];
  const rows = await db
    .selectFrom('people')
    .leftJoin('direct_payments', (j) => j.onRef('direct_payments.person_id', '=', 'people.id').on('direct_payments.status', '<>', 'draft'))
    .select([
      'people.id as person_id', 'people.given_name', 'people.family_name',
      'direct_payments.id', 'direct_payments.reference', 'direct_payments.kind', 'direct_payments.status', 'direct_payments.purpose',
    ])
    .where('people.id', 'in', scope)
    .orderBy('people.given_name')
    .orderBy('direct_payments.created_at', 'desc')
    .execute();
  const people = new Map<string, { id: string; name: string; directPayments: Array<{ id: string; reference: string; kind: string; purpose: string; status: string }> }>();
  for (const r of rows) {
    const person = people.get(r.person_id) ?? { id: r.person_id, name: `${r.given_name} ${r.family_name}`, directPayments: [] };
    people.set(r.person_id, person);
    if (r.id) person.directPayments.push({ id: r.id, reference: r.reference!, kind: r.kind!, purpose: r.purpose!, status: r.status! });
  }
  return [...people.values()];
}

/**
 * Which sentence (home:status.*) says where the direct payment stands, spoken to the person or,
 * for a representative, about the person they act for.
 */
export function statusKey(status: string, kind: string, forSomeoneElse: boolean): string {
  const who = forSomeoneElse ? 'they' : 'you';
  if (status === 'agreed') return `home:status.agreed.${kind === 'one_off' ? 'oneOff' : 'ongoing'}`;
  if (status === 'active') return `home:status.active.${kind === 'one_off' ? 'oneOff' : 'ongoing'}${forSomeoneElse ? 'They' : 'You'}`;
  if (['at_panel', 'more_information', 'approved', 'declined', 'suspended', 'ended'].includes(status)) return `home:status.${status}.${who}`;
  return `home:status.at_panel.${who}`;
}

/** Everything the person's own page shows about one direct payment, in their terms. */
export async function homeFor(db: Db, dp: DirectPaymentRow, today: string) {
  const statement = await statementFor(db, dp.id, today);
  const agreement = await db
    .selectFrom('agreements')
    .select(['id', 'version', 'review_on', 'signed_on'])
    .where('direct_payment_id', '=', dp.id)
    .where('signed_on', 'is not', null)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  const review = await db
    .selectFrom('reviews')
    .select(['due_on', 'kind'])
    .where('direct_payment_id', '=', dp.id)
    .where('completed_on', 'is', null)
    .orderBy('due_on')
    .executeTakeFirst();
  const notice = await decisionNoticeFor(db, dp.id);
  return {
    outcomes: await outcomesPaidFor(db, dp.plan_id),
    statement,
    // Everything the council has paid in (the paid payments, each posted to the ledger), which stays
    // true when money later moves on from the account, e.g. into a pooled budget (features/pools).
    // What is left is the account's ledger balance less what the person has recorded spending.
    paidInTotalPence: statement.paid.reduce((sum, p) => sum + p.amount_pence, 0),
    agreement: agreement ?? null,
    review: review
      ? { on: review.due_on, checkBack: review.kind === 'check_back' }
      : agreement
        ? { on: agreement.review_on, checkBack: dp.kind === 'one_off' }
        : null,
    canRecordSpending: RECORDABLE_STATUSES.includes(dp.status),
    // The decision in the person's language is written by the page (home:decision.*); the panel's
    // own words (reasons, conditions) are shown as the panel wrote them.
    decision: notice
      ? { decision: notice.decision, decidedOn: notice.decidedOn, reasons: notice.reasons, conditions: notice.conditions }
      : null,
  };
}
