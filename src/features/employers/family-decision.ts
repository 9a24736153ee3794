import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { f } from '../../platform/http/validation.ts';

export function familyDecisionSchema(today: string) {
  return z.object({
    necessary: f.yesNo('Select whether paying this relative is necessary'),
    reasons: f.text('Enter the reasons for the decision', 5000, 'The reasons must be 5,000 characters or fewer'),
    decidedOn: f
      .date('Enter the date of the decision', 'The date of the decision must be a real date, like 23 11 2026')
      .refine((v) => v <= today, { error: 'The date of the decision must be today or in the past' }),
  });
}

export type FamilyDecisionForm = z.infer<ReturnType<typeof familyDecisionSchema>>;

/**
 * Records the council's decision on paying a close relative who lives in the same household
 * (England: 2014 Regulations reg 3, "necessary"; Wales: 2015 Regulations, when the council
 * decides it is appropriate). A decision that it is not necessary stops any payment arrangement at
 * once: the PA's payroll is set to 'none' in the same transaction.
 */
export async function recordFamilyDecision(trx: Transaction<DB>, args: { assistantId: string; personId: string; form: FamilyDecisionForm; user: CurrentUser; ip?: string }): Promise<void> {
  await trx.selectFrom('personal_assistants').select('id').where('id', '=', args.assistantId).forUpdate().executeTakeFirstOrThrow();
  const row = await trx
    .insertInto('family_payment_decisions')
    .values({ personal_assistant_id: args.assistantId, necessary: args.form.necessary, reasons: args.form.reasons, decided_by: args.user.id, decided_on: args.form.decidedOn })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!args.form.necessary) {
    await trx.updateTable('personal_assistants').set({ payroll: 'none', updated_at: new Date() }).where('id', '=', args.assistantId).execute();
  }
  await audit(trx, args.user, { action: 'decide', entityType: 'family-payment-decision', entityId: row.id, personId: args.personId, details: { assistantId: args.assistantId, necessary: args.form.necessary } }, args.ip);
}
