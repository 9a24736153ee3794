import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, TEST_TODAY, type TestServices } from '../../../test/support/database.ts';
import { seedDemo } from '../../demo/seed.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { runJob } from '../../platform/jobs.ts';
import { loadUser } from '../../platform/http/auth.ts';
import { addAssistant, addStatementLines, fundedDirectPayment } from '../surplus/test-data.ts';
import { currentFlags, worklist } from './queries.ts';
import { recordConcern } from './actions.ts';
import { ensureSnapshot, refreshCouncilFlags, refreshFlagsFor, snapshotOf, storedFlags, storedWorklist } from './snapshot.ts';

let s: TestServices;
let councilId: string;
let welshId: string;
const today = TEST_TODAY;

beforeAll(async () => {
  s = await freshServices();
  await seedDemo(s);
  const ids = await demoIds(s.db);
  councilId = ids.england;
  welshId = ids.wales;
  // Something for every rule that is on by default, beside whatever the demo holds.
  const building = await fundedDirectPayment(s.db, { givenName: 'Building', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
  const unexplained = await fundedDirectPayment(s.db, { givenName: 'Unexplained', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
  await addStatementLines(s.ownerDb, unexplained.id, [
    { on: '2026-10-02', pence: -20_000, description: 'CASH WITHDRAWAL' },
    { on: '2026-10-20', pence: -11_250, description: 'ONLINE PAYMENT 4471' },
  ]);
  const payee = await fundedDirectPayment(s.db, { givenName: 'Payee', weeklyPence: 20_000, periods: 2, spentPence: 150_000 });
  await addStatementLines(s.ownerDb, payee.id, ['2026-08-05', '2026-09-05', '2026-10-05'].map((on) => ({ on, pence: -12_000, description: 'FPO J SMITH', counterparty: 'J SMITH', explained: 'Help' })));
  await addAssistant(s.ownerDb, payee.id, 'Alex Evans', 'provider');
  const practitioner = (await loadUser(s, ids.user('practitioner')))!;
  await s.db.transaction().execute((trx) => recordConcern(trx, { dp: { id: building.id, council_id: councilId, person_id: building.personId }, concern: 'Worried', on: '2026-11-02', user: practitioner }));
});
afterAll(async () => s?.close());

const live = async (council = councilId) => worklist(s.db, council, { today });
const stored = async (council = councilId) => (await storedWorklist(s.db, council)).entries;

describe('the stored worklist', () => {
  it('is built the first time it is asked for, and then equals the rules worked out live, in the same order', async () => {
    expect(await snapshotOf(s.db, councilId)).toBeNull();
    const snapshot = await ensureSnapshot(s.db, councilId, { today });
    expect(snapshot.evaluatedFor).toBe(today);
    const expected = await live();
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(new Set(expected.flatMap((e) => e.flags.map((f) => f.rule)))).toEqual(new Set(['balance_over_contingency', 'unexplained_spending', 'unregistered_payee', 'previous_concern']));
    expect(await stored()).toEqual(expected);
    expect(snapshot.flagged).toBe(expected.length);
    const counts = await storedWorklist(s.db, councilId);
    expect(counts.high).toBe(expected.filter((e) => e.level === 'high').length);
    // A page at a time, in the same order.
    const page2 = await storedWorklist(s.db, councilId, { limit: 2, offset: 2 });
    expect(page2.entries).toEqual(expected.slice(2, 4));
    expect(page2.flagged).toBe(expected.length);
    // Asking again does not work it out again.
    expect((await ensureSnapshot(s.db, councilId, { today })).evaluatedAt).toEqual(snapshot.evaluatedAt);
  });

  it('keeps what it was told until refreshed: a change made behind its back shows only after a refresh', async () => {
    await refreshCouncilFlags(s.db, councilId, { today });
    const dp = await fundedDirectPayment(s.db, { givenName: 'Later', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
    await addStatementLines(s.ownerDb, dp.id, [{ on: '2026-11-01', pence: -40_000, description: 'CASH WITHDRAWAL' }]);
    expect((await live()).map((e) => e.directPaymentId)).toContain(dp.id);
    expect((await stored()).map((e) => e.directPaymentId)).not.toContain(dp.id);
    expect(await stored()).not.toEqual(await live());
    const before = (await snapshotOf(s.db, councilId))!;
    const after = await refreshCouncilFlags(s.db, councilId, { today });
    expect(after.evaluatedAt.getTime()).toBeGreaterThanOrEqual(before.evaluatedAt.getTime());
    expect(await stored()).toEqual(await live());
  });

  it('refreshes one direct payment at once when a concern is recorded, leaving the rest as they were', async () => {
    await refreshCouncilFlags(s.db, councilId, { today });
    const quiet = await fundedDirectPayment(s.db, { givenName: 'Quietly', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
    const practitioner = (await loadUser(s, (await demoIds(s.db)).user('practitioner')))!;
    const others = (await stored()).filter((e) => e.directPaymentId !== quiet.id);
    const flags = await s.db.transaction().execute(async (trx) => {
      await recordConcern(trx, { dp: { id: quiet.id, council_id: councilId, person_id: quiet.personId }, concern: 'A new concern', on: today, user: practitioner });
      return refreshFlagsFor(trx, quiet.id, { today });
    });
    expect(flags.map((f) => f.rule)).toEqual(['previous_concern']);
    const now = await stored();
    expect(now.find((e) => e.directPaymentId === quiet.id)).toMatchObject({ level: 'high', flags: [{ rule: 'previous_concern', reason: 'A concern was recorded on 23 November 2026, so the account is looked at more closely for 12 months after it.' }] });
    expect(now.filter((e) => e.directPaymentId !== quiet.id)).toEqual(others);
    expect(now).toEqual(await live());
    // A direct payment that ends drops off the list, and its own refresh removes its rows.
    await s.ownerDb.updateTable('direct_payments').set({ status: 'ended' }).where('id', '=', quiet.id).execute();
    expect((await stored()).map((e) => e.directPaymentId)).not.toContain(quiet.id);
    expect(await refreshFlagsFor(s.db, quiet.id, { today })).toEqual([]);
    expect(await s.db.selectFrom('monitoring_flags').select('rule').where('direct_payment_id', '=', quiet.id).execute()).toEqual([]);
  });

  it('gives the insight dashboard the same flat list as the live query', async () => {
    await refreshCouncilFlags(s.db, councilId, { today });
    const flat = await storedFlags(s.db, councilId, { today });
    const byKey = (a: { directPaymentId: string; rule: string }, b: { directPaymentId: string; rule: string }) => `${a.directPaymentId}${a.rule}`.localeCompare(`${b.directPaymentId}${b.rule}`);
    expect(flat.sort(byKey)).toEqual((await currentFlags(s.db, councilId, { today })).sort(byKey));
  });
});

describe('the job monitoring.refresh-flags', () => {
  it('refreshes every council, and two runs at once leave each council whole and equal to the live rules', async () => {
    const dp = await fundedDirectPayment(s.db, { givenName: 'Racing', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
    const [a, b] = await Promise.all([runJob(s, 'monitoring.refresh-flags'), runJob(s, 'monitoring.refresh-flags')]);
    expect(a.processed).toBe(b.processed);
    expect(a.processed).toBeGreaterThan(0);
    expect((await stored()).map((e) => e.directPaymentId)).toContain(dp.id);
    expect(await stored()).toEqual(await live());
    expect(await stored(welshId)).toEqual(await live(welshId));
    const runs = await s.db.selectFrom('job_runs').select(['error', 'processed']).where('name', '=', 'monitoring.refresh-flags').execute();
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.error === null)).toBe(true);
  });

  it('waits for the council’s lock: a refresh cannot write while another holds it', async () => {
    const holder = await s.pool.connect();
    try {
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`monitoring-flags:${councilId}`]);
      let done = false;
      const refreshing = refreshCouncilFlags(s.db, councilId, { today }).then((r) => ((done = true), r));
      const single = refreshFlagsFor(s.db, (await live())[0]!.directPaymentId, { today });
      await new Promise((r) => setTimeout(r, 400));
      expect(done).toBe(false);
      const waiting = await sql<{ n: string }>`select count(*) as n from pg_locks where locktype = 'advisory' and not granted`.execute(s.ownerDb);
      expect(Number(waiting.rows[0]!.n)).toBe(2);
      await holder.query('commit');
      await Promise.all([refreshing, single]);
      expect(done).toBe(true);
      expect(await stored()).toEqual(await live());
    } finally {
      holder.release();
    }
  });
});
