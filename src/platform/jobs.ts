import { PgBoss } from 'pg-boss';
import type { Services } from './services.ts';

// Background jobs. A feature declares its jobs in a `jobs.ts` of its own with registerJob, and
// `jobs-registry.ts` imports each of those files once. A job is a plain function of the services
// and today's date that reports how many things it processed; it must be safe to run again and to
// run twice at once (use notify's reference, unique keys, or locks), because the schedule, an
// operator's `dp jobs run` and a retry may all reach it.
//
// The app (`npm start`) runs them on pg-boss: startJobs gives pg-boss a small pool of its own,
// connected as the database owner (the app's own pool acts as dp_app, which has no rights on the
// pgboss schema), creates one queue per job, schedules the ones with a cron (Europe/London) and
// works them in this process. Tests and the CLI call runJob directly: the same code, no pg-boss.

export type JobResult = { processed: number };
export type JobTrigger = 'schedule' | 'cli' | 'test';

export type JobDefinition = {
  /** pg-boss queue name: lower case letters, digits, dots and hyphens, e.g. 'reviews.reminders'. */
  name: string;
  /** One line for `dp jobs list` and the logs. */
  summary?: string;
  /** When pg-boss runs it, as cron in Europe/London time, e.g. '0 7 * * *' (07:00 every day). */
  cron?: string;
  run: (services: Services, today: string) => Promise<JobResult>;
};

const NAME = /^[a-z0-9][a-z0-9.-]{0,99}$/;
const jobs = new Map<string, JobDefinition>();

export function registerJob(job: JobDefinition): void {
  if (!NAME.test(job.name)) throw new Error(`A job name must be lower case letters, digits, dots and hyphens: "${job.name}"`);
  const existing = jobs.get(job.name);
  if (existing && existing.run !== job.run) throw new Error(`Two jobs are called "${job.name}"`);
  jobs.set(job.name, job);
}

/** Every registered job, by name. Loads the registry first (lazily, so feature files may import this one). */
export async function registeredJobs(): Promise<JobDefinition[]> {
  await import('./jobs-registry.ts');
  return [...jobs.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export class UnknownJobError extends Error {}

/**
 * Runs one job now, in this process, for services.clock's today, and records the run in
 * `job_runs` (with its error, if it failed, which is then thrown again).
 */
export async function runJob(services: Services, name: string, opts: { trigger?: JobTrigger } = {}): Promise<JobResult> {
  const job = (await registeredJobs()).find((j) => j.name === name);
  if (!job) throw new UnknownJobError(`There is no job called "${name}"`);
  const today = services.clock.today();
  const { id } = await services.db
    .insertInto('job_runs')
    .values({ name, trigger: opts.trigger ?? 'test', run_for: today })
    .returning('id')
    .executeTakeFirstOrThrow();
  const started = performance.now();
  try {
    const result = await job.run(services, today);
    await services.db.updateTable('job_runs').set({ finished_at: new Date(), processed: result.processed }).where('id', '=', id).execute();
    services.logger.info({ job: name, processed: result.processed, ms: Math.round(performance.now() - started) }, 'job finished');
    return result;
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    await services.db
      .updateTable('job_runs')
      .set({ finished_at: new Date(), error: message.slice(0, 2000) })
      .where('id', '=', id)
      .execute()
      .catch(() => undefined);
    services.logger.error({ job: name, err }, 'job failed');
    throw err;
  }
}

export type RunningJobs = {
  boss: PgBoss;
  /** Queues one run of a job now (what the schedule does at its time). */
  send: (name: string) => Promise<string | null>;
  stop: () => Promise<void>;
};

export const JOBS_SCHEMA = 'pgboss';

/**
 * Starts pg-boss for the app: its own pool as the owner (the URL of services.pool unless one is
 * given), a queue per registered job (policy 'exclusive': at most one queued or running, so a
 * backlog of missed ticks collapses into one run), the cron schedules, and a worker per queue.
 * `stop()` stops taking work, waits up to `stopTimeoutMs` for a running job, and closes the pool.
 */
export async function startJobs(
  services: Services,
  opts: {
    url?: string;
    pollingIntervalSeconds?: number;
    stopTimeoutMs?: number;
    schedule?: boolean;
    /** Queue one run of every job straight away (demo mode: reminders show without waiting for 07:00). */
    runNow?: boolean;
  } = {},
): Promise<RunningJobs> {
  const url = opts.url ?? services.pool.options.connectionString;
  if (!url) throw new Error('Background jobs need the database URL');
  const boss = new PgBoss({
    connectionString: url,
    schema: JOBS_SCHEMA,
    max: 3,
    application_name: 'dp-jobs',
    schedule: opts.schedule !== false,
    // Installed by migration 1200 already; a newer pg-boss migrates its schema here, as the owner.
    migrate: true,
    createSchema: false,
  });
  boss.on('error', (err) => services.logger.error({ err }, 'background jobs: pg-boss reported an error'));
  await boss.start();
  const defined = await registeredJobs();
  const workers: Record<string, string> = {};
  try {
    for (const job of defined) {
      await boss.createQueue(job.name, { policy: 'exclusive', retryLimit: 2, retryDelay: 60, expireInSeconds: 30 * 60 });
      workers[job.name] = await boss.work(job.name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 30 }, async () => {
        await runJob(services, job.name, { trigger: 'schedule' });
      });
      if (job.cron && opts.schedule !== false) await boss.schedule(job.name, job.cron, null, { tz: 'Europe/London' });
    }
  } catch (err) {
    await boss.stop({ graceful: false, close: true }).catch(() => undefined);
    throw err;
  }
  if (opts.runNow) {
    for (const job of defined) {
      await boss.send(job.name, null);
      boss.notifyWorker(workers[job.name]!);
    }
  }
  services.logger.info({ jobs: defined.map((j) => j.name), runNow: !!opts.runNow }, 'background jobs started');
  return {
    boss,
    send: async (name) => {
      const id = await boss.send(name, null);
      if (workers[name]) boss.notifyWorker(workers[name]);
      return id;
    },
    stop: async () => {
      await boss.stop({ graceful: true, close: true, timeout: opts.stopTimeoutMs ?? 10_000 });
    },
  };
}
