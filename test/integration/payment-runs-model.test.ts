import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, TEST_TODAY, type TestServices } from '../support/database.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { addDays } from '../../src/domain/dates.ts';
import { netAmountForFullPeriod } from '../../src/domain/schedule.ts';
import { createPaymentRun } from '../../src/features/payment-runs/create-run.ts';
import { ApprovalRefused, recordApproval } from '../../src/features/payment-runs/approve-run.ts';
import { continueRun } from '../../src/features/payment-runs/run-work.ts';
import { CancelRefused, cancelRun } from '../../src/features/payment-runs/cancel-run.ts';
import { FileRefused, runFile } from '../../src/features/payment-runs/bacs-file.ts';
import { MarkPaidRefused, requestMarkPaid } from '../../src/features/payment-runs/mark-paid.ts';
import { recordReturn } from '../../src/features/payment-runs/record-return.ts';
import { SimulatedCrash, simulateCrashAt } from '../../src/features/payment-runs/crash.ts';
import { changeRate, endPayments, resumePayments, ScheduleChangeRefused, suspendPayments } from '../../src/features/schedules/change-schedule.ts';
import { paidUpTo } from '../../src/features/schedules/queries.ts';
import { verifyLedger } from '../../src/features/payments/ledger.ts';
import { councilOfItsOwn, directPaymentIn, offsetFor } from './payment-runs-support.ts';

/**
 * A seeded, replayable randomised test: sequences of what happens to direct payments and payment
 * runs (schedule, run, approve, crash, carry on, cancel, return, rate change, suspend, resume,
 * end), with every invariant checked after each step. On failure fast-check prints the seed and
 * the path of the shortest failing sequence; replay it with FC_SEED=<seed> FC_PATH=<path>.
 */

type Council = Awaited<ReturnType<typeof councilOfItsOwn>>;
type Real = { c: Council; dps: Array<{ id: string; kind: string; person_id: string; council_id: string; status: string }>; runs: string[] };
type Model = { dps: number; runs: number };

let t: TestServices;
let db: Database;
let councils = 0;
let crashes = 0;

beforeAll(async () => {
  t = await freshServices();
  db = t.db;
  // Small batches, so a crash can fall between two of them.
  process.env.PAYMENT_RUN_BATCH_SIZE = '2';
});
afterAll(async () => {
  delete process.env.PAYMENT_RUN_BATCH_SIZE;
  simulateCrashAt(null);
  await t?.close();
});

/** Runs a step that may be cut short by a simulated crash, or refused as the service would refuse it. */
async function attempt(crashAt: string | null, step: () => Promise<unknown>, refusals: Array<new (...a: never[]) => Error> = []): Promise<void> {
  simulateCrashAt(crashAt);
  try {
    await step();
  } catch (err) {
    if (err instanceof SimulatedCrash) crashes++;
    else if (!refusals.some((r) => err instanceof r)) throw err;
  } finally {
    simulateCrashAt(null);
  }
}

const pick = <T>(list: T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);
const dpOf = async (r: Real, n: number) => {
  const dp = pick(r.dps, n);
  return dp && (await db.selectFrom('direct_payments').select(['id', 'person_id', 'council_id', 'status', 'kind']).where('id', '=', dp.id).executeTakeFirstOrThrow());
};

// An independent reckoning of a period's payment: day by day, at the rate in force, skipping suspended days.
async function expectedAmount(scheduleId: string, startsOn: string, endsOn: string, fullDays: number): Promise<number> {
  const s = await db.selectFrom('payment_schedules').selectAll().where('id', '=', scheduleId).executeTakeFirstOrThrow();
  const rates = await db.selectFrom('payment_schedule_rates').selectAll().where('schedule_id', '=', scheduleId).orderBy('effective_from').execute();
  const pauses = await db.selectFrom('payment_schedule_suspensions').selectAll().where('schedule_id', '=', scheduleId).execute();
  let total = 0;
  for (let d = startsOn; d <= endsOn; d = addDays(d, 1)) {
    if (pauses.some((p) => p.suspended_from <= d && (p.resumed_from === null || d < p.resumed_from))) continue;
    const rate = [...rates].reverse().find((r) => r.effective_from <= d) ?? s;
    total += netAmountForFullPeriod('four_weekly', rate.weekly_amount_pence, rate.weekly_contribution_pence);
  }
  return Math.round(total / fullDays);
}

