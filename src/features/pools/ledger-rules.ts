import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The ledger rules pools add, checked by verifyLedger (`dp ledger verify`):
 * 1. a pool transaction moves money between exactly two accounts: the account of the direct payment
 *    it names, and the account of a pool that direct payment is a member of (contributions into
 *    the pool, settlements out of it);
 * 2. no member's part of what a pool bought is more than they put in, less what was given back;
 * 3. a member who has left has been settled exactly: nothing of theirs is left in the pool;
 * 4. each pool's account holds what its members put in less what was given back (derived two ways);
 * 5. every purchase is shared out to the penny.
 */
export async function verifyPools(db: Db): Promise<string[]> {
  const problems: string[] = [];
  const shape = await sql<{ id: string; kind: string }>`
    select t.id, t.kind from ledger_transactions t
    where t.kind in ('pool_contribution', 'pool_settlement') and not (
      (select count(*) from ledger_postings p where p.transaction_id = t.id) = 2
      and exists (
        select 1 from ledger_postings dp_p join ledger_accounts dp_a on dp_a.id = dp_p.account_id,
                      ledger_postings pool_p join pools pl on pl.ledger_account_id = pool_p.account_id
                      join pool_members m on m.pool_id = pl.id and m.direct_payment_id = t.direct_payment_id
        where dp_p.transaction_id = t.id and pool_p.transaction_id = t.id
          and dp_a.kind = 'direct_payment' and dp_a.direct_payment_id = t.direct_payment_id
          and dp_p.amount_pence = -pool_p.amount_pence
          and (case when t.kind = 'pool_contribution' then pool_p.amount_pence > 0 else pool_p.amount_pence < 0 end)
      ))`.execute(db);
  problems.push(...shape.rows.map((r) => `Pool transaction ${r.id} (${r.kind}) does not move money between a member's direct payment and their pool`));

  const members = await sql<{ id: string; pool: string; left_on: string | null; put_in: number; given_back: number; spent: number }>`
    select m.id, pl.name as pool, m.left_on,
      coalesce((select sum(p.amount_pence) from ledger_postings p join ledger_transactions t on t.id = p.transaction_id
                where p.account_id = pl.ledger_account_id and t.kind = 'pool_contribution' and t.direct_payment_id = m.direct_payment_id), 0)::bigint as put_in,
      coalesce((select -sum(p.amount_pence) from ledger_postings p join ledger_transactions t on t.id = p.transaction_id
                where p.account_id = pl.ledger_account_id and t.kind = 'pool_settlement' and t.direct_payment_id = m.direct_payment_id), 0)::bigint as given_back,
      coalesce((select sum(s.amount_pence) from pool_purchase_shares s where s.pool_member_id = m.id), 0)::bigint as spent
    from pool_members m join pools pl on pl.id = m.pool_id`.execute(db);
  for (const m of members.rows) {
    const held = Number(m.put_in) - Number(m.given_back) - Number(m.spent);
    if (held < 0) problems.push(`Member ${m.id} of ${m.pool} has had ${-held} pence more spent for them than they put in`);
    if (m.left_on && held !== 0) problems.push(`Member ${m.id} of ${m.pool} left on ${m.left_on} but ${held} pence of theirs is still in the pool`);
  }

  const pools = await sql<{ name: string; balance: number; members: number }>`
    select pl.name,
      coalesce((select sum(p.amount_pence) from ledger_postings p where p.account_id = pl.ledger_account_id), 0)::bigint as balance,
      coalesce((select sum(p.amount_pence) from ledger_postings p join ledger_transactions t on t.id = p.transaction_id
                join pool_members m on m.pool_id = pl.id and m.direct_payment_id = t.direct_payment_id
                where p.account_id = pl.ledger_account_id and t.kind in ('pool_contribution', 'pool_settlement')), 0)::bigint as members
    from pools pl`.execute(db);
  for (const p of pools.rows) {
    if (Number(p.balance) !== Number(p.members)) problems.push(`${p.name}'s account holds ${p.balance} pence but its members' contributions less returns come to ${p.members} pence`);
  }

  const purchases = await sql<{ id: string; amount_pence: number; parts: number }>`
    select pp.id, pp.amount_pence, coalesce(sum(s.amount_pence), 0)::bigint as parts
    from pool_purchases pp left join pool_purchase_shares s on s.purchase_id = pp.id
    group by pp.id having pp.amount_pence <> coalesce(sum(s.amount_pence), 0)`.execute(db);
  problems.push(...purchases.rows.map((p) => `Pool purchase ${p.id} of ${p.amount_pence} pence is shared out as ${p.parts} pence`));
  return problems;
}
