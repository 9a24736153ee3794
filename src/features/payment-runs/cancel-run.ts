import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { runTransition } from '../../domain/payment-run.ts';

export class CancelRefused extends Error {}

/**
 * Cancels a draft run that was found wrong before anyone approved it: nothing has been posted, so
 * its lines and exceptions are let go and its payments can go on another run (a new one for the
 * same day, once what was wrong is put right). An approved run cannot be cancelled: its money is
 * on its way, and a payment that comes back is recorded as returned. Surplus the lines would have
 * taken off ("reduce future payments") was only claimed, never taken: letting the lines go gives it
 * back, and the next run takes it (surplus/offsets.ts).
 */
export async function cancelRun(db: Kysely<DB>, args: { runId: string; user: CurrentUser; ip?: string }): Promise<'cancelled' | 'already'> {
  return db.transaction().execute(async (trx) => {
    const run = await trx.selectFrom('payment_runs').selectAll().where('id', '=', args.runId).forUpdate().executeTakeFirstOrThrow();
    if (run.status === 'cancelled') return 'already' as const;
    if (run.status !== 'draft') throw new CancelRefused('Only a run waiting for approval can be cancelled. Once approved, record any payment the bank sends back as returned.');
    await trx.deleteFrom('payment_run_lines').where('run_id', '=', run.id).execute();
    await trx.deleteFrom('payment_run_exceptions').where('run_id', '=', run.id).execute();
    await trx
      .updateTable('payment_runs')
      .set({ status: runTransition(run.status, 'cancelled'), cancelled_by: args.user.id, cancelled_at: new Date(), line_count: 0, total_pence: 0, exception_count: 0 })
      .where('id', '=', run.id)
      .execute();
    await audit(trx, args.user, { action: 'update', entityType: 'payment-run', entityId: run.id, details: { cancelled: true, paymentDate: run.payment_date, lines: run.line_count, totalPence: run.total_pence } }, args.ip);
    return 'cancelled' as const;
  });
}
