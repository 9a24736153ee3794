import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { boot } from '../src/platform/boot.ts';
import { loadConfig } from '../src/platform/config.ts';
import { londonDate } from '../src/platform/services.ts';
import { generateCouncil } from '../src/demo/generate.ts';
import { runJob } from '../src/platform/jobs.ts';

const PEOPLE = 120_000;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * The daily review reminders and feedback invitations over a national-scale council (the
 * generator's 120,000 people on direct payments, five years of history, reviews on England's
 * schedule, some overdue): the first run, which records every reminder due, and the next day's run,
 * which finds them all sent and records nothing.
 */
export async function benchReviewReminders(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-reminders-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 45000 + Math.floor(Math.random() * 2000) };
  const { services, shutdown } = await boot({ config, quiet: true });
  services.pool.on('error', () => undefined);
  try {
    const today = londonDate(new Date());
    const gen = await generateCouncil(services.db, { people: PEOPLE, today, code: 'BENCHREM', paymentMonths: 1 });
    const timed = async (name: string) => {
      const started = performance.now();
      const result = await runJob(services, name, { trigger: 'test' });
      return { ...result, ms: performance.now() - started };
    };
    const first = await timed('reviews.reminders');
    const again = await timed('reviews.reminders');
    const invites = await timed('feedback.invitations');
    const invitesAgain = await timed('feedback.invitations');
    return [
      `${PEOPLE.toLocaleString('en-GB')} people on direct payments (${gen.people.toLocaleString('en-GB')} people in all), ${gen.reviews.toLocaleString('en-GB')} reviews (generated in ${seconds(gen.ms)})`,
      `reviews.reminders, first run: ${first.processed.toLocaleString('en-GB')} reminders recorded in ${seconds(first.ms)}`,
      `reviews.reminders, run again: ${again.processed} new, ${seconds(again.ms)}`,
      `feedback.invitations: ${invites.processed.toLocaleString('en-GB')} invitations in ${seconds(invites.ms)}; again ${invitesAgain.processed} new, ${seconds(invitesAgain.ms)}`,
    ];
  } finally {
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
