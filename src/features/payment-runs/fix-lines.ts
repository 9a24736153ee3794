import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { formatDate } from '../../domain/dates.ts';
import { formatPounds } from '../../domain/money.ts';
import { periodsDue } from '../../domain/schedule.ts';
import { paymentReference, runTransition, type ExceptionReason } from '../../domain/payment-run.ts';
import { BACS_MAX_AMOUNT_PENCE } from '../../domain/bacs-standard18.ts';
import { digitsOnly, standardiseAccount } from '../../domain/modulus-check.ts';
import { bankDetailsChecker } from '../bank-details/problems.ts';
import { lockCouncilPayments } from '../payments/locks.ts';
import { changesFor, termsOf, type ScheduleRow } from '../schedules/terms.ts';
import type { RunRow } from './create-run.ts';
import { crashPoint } from './crash.ts';
import { lineOffset, offsetsAvailable } from '../surplus/offsets.ts';

type Trx = Transaction<DB>;

type Candidate = {
  payment_id: string;
  direct_payment_id: string;
  period_starts_on: string;
  period_ends_on: string;
  amount_pence: number;
  invoiced_contribution_pence: number;
  dp_status: string;
  dp_ends_on: string | null;
  reference: string;
  payment_method: string;
  sort_code: string | null;
  account_number: string | null;
  account_name: string | null;
};

type Exception = { dp: string; payment: string | null; starts: string; ends: string; amount: number | null; reason: ExceptionReason; detail: string };

type Lines = { payment: string[]; dp: string[]; amount: number[]; offset: number[]; contribution: number[]; sortCode: string[]; account: string[]; name: string[]; reference: string[] };

/**
 * Fixes a run's lines: every payment due by the run's date that is not yet paid or on a run
 * (scheduled, or returned from an earlier run), checked, and either paid by this run or listed as
 * an exception with the reason in plain English. Bank details are copied onto the line, so the
 * file is the same whatever changes later. Periods that start while payments are suspended are
 * listed too. Ends by making the run a draft.
 *
 * `conn`'s transaction holds the run and the council's payments lock throughout and makes the run
 * a draft at the end. The lines are written by `lanes` transactions at once (the first is `conn`'s
 * own, the others on connections of `db`), numbered in one sequence, so the database server's
 * cores share the work. A crash part way leaves the run "being prepared" with some of its lines;
 * the restart lets those go and fixes the run again from the start, so a draft always has its
 * whole list. With one lane, everything is one transaction.
 */
export async function fixLines(trx: Trx, runId: string): Promise<RunRow> {
  return fixLinesWith(trx, runId, [trx]);
}

export async function fixLinesInLanes(db: Kysely<DB>, conn: Kysely<DB>, runId: string, lanes: number, then?: (trx: Trx, run: RunRow) => Promise<void>): Promise<RunRow> {
  if (lanes > 1) {
    // Lines a crash left behind are let go first, and that is committed: a lane writing a line for
    // the same payment would otherwise wait for this transaction, which waits for the lane.
    await conn.transaction().execute(async (trx) => {
      const run = await trx.selectFrom('payment_runs').select('status').where('id', '=', runId).forUpdate().executeTakeFirstOrThrow();
      if (run.status !== 'preparing') return;
      await trx.deleteFrom('payment_run_lines').where('run_id', '=', runId).execute();
      await trx.deleteFrom('payment_run_exceptions').where('run_id', '=', runId).execute();
    });
  }
  return conn.transaction().execute(async (trx) => {
    const writers: Array<Kysely<DB> | Trx> = [trx, ...Array.from({ length: Math.max(1, lanes) - 1 }, () => db)];
    const run = await fixLinesWith(trx, runId, writers);
    if (then) await then(trx, run);
    return run;
  });
}

