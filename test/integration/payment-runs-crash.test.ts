import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.ts';
import { londonDate } from '../../src/platform/services.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { earliestArrival } from '../../src/domain/payment-run.ts';
import { loadHolidays } from '../../src/features/payments/holidays.ts';
import { verifyLedger } from '../../src/features/payments/ledger.ts';
import { agreedDirectPayment, setUpBacs } from '../../src/features/payment-runs/test-data.ts';
import { offsetFor, preparedDatabase, runDp, servicesOn } from './payment-runs-support.ts';
import { demoIds } from '../support/builders.ts';

// The `dp` command runs with the real clock, so this test's dates follow the real today.
const today = londonDate(new Date());
const BATCH = { PAYMENT_RUN_BATCH_SIZE: '3' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-crash-'));
let prepared: Awaited<ReturnType<typeof preparedDatabase>>;
let paymentDate: string;

type Step = 'run' | 'approve' | 'file' | 'paid';
const STEPS: Step[] = ['run', 'approve', 'file', 'paid'];

/** Where a run can be killed: after each of its transactions commits. */
const CRASH_POINTS: Array<[Step, string]> = [
  ['run', 'run:claimed'],
  ['run', 'run:scheduled'],
  // Inside a step shared between two connections: one lane's lines committed, the other's not.
  // (Scheduling's own such point, run:some-scheduled, needs two schedules due at once: the
  // model-based test reaches it.)
  ['run', 'run:lines-written'],
  ['run', 'run:fixed'],
  ['approve', 'approve:approved'],
  ['approve', 'approve:batch:1'],
  ['approve', 'approve:batch:2'],
  ['approve', 'approve:posted'],
  ['file', 'file:generated'],
  ['paid', 'paid:started'],
  ['paid', 'paid:batch:1'],
  ['paid', 'paid:done'],
];

function args(step: Step, runId: string, out: string): string[] {
  if (step === 'run') return ['payments', 'run', '--date', paymentDate, '--as', 'finance'];
  if (step === 'approve') return ['payments', 'approve', runId, '--as', 'manager'];
  if (step === 'file') return ['payments', 'file', runId, '--out', out];
  return ['payments', 'paid', runId, '--as', 'finance'];
}

/** The whole journey of a run through `dp`, killed with SIGKILL once at `crashAt` and then run again. */
async function journey(url: string, out: string, crashAt?: [Step, string]): Promise<string> {
  let runId = '';
  for (const step of STEPS) {
    if (crashAt?.[0] === step) {
      const killed = await runDp(url, args(step, runId, out), { ...BATCH, DP_CRASH_AT: crashAt[1] });
      expect(killed.signal, `${crashAt[1]}: ${killed.stderr}`).toBe('SIGKILL');
    }
    const done = await runDp(url, args(step, runId, out), BATCH);
    expect(done.stderr, `${step} after ${crashAt?.[1] ?? 'no crash'}`).toBe('');
    expect(done.code).toBe(0);
    if (step === 'run') runId = /Payment run ([0-9a-f-]{36})/.exec(done.stdout)![1]!;
  }
  return runId;
}

/** What a finished run left behind, comparable across copies of the same starting database. */
async function outcome(db: Database) {
  const lines = await sql<{ reference: string; period_starts_on: string; amount_pence: number; offset_pence: number; status: string }>`
    select dp.reference, p.period_starts_on, l.amount_pence, l.offset_pence, l.status
    from payment_run_lines l join payments p on p.id = l.payment_id join direct_payments dp on dp.id = l.direct_payment_id
    order by l.line_number`.execute(db);
  const balances = await sql<{ code: string; balance: number }>`
    select a.code, sum(p.amount_pence)::bigint as balance from ledger_postings p join ledger_accounts a on a.id = p.account_id
    group by a.code order by a.code`.execute(db);
  const paidTwice = await sql<{ n: number }>`
    select count(*)::int as n from (
      select p.direct_payment_id, p.period_starts_on from payments p join ledger_transactions t on t.idempotency_key like 'run-line:%:paid'
        join payment_run_lines l on t.idempotency_key = 'run-line:' || l.id || ':paid' and l.payment_id = p.id
      group by 1, 2 having count(*) > 1) twice`.execute(db);
  const transactions = await sql<{ n: number }>`select count(*)::int as n from ledger_transactions`.execute(db);
  const offsets = await sql<{ taken_pence: number; takes: number }>`
    select o.taken_pence, (select count(*)::int from surplus_offset_takes t where t.offset_id = o.id) as takes
    from surplus_offsets o order by o.amount_pence`.execute(db);
  const runs = await db.selectFrom('payment_runs').select(['status', 'line_count', 'total_pence', 'exception_count', 'file_serial']).execute();
  return { lines: lines.rows, balances: balances.rows, paidTwice: paidTwice.rows[0]!.n, transactions: transactions.rows[0]!.n, runs, offsets: offsets.rows };
}

let reference: { file: Buffer; outcome: Awaited<ReturnType<typeof outcome>> };

beforeAll(async () => {
  prepared = await preparedDatabase(async (db, url) => {
    await seedDemo(servicesOn(db, url, today));
    await setUpBacs(db);
    const ongoing = [];
    for (const [i, weekly] of [18_800, 15_500, 9_000, 42_000, 2_100_000, 6_000].entries()) {
      ongoing.push(await agreedDirectPayment(db, { givenName: `Ongoing${i}`, kind: 'ongoing', weeklyPence: weekly, contributionPence: 1_500, today }));
    }
    // Surplus owed back, taken off payments: part of one payment, and the whole of another (£180,
    // so that line is paid from the surplus alone and is not in the Bacs file).
    const finance = { id: (await demoIds(db)).user('finance') };
    const councilOf = async (id: string) => (await db.selectFrom('direct_payments').select('council_id').where('id', '=', id).executeTakeFirstOrThrow()).council_id;
    await offsetFor(db, { id: ongoing[1]!.id, council_id: await councilOf(ongoing[1]!.id) }, 12_345, finance);
    await offsetFor(db, { id: ongoing[5]!.id, council_id: await councilOf(ongoing[5]!.id) }, 50_000, finance);
    await agreedDirectPayment(db, { givenName: 'Oneoff', amountPence: 45_000, today });
    await agreedDirectPayment(db, { givenName: 'Nobank', amountPence: 38_000, today, bank: { sortCode: null, accountNumber: null, accountName: null } });
    paymentDate = earliestArrival(today, await loadHolidays(db));
  });
  const { url, db } = await prepared.copy();
  const out = path.join(dir, 'reference.txt');
  await journey(url, out);
  reference = { file: fs.readFileSync(out), outcome: await outcome(db) };
  await db.destroy();
}, 120_000);

// Dropping a dozen databases takes a while on a busy machine.
afterAll(async () => {
  await prepared?.dropAll();
  fs.rmSync(dir, { recursive: true, force: true });
}, 180_000);

describe('a payment run killed with kill -9 at any step', () => {
  it('runs uninterrupted: every payment paid once, the ledger whole', () => {
    expect(reference.outcome.lines.length).toBeGreaterThanOrEqual(7);
    expect(reference.outcome.lines.every((l) => l.status === 'paid')).toBe(true);
    expect(reference.outcome.runs).toEqual([expect.objectContaining({ status: 'paid', file_serial: '000001', exception_count: 1 })]);
    expect(reference.outcome.paidTwice).toBe(0);
    // The surplus: £123.45 off one payment, the whole £180 of another, each taken once.
    expect(reference.outcome.offsets).toEqual([{ taken_pence: 12_345, takes: 1 }, { taken_pence: 18_000, takes: 1 }]);
    expect(reference.outcome.lines.filter((l) => l.offset_pence > 0).map((l) => [l.amount_pence, l.offset_pence]).sort()).toEqual([[18_000, 18_000], [56_000, 12_345]]);
    // The line paid from the surplus alone is not in the file: one credit fewer than lines.
    const credits = reference.file.toString('ascii').split('\r\n').filter((r) => r.length === 100 && r.slice(15, 17) === '99');
    expect(credits).toHaveLength(reference.outcome.lines.length - 1);
  });

  // Two at a time: each is a handful of `dp` processes on its own copy of the database.
  const pairs: Array<Array<[Step, string]>> = [];
  for (let i = 0; i < CRASH_POINTS.length; i += 2) pairs.push(CRASH_POINTS.slice(i, i + 2));
  for (const pair of pairs) {
    it(`restarts after a crash at ${pair.map((p) => p[1]).join(' and at ')}: each obligation paid once, the same file byte for byte`, async () => {
      await Promise.all(pair.map(async (crashAt) => {
        const { url, db } = await prepared.copy();
        try {
          const out = path.join(dir, `${crashAt[1].replace(/:/g, '-')}.txt`);
          await journey(url, out, crashAt);
          expect(Buffer.compare(fs.readFileSync(out), reference.file), `file after ${crashAt[1]}`).toBe(0);
          expect(await outcome(db)).toEqual(reference.outcome);
          expect(await verifyLedger(db)).toEqual([]);
        } finally {
          await db.destroy();
        }
      }));
    }, 120_000);
  }
});

describe('dp ledger verify and export', () => {
  it('exits 0 when every rule holds, and 1 with a report when a posting has been slipped past the triggers', async () => {
    const { url, db } = await prepared.copy();
    try {
      const ok = await runDp(url, ['ledger', 'verify']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('The ledger holds');
      // The database owner can set the triggers aside; verify still notices.
      const owner = await import('pg').then(({ default: pg }) => new pg.Client({ connectionString: url }));
      await owner.connect();
      await owner.query(`begin; set local session_replication_role = replica;
        insert into ledger_postings (transaction_id, account_id, amount_pence)
          select t.id, (select account_id from ledger_postings where transaction_id = t.id limit 1), 1 from ledger_transactions t limit 1;
        commit;`);
      await owner.end();
      const broken = await runDp(url, ['ledger', 'verify']);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/The ledger breaks \d+ rules?:/);
      expect(broken.stderr).toMatch(/has 3 postings summing to 1 pence/);
    } finally {
      await db.destroy();
    }
  });

  it('writes every posting to a CSV file', async () => {
    const { url, db } = await prepared.copy();
    try {
      const out = path.join(dir, 'ledger.csv');
      const r = await runDp(url, ['ledger', 'export', '--out', out]);
      expect(r.code).toBe(0);
      const postings = await db.selectFrom('ledger_postings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = fs.readFileSync(out, 'utf8').trim().split('\r\n');
      expect(rows[0]).toBe('posting_id,transaction_id,recorded_at,effective_on,council,kind,description,idempotency_key,reverses,account_code,account_name,account_kind,direct_payment,amount_pence,debit,credit');
      expect(rows).toHaveLength(Number(postings.n) + 1);
      expect(r.stdout).toContain(`Wrote ${postings.n} postings`);
    } finally {
      await db.destroy();
    }
  });
});

describe('dp payments commands', () => {
  it('explain bad arguments (exit 2) and refusals (exit 1) in plain English', async () => {
    const { url, db } = await prepared.copy();
    try {
      const cases: Array<[string[], number, string]> = [
        [['payments', 'run', '--as', 'finance'], 2, '--date is missing'],
        [['payments', 'run', '--date', '2026-02-30', '--as', 'finance'], 2, '--date must be a real date written YYYY-MM-DD'],
        [['payments', 'run', '--date', paymentDate], 2, '--as <username> is missing'],
        [['payments', 'run', '--date', paymentDate, '--as', 'practitioner'], 1, 'Gareth Hughes (practitioner) cannot create payment runs.'],
        [['payments', 'run', '--date', '2020-01-06', '--as', 'finance'], 1, 'It is too late for money to arrive on 6 January 2020'],
        [['payments', 'approve', 'not-a-run', '--as', 'manager'], 2, '"not-a-run" is not a payment run id'],
        [['payments', 'approve', '00000000-0000-4000-8000-000000000000', '--as', 'manager'], 1, 'There is no payment run 00000000-0000-4000-8000-000000000000.'],
        [['payments', 'file', '00000000-0000-4000-8000-000000000000'], 2, '--out is missing'],
        [['payments', 'returned', '00000000-0000-4000-8000-000000000000', 'x'], 2, '<line> must be the payment’s number in the run'],
      ];
      for (const [argv, code, message] of cases) {
        const r = await runDp(url, argv);
        expect(r.code, argv.join(' ')).toBe(code);
        expect(r.stderr, argv.join(' ')).toContain(message);
      }
      const run = await runDp(url, ['payments', 'run', '--date', paymentDate, '--as', 'finance']);
      expect(run.stdout).toMatch(/^Payment run [0-9a-f-]{36} for .+: \d+ payments, total £[\d,]+\.\d\d, 1 not paid \(exceptions\)\.\nCreated\./);
      const id = /Payment run ([0-9a-f-]{36})/.exec(run.stdout)![1]!;
      const again = await runDp(url, ['payments', 'run', '--date', paymentDate, '--as', 'finance']);
      expect(again.stdout).toContain(`Payment run ${id}`);
      expect(again.stdout).toContain('This run had already been created.');
      const own = await runDp(url, ['payments', 'approve', id, '--as', 'finance']);
      expect(own.code).toBe(1);
      expect(own.stderr).toContain('You created this payment run, so someone else must approve it.');
      const early = await runDp(url, ['payments', 'file', id, '--out', path.join(dir, 'early.txt')]);
      expect(early.code).toBe(1);
      expect(early.stderr).toContain('The run must be approved before its Bacs file can be created.');
      expect((await runDp(url, ['payments', 'approve', id, '--as', 'manager'])).code).toBe(0);
      expect((await runDp(url, ['payments', 'approve', id, '--as', 'manager'])).stdout).toContain('This run had already been approved.');
      expect((await runDp(url, ['payments', 'file', id, '--out', path.join(dir, 'cli.txt'), '--format', 'std18-data'])).code).toBe(0);
      const returned = await runDp(url, ['payments', 'returned', id, '2', '--reason', 'no_account']);
      expect(returned.code).toBe(0);
      expect(returned.stdout).toContain('Payment 2 recorded as returned (there is no account with those details).');
      expect((await runDp(url, ['payments', 'returned', id, '2'])).stdout).toContain('Payment 2 had already been recorded as returned. Nothing changed.');
      expect(await verifyLedger(db)).toEqual([]);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
