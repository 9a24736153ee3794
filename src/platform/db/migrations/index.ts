import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_app_role.ts';
import * as m0500 from './0500_review_outcomes.ts';
import * as m0600 from './0600_modulus_tables.ts';
import * as m0700 from './0700_bank_holidays.ts';
import * as m0800 from './0800_payment_runs.ts';
import * as m0810 from './0810_payment_run_speed.ts';
import * as m0900 from './0900_statements.ts';
import * as m1000 from './1000_languages.ts';
import * as m1001 from './1001_receipts.ts';
import * as m1300 from './1300_reports.ts';
import * as m1200 from './1200_notifications_jobs.ts';
import * as m1201 from './1201_review_changes_feedback.ts';
import * as m1500 from './1500_contact_complaints.ts';
import * as m1100 from './1100_monitoring_surplus.ts';
import * as m1400 from './1400_employers_pools.ts';
import * as m1600 from './1600_surplus_offsets_in_runs.ts';
import * as m1610 from './1610_insight_summaries.ts';
import * as m1620 from './1620_monitoring_snapshots.ts';
import * as m1630 from './1630_guidance_welsh.ts';
import * as m1640 from './1640_person_sign_ins.ts';
import * as m1650 from './1650_insight_feedback.ts';

// Migrations are listed here rather than found on disk, so the same list runs from the app, the
// CLI and the tests. Add new ones at the end; never edit one that has shipped.
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_app_role': m0002,
  '0500_review_outcomes': m0500,
  '0600_modulus_tables': m0600,
  '0700_bank_holidays': m0700,
  '0800_payment_runs': m0800,
  '0900_statements': m0900,
  '1000_languages': m1000,
  '1001_receipts': m1001,
  '1300_reports': m1300,
  '1200_notifications_jobs': m1200,
  '1201_review_changes_feedback': m1201,
  '1500_contact_complaints': m1500,
  '1100_monitoring_surplus': m1100,
  '1400_employers_pools': m1400,
  '0810_payment_run_speed': m0810,
  '1600_surplus_offsets_in_runs': m1600,
  '1610_insight_summaries': m1610,
  '1620_monitoring_snapshots': m1620,
  '1630_guidance_welsh': m1630,
  '1640_person_sign_ins': m1640,
  '1650_insight_feedback': m1650,
};
