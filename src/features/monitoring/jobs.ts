import { registerJob } from '../../platform/jobs.ts';
import type { Services } from '../../platform/services.ts';
import { refreshCouncilFlags } from './snapshot.ts';

/**
 * Works out every council's monitoring flags again and stores them (the worklist reads them), one
 * council per transaction under the council's advisory lock: two runs at once take turns per
 * council and leave each council's flags whole. Processed: the direct payments looked at.
 */
export async function refreshAllFlags(services: Services, today: string): Promise<{ processed: number }> {
  const councils = await services.db.selectFrom('councils').select('id').orderBy('code').execute();
  let processed = 0;
  for (const c of councils) processed += (await refreshCouncilFlags(services.db, c.id, { today })).monitored;
  return { processed };
}

registerJob({
  name: 'monitoring.refresh-flags',
  summary: 'Work out every direct payment’s monitoring flags again for the worklist',
  cron: '7 * * * *',
  run: refreshAllFlags,
});
