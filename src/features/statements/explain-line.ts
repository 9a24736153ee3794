import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { RedirectError } from '../../platform/http/errors.ts';

type Actor = Pick<CurrentUser, 'id' | 'username' | 'role'>;

/** The person says what a line was, in their own words. It replaces an earlier explanation or match. */
export async function explainLine(trx: Transaction<DB>, args: { lineId: string; personId: string; explanation: string; user: Actor; ip?: string }) {
  await trx
    .updateTable('statement_lines')
    .set({ match_kind: 'explained', explanation: args.explanation, payment_id: null, spending_record_id: null, matched_by: args.user.id, matched_at: sql`now()`, matched_automatically: false })
    .where('id', '=', args.lineId)
    .execute();
  await audit(trx, args.user, { action: 'update', entityType: 'statement-line', entityId: args.lineId, personId: args.personId, details: { explained: true } }, args.ip);
}

/**
 * The person says a line is spending they recorded. The spending record must be this direct
 * payment's and not already matched to another line (else the page is shown again as it now is).
 */
export async function matchLineToSpending(trx: Transaction<DB>, args: { lineId: string; directPaymentId: string; spendingId: string; personId: string; user: Actor; ip?: string; backTo: string }) {
  const spending = await trx
    .selectFrom('spending_records')
    .select('id')
    .where('id', '=', args.spendingId)
    .where('direct_payment_id', '=', args.directPaymentId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('statement_lines').select(sql`1`.as('x')).whereRef('statement_lines.spending_record_id', '=', 'spending_records.id'))))
    .forUpdate()
    .executeTakeFirst();
  if (!spending) throw new RedirectError(args.backTo);
  await trx
    .updateTable('statement_lines')
    .set({ match_kind: 'spending', spending_record_id: spending.id, payment_id: null, explanation: null, matched_by: args.user.id, matched_at: sql`now()`, matched_automatically: false })
    .where('id', '=', args.lineId)
    .execute();
  await audit(trx, args.user, { action: 'update', entityType: 'statement-line', entityId: args.lineId, personId: args.personId, details: { matchedTo: 'spending', spendingId: spending.id } }, args.ip);
}
