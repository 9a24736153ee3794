import { z } from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { audit } from '../../platform/audit.ts';
import { f } from '../../platform/http/validation.ts';

/** A week's hours for a PA, against their planned weekly hours. Weeks start on a Monday. */
export function timesheetSchema(t: Translate, today: string) {
  const e = (key: string) => t(`employers:errors.${key}`);
  return z.object({
    weekStartsOn: f.date(e('weekMissing'), e('dateInvalid'))
      .refine((v) => new Date(`${v}T00:00:00Z`).getUTCDay() === 1, { error: e('weekNotMonday') })
      .refine((v) => v <= today, { error: e('weekInFuture') }),
    hoursWorked: z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string().min(1, { error: e('hoursWorkedMissing') }))
      .transform((v, ctx) => {
        const n = /^\d{1,3}(\.\d{1,2})?$/.test(v) ? Number(v) : NaN;
        if (!(n >= 0 && n <= 168)) {
          ctx.addIssue({ code: 'custom', message: e('hoursWorkedInvalid') });
          return z.NEVER;
        }
        return Math.round(n * 60);
      }),
  });
}

/** Records (or corrects) the hours a PA worked in a week, with its audit row. */
export async function recordTimesheet(trx: Transaction<DB>, args: { assistantId: string; personId: string; weekStartsOn: string; minutes: number; user: CurrentUser; ip?: string }): Promise<void> {
  await trx
    .insertInto('pa_timesheets')
    .values({ personal_assistant_id: args.assistantId, week_starts_on: args.weekStartsOn, minutes: args.minutes, recorded_by: args.user.id })
    .onConflict((oc) => oc.columns(['personal_assistant_id', 'week_starts_on']).doUpdateSet({ minutes: args.minutes, recorded_by: args.user.id, created_at: new Date() }))
    .execute();
  await audit(trx, args.user, { action: 'update', entityType: 'pa-timesheet', entityId: args.assistantId, personId: args.personId, details: { weekStartsOn: args.weekStartsOn, minutes: args.minutes } }, args.ip);
}

/** The latest weeks recorded for a PA, newest first. */
export async function timesheetsFor(db: Kysely<DB> | Transaction<DB>, assistantId: string) {
  return db.selectFrom('pa_timesheets').select(['week_starts_on', 'minutes']).where('personal_assistant_id', '=', assistantId).orderBy('week_starts_on', 'desc').limit(8).execute();
}
