import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { addDays, formatDate } from '../../domain/dates.ts';
import { earliestArrival, runDates } from '../../domain/payment-run.ts';
import { loadHolidays } from '../payments/holidays.ts';
import { LockBusy, withSessionLock } from '../payments/locks.ts';
import { scheduleDuePaymentsInLanes } from '../schedules/due-payments.ts';
import { crashPoint } from './crash.ts';
import { fixLinesInLanes } from './fix-lines.ts';
import { lanes } from './run-work.ts';

/** The run cannot be made as asked; the message says why, in plain English. */
export class RunRefused extends Error {}

export type RunRow = { id: string; status: string; payment_date: string; line_count: number; total_pence: number; exception_count: number };

// Far enough ahead for any payment cycle; further would pay periods that have not been agreed yet.
const FURTHEST_AHEAD_DAYS = 56;

// Another finance officer's run for the same day is finished before this one gives up waiting.
const WAIT_FOR_ANOTHER_MS = 60_000;

/**
 * Creates the payment run for money arriving on a day, or returns the run already made for it.
 * In three steps, each its own transaction, with the run's state recorded so that a crash at any
 * point is followed by a restart that carries on (never a second run, never a payment twice):
 * 1. claim the day: the run's row, unique per council and payment date, "being prepared";
 * 2. schedule every period now due (safe to repeat: one payment per direct payment per period);
 * 3. fix the lines and exceptions and make the run a draft, waiting for approval.
 * A session lock on the day makes concurrent requests take turns: the first does the work, the
 * rest wait for it and get the same run.
 */
export async function createPaymentRun(
  db: Kysely<DB>,
  args: { user: CurrentUser; wanted: string; today: string; ip?: string },
): Promise<{ run: RunRow; created: boolean }> {
  const holidays = await loadHolidays(db);
  const dates = runDates(args.wanted, holidays);
  const existing = await runForDate(db, args.user.councilId, dates.arrival);
  if (existing && existing.status !== 'preparing') return { run: existing, created: false };
  if (dates.arrival > addDays(args.today, FURTHEST_AHEAD_DAYS)) {
    throw new RunRefused(`A payment run can be prepared up to 8 weeks ahead. Choose a day on or before ${formatDate(addDays(args.today, FURTHEST_AHEAD_DAYS))}.`);
  }
  if (dates.latestInput < args.today) {
    throw new RunRefused(
      `It is too late for money to arrive on ${formatDate(dates.arrival)}: the Bacs file had to be sent by ${formatDate(dates.latestInput)}. ` +
        `The earliest day money can arrive now is ${formatDate(earliestArrival(args.today, holidays))}.`,
    );
  }
  try {
    return await withSessionLock(db, `payment-run:${args.user.councilId}:${dates.arrival}`, async (conn) => {
      const claimed = await conn.transaction().execute(async (trx) => {
        await trx
          .insertInto('payment_runs')
          .values({
            council_id: args.user.councilId,
            payment_date: dates.arrival,
            processing_date: dates.processing,
            latest_input_date: dates.latestInput,
            due_by: dates.dueBy,
            created_by: args.user.id,
          })
          .onConflict((oc) => oc.columns(['council_id', 'payment_date']).where('status', '<>', 'cancelled').doNothing())
          .execute();
        return trx
          .selectFrom('payment_runs')
          .selectAll()
          .where('council_id', '=', args.user.councilId)
          .where('payment_date', '=', dates.arrival)
          .where('status', '<>', 'cancelled')
          .executeTakeFirstOrThrow();
      });
      if (claimed.status !== 'preparing') return { run: claimed, created: false };
      crashPoint('run:claimed');

      await scheduleDuePaymentsInLanes(db, conn, claimed.council_id, claimed.due_by, lanes(), () => crashPoint('run:some-scheduled'));
      crashPoint('run:scheduled');

      const run = await fixLinesInLanes(db, conn, claimed.id, lanes(), async (trx, fixed) => {
        await audit(trx, args.user, {
          action: 'create',
          entityType: 'payment-run',
          entityId: claimed.id,
          details: { paymentDate: claimed.payment_date, lines: fixed.line_count, totalPence: fixed.total_pence, exceptions: fixed.exception_count },
        }, args.ip);
      });
      crashPoint('run:fixed');
      return { run, created: true };
    }, WAIT_FOR_ANOTHER_MS);
  } catch (err) {
    if (err instanceof LockBusy) {
      throw new RunRefused(`Someone else is preparing the payment run for ${formatDate(dates.arrival)} and it is taking a while. Try again in a few minutes.`);
    }
    throw err;
  }
}

export async function runForDate(db: Kysely<DB>, councilId: string, paymentDate: string): Promise<RunRow | undefined> {
  return db
    .selectFrom('payment_runs')
    .select(['id', 'status', 'payment_date', 'line_count', 'total_pence', 'exception_count'])
    .where('council_id', '=', councilId)
    .where('payment_date', '=', paymentDate)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
}
