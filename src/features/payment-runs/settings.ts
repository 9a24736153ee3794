import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { ContributionHandling, Frequency } from '../../domain/schedule.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type PaymentSettings = {
  frequency: Frequency;
  contributions: ContributionHandling;
  cycleAnchorOn: string | null;
  contingencyWeeks: number;
  /** What the Bacs file needs; null until finance have entered the council's details. */
  bacs: {
    serviceUserNumber: string;
    serviceUserName: string;
    sortCode: string;
    accountNumber: string;
    accountName: string;
  } | null;
};

/** The usual practice until a council says otherwise: every 4 weeks, in advance, net of the contribution. */
export const DEFAULT_SETTINGS: PaymentSettings = { frequency: 'four_weekly', contributions: 'net', cycleAnchorOn: null, contingencyWeeks: 8, bacs: null };

export async function paymentSettings(db: Db, councilId: string): Promise<PaymentSettings> {
  const row = await db.selectFrom('council_payment_settings').selectAll().where('council_id', '=', councilId).executeTakeFirst();
  if (!row) return DEFAULT_SETTINGS;
  const complete =
    row.service_user_number && row.service_user_name && row.originating_sort_code && row.originating_account_number && row.originating_account_name;
  return {
    frequency: row.frequency as Frequency,
    contributions: row.contributions as ContributionHandling,
    cycleAnchorOn: row.cycle_anchor_on,
    contingencyWeeks: row.contingency_weeks,
    bacs: complete
      ? {
          serviceUserNumber: row.service_user_number!,
          serviceUserName: row.service_user_name!,
          sortCode: row.originating_sort_code!,
          accountNumber: row.originating_account_number!,
          accountName: row.originating_account_name!,
        }
      : null,
  };
}

export type SettingsInput = {
  frequency: Frequency;
  contributions: ContributionHandling;
  cycleAnchorOn: string | null;
  contingencyWeeks: number;
  serviceUserNumber: string;
  serviceUserName: string;
  sortCode: string;
  accountNumber: string;
  accountName: string;
};

export async function saveSettings(trx: Transaction<DB>, councilId: string, input: SettingsInput, userId: string): Promise<void> {
  const values = {
    frequency: input.frequency,
    contributions: input.contributions,
    cycle_anchor_on: input.cycleAnchorOn,
    contingency_weeks: input.contingencyWeeks,
    service_user_number: input.serviceUserNumber,
    service_user_name: input.serviceUserName,
    originating_sort_code: input.sortCode,
    originating_account_number: input.accountNumber,
    originating_account_name: input.accountName,
    updated_by: userId,
    updated_at: new Date(),
  };
  await trx
    .insertInto('council_payment_settings')
    .values({ council_id: councilId, ...values })
    .onConflict((oc) => oc.column('council_id').doUpdateSet(values))
    .execute();
}
