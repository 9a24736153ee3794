import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { isUuid } from '../../platform/permissions.ts';
import { notFound } from '../../platform/http/errors.ts';
import { EXCEPTION_NAMES, LINE_STATUS_NAMES, RUN_STATUS_NAMES, type ExceptionReason, type LineStatus, type RunStatus } from '../../domain/payment-run.ts';
import { maskAccountNumber, maskSortCode } from '../direct-payments/bank-details.ts';
import { RETURN_REASONS, type ReturnReason } from './record-return.ts';

export const LINES_PER_PAGE = 100;

/** The council's runs, newest payment date first. */
export async function listRuns(db: Kysely<DB>, councilId: string) {
  const rows = await db
    .selectFrom('payment_runs')
    .leftJoin('users as creator', 'creator.id', 'payment_runs.created_by')
    .leftJoin('users as approver', 'approver.id', 'payment_runs.approved_by')
    .select([
      'payment_runs.id', 'payment_runs.payment_date', 'payment_runs.status', 'payment_runs.line_count', 'payment_runs.total_pence',
      'payment_runs.exception_count', 'creator.display_name as created_by_name', 'approver.display_name as approved_by_name',
    ])
    .where('payment_runs.council_id', '=', councilId)
    .orderBy('payment_runs.payment_date', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ ...r, statusName: RUN_STATUS_NAMES[r.status as RunStatus] }));
}

/**
 * Payments the bank sent back, waiting to be paid again: each goes on the next run once its
 * problem (usually the bank details) is put right.
 */
export async function returnedPayments(db: Kysely<DB>, councilId: string) {
  const rows = await sql<{
    payment_id: string; direct_payment_id: string; reference: string; given_name: string; family_name: string; period_starts_on: string;
    period_ends_on: string; amount_pence: number; returned_reason: string | null; returned_at: Date | null; run_id: string | null; payment_date: string | null;
  }>`
    select p.id as payment_id, dp.id as direct_payment_id, dp.reference, pe.given_name, pe.family_name, p.period_starts_on, p.period_ends_on, p.amount_pence,
           l.returned_reason, l.returned_at, l.run_id, r.payment_date
    from payments p
      join direct_payments dp on dp.id = p.direct_payment_id join people pe on pe.id = dp.person_id
      left join lateral (select * from payment_run_lines l where l.payment_id = p.id and l.status = 'returned' order by l.returned_at desc limit 1) l on true
      left join payment_runs r on r.id = l.run_id
    where dp.council_id = ${councilId} and p.status = 'returned'
      and not exists (select 1 from payment_run_lines live where live.payment_id = p.id and live.status <> 'returned')
    order by l.returned_at desc nulls last`.execute(db);
  return rows.rows.map((r) => ({ ...r, reasonText: r.returned_reason ? RETURN_REASONS[r.returned_reason as ReturnReason] ?? r.returned_reason : '' }));
}

/** A run of the user's own council, or 404: another council's run and an unknown id look the same. */
export async function runFor(db: Kysely<DB>, user: CurrentUser, runId: string) {
  if (!isUuid(runId)) notFound();
  const run = await db
    .selectFrom('payment_runs')
    .leftJoin('users as creator', 'creator.id', 'payment_runs.created_by')
    .leftJoin('users as approver', 'approver.id', 'payment_runs.approved_by')
    .selectAll('payment_runs')
    .select(['creator.display_name as created_by_name', 'approver.display_name as approved_by_name'])
    .where('payment_runs.id', '=', runId)
    .executeTakeFirst();
  if (!run || run.council_id !== user.councilId) notFound();
  return { ...run, statusName: RUN_STATUS_NAMES[run.status as RunStatus] };
}

export type RunDetail = Awaited<ReturnType<typeof runFor>>;

/** How many lines are in each state: the progress of sending or paying a large run. */
export async function lineProgress(db: Kysely<DB>, runId: string): Promise<Record<LineStatus, number>> {
  const rows = await db.selectFrom('payment_run_lines').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('run_id', '=', runId).groupBy('status').execute();
  const counts: Record<LineStatus, number> = { pending: 0, in_transit: 0, paid: 0, returned: 0 };
  for (const r of rows) counts[r.status as LineStatus] = Number(r.n);
  return counts;
}

