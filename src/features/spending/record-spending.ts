import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { f } from '../../platform/http/validation.ts';

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

export function spendingSchema(choices: readonly string[], today: string) {
  const values: [string, ...string[]] = [SOMETHING_ELSE, ...choices.map((_, i) => String(i))];
  return z.object({
    spentOn: f
      .date('Enter the date you paid', 'The date you paid must be a real date, like 23 11 2026')
      .refine((v) => v <= today, { error: 'The date you paid must be today or in the past' }),
    amount: f.money('Enter how much you paid', 'Enter the amount in pounds, like 24.99', {
      min: 1,
      max: MAX_PENCE,
      tooSmall: 'The amount must be more than £0',
      tooBig: 'The amount must be £100,000 or less',
    }),
    paidTo: f.text('Enter who you paid', 200, 'Who you paid must be 200 characters or fewer'),
    outcome: f.choice(values, 'Select what it was for'),
    note: f.optionalText(1000, 'The note must be 1,000 characters or fewer'),
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
