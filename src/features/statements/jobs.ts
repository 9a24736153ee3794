import { sql } from 'kysely';
import { registerJob } from '../../platform/jobs.ts';
import type { Services } from '../../platform/services.ts';

/** A statement waiting for an answer (its columns, or a QIF file's date order) is kept this long. */
export const ABANDONED_AFTER_DAYS = 7;

/**
 * Bank statements are personal data: a file nobody finished importing is not kept. Uploads still
 * waiting for an answer after a week lose their bytes and are marked failed (the person can
 * upload it again); imported and refused files have lost theirs already.
 */
export async function forgetAbandonedUploads(services: Services): Promise<{ processed: number }> {
  const r = await sql`
    update statement_uploads set bytes = null, status = 'failed', problem = 'stalled', updated_at = now()
    where bytes is not null and status in ('needs_mapping', 'needs_date_order')
      and updated_at < now() - make_interval(days => ${ABANDONED_AFTER_DAYS})`.execute(services.db);
  return { processed: Number(r.numAffectedRows ?? 0) };
}

registerJob({
  name: 'statements.forget-abandoned-uploads',
  summary: `Clear statement files left waiting for an answer for ${ABANDONED_AFTER_DAYS} days`,
  cron: '30 3 * * *',
  run: forgetAbandonedUploads,
});
