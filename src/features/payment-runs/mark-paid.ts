import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { crashPoint } from './crash.ts';
import { runTransition } from '../../domain/payment-run.ts';

export class MarkPaidRefused extends Error {}

/** Whether any of the run's payments goes through the bank (a line the surplus pays in full does not). */
export async function sendsToBank(db: Kysely<DB>, runId: string): Promise<boolean> {
  const line = await db.selectFrom('payment_run_lines').select('id').where('run_id', '=', runId).whereRef('amount_pence', '>', 'offset_pence').limit(1).executeTakeFirst();
  return line !== undefined;
}

/**
 * Records that the bank has paid the run (Bacs processed the file and the money arrived), in one
 * transaction. Moving each line's money into the direct payment's account follows, batch by batch
 * (run-work.ts). Asking twice changes nothing. A run whose every payment is paid in full from
 * surplus owed back has no Bacs file, so it can be marked paid once it is approved and posted.
 */
export async function requestMarkPaid(db: Kysely<DB>, args: { runId: string; user: CurrentUser | null; ip?: string }): Promise<'marked' | 'already'> {
  const outcome = await db.transaction().execute(async (trx) => {
    const run = await trx.selectFrom('payment_runs').selectAll().where('id', '=', args.runId).forUpdate().executeTakeFirstOrThrow();
    if (run.status === 'paid' || run.paid_requested_at) return 'already' as const;
    if (run.status === 'approved' && run.posted_at && !(await sendsToBank(trx, run.id))) {
      // Every payment is paid in full from surplus owed back: there is no Bacs file to wait for.
      await trx.updateTable('payment_runs').set({ status: runTransition('approved', 'file_generated') }).where('id', '=', run.id).execute();
    } else if (run.status !== 'file_generated') throw new MarkPaidRefused('Create the Bacs file and send it to the bank before marking the run as paid.');
    await trx.updateTable('payment_runs').set({ paid_requested_at: new Date(), paid_requested_by: args.user?.id ?? null }).where('id', '=', run.id).execute();
    await audit(trx, args.user, { action: 'update', entityType: 'payment-run', entityId: run.id, details: { markedPaid: true, paymentDate: run.payment_date } }, args.ip);
    return 'marked' as const;
  });
  crashPoint('paid:started');
  return outcome;
}
