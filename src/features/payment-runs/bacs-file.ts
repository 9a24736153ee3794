import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { runTransition } from '../../domain/payment-run.ts';
import { writeStandard18, type Standard18Format } from '../../domain/bacs-standard18.ts';
import { crashPoint } from './crash.ts';

export class FileRefused extends Error {}

export const FILE_FORMATS: Record<Standard18Format, string> = {
  std18: 'Standard 18, the whole file with its labels',
  'std18-data': 'Standard 18 payment records only, for bureau software',
};

/**
 * The run's Bacs Standard 18 file: each line's net (the payment less the surplus it takes). Everything in it was fixed when the run was created (the lines)
 * or approved (the council's details, serial number and creation date), so it can be made again
 * at any time and gives the same bytes. The first time moves the run on to "Bacs file created";
 * every time is audited.
 */
export async function runFile(
  db: Kysely<DB>,
  args: { runId: string; format: Standard18Format; user: CurrentUser | null; ip?: string },
): Promise<{ bytes: Buffer; filename: string }> {
  const run = await db.selectFrom('payment_runs').selectAll().where('id', '=', args.runId).executeTakeFirstOrThrow();
  if (run.status === 'draft' || run.status === 'preparing') throw new FileRefused('The run must be approved before its Bacs file can be created.');
  if (!run.posted_at) throw new FileRefused('The payments are still being sent to the ledger. The file can be created when that has finished.');
  // The bank pays each line less the surplus it takes; a line the surplus pays in full is not in the file.
  const lines = await db
    .selectFrom('payment_run_lines')
    .select(['sort_code', 'account_number', 'account_name', 'reference', sql<number>`amount_pence - offset_pence`.as('amount_pence')])
    .where('run_id', '=', run.id)
    .whereRef('amount_pence', '>', 'offset_pence')
    .orderBy('line_number')
    .execute();
  if (lines.length === 0) throw new FileRefused('Every payment in this run is paid in full from surplus owed back, so there is nothing to send to the bank. Mark the run as paid instead.');
  const bytes = writeStandard18(
    {
      serviceUserNumber: run.service_user_number!,
      serviceUserName: run.service_user_name!,
      fileSerial: run.file_serial!,
      creationDate: run.file_creation_date!,
      processingDate: run.processing_date,
      originator: { sortCode: run.originating_sort_code!, accountNumber: run.originating_account_number!, accountName: run.originating_account_name! },
      credits: lines.map((l) => ({ sortCode: l.sort_code, accountNumber: l.account_number, accountName: l.account_name, amountPence: l.amount_pence, reference: l.reference })),
    },
    args.format,
  );
  await db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('payment_runs')
      .set({ status: runTransition('approved', 'file_generated'), file_generated_at: new Date(), file_generated_by: args.user?.id ?? null })
      .where('id', '=', run.id)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    await audit(trx, args.user, {
      action: 'download',
      entityType: 'payment-run',
      entityId: run.id,
      details: { format: args.format, bytes: bytes.length, first: Number(moved.numUpdatedRows) === 1 },
    }, args.ip);
  });
  crashPoint('file:generated');
  return { bytes, filename: `bacs-${run.payment_date}-${run.file_serial}${args.format === 'std18-data' ? '-data' : ''}.txt` };
}
