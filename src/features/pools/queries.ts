import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const SERVICE_KINDS = ['purchase', 'session_series', 'shared_pas'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** Ledger transaction kinds that move money between a member's direct payment and a pool. */
export const POOL_TRANSACTION_KINDS = ['pool_contribution', 'pool_settlement'] as const;

export async function poolById(db: Db, poolId: string) {
  return db.selectFrom('pools').selectAll().where('id', '=', poolId).executeTakeFirst();
}

/**
 * Each member of a pool with their money, derived, never stored: what they put in (ledger
 * postings to the pool's account tagged with their direct payment), what was given back when they
 * left, and their part of what the pool bought. `heldPence` is their money still in the pool.
 */
export async function membersOf(db: Db, poolId: string) {
  const pool = await db.selectFrom('pools').select(['ledger_account_id']).where('id', '=', poolId).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('pool_members')
    .innerJoin('direct_payments', 'direct_payments.id', 'pool_members.direct_payment_id')
    .innerJoin('people', 'people.id', 'direct_payments.person_id')
    .select([
      'pool_members.id', 'pool_members.direct_payment_id', 'pool_members.share_parts', 'pool_members.contribution_pence', 'pool_members.joined_on',
      'pool_members.left_on', 'pool_members.settlement_transaction_id', 'direct_payments.reference', 'direct_payments.person_id',
      'people.given_name', 'people.family_name',
    ])
    .where('pool_members.pool_id', '=', poolId)
    .orderBy('pool_members.joined_on')
    .orderBy('people.given_name')
    .execute();
  const moved = await sql<{ direct_payment_id: string; kind: string; total: number }>`
    select t.direct_payment_id, t.kind, sum(p.amount_pence)::bigint as total
    from ledger_postings p join ledger_transactions t on t.id = p.transaction_id
    where p.account_id = ${pool.ledger_account_id} and t.kind in ('pool_contribution', 'pool_settlement')
    group by t.direct_payment_id, t.kind`.execute(db);
  const spent = await db
    .selectFrom('pool_purchase_shares')
    .innerJoin('pool_purchases', 'pool_purchases.id', 'pool_purchase_shares.purchase_id')
    .select(['pool_purchase_shares.pool_member_id', sql<string>`sum(pool_purchase_shares.amount_pence)`.as('total')])
    .where('pool_purchases.pool_id', '=', poolId)
    .groupBy('pool_purchase_shares.pool_member_id')
    .execute();
  return rows.map((m) => {
    const contributedPence = Number(moved.rows.find((r) => r.direct_payment_id === m.direct_payment_id && r.kind === 'pool_contribution')?.total ?? 0);
    const returnedPence = -Number(moved.rows.find((r) => r.direct_payment_id === m.direct_payment_id && r.kind === 'pool_settlement')?.total ?? 0);
    const spentPence = Number(spent.find((s) => s.pool_member_id === m.id)?.total ?? 0);
    return { ...m, name: `${m.given_name} ${m.family_name}`, contributedPence, returnedPence, spentPence, heldPence: contributedPence - returnedPence - spentPence };
  });
}

export type PoolMember = Awaited<ReturnType<typeof membersOf>>[number];

/** Members taking part on a date: joined on or before it, not yet left. */
export function membersOn<T extends { joined_on: string; left_on: string | null }>(members: T[], on: string): T[] {
  return members.filter((m) => m.joined_on <= on && (!m.left_on || m.left_on > on));
}

/** What the pool bought, newest first, each with every member's part. */
export async function purchasesOf(db: Db, poolId: string) {
  const purchases = await db.selectFrom('pool_purchases').selectAll().where('pool_id', '=', poolId).orderBy('bought_on', 'desc').orderBy('created_at', 'desc').execute();
  const shares = purchases.length
    ? await db.selectFrom('pool_purchase_shares').selectAll().where('purchase_id', 'in', purchases.map((p) => p.id)).execute()
    : [];
  return purchases.map((p) => ({ ...p, shares: shares.filter((s) => s.purchase_id === p.id) }));
}

/** The pools a direct payment is (or was) in. */
export async function poolsFor(db: Db, directPaymentId: string) {
  return db
    .selectFrom('pool_members')
    .innerJoin('pools', 'pools.id', 'pool_members.pool_id')
    .select(['pools.id', 'pools.name', 'pools.service_kind', 'pools.service_description', 'pools.managed_by', 'pools.agreement_signed_on', 'pool_members.id as member_id', 'pool_members.left_on'])
    .where('pool_members.direct_payment_id', '=', directPaymentId)
    .orderBy('pools.name')
    .execute();
}

/** The pools of a council, with how many members take part today. */
export async function poolsOfCouncil(db: Db, councilId: string, today: string) {
  return db
    .selectFrom('pools')
    .leftJoin('pool_members', (j) => j.onRef('pool_members.pool_id', '=', 'pools.id').on('pool_members.joined_on', '<=', today).on((eb) => eb.or([eb('pool_members.left_on', 'is', null), eb('pool_members.left_on', '>', today)])))
    .select(['pools.id', 'pools.name', 'pools.service_kind', 'pools.managed_by', (eb) => eb.fn.count<number>('pool_members.id').as('members')])
    .where('pools.council_id', '=', councilId)
    .groupBy('pools.id')
    .orderBy('pools.name')
    .execute();
}

/**
 * A direct payment's money in pools, for the statement reconciliation and monitoring: money moved
 * out of its account into pools shows on its bank statement as a transfer, and is still its own
 * until a pool spends it. `heldPence` is what is still in pools; `spentPence` what pools bought
 * for it.
 */
export async function poolMoneyFor(db: Db, directPaymentId: string) {
  let contributedPence = 0, returnedPence = 0, spentPence = 0;
  for (const p of await poolsFor(db, directPaymentId)) {
    const me = (await membersOf(db, p.id)).find((m) => m.id === p.member_id)!;
    contributedPence += me.contributedPence;
    returnedPence += me.returnedPence;
    spentPence += me.spentPence;
  }
  return { contributedPence, returnedPence, spentPence, heldPence: contributedPence - returnedPence - spentPence };
}
