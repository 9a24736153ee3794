import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { periodOutcome, periodStartingOn } from '../../domain/schedule.ts';
import { lockCouncilPayments } from '../payments/locks.ts';
import { scheduleWithTerms } from './terms.ts';

type Trx = Transaction<DB>;

export type Recalculated = { changed: number; removed: number; onRuns: number };

/**
 * After a schedule changes (a new rate, a suspension, an end date), the payments not yet on a run
 * are worked out again: a new amount, or removed when nothing is now owed for the period (it
 * falls after the end, or while payments are suspended). Payments already on a run keep the
 * amount the run fixed; `onRuns` says how many, so the page can say so.
 */
export async function recalculateUnpaid(trx: Trx, scheduleId: string, councilId: string): Promise<Recalculated> {
  await lockCouncilPayments(trx, councilId);
  const { terms } = await scheduleWithTerms(trx, scheduleId);
  const unpaid = await sql<{ id: string; period_starts_on: string; period_ends_on: string; amount_pence: number; invoiced_contribution_pence: number; on_run: boolean }>`
    select p.id, p.period_starts_on, p.period_ends_on, p.amount_pence, p.invoiced_contribution_pence,
           exists (select 1 from payment_run_lines l where l.payment_id = p.id and l.status <> 'returned') as on_run
    from payments p
    where p.schedule_id = ${scheduleId} and p.status = 'scheduled'
    order by p.period_starts_on`.execute(trx);
  const result: Recalculated = { changed: 0, removed: 0, onRuns: 0 };
  for (const p of unpaid.rows) {
    if (p.on_run) {
      result.onRuns++;
      continue;
    }
    const period = periodStartingOn(terms, p.period_starts_on);
    const outcome = period ? periodOutcome(terms, period) : null;
    if (!outcome || outcome.kind !== 'pay') {
      await trx.deleteFrom('payments').where('id', '=', p.id).execute();
      result.removed++;
    } else if (outcome.amountPence !== p.amount_pence || outcome.period.endsOn !== p.period_ends_on || outcome.contributionPence !== p.invoiced_contribution_pence) {
      await trx
        .updateTable('payments')
        .set({ amount_pence: outcome.amountPence, period_ends_on: outcome.period.endsOn, invoiced_contribution_pence: outcome.contributionPence })
        .where('id', '=', p.id)
        .execute();
      result.changed++;
    }
  }
  return result;
}
