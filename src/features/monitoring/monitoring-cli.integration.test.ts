import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';
import { TEST_TODAY } from '../../../test/support/database.ts';
import { addDays } from '../../domain/dates.ts';
import { loadUser } from '../../platform/http/auth.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { fundedDirectPayment } from '../surplus/test-data.ts';
import { openCase, postRecovery, recordConversation, sendNotice } from '../surplus/cases.ts';
import { recordConcern } from './actions.ts';

const DP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cli/dp.ts');
type Run = { code: number | null; stdout: string; stderr: string };

function dp(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.url };
    delete env.DEMO_MODE;
    const child = spawn(process.execPath, [DP, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let t: TestApp;
let concerned: Awaited<ReturnType<typeof fundedDirectPayment>>;
beforeAll(async () => {
  t = await startTestApp();
  concerned = await fundedDirectPayment(t.db, { givenName: 'Cli', weeklyPence: 20_000, periods: 6, spentPence: 100_000 });
  const practitioner = (await loadUser(t, (await demoIds(t.db)).user('practitioner')))!;
  await t.db.transaction().execute((trx) => recordConcern(trx, { dp: { id: concerned.id, council_id: concerned.councilId, person_id: concerned.personId }, concern: 'Cash withdrawals that were not explained', on: '2026-11-01', user: practitioner }));
});
afterAll(async () => t?.stop());

describe('dp monitoring flags', () => {
  it('prints the flags as JSON, one entry per flag with its reason and evidence', async () => {
    const r = await dp(['monitoring', 'flags', '--json', '--council', 'eastmoor', '--date', TEST_TODAY]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const flags = JSON.parse(r.stdout) as Array<{ council: string; reference: string; level: string; rule: string; reason: string; evidence: Record<string, unknown> }>;
    const mine = flags.filter((f) => f.reference === concerned.reference).sort((a, b) => a.rule.localeCompare(b.rule));
    expect(mine.map((f) => f.rule)).toEqual(['balance_over_contingency', 'previous_concern']);
    expect(mine.every((f) => f.level === 'high' && f.council === 'EASTMOOR')).toBe(true);
    expect(mine[0]!.reason).toBe('The account holds about £3,800.00, which is £2,200.00 more than the £1,600.00 kept for emergencies (8 weeks of payments).');
    expect(mine[1]!.evidence).toMatchObject({ concerns: [{ on: '2026-11-01', text: 'Cash withdrawals that were not explained' }] });
    expect(r.stdout).not.toContain('Cli Tester');
  });

  it('prints a readable list, and exits 2 for a bad date and 1 for an unknown council', async () => {
    const r = await dp(['monitoring', 'flags', '--council', 'EASTMOOR', '--date', TEST_TODAY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Eastmoor County Council \(EASTMOOR\), 2026-11-23(, as at \d{1,2}:\d{2}(am|pm) on \d{1,2} [A-Z][a-z]+ \d{4}| \(worked out now\)): \d+ direct payments? flagged/);
    expect(r.stdout).toContain(`  ${concerned.reference}  High\n    - balance_over_contingency: The account holds about £3,800.00`);
    const bad = await dp(['monitoring', 'flags', '--date', '23/11/2026']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--date must be a date, YYYY-MM-DD');
    const unknown = await dp(['monitoring', 'flags', '--council', 'NOWHERE']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no council with the code NOWHERE');
  });

  it('reads the stored flags, says as at when, and works them out again with --now', async () => {
    const stored = await dp(['monitoring', 'flags', '--council', 'EASTMOOR']);
    expect(stored.code).toBe(0);
    expect(stored.stdout).toMatch(/^Eastmoor County Council \(EASTMOOR\), \d{4}-\d{2}-\d{2}, as at \d{1,2}:\d{2}(am|pm) on /);
    // A concern recorded behind the snapshot's back shows only once it is worked out again.
    const other = await fundedDirectPayment(t.db, { givenName: 'Clilater', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
    const practitioner = (await loadUser(t, (await demoIds(t.db)).user('practitioner')))!;
    await t.db.transaction().execute((trx) => recordConcern(trx, { dp: { id: other.id, council_id: other.councilId, person_id: other.personId }, concern: 'Not refreshed', on: TEST_TODAY, user: practitioner }));
    const json = async (args: string[]) => JSON.parse((await dp(['monitoring', 'flags', '--json', '--council', 'EASTMOOR', ...args])).stdout) as Array<{ reference: string; asAt: string | null }>;
    const before = await json([]);
    expect(before.map((f) => f.reference)).not.toContain(other.reference);
    expect(before.every((f) => typeof f.asAt === 'string')).toBe(true);
    const now = await json(['--now']);
    expect(now.map((f) => f.reference)).toContain(other.reference);
    expect(Date.parse(now[0]!.asAt!)).toBeGreaterThanOrEqual(Date.parse(before[0]!.asAt!));
    // Another day is worked out live and stored nowhere.
    const otherDay = await json(['--date', '2026-12-01']);
    expect(otherDay.every((f) => f.asAt === null)).toBe(true);
  });

  it('leaves `dp ledger verify` passing after a surplus is recovered', async () => {
    const practitioner = (await loadUser(t, (await demoIds(t.db)).user('practitioner')))!;
    const ref = { id: concerned.id, council_id: concerned.councilId, person_id: concerned.personId, reference: concerned.reference };
    await t.db.transaction().execute(async (trx) => {
      await openCase(trx, { dp: ref, user: practitioner, today: TEST_TODAY });
      await recordConversation(trx, { dp: ref, user: practitioner, input: { heldOn: TEST_TODAY, reason: 'not_needed', notes: 'Talked it through', keep: false, recoverPence: 150_000, method: 'refund' } });
      await sendNotice(trx, { dp: ref, user: practitioner, today: TEST_TODAY });
    });
    await t.db.transaction().execute((trx) => postRecovery(trx, { dp: ref, user: practitioner, today: addDays(TEST_TODAY, 29) }));
    const r = await dp(['ledger', 'verify']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('The ledger holds');
    expect(r.code).toBe(0);
  });
});
