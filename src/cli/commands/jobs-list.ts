import { registeredJobs } from '../../platform/jobs.ts';
import type { Command } from '../command.ts';

export const jobsList: Command = {
  name: ['jobs', 'list'],
  summary: 'List the background jobs, when they run, and what they do',
  usage: '',
  async run(_args, ctx) {
    for (const job of await registeredJobs()) {
      ctx.out(`${job.name}\t${job.cron ?? 'on demand'}\t${job.summary ?? ''}`);
    }
  },
};
