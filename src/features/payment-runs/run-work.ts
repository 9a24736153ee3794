import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { runTransition } from '../../domain/payment-run.ts';
import { LockBusy, lockHeld, withSessionLock } from '../payments/locks.ts';
import { crashPoint } from './crash.ts';
import { payBatch, sendBatch } from './post-lines.ts';

/** Lines per transaction: big enough to be quick, small enough to show progress and lose little to a crash. */
export function batchSize(): number {
  const n = Number(process.env.PAYMENT_RUN_BATCH_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 20_000;
}

export type WorkOutcome = 'done' | 'busy';

const workKey = (runId: string) => `payment-run-work:${runId}`;

/**
 * Does whatever an approved run still has to do: send its pending lines through the ledger
 * (budget → in transit), or, once it has been marked paid, move its sent lines into the direct
 * payments' accounts and close it. Batch by batch, each its own transaction, so after a crash
 * calling this again carries on where it stopped. One worker at a time: a second caller is told
 * the work is already going on ('busy').
 */
export async function continueRun(db: Kysely<DB>, runId: string, today: string): Promise<WorkOutcome> {
  try {
    return await withSessionLock(db, workKey(runId), async (conn) => {
      const run = await conn.selectFrom('payment_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
      const batch = { runId, councilId: run.council_id, paymentDate: run.payment_date, today, size: batchSize() };
      // Batch by batch through the line numbers; after a crash the batches already done move nothing.
      const everyBatch = async (step: typeof sendBatch, userId: string | null, name: string) => {
        for (let after = 0, n = 1; after < run.line_count; after += batch.size) {
          const moved = await conn.transaction().execute((trx) => step(trx, { ...batch, userId, after }));
          if (moved > 0) crashPoint(`${name}:batch:${n++}`);
        }
      };
      if (run.status === 'approved' && !run.posted_at) {
        await everyBatch(sendBatch, run.approved_by, 'approve');
        await conn.updateTable('payment_runs').set({ posted_at: new Date() }).where('id', '=', runId).where('posted_at', 'is', null).execute();
        crashPoint('approve:posted');
      }
      if (run.status === 'file_generated' && run.paid_requested_at) {
        await everyBatch(payBatch, run.paid_requested_by, 'paid');
        await conn
          .updateTable('payment_runs')
          .set({ status: runTransition(run.status, 'paid'), paid_at: new Date() })
          .where('id', '=', runId)
          .where('status', '=', 'file_generated')
          .execute();
        crashPoint('paid:done');
      }
      return 'done' as const;
    });
  } catch (err) {
    if (err instanceof LockBusy) return 'busy';
    throw err;
  }
}

/** True while some process is working through the run's lines. */
export function runWorkGoingOn(db: Kysely<DB>, runId: string): Promise<boolean> {
  return lockHeld(db, workKey(runId));
}

/** Work left over from a crash or restart: an approved run not fully sent, or a run marked paid not yet closed. */
export function hasUnfinishedWork(run: { status: string; posted_at: Date | null; paid_requested_at: Date | null }): boolean {
  return (run.status === 'approved' && !run.posted_at) || (run.status === 'file_generated' && run.paid_requested_at !== null);
}