async function invariantsHold(r: Real): Promise<void> {
  expect(await verifyLedger(db)).toEqual([]);
  const council = r.c.councilId;
  const twiceOnRuns = await sql<{ payment_id: string }>`
    select payment_id from payment_run_lines where status <> 'returned' group by payment_id having count(*) > 1`.execute(db);
  expect(twiceOnRuns.rows, 'a payment on two runs').toEqual([]);
  const overlapping = await sql<{ a: string }>`
    select a.id as a from payments a join payments b on a.direct_payment_id = b.direct_payment_id and a.id < b.id
      and a.period_starts_on <= b.period_ends_on and b.period_starts_on <= a.period_ends_on
      join direct_payments dp on dp.id = a.direct_payment_id
    where dp.council_id = ${council}`.execute(db);
  expect(overlapping.rows, 'two payments for the same days').toEqual([]);
  const runs = await sql<{ id: string; status: string; line_count: number; total_pence: number; posted_at: Date | null; lines: number; total: number; pending: number; moving: number }>`
    select r.id, r.status, r.line_count, r.total_pence, r.posted_at, count(l.id)::int as lines, coalesce(sum(l.amount_pence), 0)::bigint as total,
      count(*) filter (where l.status = 'pending')::int as pending, count(*) filter (where l.status = 'in_transit')::int as moving
    from payment_runs r left join payment_run_lines l on l.run_id = r.id where r.council_id = ${council} group by r.id`.execute(db);
  for (const run of runs.rows) {
    if (run.status === 'preparing') continue;
    expect([run.lines, run.total], 'run totals').toEqual([run.line_count, run.total_pence]);
    if (run.status === 'draft') expect(run.pending).toBe(run.lines);
    if (run.posted_at || run.status === 'file_generated' || run.status === 'paid') expect(run.pending).toBe(0);
    if (run.status === 'paid') expect(run.moving).toBe(0);
  }
  const live = await sql<{ line: number; payment: number }>`
    select l.amount_pence as line, p.amount_pence as payment from payment_run_lines l join payments p on p.id = l.payment_id
    join payment_runs r on r.id = l.run_id where r.council_id = ${council} and l.status <> 'returned' and l.amount_pence <> p.amount_pence`.execute(db);
  expect(live.rows, 'a payment changed after its run fixed it').toEqual([]);
  // Surplus offsets: never more claimed by lines not yet paid, plus taken, than the offsets hold;
  // each paid line's takes are its offset; a period is taken at most once unless given back.
  const overclaimed = await sql<{ direct_payment_id: string }>`
    select o.direct_payment_id from (select direct_payment_id, sum(amount_pence) as amount, sum(taken_pence) as taken from surplus_offsets
                                      where council_id = ${council} group by direct_payment_id) o
    where o.taken + coalesce((select sum(l.offset_pence) from payment_run_lines l
                              where l.direct_payment_id = o.direct_payment_id and l.status in ('pending', 'in_transit')), 0) > o.amount`.execute(db);
  expect(overclaimed.rows, 'surplus claimed twice').toEqual([]);
  const twiceTaken = await sql<{ n: number }>`
    select count(*)::int as n from (
      select t.offset_id, t.period_starts_on from surplus_offset_takes t join surplus_offsets o on o.id = t.offset_id
      where o.council_id = ${council} group by 1, 2 having sum(t.amount_pence) > max(t.amount_pence) or sum(t.amount_pence) < 0) x`.execute(db);
  expect(twiceTaken.rows[0]!.n, 'a period taken twice').toBe(0);
  // Payments not yet on a run follow the schedule as it now stands.
  const waiting = await sql<{ schedule_id: string; period_starts_on: string; period_ends_on: string; amount_pence: number; ends_on: string | null }>`
    select p.schedule_id, p.period_starts_on, p.period_ends_on, p.amount_pence, s.ends_on from payments p join payment_schedules s on s.id = p.schedule_id
      join direct_payments dp on dp.id = p.direct_payment_id
    where dp.council_id = ${council} and p.status = 'scheduled'
      and not exists (select 1 from payment_run_lines l where l.payment_id = p.id and l.status <> 'returned')`.execute(db);
  for (const p of waiting.rows) {
    if (p.ends_on) expect(p.period_ends_on <= p.ends_on).toBe(true);
    // Every schedule here runs four-weekly from its own start: a full period is 28 days.
    expect(p.amount_pence, `payment for ${p.period_starts_on}`).toBe(await expectedAmount(p.schedule_id, p.period_starts_on, p.period_ends_on, 28));
  }
}

