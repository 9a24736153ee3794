import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { ACCOUNT_KINDS } from '../../domain/ledger.ts';
import { accountFor } from '../payments/ledger.ts';
import { afterPaymentArrived } from '../payments/move-money.ts';
import { takeLineOffsets } from '../surplus/offsets.ts';

type Trx = Transaction<DB>;

/**
 * The ledger side of a run, a batch of lines at a time, set-based: one statement per table, not
 * one per payment, so 120,000 payments post in seconds. Each line's transactions have keys fixed
 * by the line ('run-line:<line id>:sent' and ':paid'), so a batch retried after a crash posts
 * nothing twice; and each batch moves its lines and their payments on in the same transaction as
 * the postings, so the ledger and the lines never disagree.
 */

const PERIOD = sql<string>`case when p.period_starts_on = p.period_ends_on then to_char(p.period_starts_on, 'FMDD FMMonth YYYY')
  else to_char(p.period_starts_on, 'FMDD FMMonth YYYY') || ' to ' || to_char(p.period_ends_on, 'FMDD FMMonth YYYY') end`;

type Batch = { runId: string; councilId: string; paymentDate: string; userId: string | null; today: string; size: number; after: number };

/**
 * Moves the lines numbered after `after` (up to a batch of them) on from one state to the next,
 * and returns their ids. Lines are numbered 1, 2, 3… when the run is fixed, so a batch is a range
 * of numbers, read straight from the run's index. The update itself holds the lines, so a return
 * recorded at the same moment waits, then sees the new state.
 */
