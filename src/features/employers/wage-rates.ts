import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { f } from '../../platform/http/validation.ts';

const BANDS = ['age_21_plus', 'age_18_20', 'age_16_17', 'apprentice'] as const;

export function rateSchema() {
  return z.object({
    band: f.choice(BANDS, 'Select who the rate is for'),
    effectiveFrom: f.date('Enter the date the rate starts', 'The date the rate starts must be a real date, like 1 4 2027'),
    hourly: f.money('Enter the hourly rate', 'Enter the hourly rate in pounds, like 12.71', { min: 100, max: 10000, tooSmall: 'The hourly rate must be at least £1.00', tooBig: 'The hourly rate must be £100 or less' }),
  });
}

export function floorSchema() {
  return z.object({
    name: f.text('Enter the name of the floor, like Real Living Wage', 100, 'The name must be 100 characters or fewer'),
    effectiveFrom: f.date('Enter the date the floor starts', 'The date the floor starts must be a real date, like 1 4 2027'),
    hourly: f.money('Enter the hourly rate', 'Enter the hourly rate in pounds, like 13.45', { min: 100, max: 10000, tooSmall: 'The hourly rate must be at least £1.00', tooBig: 'The hourly rate must be £100 or less' }),
  });
}

export class DuplicateRateError extends Error {}

/** Adds a national rate (never changes one: a correction is a new rate from the same date, refused). */
export async function addRate(trx: Transaction<DB>, user: CurrentUser, form: z.infer<ReturnType<typeof rateSchema>>, ip?: string): Promise<void> {
  const inserted = await trx
    .insertInto('minimum_wage_rates')
    .values({ band: form.band, effective_from: form.effectiveFrom, hourly_pence: form.hourly, source: 'administrator', added_by: user.id })
    .onConflict((oc) => oc.columns(['band', 'effective_from']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new DuplicateRateError();
  await audit(trx, user, { action: 'create', entityType: 'minimum-wage-rate', entityId: inserted.id, details: form }, ip);
}

export async function addFloor(trx: Transaction<DB>, user: CurrentUser, form: z.infer<ReturnType<typeof floorSchema>>, ip?: string): Promise<void> {
  const inserted = await trx
    .insertInto('council_wage_floors')
    .values({ council_id: user.councilId, name: form.name, effective_from: form.effectiveFrom, hourly_pence: form.hourly, added_by: user.id })
    .onConflict((oc) => oc.columns(['council_id', 'effective_from']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new DuplicateRateError();
  await audit(trx, user, { action: 'create', entityType: 'council-wage-floor', entityId: inserted.id, details: form }, ip);
}
