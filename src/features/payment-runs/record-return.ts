import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { lineTransition } from '../../domain/payment-run.ts';
import { reverseTransaction } from '../payments/ledger.ts';
import { giveBackLineOffsets } from '../surplus/offsets.ts';

export class ReturnRefused extends Error {}

export const RETURN_REASONS = {
  account_closed: 'The account is closed',
  no_account: 'There is no account with those details',
  name_mismatch: 'The name does not match the account',
  payee_deceased: 'The account holder has died',
  other: 'Another reason the bank gave',
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;

/**
 * The bank sent a payment back. Its money is reversed exactly once, with linked reversals of what
 * was posted for it (arrived, then sent), and the payment goes back on the finance officer's list
 * to be paid by a later run once the details are put right. Any surplus the line took is given
 * back (its posting reversed, a reversing take appended), so the later run takes it again. The line is held while this runs, so
 * a second report of the same return finds it already returned and changes nothing.
 */
export async function recordReturn(
  db: Kysely<DB>,
  args: { runId: string; lineNumber: number; reason: ReturnReason; user: CurrentUser | null; today: string; ip?: string },
): Promise<'returned' | 'already'> {
  return db.transaction().execute(async (trx) => {
    const run = await trx.selectFrom('payment_runs').select(['id', 'status', 'payment_date']).where('id', '=', args.runId).forShare().executeTakeFirstOrThrow();
    const line = await trx
      .selectFrom('payment_run_lines')
      .innerJoin('direct_payments', 'direct_payments.id', 'payment_run_lines.direct_payment_id')
      .select(['payment_run_lines.id', 'payment_run_lines.status', 'payment_run_lines.payment_id', 'payment_run_lines.amount_pence', 'payment_run_lines.offset_pence', 'direct_payments.person_id', 'direct_payments.reference'])
      .where('payment_run_lines.run_id', '=', run.id)
      .where('payment_run_lines.line_number', '=', args.lineNumber)
      .forUpdate('payment_run_lines')
      .executeTakeFirst();
    if (!line) throw new ReturnRefused(`This run has no payment ${args.lineNumber}.`);
    if (line.status === 'returned') return 'already' as const;
    if (run.status !== 'file_generated' && run.status !== 'paid') throw new ReturnRefused('Only a payment in a Bacs file that has been created can come back from the bank.');
    if (line.offset_pence >= line.amount_pence) throw new ReturnRefused('This payment was not in the Bacs file: all of it was taken off as surplus owed back, so the bank cannot send it back.');
    lineTransition(line.status, 'returned');
    const reversed: string[] = [];
    // The surplus the line took (if it was paid) is given back, so the next run takes it again.
    const givenBack = await giveBackLineOffsets(trx, {
      lineId: line.id,
      description: `${line.reference}: surplus taken off a payment the bank returned, given back to take again`,
      today: args.today,
      userId: args.user?.id ?? null,
    });
    if (givenBack) reversed.push(givenBack);
    for (const step of ['paid', 'sent'] as const) {
      const posted = await trx.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', `run-line:${line.id}:${step}`).executeTakeFirst();
      if (!posted) continue;
      const reversal = await reverseTransaction(trx, posted.id, {
        description: `${line.reference}: payment returned by the bank (${RETURN_REASONS[args.reason].toLowerCase()})`,
        effectiveOn: args.today,
        createdBy: args.user?.id ?? null,
      });
      reversed.push(reversal.id);
    }
    await trx
      .updateTable('payment_run_lines')
      .set({ status: 'returned', returned_at: new Date(), returned_reason: args.reason, returned_by: args.user?.id ?? null })
      .where('id', '=', line.id)
      .execute();
    await trx.updateTable('payments').set({ status: 'returned' }).where('id', '=', line.payment_id).execute();
    await audit(trx, args.user, {
      action: 'update',
      entityType: 'payment-run-line',
      entityId: line.id,
      personId: line.person_id,
      details: { returned: args.reason, runId: run.id, lineNumber: args.lineNumber, amountPence: line.amount_pence, offsetPence: line.offset_pence, reversals: reversed },
    }, args.ip);
    return 'returned' as const;
  });
}