/** One step of a sequence: when it may run, what it does, and how it reads in a failure report. */
function step(name: string, check: (m: Readonly<Model>) => boolean, run: (m: Model, r: Real) => Promise<void>): fc.AsyncCommand<Model, Real> {
  return {
    check,
    run: async (m, r) => {
      await run(m, r);
      await invariantsHold(r);
    },
    toString: () => name,
  };
}

const anyRun = (m: Readonly<Model>) => m.runs > 0;

function addDirectPayment(kind: 'one_off' | 'ongoing', pence: number, contribution: number, startOffset: number, bank: boolean) {
  return step(`add ${kind} ${pence} less ${contribution} from +${startOffset}${bank ? '' : ' without bank details'}`, (m) => m.dps < 8, async (m, r) => {
    r.dps.push(await directPaymentIn(db, r.c, { kind, pence, contributionPence: Math.min(contribution, pence), startsOn: addDays(TEST_TODAY, startOffset), today: TEST_TODAY, bank }));
    m.dps++;
  });
}

function createRun(week: number, crashAt: string | null) {
  const wanted = addDays('2026-11-27', 7 * week);
  return step(`run for ${wanted}${crashAt ? `, crashing at ${crashAt}` : ''}`, () => true, async (m, r) => {
    const remember = (id: string) => {
      if (r.runs.includes(id)) return;
      r.runs.push(id);
      m.runs++;
    };
    await attempt(crashAt, async () => remember((await createPaymentRun(db, { user: r.c.finance, wanted, today: TEST_TODAY })).run.id));
    // After a crash the finance officer asks again, and the run is carried through.
    if (crashAt) remember((await createPaymentRun(db, { user: r.c.finance, wanted, today: TEST_TODAY })).run.id);
  });
}

/** A run taken as far as `until` in one go, unless a crash at `crashAt` stops it part-way. */
function journey(week: number, until: 'approve' | 'file' | 'paid', crashAt: string | null) {
  const wanted = addDays('2026-11-27', 7 * week);
  return step(`run for ${wanted} through to ${until}${crashAt ? `, crashing at ${crashAt}` : ''}`, (m) => m.dps > 0, async (m, r) => {
    await attempt(crashAt, async () => {
      const { run } = await createPaymentRun(db, { user: r.c.finance, wanted, today: TEST_TODAY });
      if (!r.runs.includes(run.id)) {
        r.runs.push(run.id);
        m.runs++;
      }
      await recordApproval(db, { runId: run.id, user: r.c.manager, today: TEST_TODAY });
      await continueRun(db, run.id, TEST_TODAY);
      if (until === 'approve') return;
      await runFile(db, { runId: run.id, format: 'std18', user: r.c.finance });
      if (until === 'file') return;
      await requestMarkPaid(db, { runId: run.id, user: r.c.finance });
      await continueRun(db, run.id, TEST_TODAY);
    }, [ApprovalRefused, FileRefused, MarkPaidRefused]);
  });
}

function approve(runPick: number, crashAt: string | null) {
  return step(`approve run ${runPick}${crashAt ? `, crashing at ${crashAt}` : ''}`, anyRun, async (_m, r) => {
    const runId = pick(r.runs, runPick)!;
    await attempt(crashAt, async () => {
      await recordApproval(db, { runId, user: r.c.manager, today: TEST_TODAY });
      await continueRun(db, runId, TEST_TODAY);
    }, [ApprovalRefused]);
  });
}