/**
 * The surplus a run takes off its payments ("reduce future payments"): how many lines take some,
 * how much in all, and how many the surplus pays in full (so they are not in the Bacs file).
 */
export async function runOffsets(db: Kysely<DB>, runId: string): Promise<{ lines: number; offsetPence: number; notInFile: number }> {
  const row = await sql<{ lines: number; offset_pence: number; not_in_file: number }>`
    select count(*)::int as lines, coalesce(sum(offset_pence), 0)::bigint as offset_pence,
      count(*) filter (where offset_pence = amount_pence)::int as not_in_file
    from payment_run_lines where run_id = ${runId} and offset_pence > 0`.execute(db);
  const r = row.rows[0]!;
  return { lines: r.lines, offsetPence: r.offset_pence, notInFile: r.not_in_file };
}

/** One page of a run's lines, with whom each pays; bank details masked. */
export async function runLines(db: Kysely<DB>, runId: string, page: number) {
  const rows = await db
    .selectFrom('payment_run_lines as l')
    .innerJoin('payments as p', 'p.id', 'l.payment_id')
    .innerJoin('direct_payments as dp', 'dp.id', 'l.direct_payment_id')
    .innerJoin('people as pe', 'pe.id', 'dp.person_id')
    .select([
      'l.line_number', 'l.amount_pence', 'l.offset_pence', 'l.status', 'l.sort_code', 'l.account_number', 'l.reference', 'l.returned_reason',
      'p.period_starts_on', 'p.period_ends_on', 'dp.id as direct_payment_id', 'dp.reference as dp_reference', 'dp.person_id', 'pe.given_name', 'pe.family_name',
    ])
    .where('l.run_id', '=', runId)
    .orderBy('l.line_number')
    .limit(LINES_PER_PAGE)
    .offset((page - 1) * LINES_PER_PAGE)
    .execute();
  return rows.map(({ sort_code, account_number, ...l }) => ({
    ...l,
    statusName: LINE_STATUS_NAMES[l.status as LineStatus],
    account: `${maskSortCode(sort_code)} ${maskAccountNumber(account_number)}`,
  }));
}

/** What the run will not pay, and why. */
export async function runExceptions(db: Kysely<DB>, runId: string) {
  const rows = await db
    .selectFrom('payment_run_exceptions as x')
    .innerJoin('direct_payments as dp', 'dp.id', 'x.direct_payment_id')
    .innerJoin('people as pe', 'pe.id', 'dp.person_id')
    .select(['x.period_starts_on', 'x.period_ends_on', 'x.amount_pence', 'x.reason', 'x.detail', 'dp.id as direct_payment_id', 'dp.reference', 'dp.person_id', 'pe.given_name', 'pe.family_name'])
    .where('x.run_id', '=', runId)
    .orderBy('dp.reference')
    .orderBy('x.period_starts_on')
    .execute();
  return rows.map((x) => ({ ...x, reasonName: EXCEPTION_NAMES[x.reason as ExceptionReason] }));
}

/** A line of a run, by its number, for recording a return; 404 when the run has no such line. */
export async function lineFor(db: Kysely<DB>, runId: string, lineNumber: string) {
  if (!/^\d{1,9}$/.test(lineNumber)) notFound();
  const line = await db
    .selectFrom('payment_run_lines as l')
    .innerJoin('payments as p', 'p.id', 'l.payment_id')
    .innerJoin('direct_payments as dp', 'dp.id', 'l.direct_payment_id')
    .innerJoin('people as pe', 'pe.id', 'dp.person_id')
    .select(['l.line_number', 'l.amount_pence', 'l.status', 'p.period_starts_on', 'p.period_ends_on', 'dp.reference', 'dp.person_id', 'pe.given_name', 'pe.family_name'])
    .where('l.run_id', '=', runId)
    .where('l.line_number', '=', Number(lineNumber))
    .executeTakeFirst();
  if (!line) notFound();
  return { ...line, statusName: LINE_STATUS_NAMES[line.status as LineStatus] };
}
