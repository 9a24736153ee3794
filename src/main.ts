import { boot } from './platform/boot.ts';
import { createApp } from './app.ts';
import { seedDemoIfEmpty } from './demo/seed.ts';
import { ConfigError } from './platform/config.ts';
import { startJobs, type RunningJobs } from './platform/jobs.ts';

const started = performance.now();
try {
  const { services, shutdown } = await boot();
  if (services.config.demoMode) await seedDemoIfEmpty(services);
  const app = createApp(services);
  const server = app.listen(services.config.port, () => {
    services.logger.info(
      { port: services.config.port, demo: services.config.demoMode, startupMs: Math.round(performance.now() - started) },
      `Manage direct payments is running at http://localhost:${services.config.port}`,
    );
  });
  // Background jobs (pg-boss, its own pool as the owner) start once the app is serving, so they
  // never delay start-up; a failure to start them is logged and the app keeps serving.
  // In demo mode every job runs once at start, so reminders and invitations are there to see.
  const jobs: Promise<RunningJobs | undefined> = startJobs(services, { runNow: services.config.demoMode }).catch((err: unknown) => {
    services.logger.error({ err }, 'background jobs did not start');
    return undefined;
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    await (await jobs)?.stop().catch((err: unknown) => services.logger.error({ err }, 'background jobs did not stop cleanly'));
    await shutdown();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Configuration problem: ${err.message}`);
  } else {
    console.error(`Manage direct payments could not start: ${(err as Error).message}`);
  }
  process.exit(1);
}
