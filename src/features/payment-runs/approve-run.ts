import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { fileSerial, runTransition } from '../../domain/payment-run.ts';
import { lockCouncilPayments } from '../payments/locks.ts';
import { paymentSettings } from './settings.ts';
import { crashPoint } from './crash.ts';

/** The run cannot be approved as things stand; the message says why. */
export class ApprovalRefused extends Error {}

export type ApproveOutcome = 'approved' | 'already';

/**
 * Records a second person's approval of a draft run, in one transaction: who approved it, and what
 * the Bacs file will say (the council's details, the file's serial number and creation date), so
 * the same run always gives the same file. The creator cannot approve their own run: checked here
 * and by the database. A double submission finds the run already approved and changes nothing.
 * Sending the lines through the ledger follows (run-work.ts), batch by batch.
 */
export async function recordApproval(db: Kysely<DB>, args: { runId: string; user: CurrentUser; today: string; ip?: string }): Promise<ApproveOutcome> {
  const outcome = await db.transaction().execute(async (trx) => {
    const run = await trx.selectFrom('payment_runs').selectAll().where('id', '=', args.runId).forUpdate().executeTakeFirstOrThrow();
    if (run.status !== 'draft') {
      if (run.status === 'preparing') throw new ApprovalRefused('This payment run is still being prepared. Try again in a moment.');
      return 'already' as const;
    }
    if (run.created_by === args.user.id) throw new ApprovalRefused('You created this payment run, so someone else must approve it.');
    if (run.line_count === 0) throw new ApprovalRefused('There is nothing to pay in this run, so there is nothing to approve.');
    const settings = await paymentSettings(trx, run.council_id);
    if (!settings.bacs) throw new ApprovalRefused('The council’s Bacs details are not set up yet. Enter them in the payment settings, then approve the run.');
    // Serial numbers count the council's approved runs: taking the council's lock keeps them unique.
    await lockCouncilPayments(trx, run.council_id);
    const approved = await sql<{ n: number }>`
      select count(*)::int as n from payment_runs where council_id = ${run.council_id} and file_serial is not null`.execute(trx);
    await trx
      .updateTable('payment_runs')
      .set({
        status: runTransition(run.status, 'approved'),
        approved_by: args.user.id,
        approved_at: new Date(),
        file_serial: fileSerial(approved.rows[0]!.n),
        file_creation_date: args.today,
        service_user_number: settings.bacs.serviceUserNumber,
        service_user_name: settings.bacs.serviceUserName,
        originating_sort_code: settings.bacs.sortCode,
        originating_account_number: settings.bacs.accountNumber,
        originating_account_name: settings.bacs.accountName,
      })
      .where('id', '=', run.id)
      .execute();
    await audit(trx, args.user, {
      action: 'approve',
      entityType: 'payment-run',
      entityId: run.id,
      details: { paymentDate: run.payment_date, lines: run.line_count, totalPence: run.total_pence },
    }, args.ip);
    return 'approved' as const;
  });
  crashPoint('approve:approved');
  return outcome;
}