async function claimLines(trx: Trx, b: Batch, from: 'pending' | 'in_transit', to: 'in_transit' | 'paid'): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    update payment_run_lines set status = ${to}
    where run_id = ${b.runId} and line_number > ${b.after} and line_number <= ${b.after + b.size} and status = ${from}
    returning id`.execute(trx);
  return rows.rows.map((r) => r.id);
}

/**
 * Sends the pending lines of a batch: budget → in transit, and for gross councils the contribution
 * invoiced. Returns how many. One statement does the work: it claims the lines (pending → in
 * transit), adds a transaction per line with its two postings, and moves the payments on, so the
 * lines, the payments and the ledger change together or not at all. The transactions' ids are
 * drawn first, so the postings name them directly; their idempotency keys are fixed per line, and
 * a line can only be claimed once, so a key already taken would mean a second payment: the
 * statement fails rather than skip it.
 */
export async function sendBatch(trx: Trx, b: Batch): Promise<number> {
  const [budget, transit] = [await accountFor(trx, b.councilId, 'budget'), await accountFor(trx, b.councilId, 'in_transit')];
  const sent = await sql<{ n: number; contributing: string[] | null }>`
    with claimed as (
      update payment_run_lines set status = 'in_transit'
      where run_id = ${b.runId} and line_number > ${b.after} and line_number <= ${b.after + b.size} and status = 'pending'
      returning id, payment_id, direct_payment_id, amount_pence, offset_pence, contribution_pence
    ), lines as materialized (
      -- Only what goes to the bank: the payment less the surplus it takes. A line the surplus pays
      -- in full sends nothing (it is not in the Bacs file), so it has no transaction here.
      select gen_random_uuid() as tx_id, c.id, c.direct_payment_id, c.amount_pence - c.offset_pence as amount_pence, dp.reference, p.period_starts_on, p.period_ends_on
      from claimed c join payments p on p.id = c.payment_id join direct_payments dp on dp.id = c.direct_payment_id
      where c.amount_pence > c.offset_pence
    ), tx as (
      insert into ledger_transactions (id, idempotency_key, council_id, kind, description, effective_on, direct_payment_id, created_by)
      select p.tx_id, 'run-line:' || p.id || ':sent', ${b.councilId}, 'payment_sent',
             p.reference || ': payment for ' || ${PERIOD} || ' sent to the bank (payment run for ' || to_char(${b.paymentDate}::date, 'FMDD FMMonth YYYY') || ')',
             ${b.today}, p.direct_payment_id, ${b.userId}
      from lines p
    ), postings as (
      insert into ledger_postings (transaction_id, account_id, amount_pence)
      select l.tx_id, v.account, v.amount
      from lines l cross join lateral (values (${budget}::uuid, -l.amount_pence), (${transit}::uuid, l.amount_pence)) as v(account, amount)
    ), moved as (
      update payments p set status = 'in_transit' from claimed c where p.id = c.payment_id
    )
    select count(*)::int as n, array_agg(id) filter (where contribution_pence > 0) as contributing from claimed`.execute(trx);
  const { n, contributing } = sent.rows[0]!;
  if (contributing?.length) await invoiceContributions(trx, b, contributing);
  return n;
}

/**
 * A gross council pays the whole budget and invoices the person's contribution: what they owe is
 * posted when the payment is sent, once per period (keyed by the payment, so a payment returned
 * and sent again is not invoiced twice).
 */
async function invoiceContributions(trx: Trx, b: Batch, ids: string[]): Promise<void> {
  const [owed, contributions] = [await accountFor(trx, b.councilId, 'owed_back'), await accountFor(trx, b.councilId, 'contributions')];
  await sql`
    with tx as (
      insert into ledger_transactions (idempotency_key, council_id, kind, description, effective_on, direct_payment_id, created_by)
      select 'payment:' || l.payment_id || ':contribution', ${b.councilId}, 'contribution_invoiced',
             dp.reference || ': contribution for ' || ${PERIOD} || ' invoiced', ${b.today}, l.direct_payment_id, ${b.userId}
      from payment_run_lines l join payments p on p.id = l.payment_id join direct_payments dp on dp.id = l.direct_payment_id
      where l.id = any(${ids}::uuid[]) and l.contribution_pence > 0
      on conflict (idempotency_key) do nothing
      returning id, idempotency_key
    )
    insert into ledger_postings (transaction_id, account_id, amount_pence)
    select tx.id, v.account, v.amount
    from tx join payment_run_lines l on tx.idempotency_key = 'payment:' || l.payment_id || ':contribution'
      cross join lateral (values (${owed}::uuid, l.contribution_pence), (${contributions}::uuid, -l.contribution_pence)) as v(account, amount)
    where l.id = any(${ids}::uuid[])`.execute(trx);
}

/**
 * Marks the sent lines of a batch paid: in transit → each direct payment's own account (what the
 * bank paid: the payment less any surplus taken off it), and the surplus taken, owed back → the
 * account. Returns how many.
 */
export async function payBatch(trx: Trx, b: Batch): Promise<number> {
  const ids = await claimLines(trx, b, 'in_transit', 'paid');
  if (ids.length === 0) return 0;
  const transit = await accountFor(trx, b.councilId, 'in_transit');
  await sql`
    insert into ledger_accounts (council_id, code, name, kind, direct_payment_id)
    select distinct ${b.councilId}::uuid, 'DP:' || l.direct_payment_id, ${ACCOUNT_KINDS.direct_payment}, 'direct_payment', l.direct_payment_id
    from payment_run_lines l where l.id = any(${ids}::uuid[])
    on conflict (council_id, code) do nothing`.execute(trx);
  await sql`
    with tx as (
      insert into ledger_transactions (idempotency_key, council_id, kind, description, effective_on, direct_payment_id, created_by)
      select 'run-line:' || l.id || ':paid', ${b.councilId}, 'payment_paid',
             dp.reference || ': payment for ' || ${PERIOD} || ' arrived (payment run for ' || to_char(${b.paymentDate}::date, 'FMDD FMMonth YYYY') || ')',
             ${b.today}, l.direct_payment_id, ${b.userId}
      from payment_run_lines l join payments p on p.id = l.payment_id join direct_payments dp on dp.id = l.direct_payment_id
      where l.id = any(${ids}::uuid[]) and l.amount_pence > l.offset_pence
      on conflict (idempotency_key) do nothing
      returning id, idempotency_key
    )
    insert into ledger_postings (transaction_id, account_id, amount_pence)
    select tx.id, v.account, v.amount
    from tx join payment_run_lines l on tx.idempotency_key = 'run-line:' || l.id || ':paid'
      join ledger_accounts a on a.council_id = ${b.councilId} and a.code = 'DP:' || l.direct_payment_id
      cross join lateral (values (${transit}::uuid, -(l.amount_pence - l.offset_pence)), (a.id, l.amount_pence - l.offset_pence)) as v(account, amount)
    where l.id = any(${ids}::uuid[])`.execute(trx);
  // The surplus each line takes (owed back → the account), with the paid posting: together the
  // account receives the whole period's payment.
  await takeLineOffsets(trx, { councilId: b.councilId, runId: b.runId, lineIds: ids, today: b.today, userId: b.userId });
  await sql`update payments p set status = 'paid' from payment_run_lines l where l.id = any(${ids}::uuid[]) and p.id = l.payment_id`.execute(trx);
  // The first payment to arrive makes the direct payment active and starts the first review's clock.
  const firsts = await sql<{ id: string }>`
    select distinct dp.id from payment_run_lines l join direct_payments dp on dp.id = l.direct_payment_id
    where l.id = any(${ids}::uuid[])
      and (dp.status = 'agreed' or not exists (select 1 from reviews r where r.direct_payment_id = dp.id and r.kind in ('first', 'check_back')))
    order by dp.id`.execute(trx);
  for (const dp of firsts.rows) await afterPaymentArrived(trx, dp.id, b.today);
  return ids.length;
}
