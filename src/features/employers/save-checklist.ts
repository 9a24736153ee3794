import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { audit } from '../../platform/audit.ts';
import { f } from '../../platform/http/validation.ts';
import { parsePounds, penceToInput } from '../../domain/money.ts';
import type { checklistFor } from './queries.ts';

export const CHECKLIST_DATES = ['insuranceRenewsOn', 'pensionAssessedOn'];

export function checklistSchema(t: Translate, today: string) {
  const e = (key: string) => t(`employers:errors.${key}`);
  return z
    .object({
      insurer: f.optionalText(200, e('insurerTooLong')),
      insurancePolicy: f.optionalText(100, e('policyTooLong')),
      insuranceCover: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string()).transform((v, ctx) => {
        if (v === '') return null;
        const pence = parsePounds(v);
        if (pence === null || pence < 100 || pence > 100_000_000_00) {
          ctx.addIssue({ code: 'custom', message: e('coverInvalid') });
          return z.NEVER;
        }
        return pence;
      }),
      insuranceRenewsOn: f.optionalDate(e('dateInvalid')),
      payeRegistered: f.yesNo(e('payeMissing')),
      payeReference: f.optionalText(50, e('payeReferenceTooLong')),
      pensionAssessedOn: f.optionalDate(e('dateInvalid')).refine((v) => v === '' || v <= today, { error: e('checkInFuture') }),
      pensionScheme: f.optionalText(200, e('pensionSchemeTooLong')),
      holidayExplained: f.yesNo(e('holidayMissing')),
    })
    .superRefine((v, ctx) => {
      if ((v.insurer || v.insurancePolicy || v.insuranceCover !== null) && !v.insuranceRenewsOn) {
        ctx.addIssue({ code: 'custom', path: ['insuranceRenewsOn'], message: e('renewalMissing') });
      }
    });
}

export type ChecklistForm = z.infer<ReturnType<typeof checklistSchema>>;

export function checklistValues(c: Awaited<ReturnType<typeof checklistFor>>): Record<string, string> {
  if (!c) return {};
  const parts = (d: string | null, name: string) => {
    const [y, m, day] = d ? d.split('-') : ['', '', ''];
    return { [`${name}-day`]: day ? String(Number(day)) : '', [`${name}-month`]: m ? String(Number(m)) : '', [`${name}-year`]: y ?? '' };
  };
  return {
    insurer: c.insurer ?? '', insurancePolicy: c.insurance_policy ?? '', insuranceCover: c.insurance_cover_pence ? penceToInput(c.insurance_cover_pence) : '',
    ...parts(c.insurance_renews_on, 'insuranceRenewsOn'), payeRegistered: c.paye_registered ? 'yes' : 'no', payeReference: c.paye_reference ?? '',
    ...parts(c.pension_assessed_on, 'pensionAssessedOn'), pensionScheme: c.pension_scheme ?? '', holidayExplained: c.holiday_explained ? 'yes' : 'no',
  };
}

/** Saves the employer's checklist for a direct payment (one row, replaced), with its audit row. */
export async function saveChecklist(trx: Transaction<DB>, args: { directPaymentId: string; personId: string; form: ChecklistForm; user: CurrentUser; ip?: string }): Promise<void> {
  const { form } = args;
  const values = {
    insurer: form.insurer || null,
    insurance_policy: form.insurancePolicy || null,
    insurance_cover_pence: form.insuranceCover,
    insurance_renews_on: form.insuranceRenewsOn || null,
    paye_registered: form.payeRegistered,
    paye_reference: form.payeReference || null,
    pension_assessed_on: form.pensionAssessedOn || null,
    pension_scheme: form.pensionScheme || null,
    holiday_explained: form.holidayExplained,
    updated_by: args.user.id,
    updated_at: new Date(),
  };
  await trx
    .insertInto('employer_checklists')
    .values({ direct_payment_id: args.directPaymentId, ...values })
    .onConflict((oc) => oc.column('direct_payment_id').doUpdateSet(values))
    .execute();
  await audit(trx, args.user, { action: 'update', entityType: 'employer-checklist', entityId: args.directPaymentId, personId: args.personId, details: { insuranceRenewsOn: values.insurance_renews_on } }, args.ip);
}