function cancel(runPick: number) {
  return step(`cancel run ${runPick}`, anyRun, async (_m, r) => {
    await attempt(null, () => cancelRun(db, { runId: pick(r.runs, runPick)!, user: r.c.manager }), [CancelRefused]);
  });
}

function carryOn(runPick: number) {
  return step(`carry on with run ${runPick}`, anyRun, async (_m, r) => {
    expect(await continueRun(db, pick(r.runs, runPick)!, TEST_TODAY)).toBe('done');
  });
}

function makeFile(runPick: number) {
  return step(`make the file for run ${runPick}`, anyRun, async (_m, r) => {
    const runId = pick(r.runs, runPick)!;
    await attempt(null, async () => {
      const first = await runFile(db, { runId, format: 'std18', user: r.c.finance });
      const again = await runFile(db, { runId, format: 'std18', user: r.c.finance });
      expect(Buffer.compare(first.bytes, again.bytes), 'the same file twice').toBe(0);
    }, [FileRefused]);
  });
}

function markPaid(runPick: number, crashAt: string | null) {
  return step(`mark run ${runPick} paid${crashAt ? `, crashing at ${crashAt}` : ''}`, anyRun, async (_m, r) => {
    const runId = pick(r.runs, runPick)!;
    await attempt(crashAt, async () => {
      await requestMarkPaid(db, { runId, user: r.c.finance });
      await continueRun(db, runId, TEST_TODAY);
    }, [MarkPaidRefused]);
  });
}

function returned(runPick: number, linePick: number) {
  return step(`return line ${linePick} of run ${runPick}`, anyRun, async (_m, r) => {
    const runId = pick(r.runs, runPick)!;
    const run = await db.selectFrom('payment_runs').select('status').where('id', '=', runId).executeTakeFirstOrThrow();
    const lines = await db.selectFrom('payment_run_lines').select('line_number').where('run_id', '=', runId).where('status', 'in', ['in_transit', 'paid'])
      .whereRef('offset_pence', '<', 'amount_pence').orderBy('line_number').execute();
    const line = pick(lines, linePick);
    if (!line || (run.status !== 'file_generated' && run.status !== 'paid')) return;
    const report = () => recordReturn(db, { runId, lineNumber: line.line_number, reason: 'account_closed', user: r.c.finance, today: TEST_TODAY });
    expect(await report()).toBe('returned');
    expect(await report()).toBe('already');
  });
}

function owesSurplus(dpPick: number, pence: number) {
  return step(`direct payment ${dpPick} owes ${pence} of surplus, taken off future payments`, (m) => m.dps > 0, async (_m, r) => {
    const dp = await dpOf(r, dpPick);
    if (!dp) return;
    // One surplus case per direct payment at a time; a second offset waits until the first is taken.
    const open = await db.selectFrom('surplus_offsets').select('id').where('direct_payment_id', '=', dp.id).whereRef('taken_pence', '<', 'amount_pence').executeTakeFirst();
    if (open) return;
    await offsetFor(db, dp, pence, r.c.finance);
  });
}

type Change = 'rate' | 'suspend' | 'resume' | 'end';
function changeSchedule(change: Change, dpPick: number, offset: number, weekly: number) {
  return step(`${change} payments of direct payment ${dpPick} from +${offset}${change === 'rate' ? ` at ${weekly}` : ''}`, (m) => m.dps > 0, async (_m, r) => {
    const dp = await dpOf(r, dpPick);
    if (!dp || dp.kind !== 'ongoing') return;
    const schedule = await db.selectFrom('payment_schedules').select('starts_on').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
    const upTo = await paidUpTo(db, dp.id);
    const earliest = [TEST_TODAY, schedule.starts_on, upTo ? addDays(upTo, 1) : TEST_TODAY].sort().at(-1)!;
    const from = addDays(earliest, offset);
    const who = { user: r.c.finance, today: TEST_TODAY };
    await attempt(null, () => db.transaction().execute(async (trx) => {
      if (change === 'rate') return changeRate(trx, dp, { from, weeklyAmountPence: weekly, weeklyContributionPence: Math.min(1_000, weekly), reason: 'Uplift' }, who);
      if (change === 'suspend') return suspendPayments(trx, dp, { from, reason: 'In hospital' }, who);
      if (change === 'resume') return resumePayments(trx, dp, { from: addDays(from, 1) }, who);
      return endPayments(trx, dp, { endsOn: from, reason: 'Moved away' }, who);
    }), [ScheduleChangeRefused]);
  });
}

