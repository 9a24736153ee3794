import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshServices, type TestServices } from '../../test/support/database.ts';
import { seedDemo } from '../demo/seed.ts';
import { registeredJobs, runJob, startJobs, UnknownJobError } from './jobs.ts';
import { notify, registerTemplates, renderTemplate, NotificationError, unreadCount } from './notifications/index.ts';

let s: TestServices;
beforeAll(async () => {
  s = await freshServices();
  await seedDemo(s);
});
afterAll(async () => {
  await s?.close();
});

registerTemplates({ 'test-hello': { subject: 'Hello ((name))', body: 'Your reference is ((ref)).\nThank you, ((name)).' } });

async function someUser(username: string) {
  return s.db.selectFrom('users').select(['id', 'council_id', 'email']).where('username', '=', username).executeTakeFirstOrThrow();
}

describe('notifications', () => {
  it('fills ((placeholders)) as Notify does and refuses missing personalisation', () => {
    expect(renderTemplate({ subject: 'Hi ((name))', body: '((name)) owes ((amount))' }, { name: 'Ann', amount: '£5' })).toEqual({ subject: 'Hi Ann', body: 'Ann owes £5' });
    expect(() => renderTemplate({ subject: 'Hi ((name))', body: '((amount))' }, { name: 'Ann' })).toThrow('Missing personalisation: amount');
  });

  it('records a message once per reference, in-app and by email, and never sends it out', async () => {
    const user = await someUser('practitioner');
    await s.ownerDb.updateTable('users').set({ email: 'gareth@example.org' }).where('id', '=', user.id).execute();
    const req = { councilId: user.council_id, templateId: 'test-hello', reference: 'test:1', toUserId: user.id, personalisation: { name: 'Gareth', ref: 'DP-1' }, link: '/reviews' };
    const first = await notify(s.db, req);
    const again = await notify(s.db, { ...req, personalisation: { name: 'Someone else', ref: 'DP-2' } });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const rows = await s.db.selectFrom('notifications').selectAll().where('reference', '=', 'test:1').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject: 'Hello Gareth', body: 'Your reference is DP-1.\nThank you, Gareth.', email_address: 'gareth@example.org', email_status: 'recorded', to_user_id: user.id, read_at: null });
    expect(await unreadCount(s.db, user.id)).toBeGreaterThanOrEqual(1);
  });

  it('refuses an unknown template, a missing recipient and another council’s user', async () => {
    const user = await someUser('practitioner');
    const welsh = await someUser('rhys');
    await expect(notify(s.db, { councilId: user.council_id, templateId: 'nope', reference: 'x', toUserId: user.id, personalisation: {} })).rejects.toThrow(NotificationError);
    await expect(notify(s.db, { councilId: user.council_id, templateId: 'test-hello', reference: 'x', personalisation: { name: 'a', ref: 'b' } })).rejects.toThrow('needs a user or an email');
    await expect(notify(s.db, { councilId: user.council_id, templateId: 'test-hello', reference: 'x', toUserId: welsh.id, personalisation: { name: 'a', ref: 'b' } })).rejects.toThrow("another council's user");
  });

  it('lets the app role mark a message read but never change or remove what it said', async () => {
    const user = await someUser('practitioner');
    const { id } = await notify(s.db, { councilId: user.council_id, templateId: 'test-hello', reference: 'test:grants', toUserId: user.id, personalisation: { name: 'G', ref: 'R' } });
    await s.db.updateTable('notifications').set({ read_at: new Date() }).where('id', '=', id).execute();
    await expect(s.db.updateTable('notifications').set({ body: 'changed' }).where('id', '=', id).execute()).rejects.toThrow(/permission denied/);
    await expect(s.db.deleteFrom('notifications').where('id', '=', id).execute()).rejects.toThrow(/permission denied/);
    await expect(sql`select count(*) from pgboss.job`.execute(s.db)).rejects.toThrow(/permission denied/);
  });
});

describe('background jobs', () => {
  it('registers the features’ jobs and runs one by name, recording the run', async () => {
    const names = (await registeredJobs()).map((j) => j.name);
    expect(names).toContain('reviews.reminders');
    const result = await runJob(s, 'reviews.reminders', { trigger: 'test' });
    expect(result.processed).toBeGreaterThanOrEqual(0);
    const run = await s.db.selectFrom('job_runs').selectAll().where('name', '=', 'reviews.reminders').orderBy('started_at', 'desc').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ trigger: 'test', processed: result.processed, error: null, run_for: s.clock.today() });
    expect(run.finished_at).not.toBeNull();
    await expect(runJob(s, 'no.such.job')).rejects.toThrow(UnknownJobError);
  });

  it('runs a job through pg-boss as the owner, schedules the crons, and stops promptly', async () => {
    const jobs = await startJobs(s, { pollingIntervalSeconds: 0.5 });
    try {
      const schedules = await jobs.boss.getSchedules();
      expect(schedules.map((x) => x.name)).toContain('reviews.reminders');
      const before = await s.db.selectFrom('job_runs').select((eb) => eb.fn.countAll<number>().as('n')).where('trigger', '=', 'schedule').executeTakeFirstOrThrow();
      expect(Number(before.n)).toBe(0);
      const jobId = await jobs.send('reviews.reminders');
      expect(jobId).toBeTruthy();
      const deadline = Date.now() + 15_000;
      let state: string | undefined;
      while (Date.now() < deadline) {
        const [job] = await jobs.boss.findJobs('reviews.reminders', { id: jobId! });
        state = job?.state;
        if (state === 'completed' || state === 'failed') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(state).toBe('completed');
      const run = await s.db.selectFrom('job_runs').selectAll().where('trigger', '=', 'schedule').executeTakeFirstOrThrow();
      expect(run).toMatchObject({ name: 'reviews.reminders', error: null });
    } finally {
      const t = performance.now();
      await jobs.stop();
      expect(performance.now() - t).toBeLessThan(5_000);
    }
    // Nothing of pg-boss is left connected to the database.
    const left = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'dp-jobs'`.execute(s.ownerDb);
    expect(left.rows[0]!.n).toBe(0);
  });
});
