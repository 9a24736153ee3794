import { z } from 'zod';
import type { Selectable, Transaction } from 'kysely';
import type { DB, PersonalAssistants } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { audit } from '../../platform/audit.ts';
import { f, fieldError, type FormErrors } from '../../platform/http/validation.ts';
import { penceToInput } from '../../domain/money.ts';
import { periodContaining, requirementFor, type PayPeriod } from '../../domain/minimum-wage.ts';
import { wageRates } from './queries.ts';

export const PAY_PERIODS = ['weekly', 'fortnightly', 'four_weekly', 'monthly'] as const;
export const PAYROLL = ['provider', 'managed_account', 'self', 'none'] as const;
export const DBS_LEVELS = ['not_done', 'basic', 'enhanced', 'enhanced_barred'] as const;
export const ASSISTANT_DATES = ['startsOn', 'endsOn', 'dateOfBirth', 'contractIssuedOn', 'rightToWorkCheckedOn', 'dbsCheckedOn', 'dbsRenewBy'];

/** The PA form, its messages in the reader's language. */
export function assistantSchema(t: Translate, today: string) {
  const e = (key: string) => t(`employers:errors.${key}`);
  const optionalDate = (key: string) => f.optionalDate(e(key));
  return z
    .object({
      name: f.text(e('nameMissing'), 200, e('nameTooLong')),
      role: f.text(e('roleMissing'), 200, e('roleTooLong')),
      startsOn: f.date(e('startsOnMissing'), e('dateInvalid')),
      endsOn: optionalDate('dateInvalid'),
      hoursPattern: f.optionalText(500, e('hoursPatternTooLong')),
      weeklyHours: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().min(1, { error: e('weeklyHoursMissing') }))
        .transform((v, ctx) => {
          const n = /^\d{1,3}(\.\d{1,2})?$/.test(v) ? Number(v) : NaN;
          if (!(n > 0 && n <= 168)) {
            ctx.addIssue({ code: 'custom', message: e('weeklyHoursInvalid') });
            return z.NEVER;
          }
          return Math.round(n * 60);
        }),
      payPeriod: f.choice(PAY_PERIODS, e('payPeriodMissing')),
      hourlyRate: f.money(e('hourlyRateMissing'), e('hourlyRateInvalid'), { min: 1, max: 100_000, tooSmall: e('hourlyRateInvalid'), tooBig: e('hourlyRateTooBig') }),
      dateOfBirth: optionalDate('dateInvalid').refine((v) => v === '' || v < today, { error: e('dateOfBirthFuture') }),
      isApprentice: f.yesNo(e('apprenticeMissing')),
      payroll: f.choice(PAYROLL, e('payrollMissing')),
      payrollProvider: f.optionalText(200, e('providerTooLong')),
      closeRelative: f.yesNo(e('closeRelativeMissing')),
      relationship: f.optionalText(100, e('relationshipTooLong')),
      contractIssuedOn: optionalDate('dateInvalid'),
      rightToWorkCheckedOn: optionalDate('dateInvalid'),
      dbsLevel: f.choice(DBS_LEVELS, e('dbsLevelMissing')),
      dbsCheckedOn: optionalDate('dateInvalid'),
      dbsRenewBy: optionalDate('dateInvalid'),
      training: f.optionalText(2000, e('trainingTooLong')),
    })
    .superRefine((v, ctx) => {
      if (v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: e('endsBeforeStart') });
      if ((v.payroll === 'provider' || v.payroll === 'managed_account') && !v.payrollProvider) ctx.addIssue({ code: 'custom', path: ['payrollProvider'], message: e('providerMissing') });
      if (v.dbsLevel !== 'not_done' && !v.dbsCheckedOn) ctx.addIssue({ code: 'custom', path: ['dbsCheckedOn'], message: e('dbsDateMissing') });
      if (v.dbsLevel === 'not_done' && v.dbsCheckedOn) ctx.addIssue({ code: 'custom', path: ['dbsCheckedOn'], message: e('dbsDateWithoutCheck') });
      if (v.dbsCheckedOn && v.dbsCheckedOn > today) ctx.addIssue({ code: 'custom', path: ['dbsCheckedOn'], message: e('checkInFuture') });
      if (v.rightToWorkCheckedOn && v.rightToWorkCheckedOn > today) ctx.addIssue({ code: 'custom', path: ['rightToWorkCheckedOn'], message: e('checkInFuture') });
      if (v.dbsRenewBy && v.dbsCheckedOn && v.dbsRenewBy <= v.dbsCheckedOn) ctx.addIssue({ code: 'custom', path: ['dbsRenewBy'], message: e('renewBeforeCheck') });
    });
}

export type AssistantForm = z.infer<ReturnType<typeof assistantSchema>>;