const runCrash = fc.constantFrom(null, null, 'run:claimed', 'run:some-scheduled', 'run:scheduled', 'run:lines-written', 'run:fixed');
const approveCrash = fc.constantFrom(null, null, 'approve:approved', 'approve:batch:1', 'approve:posted');
const paidCrash = fc.constantFrom(null, null, 'paid:started', 'paid:batch:1', 'paid:done');
const small = fc.nat({ max: 20 });

const anyCrash = fc.constantFrom(null, null, null, 'run:claimed', 'run:some-scheduled', 'run:scheduled', 'run:lines-written', 'run:fixed', 'approve:approved', 'approve:batch:1', 'approve:batch:2', 'approve:posted', 'file:generated', 'paid:started', 'paid:batch:1', 'paid:done');
const addArb = fc
  .tuple(fc.constantFrom('one_off' as const, 'ongoing' as const, 'ongoing' as const), fc.integer({ min: 1, max: 300_000 }), fc.nat({ max: 5_000 }), fc.nat({ max: 40 }), fc.constantFrom(true, true, true, false))
  .map((a) => addDirectPayment(...a));
const journeyArb = fc.tuple(fc.nat({ max: 7 }), fc.constantFrom('approve' as const, 'file' as const, 'paid' as const, 'paid' as const), anyCrash).map((a) => journey(...a));
const changeArb = fc
  .tuple(fc.constantFrom<Change>('rate', 'suspend', 'resume', 'end'), small, fc.nat({ max: 60 }), fc.integer({ min: 1_000, max: 300_000 }))
  .map((a) => changeSchedule(...a));

// Weighted by repetition: the journey and what happens around it come up most.
const commands = [
  addArb,
  addArb,
  journeyArb,
  journeyArb,
  changeArb,
  changeArb,
  fc.tuple(small, small).map((a) => returned(...a)),
  fc.tuple(small, small).map((a) => returned(...a)),
  fc.tuple(small, fc.integer({ min: 1, max: 900_000 })).map((a) => owesSurplus(...a)),
  fc.tuple(fc.nat({ max: 7 }), runCrash).map((a) => createRun(...a)),
  fc.tuple(small, approveCrash).map((a) => approve(...a)),
  small.map(carryOn),
  small.map(cancel),
  small.map(makeFile),
  fc.tuple(small, paidCrash).map((a) => markPaid(...a)),
];

describe('payment runs under random sequences of events', () => {
  it('keep every invariant after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), async (cmds) => {
        const setup = async () => ({ model: { dps: 0, runs: 0 }, real: { c: await councilOfItsOwn(db, `Model${++councils}`), dps: [], runs: [] } as Real });
        await fc.asyncModelRun(setup, cmds);
      }),
      {
        numRuns: 50,
        seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
        path: process.env.FC_PATH,
        endOnFailure: !!process.env.FC_PATH,
      },
    );
    // The sequences reached every part of the journey: so a change that made them stop short
    // of a step (and so test nothing there) would not pass unnoticed.
    const reached = await sql<Record<string, number>>`
      select
        (select count(*)::int from payment_runs where status = 'paid') as paid_runs,
        (select count(*)::int from payment_run_lines where status = 'returned') as returned_lines,
        (select count(*)::int from payment_run_exceptions) as exceptions,
        (select count(*)::int from payment_runs where status = 'cancelled') as cancelled_runs,
        (select count(*)::int from payment_schedule_rates) as rate_changes,
        (select count(*)::int from payment_schedule_suspensions) as suspensions,
        (select count(*)::int from payment_schedules where ends_on is not null) as ended,
        (select count(*)::int from surplus_offset_takes where reverses_id is null) as offset_takes`.execute(db);
    for (const [what, n] of Object.entries({ ...reached.rows[0]!, crashes })) expect(n, what).toBeGreaterThan(0);
  }, 180_000);
});