async function fixLinesWith(trx: Trx, runId: string, writers: Array<Kysely<DB> | Trx>): Promise<RunRow> {
  // No key update: other lanes' lines name this run, which holds it for key share.
  const run = await trx.selectFrom('payment_runs').selectAll().where('id', '=', runId).forNoKeyUpdate().executeTakeFirstOrThrow();
  if (run.status !== 'preparing') return run;
  await lockCouncilPayments(trx, run.council_id);
  // Room to sort a whole council's payments in memory rather than on disk (this transaction only).
  await sql`set local work_mem = '64MB'`.execute(trx);
  // What a crash left half done is let go (nothing is posted before a run is approved).
  await trx.deleteFrom('payment_run_lines').where('run_id', '=', run.id).execute();
  await trx.deleteFrom('payment_run_exceptions').where('run_id', '=', run.id).execute();

  const candidates = await sql<Candidate>`
    select p.id as payment_id, p.direct_payment_id, p.period_starts_on, p.period_ends_on, p.amount_pence,
           p.invoiced_contribution_pence, dp.status as dp_status, dp.ends_on as dp_ends_on, dp.reference,
           dp.payment_method, dp.sort_code, dp.account_number, dp.account_name
    from payments p join direct_payments dp on dp.id = p.direct_payment_id
    where dp.council_id = ${run.council_id} and p.status in ('scheduled', 'returned') and p.due_on <= ${run.due_by}
      and not exists (select 1 from payment_run_lines l where l.payment_id = p.id and l.status <> 'returned')
    order by dp.reference, p.period_starts_on`.execute(trx);

  const problemWith = await bankDetailsChecker(trx);
  // Surplus to take off ("reduce future payments"): decided here, fixed on the line, taken when it is paid.
  const available = await offsetsAvailable(trx, run.council_id);
  const lines: Lines = { payment: [], dp: [], amount: [], offset: [], contribution: [], sortCode: [], account: [], name: [], reference: [] };
  const exceptions: Exception[] = [];
  for (const c of candidates.rows) {
    const found = exceptionFor(c, problemWith(c));
    if (found) {
      exceptions.push({ dp: c.direct_payment_id, payment: c.payment_id, starts: c.period_starts_on, ends: c.period_ends_on, amount: c.amount_pence, ...found });
      continue;
    }
    const bank = standardiseAccount(digitsOnly(c.sort_code!), digitsOnly(c.account_number!));
    lines.payment.push(c.payment_id);
    lines.dp.push(c.direct_payment_id);
    lines.amount.push(c.amount_pence);
    const offset = available.size ? lineOffset(available.get(c.direct_payment_id) ?? 0, c.amount_pence) : 0;
    if (offset > 0) available.set(c.direct_payment_id, available.get(c.direct_payment_id)! - offset);
    lines.offset.push(offset);
    lines.contribution.push(c.invoiced_contribution_pence);
    lines.sortCode.push(bank.sortCode);
    lines.account.push(bank.accountNumber);
    lines.name.push(c.account_name!);
    lines.reference.push(paymentReference(c.reference, c.period_starts_on));
  }
  exceptions.push(...(await suspendedPeriods(trx, run.council_id, run.due_by)));

  // Shared out in runs of line numbers; each writer's lines go in one statement.
  const size = Math.ceil(lines.payment.length / writers.length);
  const outcomes = await Promise.allSettled(writers.map((writer, i) => {
    const from = i * size;
    if (from >= lines.payment.length && i > 0) return Promise.resolve();
    const share = sliceLines(lines, from, from + size);
    return writer === trx ? insertLines(trx, run.id, share, from) : (writer as Kysely<DB>).transaction().execute((other) => insertLines(other, run.id, share, from));
  }));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
  // The other lanes' lines are committed; this transaction, which makes the run a draft, is not.
  if (writers.length > 1) crashPoint('run:lines-written');

  if (exceptions.length) {
    await sql`
      insert into payment_run_exceptions (run_id, direct_payment_id, payment_id, period_starts_on, period_ends_on, amount_pence, reason, detail)
      select ${run.id}, dp, payment, starts, ends, amount, reason, detail
      from unnest(${exceptions.map((e) => e.dp)}::uuid[], ${exceptions.map((e) => e.payment)}::uuid[], ${exceptions.map((e) => e.starts)}::date[],
                  ${exceptions.map((e) => e.ends)}::date[], ${exceptions.map((e) => e.amount)}::bigint[], ${exceptions.map((e) => e.reason)}::text[],
                  ${exceptions.map((e) => e.detail)}::text[]) as t(dp, payment, starts, ends, amount, reason, detail)
      on conflict (run_id, direct_payment_id, period_starts_on) do nothing`.execute(trx);
  }
  return trx
    .updateTable('payment_runs')
    .set({
      status: runTransition(run.status, 'draft'),
      line_count: lines.payment.length,
      total_pence: lines.amount.reduce((a, b) => a + b, 0),
      exception_count: exceptions.length,
    })
    .where('id', '=', run.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

function sliceLines(lines: Lines, from: number, to: number): Lines {
  return Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, v.slice(from, to)])) as Lines;
}

