import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import type { FileStore } from '../../platform/storage/index.ts';
import { audit } from '../../platform/audit.ts';
import { f } from '../../platform/http/validation.ts';
import { saveReceipt, type CheckedReceipt } from './receipts.ts';

// Spending is recorded against money that has been agreed; before that there is nothing to spend.
export const RECORDABLE_STATUSES = ['agreed', 'active', 'suspended', 'ended'];

export const SOMETHING_ELSE = 'other';
const MAX_PENCE = 100_000_00;

/**
 * The outcomes a purchase may have served: the plan's outcomes met by the direct payment, or the
 * direct payment's purpose when the plan names none. The radios carry positions, not the words.
 */
export function outcomeChoices(outcomes: Array<{ outcome: string }>, purpose: string): string[] {
  // A plan may meet one outcome in two ways; the person chooses the outcome, once.
  return outcomes.length ? [...new Set(outcomes.map((o) => o.outcome))] : [purpose];
}

/** The form, with its messages in the person's language (`t` from res.locals). */
export function spendingSchema(choices: readonly string[], today: string, t: Translate) {
  const values: [string, ...string[]] = [SOMETHING_ELSE, ...choices.map((_, i) => String(i))];
  return z.object({
    spentOn: f
      .date(t('spending:errors.enterDate'), t('spending:errors.realDate'))
      .refine((v) => v <= today, { error: t('spending:errors.pastDate') }),
    amount: f.money(t('spending:errors.enterAmount'), t('spending:errors.amountFormat'), {
      min: 1,
      max: MAX_PENCE,
      tooSmall: t('spending:errors.amountTooSmall'),
      tooBig: t('spending:errors.amountTooBig'),
    }),
    paidTo: f.text(t('spending:errors.enterPaidTo'), 200, t('spending:errors.paidToTooLong')),
    outcome: f.choice(values, t('spending:errors.chooseOutcome')),
    note: f.optionalText(1000, t('spending:errors.noteTooLong')),
  });
}

export type SpendingForm = z.infer<ReturnType<typeof spendingSchema>>;

/**
 * Saves what the person bought. This is the person's own record, not a movement of council money:
 * the council's ledger stops at the direct payment's account (see docs/architecture.md, "How money moves").
 */
export async function recordSpending(
  trx: Transaction<DB>,
  args: { directPaymentId: string; personId: string; form: SpendingForm; choices: readonly string[]; user: CurrentUser; ip?: string },
): Promise<string> {
  const { form } = args;
  const outcome = form.outcome === SOMETHING_ELSE ? null : (args.choices[Number(form.outcome)] ?? null);
  const row = await trx
    .insertInto('spending_records')
    .values({
      direct_payment_id: args.directPaymentId,
      spent_on: form.spentOn,
      amount_pence: form.amount,
      paid_to: form.paidTo,
      outcome,
      note: form.note || null,
      recorded_by: args.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, {
    action: 'create',
    entityType: 'spending-record',
    entityId: row.id,
    personId: args.personId,
    details: { directPaymentId: args.directPaymentId, amountPence: form.amount },
  }, args.ip);
  return row.id;
}

/**
 * The record and its receipt together, or neither: one transaction for the rows, and if it does
 * not commit, the file already written is removed again.
 */
export async function recordSpendingWithReceipt(
  db: Database,
  store: FileStore,
  args: Parameters<typeof recordSpending>[1] & { receipt: CheckedReceipt | null },
): Promise<string> {
  const written: string[] = [];
  try {
    return await db.transaction().execute(async (trx) => {
      const id = await recordSpending(trx, args);
      if (args.receipt) {
        await saveReceipt(trx, store, { spendingRecordId: id, receipt: args.receipt, user: args.user, personId: args.personId, ip: args.ip, written });
      }
      return id;
    });
  } catch (err) {
    await Promise.all(written.map((key) => store.remove(key)));
    throw err;
  }
}