/** The form's values for an existing PA, as the boxes show them. */
export function assistantValues(a: Selectable<PersonalAssistants>): Record<string, string> {
  const out: Record<string, string> = {
    name: a.name, role: a.role, hoursPattern: a.hours_pattern, weeklyHours: String(a.weekly_minutes / 60), payPeriod: a.pay_period,
    hourlyRate: penceToInput(a.hourly_rate_pence), isApprentice: a.is_apprentice ? 'yes' : 'no', payroll: a.payroll, payrollProvider: a.payroll_provider ?? '',
    closeRelative: a.is_close_relative_in_household ? 'yes' : 'no', relationship: a.relationship ?? '', dbsLevel: a.dbs_level, training: a.training,
  };
  const dates: Record<string, string | null> = {
    startsOn: a.starts_on, endsOn: a.ends_on, dateOfBirth: a.date_of_birth, contractIssuedOn: a.contract_issued_on,
    rightToWorkCheckedOn: a.right_to_work_checked_on, dbsCheckedOn: a.dbs_checked_on, dbsRenewBy: a.dbs_renew_by,
  };
  for (const [name, value] of Object.entries(dates)) {
    const [y, m, d] = value ? value.split('-') : ['', '', ''];
    out[`${name}-day`] = d ? String(Number(d)) : '';
    out[`${name}-month`] = m ? String(Number(m)) : '';
    out[`${name}-year`] = y ?? '';
  }
  return out;
}

/**
 * The checks that need the database: the legal minimum in force for the PA's age for the pay
 * period that includes today (or their first), and the rule on paying a close relative who lives
 * with the person. Returns the errors to show, or null when the PA may be saved.
 */
export async function assistantProblems(trx: Transaction<DB>, t: Translate, form: AssistantForm, today: string, assistantId: string | null): Promise<FormErrors | null> {
  const rates = await wageRates(trx);
  const from = form.startsOn > today ? form.startsOn : today;
  const periodStart = periodContaining(form.startsOn, form.payPeriod as PayPeriod, from);
  const required = requirementFor({ dateOfBirth: form.dateOfBirth || null, isApprentice: form.isApprentice, startsOn: form.startsOn }, rates, [], periodStart);
  const stillWorking = !form.endsOn || form.endsOn >= today;
  if (stillWorking && required.legal && form.hourlyRate < required.legal.hourlyPence) {
    return fieldError('hourlyRate', t('employers:errors.belowMinimum', { rate: (required.legal.hourlyPence / 100).toFixed(2), band: t(`employers:bands.${required.band}`) }));
  }
  if (form.closeRelative && form.payroll !== 'none') {
    const latest = assistantId
      ? await trx.selectFrom('family_payment_decisions').select('necessary').where('personal_assistant_id', '=', assistantId).orderBy('created_at', 'desc').executeTakeFirst()
      : undefined;
    if (!latest?.necessary) return fieldError('payroll', t('employers:errors.relativeNeedsDecision'), '#payroll');
  }
  return null;
}

function columns(form: AssistantForm) {
  return {
    name: form.name,
    role: form.role,
    starts_on: form.startsOn,
    ends_on: form.endsOn || null,
    hours_pattern: form.hoursPattern,
    weekly_minutes: form.weeklyHours,
    pay_period: form.payPeriod,
    hourly_rate_pence: form.hourlyRate,
    date_of_birth: form.dateOfBirth || null,
    is_apprentice: form.isApprentice,
    payroll: form.payroll,
    payroll_provider: form.payroll === 'provider' || form.payroll === 'managed_account' ? form.payrollProvider : form.payrollProvider || null,
    is_close_relative_in_household: form.closeRelative,
    relationship: form.relationship || null,
    contract_issued_on: form.contractIssuedOn || null,
    right_to_work_checked_on: form.rightToWorkCheckedOn || null,
    dbs_level: form.dbsLevel,
    dbs_checked_on: form.dbsCheckedOn || null,
    dbs_renew_by: form.dbsRenewBy || null,
    training: form.training,
  };
}

/** Adds a PA to a direct payment, with its audit row. */
export async function addAssistant(trx: Transaction<DB>, args: { directPaymentId: string; personId: string; form: AssistantForm; user: CurrentUser; ip?: string }): Promise<string> {
  const row = await trx
    .insertInto('personal_assistants')
    .values({ direct_payment_id: args.directPaymentId, ...columns(args.form), created_by: args.user.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, { action: 'create', entityType: 'personal-assistant', entityId: row.id, personId: args.personId, details: { directPaymentId: args.directPaymentId, hourlyRatePence: args.form.hourlyRate, payroll: args.form.payroll } }, args.ip);
  return row.id;
}

/** Changes a PA's details, with its audit row (what changed, not the old values). */
export async function updateAssistant(trx: Transaction<DB>, args: { assistantId: string; personId: string; form: AssistantForm; user: CurrentUser; ip?: string }): Promise<void> {
  const before = await trx.selectFrom('personal_assistants').selectAll().where('id', '=', args.assistantId).forUpdate().executeTakeFirstOrThrow();
  const next = columns(args.form);
  const changed = Object.entries(next).filter(([k, v]) => (before as Record<string, unknown>)[k] !== v).map(([k]) => k);
  await trx.updateTable('personal_assistants').set({ ...next, updated_at: new Date() }).where('id', '=', args.assistantId).execute();
  await audit(trx, args.user, { action: 'update', entityType: 'personal-assistant', entityId: args.assistantId, personId: args.personId, details: { changed } }, args.ip);
}
