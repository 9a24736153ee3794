import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Database } from '../../platform/db/database.ts';
import { ACCOUNT_KINDS, assertBalanced, reversalOf, type AccountKind, type Posting } from '../../domain/ledger.ts';
import { verifyPools } from '../pools/ledger-rules.ts';

type Db = Database | Transaction<DB>;

/**
 * The one way money moves. Sign convention: a positive amount is a debit, a negative a credit.
 * Account balances (debit minus credit) therefore read as:
 * - budget: goes negative as the council spends from it;
 * - in_transit: money sent to the bank but not yet confirmed as arrived;
 * - direct_payment: money the person holds for their support (paid in, less what they spent);
 * - contributions: negative as people's contributions are accounted for;
 * - owed_back: money a person owes the council (surplus agreed to be recovered).
 */
export async function accountFor(db: Db, councilId: string, kind: AccountKind, directPaymentId?: string): Promise<string> {
  if (kind === 'direct_payment' && !directPaymentId) throw new Error('A direct payment account needs the direct payment');
  const code = kind === 'direct_payment' ? `DP:${directPaymentId}` : kind.toUpperCase();
  const existing = await db.selectFrom('ledger_accounts').select('id').where('council_id', '=', councilId).where('code', '=', code).executeTakeFirst();
  if (existing) return existing.id;
  const created = await db
    .insertInto('ledger_accounts')
    .values({ council_id: councilId, code, name: ACCOUNT_KINDS[kind], kind, direct_payment_id: kind === 'direct_payment' ? directPaymentId! : null })
    .onConflict((oc) => oc.columns(['council_id', 'code']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (created) return created.id;
  const again = await db.selectFrom('ledger_accounts').select('id').where('council_id', '=', councilId).where('code', '=', code).executeTakeFirstOrThrow();
  return again.id;
}

export type NewTransaction = {
  /** Chosen before submission (e.g. `payment:<payment id>`): posting the same key twice posts once. */
  idempotencyKey: string;
  councilId: string;
  kind: string;
  description: string;
  effectiveOn: string;
  directPaymentId?: string | null;
  createdBy?: string | null;
  reversesId?: string | null;
  postings: Posting[];
};

/**
 * Posts a balanced transaction exactly once, its postings in one statement (the database checks the
 * balance of every statement that adds postings). Run it inside a database transaction (pass
 * `trx`), so the transaction and its postings land together. Returns the existing transaction when
 * the key was used.
 */
export async function postTransaction(trx: Transaction<DB>, t: NewTransaction): Promise<{ id: string; created: boolean }> {
  assertBalanced(t.postings);
  const inserted = await trx
    .insertInto('ledger_transactions')
    .values({
      idempotency_key: t.idempotencyKey,
      council_id: t.councilId,
      kind: t.kind,
      description: t.description,
      effective_on: t.effectiveOn,
      direct_payment_id: t.directPaymentId ?? null,
      created_by: t.createdBy ?? null,
      reverses_id: t.reversesId ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await trx.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', t.idempotencyKey).executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  }
  await trx
    .insertInto('ledger_postings')
    .values(t.postings.map((p) => ({ transaction_id: inserted.id, account_id: p.accountId, amount_pence: p.amountPence })))
    .execute();
  return { id: inserted.id, created: true };
}

/** Reverses a transaction once, linked to it; a second reversal of the same transaction is refused by the database. */
export async function reverseTransaction(
  trx: Transaction<DB>,
  transactionId: string,
  opts: { description: string; effectiveOn: string; createdBy?: string | null },
): Promise<{ id: string; created: boolean }> {
  const original = await trx.selectFrom('ledger_transactions').selectAll().where('id', '=', transactionId).executeTakeFirstOrThrow();
  const postings = await trx.selectFrom('ledger_postings').select(['account_id', 'amount_pence']).where('transaction_id', '=', transactionId).execute();
  return postTransaction(trx, {
    idempotencyKey: `reversal:${transactionId}`,
    councilId: original.council_id,
    kind: 'reversal',
    description: opts.description,
    effectiveOn: opts.effectiveOn,
    directPaymentId: original.direct_payment_id,
    createdBy: opts.createdBy ?? null,
    reversesId: transactionId,
    postings: reversalOf(postings.map((p) => ({ accountId: p.account_id, amountPence: p.amount_pence }))),
  });
}

/** An account's balance, always derived from its postings. */
export async function balanceOf(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('ledger_postings')
    .select(sql<string>`coalesce(sum(amount_pence), 0)`.as('balance'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.balance);
}

/**
 * A direct payment's money, derived from the postings: what has arrived in its account and what
 * is on its way there. Reading never opens an account, so a direct payment with none reads as zero.
 */
export async function directPaymentMoney(db: Db, directPaymentId: string): Promise<{ paidInPence: number; inTransitPence: number }> {
  const held = await db
    .selectFrom('ledger_postings')
    .innerJoin('ledger_accounts', 'ledger_accounts.id', 'ledger_postings.account_id')
    .select(sql<string>`coalesce(sum(ledger_postings.amount_pence), 0)`.as('balance'))
    .where('ledger_accounts.kind', '=', 'direct_payment')
    .where('ledger_accounts.direct_payment_id', '=', directPaymentId)
    .executeTakeFirstOrThrow();
  const moving = await db
    .selectFrom('ledger_postings')
    .innerJoin('ledger_accounts', 'ledger_accounts.id', 'ledger_postings.account_id')
    .innerJoin('ledger_transactions', 'ledger_transactions.id', 'ledger_postings.transaction_id')
    .select(sql<string>`coalesce(sum(ledger_postings.amount_pence), 0)`.as('balance'))
    .where('ledger_accounts.kind', '=', 'in_transit')
    .where('ledger_transactions.direct_payment_id', '=', directPaymentId)
    .executeTakeFirstOrThrow();
  return { paidInPence: Number(held.balance), inTransitPence: Number(moving.balance) };
}

// The triggers that keep the ledger append-only and balanced (migration 0001). If one is missing or
// disabled, postings could have been changed without anyone noticing.
const GUARDS: Array<[table: string, trigger: string]> = [
  ['ledger_postings', 'ledger_postings_append_only'],
  ['ledger_postings', 'ledger_postings_no_truncate'],
  ['ledger_postings', 'ledger_postings_balance'],
  ['ledger_transactions', 'ledger_transactions_append_only'],
  ['ledger_transactions', 'ledger_transactions_no_truncate'],
  // 0810: the parents a statement's postings and transactions name are checked once per statement.
  ['ledger_transactions', 'ledger_transactions_parents'],
  ['ledger_accounts', 'ledger_accounts_named'],
];

/**
 * Checks every rule the ledger promises, and returns what is wrong (nothing, when all hold):
 * 1. every transaction has two or more postings and they sum to zero;
 * 2. nothing can have been edited: the append-only and balance triggers are in place and enabled;
 * 3. a reversal posts exactly the opposite of what it reverses, to the same accounts;
 * 4. no posting crosses councils, and each council's postings sum to zero;
 * 5. each payment-run line's postings match its state (nothing while pending; in transit once
 *    sent; in the direct payment's account once paid; nothing left once returned);
 * 6. each payment's postings, by hand or by run, match its state, so none is paid twice;
 * 7. balances derived another way agree: what is in transit is the payments in transit, and each
 *    direct payment's account holds its paid payments (money moved to and from pools aside);
 * 8. pools keep their own rules (features/pools/ledger-rules.ts);
 * 9. surplus taken off payments ("reduce future payments") matches the offsets, their takes, the
 *    run lines that took them and owed back (features/surplus/offsets.ts).
 */
export async function verifyLedger(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const unbalanced = await sql<{ id: string; total: string; n: string }>`
    select t.id, coalesce(sum(p.amount_pence), 0) as total, count(p.id) as n
    from ledger_transactions t left join ledger_postings p on p.transaction_id = t.id
    group by t.id having coalesce(sum(p.amount_pence), 0) <> 0 or count(p.id) < 2`.execute(db);
  problems.push(...unbalanced.rows.map((r) => `Transaction ${r.id} has ${r.n} postings summing to ${r.total} pence`));

  const triggers = await sql<{ table: string; name: string; enabled: string }>`
    select c.relname as table, t.tgname as name, t.tgenabled as enabled
    from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where c.relname in ('ledger_postings', 'ledger_transactions', 'ledger_accounts') and not t.tgisinternal`.execute(db);
  for (const [table, name] of GUARDS) {
    const found = triggers.rows.find((t) => t.table === table && t.name === name);
    if (!found) problems.push(`The ${name} trigger on ${table} is missing`);
    else if (found.enabled === 'D') problems.push(`The ${name} trigger on ${table} is disabled`);
  }

  // Every posting names a transaction and an account that exist (checked per statement since 0810).
  const orphans = await sql<{ n: number }>`
    select count(*)::int as n from ledger_postings p
    where not exists (select 1 from ledger_transactions t where t.id = p.transaction_id)
       or not exists (select 1 from ledger_accounts a where a.id = p.account_id)`.execute(db);
  if (orphans.rows[0]!.n) problems.push(`${orphans.rows[0]!.n} postings name a transaction or an account that does not exist`);

  const badReversals = await sql<{ id: string }>`
    with r as (
      select t.id, t.reverses_id, p.account_id, sum(p.amount_pence) as amount
      from ledger_transactions t join ledger_postings p on p.transaction_id = t.id
      where t.reverses_id is not null group by t.id, t.reverses_id, p.account_id
    ), o as (
      select t.id as reversal_id, p.account_id, -sum(p.amount_pence) as amount
      from ledger_transactions t join ledger_postings p on p.transaction_id = t.reverses_id
      where t.reverses_id is not null group by t.id, p.account_id
    )
    select distinct coalesce(r.id, o.reversal_id) as id
    from r full join o on o.reversal_id = r.id and o.account_id = r.account_id
    where r.amount is distinct from o.amount`.execute(db);
  problems.push(...badReversals.rows.map((r) => `Reversal ${r.id} does not post the exact opposite of the transaction it reverses`));

  const crossing = await sql<{ n: number }>`
    select count(*)::int as n from ledger_postings p
      join ledger_transactions t on t.id = p.transaction_id join ledger_accounts a on a.id = p.account_id
    where a.council_id <> t.council_id`.execute(db);
  if (crossing.rows[0]!.n) problems.push(`${crossing.rows[0]!.n} postings go to another council's account`);
  const councils = await sql<{ council_id: string; total: number }>`
    select a.council_id, sum(p.amount_pence)::bigint as total from ledger_postings p join ledger_accounts a on a.id = p.account_id
    group by a.council_id having sum(p.amount_pence) <> 0`.execute(db);
  problems.push(...councils.rows.map((c) => `Council ${c.council_id}'s postings sum to ${c.total} pence, not zero`));

  // What each run line and each payment has had posted: its own transactions and their reversals.
  // A line that takes surplus (offset_pence) sends and pays only amount − offset through the bank;
  // the offset comes from owed back when it is paid (key 'run-line:<id>:offset').
  const lines = await sql<{ run_id: string; line_number: number; status: string; amount_pence: number; offset_pence: number; budget: number; transit: number; held: number; owed: number; other: number }>`
    with keyed as (
      select l.id as line_id, t.id as tx_id from payment_run_lines l
        join ledger_transactions t on t.idempotency_key in ('run-line:' || l.id || ':sent', 'run-line:' || l.id || ':paid', 'run-line:' || l.id || ':offset')
    ), moved as (
      select line_id, tx_id from keyed
      union all
      select k.line_id, r.id from keyed k join ledger_transactions r on r.reverses_id = k.tx_id
    ), sums as (
      select m.line_id,
        sum(p.amount_pence) filter (where a.kind = 'budget') as budget,
        sum(p.amount_pence) filter (where a.kind = 'in_transit') as transit,
        sum(p.amount_pence) filter (where a.kind = 'direct_payment' and a.direct_payment_id = l.direct_payment_id) as held,
        sum(p.amount_pence) filter (where a.kind = 'owed_back') as owed,
        count(*) filter (where a.kind not in ('budget', 'in_transit', 'owed_back') and (a.kind <> 'direct_payment' or a.direct_payment_id <> l.direct_payment_id)) as other
      from moved m join payment_run_lines l on l.id = m.line_id
        join ledger_postings p on p.transaction_id = m.tx_id join ledger_accounts a on a.id = p.account_id
      group by m.line_id
    )
    select l.run_id, l.line_number, l.status, l.amount_pence, l.offset_pence,
      coalesce(s.budget, 0)::bigint as budget, coalesce(s.transit, 0)::bigint as transit, coalesce(s.held, 0)::bigint as held,
      coalesce(s.owed, 0)::bigint as owed, coalesce(s.other, 0)::int as other
    from payment_run_lines l left join sums s on s.line_id = l.id
    where (coalesce(s.budget, 0), coalesce(s.transit, 0), coalesce(s.held, 0), coalesce(s.owed, 0), coalesce(s.other, 0)) is distinct from (
      case when l.status in ('in_transit', 'paid') then -(l.amount_pence - l.offset_pence) else 0 end,
      case when l.status = 'in_transit' then l.amount_pence - l.offset_pence else 0 end,
      case when l.status = 'paid' then l.amount_pence else 0 end,
      case when l.status = 'paid' then -l.offset_pence else 0 end,
      0)`.execute(db);
  problems.push(...lines.rows.map((l) =>
    `Payment ${l.line_number} of run ${l.run_id} is ${l.status} (${l.amount_pence} pence${l.offset_pence ? `, ${l.offset_pence} of it surplus taken off` : ''}) but its postings are budget ${l.budget}, in transit ${l.transit}, account ${l.held}, owed back ${l.owed}${l.other ? `, and ${l.other} elsewhere` : ''}`));

  const payments = await sql<{ id: string; status: string; amount_pence: number; transit: number; held: number }>`
    with keyed as (
      select p.id as payment_id, t.id as tx_id from payments p
        join ledger_transactions t on t.idempotency_key in ('payment:' || p.id || ':sent', 'payment:' || p.id || ':paid')
      union all
      select l.payment_id, t.id from payment_run_lines l
        join ledger_transactions t on t.idempotency_key in ('run-line:' || l.id || ':sent', 'run-line:' || l.id || ':paid', 'run-line:' || l.id || ':offset')
    ), moved as (
      select payment_id, tx_id from keyed
      union all
      select k.payment_id, r.id from keyed k join ledger_transactions r on r.reverses_id = k.tx_id
    ), sums as (
      select m.payment_id,
        sum(lp.amount_pence) filter (where a.kind = 'in_transit') as transit,
        sum(lp.amount_pence) filter (where a.kind = 'direct_payment') as held
      from moved m join ledger_postings lp on lp.transaction_id = m.tx_id join ledger_accounts a on a.id = lp.account_id
      group by m.payment_id
    )
    select p.id, p.status, p.amount_pence, coalesce(s.transit, 0)::bigint as transit, coalesce(s.held, 0)::bigint as held
    from payments p left join sums s on s.payment_id = p.id
      -- The surplus its live run line takes off: not sent through the bank, but paid in from owed back.
      left join payment_run_lines live on live.payment_id = p.id and live.status <> 'returned'
    where (coalesce(s.transit, 0), coalesce(s.held, 0)) is distinct from (
      case when p.status = 'in_transit' then p.amount_pence - coalesce(live.offset_pence, 0) else 0 end,
      case when p.status = 'paid' then p.amount_pence else 0 end)`.execute(db);
  problems.push(...payments.rows.map((p) => `Payment ${p.id} is ${p.status} (${p.amount_pence} pence) but ${p.transit} pence is in transit for it and ${p.held} pence has arrived`));

  const transit = await sql<{ council_id: string; posted: number; payments: number }>`
    select c.id as council_id,
      coalesce((select sum(lp.amount_pence) from ledger_postings lp join ledger_accounts a on a.id = lp.account_id
                where a.council_id = c.id and a.kind = 'in_transit'), 0)::bigint as posted,
      coalesce((select sum(p.amount_pence - coalesce(live.offset_pence, 0)) from payments p join direct_payments dp on dp.id = p.direct_payment_id
                  left join payment_run_lines live on live.payment_id = p.id and live.status <> 'returned'
                where dp.council_id = c.id and p.status = 'in_transit'), 0)::bigint as payments
    from councils c`.execute(db);
  for (const c of transit.rows) {
    if (c.posted !== c.payments) problems.push(`Council ${c.council_id} has ${c.posted} pence in transit in the ledger but ${c.payments} pence of payments in transit`);
  }
  const held = await sql<{ reference: string; balance: number; paid: number }>`
    select dp.reference, coalesce(b.balance, 0)::bigint as balance, coalesce(pd.paid, 0)::bigint as paid
    from direct_payments dp
      left join (select a.direct_payment_id, sum(lp.amount_pence) as balance from ledger_postings lp join ledger_accounts a on a.id = lp.account_id
                 join ledger_transactions lt on lt.id = lp.transaction_id
                 -- Money moved to and from pools is checked by the pools' own rules (verifyPools); surplus
                 -- recovered from the account (features/surplus) moves it on purpose. Surplus taken off a
                 -- run's payment is part of that payment (net from the bank + offset from owed back), so
                 -- it counts, and so does its reversal when the payment comes back.
                 where a.kind = 'direct_payment' and lt.kind not in ('pool_contribution', 'pool_settlement', 'surplus_recovery') group by a.direct_payment_id) b on b.direct_payment_id = dp.id
      left join (select direct_payment_id, sum(amount_pence) as paid from payments where status = 'paid' group by direct_payment_id) pd on pd.direct_payment_id = dp.id
    where coalesce(b.balance, 0) <> coalesce(pd.paid, 0)`.execute(db);
  problems.push(...held.rows.map((h) => `${h.reference}'s account holds ${h.balance} pence but its paid payments come to ${h.paid} pence`));
  // 8. Pools (features/pools/ledger-rules.ts): contributions and settlements between members and pools.
  problems.push(...(await verifyPools(db)));

  // 9. Surplus offsets ("reduce future payments", features/surplus/offsets.ts): what each offset has
  //    taken is the sum of its takes (gives-back included); each run line's takes come to its offset
  //    once it is paid, and nothing otherwise; each take names its line's offset posting (or its
  //    reversal); every surplus_offset posting is a run line's; and owed back has been reduced by
  //    exactly what the takes say.
  const offsets = await sql<{ id: string; taken_pence: number; takes: number }>`
    select o.id, o.taken_pence, coalesce(sum(t.amount_pence), 0)::bigint as takes
    from surplus_offsets o left join surplus_offset_takes t on t.offset_id = o.id
    group by o.id having o.taken_pence <> coalesce(sum(t.amount_pence), 0)`.execute(db);
  problems.push(...offsets.rows.map((o) => `Surplus offset ${o.id} says ${o.taken_pence} pence taken but its takes come to ${o.takes} pence`));
  const offsetLines = await sql<{ run_id: string; line_number: number; status: string; offset_pence: number; takes: number }>`
    select l.run_id, l.line_number, l.status, l.offset_pence, coalesce(t.total, 0)::bigint as takes
    from payment_run_lines l
      left join (select line_id, sum(amount_pence) as total from surplus_offset_takes where line_id is not null group by line_id) t on t.line_id = l.id
    where (l.offset_pence > 0 or t.line_id is not null)
      and coalesce(t.total, 0) <> case when l.status = 'paid' then l.offset_pence else 0 end`.execute(db);
  problems.push(...offsetLines.rows.map((l) => `Payment ${l.line_number} of run ${l.run_id} is ${l.status} with ${l.offset_pence} pence of surplus to take off, but its offset takes come to ${l.takes} pence`));
  const strayTakes = await sql<{ n: number }>`
    select count(*)::int as n from surplus_offset_takes t
      left join ledger_transactions lt on lt.id = t.transaction_id
      left join ledger_transactions orig on orig.id = lt.reverses_id
    where t.line_id is not null and coalesce(orig.idempotency_key, lt.idempotency_key) is distinct from 'run-line:' || t.line_id || ':offset'`.execute(db);
  if (strayTakes.rows[0]!.n) problems.push(`${strayTakes.rows[0]!.n} surplus offset takes do not name their payment's surplus posting`);
  const strayOffsets = await sql<{ n: number }>`
    select count(*)::int as n from ledger_transactions t
    where t.kind = 'surplus_offset'
      and not exists (select 1 from payment_run_lines l where t.idempotency_key = 'run-line:' || l.id || ':offset')`.execute(db);
  if (strayOffsets.rows[0]!.n) problems.push(`${strayOffsets.rows[0]!.n} surplus offset postings belong to no payment run line`);
  const owedBack = await sql<{ council_id: string; posted: number; taken: number }>`
    select c.id as council_id,
      coalesce((select -sum(lp.amount_pence) from ledger_postings lp join ledger_accounts a on a.id = lp.account_id
                  join ledger_transactions lt on lt.id = lp.transaction_id
                  left join ledger_transactions orig on orig.id = lt.reverses_id
                where a.council_id = c.id and a.kind = 'owed_back'
                  and (lt.kind = 'surplus_offset' or orig.kind = 'surplus_offset')), 0)::bigint as posted,
      coalesce((select sum(t.amount_pence) from surplus_offset_takes t join surplus_offsets o on o.id = t.offset_id where o.council_id = c.id), 0)::bigint as taken
    from councils c`.execute(db);
  for (const c of owedBack.rows) {
    if (c.posted !== c.taken) problems.push(`Council ${c.council_id} has taken ${c.taken} pence of surplus off payments but owed back went down by ${c.posted} pence for it`);
  }
  return problems;
}
