import { registeredJobs, runJob } from '../../platform/jobs.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

export const jobsRun: Command = {
  name: ['jobs', 'run'],
  summary: 'Run one background job now (what pg-boss runs on its schedule)',
  usage: '<name>',
  positionals: { min: 1, max: 1 },
  help: [
    'Runs the job in this process for today, records the run in job_runs, and prints how many',
    'things it processed. Jobs are safe to run again: a reminder already recorded is not repeated.',
    'See the jobs with `dp jobs list`. Example: dp jobs run reviews.reminders',
  ].join('\n'),
  async run(args, ctx) {
    const name = args.positionals[0]!;
    const known = (await registeredJobs()).map((j) => j.name);
    if (!known.includes(name)) throw new UsageError(`There is no job called "${name}". The jobs are: ${known.join(', ')}`);
    const result = await ctx.withServices(async (services) => {
      try {
        return await runJob(services, name, { trigger: 'cli' });
      } catch (err) {
        throw new CommandFailed(`The job ${name} failed: ${(err as Error).message}`);
      }
    });
    ctx.out(`${name}: processed ${result.processed}`);
  },
};