/** Lines numbered from `after` + 1, in one statement: the rows go as arrays, one per column. */
async function insertLines(db: Kysely<DB> | Trx, runId: string, lines: Lines, after: number): Promise<void> {
  if (lines.payment.length === 0) return;
  await sql`
    insert into payment_run_lines (run_id, line_number, payment_id, direct_payment_id, amount_pence, offset_pence, contribution_pence, sort_code, account_number, account_name, reference)
    select ${runId}, ${after}::int + n, payment, dp, amount, offset_pence, contribution, sort_code, account, name, reference
    from unnest(${lines.payment}::uuid[], ${lines.dp}::uuid[], ${lines.amount}::bigint[], ${lines.offset}::bigint[], ${lines.contribution}::bigint[],
                ${lines.sortCode}::text[], ${lines.account}::text[], ${lines.name}::text[], ${lines.reference}::text[])
      with ordinality as t(payment, dp, amount, offset_pence, contribution, sort_code, account, name, reference, n)`.execute(db);
}

function exceptionFor(c: Candidate, bankProblem: string | null): { reason: ExceptionReason; detail: string } | null {
  if (c.dp_status === 'suspended') return { reason: 'suspended', detail: 'Payments for this direct payment are suspended.' };
  // Days before an end date are still owed; a period after it (or with no end date) is not.
  const owedBeforeEnd = c.dp_status === 'ended' && c.dp_ends_on !== null && c.period_starts_on <= c.dp_ends_on;
  if (c.dp_status !== 'agreed' && c.dp_status !== 'active' && !owedBeforeEnd) {
    return { reason: 'ended', detail: c.dp_ends_on ? `The direct payment ended on ${formatDate(c.dp_ends_on)}.` : 'The direct payment has ended.' };
  }
  if (bankProblem) return { reason: 'bank_details', detail: `${bankProblem}.`.replace(/\.\.$/, '.') };
  if (!c.sort_code || !c.account_number || !c.account_name?.trim()) {
    return { reason: 'bank_details', detail: 'There is no account to pay into: add the bank details of the card or the provider’s account.' };
  }
  if (c.amount_pence > BACS_MAX_AMOUNT_PENCE) {
    return { reason: 'over_limit', detail: `${formatPounds(c.amount_pence)} is more than Bacs allows in one payment (${formatPounds(BACS_MAX_AMOUNT_PENCE)}).` };
  }
  return null;
}

/** Periods due by the run's date that start while payments are suspended: not paid, but listed. */
async function suspendedPeriods(trx: Trx, councilId: string, by: string): Promise<Exception[]> {
  const schedules = await sql<ScheduleRow & { last_start: string | null; suspended_from: string; reason: string }>`
    select s.id, s.direct_payment_id, s.frequency, s.starts_on, s.ends_on, s.weekly_amount_pence, s.weekly_contribution_pence,
           s.contributions, s.anchor_on, x.suspended_from, x.reason,
           (select max(p.period_starts_on) from payments p where p.direct_payment_id = s.direct_payment_id) as last_start
    from payment_schedule_suspensions x
      join payment_schedules s on s.id = x.schedule_id
      join direct_payments dp on dp.id = s.direct_payment_id
    where x.resumed_from is null and dp.council_id = ${councilId} and x.suspended_from <= ${by}`.execute(trx);
  if (schedules.rows.length === 0) return [];
  const { rates, suspensions } = await changesFor(trx, { scheduleIds: schedules.rows.map((s) => s.id) });
  const out: Exception[] = [];
  for (const s of schedules.rows) {
    for (const o of periodsDue(termsOf(s, rates.get(s.id) ?? [], suspensions.get(s.id) ?? []), s.last_start, by)) {
      if (o.kind !== 'suspended') continue;
      out.push({
        dp: s.direct_payment_id, payment: null, starts: o.period.startsOn, ends: o.period.endsOn, amount: null, reason: 'suspended',
        detail: `Payments are suspended from ${formatDate(o.since)}: ${s.reason}`,
      });
    }
  }
  return out;
}
