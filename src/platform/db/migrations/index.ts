import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_app_role.ts';
import * as m0500 from './0500_review_outcomes.ts';
import * as m0600 from './0600_modulus_tables.ts';
import * as m0700 from './0700_bank_holidays.ts';
import * as m0800 from './0800_payment_runs.ts';

// Migrations are listed here rather than found on disk, so the same list runs from the app, the
// CLI and the tests. Add new ones at the end; never edit one that has shipped.
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_app_role': m0002,
  '0500_review_outcomes': m0500,
  '0600_modulus_tables': m0600,
  '0700_bank_holidays': m0700,
  '0800_payment_runs': m0800,
};
