import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { runTransition } from '../../domain/payment-run.ts';
import { LockBusy, lockHeld, withSessionLock } from '../payments/locks.ts';
import { crashPoint } from './crash.ts';
import { payBatch, sendBatch } from './post-lines.ts';
import { accountFor } from '../payments/ledger.ts';

/** Lines per transaction: big enough to be quick, small enough to show progress and lose little to a crash. */
export function batchSize(): number {
  const n = Number(process.env.PAYMENT_RUN_BATCH_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 20_000;
}

/** Batches sent at once: one per core of the database server, which does the work. */
export function lanes(): number {
  const n = Number(process.env.PAYMENT_RUN_LANES);
  return Number.isInteger(n) && n > 0 ? n : 2;
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
      // Batch by batch through the line numbers; after a crash the batches already done move
      // nothing. Sending runs `lanes` batches at once, each on its own connection and in its own
      // transaction (their lines, payments and ledger rows are disjoint, and the accounts they
      // post to exist before they start), so both of the server's cores work.
      const everyBatch = async (step: typeof sendBatch, userId: string | null, name: string, lanes: number) => {
        const starts: number[] = [];
        for (let after = 0; after < run.line_count; after += batch.size) starts.push(after);
        let next = 0;
        let done = 1;
        let failed = false;
        const lane = async (on: Kysely<DB>) => {
          while (next < starts.length && !failed) {
            const after = starts[next++]!;
            try {
              const moved = await on.transaction().execute((trx) => step(trx, { ...batch, userId, after }));
              if (moved > 0) crashPoint(`${name}:batch:${done++}`);
            } catch (err) {
              failed = true;
              throw err;
            }
          }
        };
        // Every lane finishes (or fails) before the lock is let go.
        const outcomes = await Promise.allSettled([lane(conn), ...Array.from({ length: Math.min(lanes, starts.length) - 1 }, () => lane(db))]);
        const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
        if (failure) throw failure.reason;
      };
      if (run.status === 'approved' && !run.posted_at) {
        await conn.transaction().execute(async (trx) => {
          await accountFor(trx, run.council_id, 'budget');
          await accountFor(trx, run.council_id, 'in_transit');
        });
        await everyBatch(sendBatch, run.approved_by, 'approve', lanes());
        await conn.updateTable('payment_runs').set({ posted_at: new Date() }).where('id', '=', runId).where('posted_at', 'is', null).execute();
        crashPoint('approve:posted');
      }
      if (run.status === 'file_generated' && run.paid_requested_at) {
        // One lane: a direct payment's first arrival also changes its record and reviews.
        await everyBatch(payBatch, run.paid_requested_by, 'paid', 1);
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
