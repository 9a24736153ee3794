import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addDays } from '../../domain/dates.ts';
import { PAYMENT_WINDOW, proposeMatches, SPENDING_WINDOW } from '../../domain/statements/reconcile.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Council payments and spending records of this direct payment that no statement line explains yet. */
export async function openTargets(db: Db, directPaymentId: string) {
  const payments = await db
    .selectFrom('payments')
    .leftJoin('ledger_transactions', 'ledger_transactions.id', 'payments.ledger_transaction_id')
    .select(['payments.id', 'payments.amount_pence', 'payments.due_on', 'payments.status', 'ledger_transactions.effective_on'])
    .where('payments.direct_payment_id', '=', directPaymentId)
    .where('payments.status', 'in', ['in_transit', 'paid'])
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('statement_lines').select(sql`1`.as('x')).whereRef('statement_lines.payment_id', '=', 'payments.id'))))
    .execute();
  const spending = await db
    .selectFrom('spending_records')
    .select(['id', 'amount_pence', 'spent_on', 'paid_to'])
    .where('direct_payment_id', '=', directPaymentId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('statement_lines').select(sql`1`.as('x')).whereRef('statement_lines.spending_record_id', '=', 'spending_records.id'))))
    .execute();
  return {
    payments: payments.map((p) => ({ id: p.id, amountPence: p.amount_pence, on: p.status === 'paid' && p.effective_on ? p.effective_on : p.due_on })),
    spending: spending.map((s) => ({ id: s.id, amountPence: s.amount_pence, spentOn: s.spent_on, paidTo: s.paid_to })),
  };
}

/**
 * Matches the unmatched lines it can be sure of: money in to council payments, money out to
 * recorded spending (domain/statements/reconcile.ts). Only lines that could match are loaded (the
 * amounts and dates of the open payments and spending), so a million-line statement costs little.
 * Returns how many lines were matched.
 */
export async function autoMatch(trx: Transaction<DB>, directPaymentId: string): Promise<number> {
  const { payments, spending } = await openTargets(trx, directPaymentId);
  if (payments.length === 0 && spending.length === 0) return 0;
  const amounts = [...payments.map((p) => p.amountPence), ...spending.map((s) => -s.amountPence)];
  const dates = [...payments.map((p) => p.on), ...spending.map((s) => s.spentOn)].sort();
  const from = addDays(dates[0]!, -Math.max(PAYMENT_WINDOW.after, SPENDING_WINDOW));
  const to = addDays(dates.at(-1)!, Math.max(PAYMENT_WINDOW.before, SPENDING_WINDOW));
  const lines = await trx
    .selectFrom('statement_lines')
    .select(['id', 'posted_on', 'amount_pence', 'description', 'counterparty'])
    .where('direct_payment_id', '=', directPaymentId)
    .where('match_kind', 'is', null)
    .where('posted_on', '>=', from)
    .where('posted_on', '<=', to)
    .where('amount_pence', '=', sql<number>`any(${amounts}::bigint[])`)
    .execute();
  const matches = proposeMatches(
    lines.map((l) => ({ id: l.id, postedOn: l.posted_on, amountPence: l.amount_pence, description: l.description, counterparty: l.counterparty })),
    payments,
    spending,
  );
  for (const m of matches) {
    await trx
      .updateTable('statement_lines')
      .set({
        match_kind: m.kind,
        payment_id: m.kind === 'council_payment' ? m.paymentId : null,
        spending_record_id: m.kind === 'spending' ? m.spendingId : null,
        matched_automatically: true,
        matched_at: sql`now()`,
      })
      .where('id', '=', m.lineId)
      .where('match_kind', 'is', null)
      .execute();
  }
  return matches.length;
}
