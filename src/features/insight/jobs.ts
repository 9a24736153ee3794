import { registerJob } from '../../platform/jobs.ts';
import { refreshSummaries } from './summaries.ts';

// Every 15 minutes (and once at start in demo mode): work out each council's insight figures again
// (summaries.ts). Safe twice at once: a council being refreshed by someone else is skipped.
registerJob({
  name: 'insight.refresh-summaries',
  summary: 'Work out the insight dashboards’ figures again for every council',
  cron: '*/15 * * * *',
  run: async (services, today) => {
    const councils = await services.db.selectFrom('councils').select('id').orderBy('code').execute();
    let processed = 0;
    for (const c of councils) {
      const outcome = await refreshSummaries(services.db, c.id, { today, now: services.clock.now(), ifBusy: 'skip' });
      if (outcome.refreshed) processed += 1;
    }
    return { processed };
  },
});
