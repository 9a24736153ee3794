import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { accountFor, balanceOf, postTransaction } from '../payments/ledger.ts';
import { settlementOnLeaving, shareOut } from '../../domain/pool-shares.ts';
import { membersOf, membersOn, type ServiceKind } from './queries.ts';

type Trx = Transaction<DB>;

// How money moves in a pool (see docs/architecture.md, "Employing PAs and pooling"):
// - contribution: the member's direct payment account → the pool's account, a ledger transaction
//   tagged with the member's direct payment, once per member per period (its idempotency key);
// - purchase: what the pool buys is shared out to the members taking part that day by their parts
//   (largest remainder, to the penny); like a person's own spending it is a record, not a ledger
//   movement, and no member's part may be more than their money still in the pool;
// - leaving: the member's money still in the pool goes back to their direct payment account.

export class PoolRuleBroken extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

export async function createPool(trx: Trx, args: { councilId: string; name: string; serviceKind: ServiceKind; description: string; managedBy: string; agreementSignedOn: string | null; user: CurrentUser; ip?: string }): Promise<string> {
  const id = crypto.randomUUID();
  const account = await trx
    .insertInto('ledger_accounts')
    .values({ council_id: args.councilId, code: `POOL:${id}`, name: `Pool: ${args.name}`.slice(0, 200), kind: 'pool', direct_payment_id: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('pools')
    .values({ id, council_id: args.councilId, name: args.name, service_kind: args.serviceKind, service_description: args.description, managed_by: args.managedBy, agreement_signed_on: args.agreementSignedOn, ledger_account_id: account.id, created_by: args.user.id })
    .execute();
  await audit(trx, args.user, { action: 'create', entityType: 'pool', entityId: id, details: { name: args.name, serviceKind: args.serviceKind } }, args.ip);
  return id;
}

/** Adds a direct payment to a pool with its parts and its contribution each period. */
export async function addMember(trx: Trx, args: { poolId: string; directPaymentId: string; shareParts: number; contributionPence: number; joinedOn: string; user: CurrentUser; ip?: string }): Promise<string> {
  const pool = await trx.selectFrom('pools').select(['council_id']).where('id', '=', args.poolId).forUpdate().executeTakeFirstOrThrow();
  const dp = await trx.selectFrom('direct_payments').select(['council_id', 'person_id', 'status']).where('id', '=', args.directPaymentId).executeTakeFirstOrThrow();
  if (dp.council_id !== pool.council_id) throw new PoolRuleBroken('directPayment', 'A pool’s members must all be direct payments of the same council');
  if (!['agreed', 'active'].includes(dp.status)) throw new PoolRuleBroken('directPayment', 'Only an agreed or active direct payment can join a pool');
  const existing = await trx.selectFrom('pool_members').select('id').where('pool_id', '=', args.poolId).where('direct_payment_id', '=', args.directPaymentId).executeTakeFirst();
  if (existing) throw new PoolRuleBroken('directPayment', 'That direct payment is already a member of this pool');
  const row = await trx
    .insertInto('pool_members')
    .values({ pool_id: args.poolId, direct_payment_id: args.directPaymentId, share_parts: args.shareParts, contribution_pence: args.contributionPence, joined_on: args.joinedOn })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, { action: 'create', entityType: 'pool-member', entityId: row.id, personId: dp.person_id, details: { poolId: args.poolId, directPaymentId: args.directPaymentId, shareParts: args.shareParts, contributionPence: args.contributionPence } }, args.ip);
  return row.id;
}

/**
 * Posts each member's contribution for the period starting on a date, from their direct payment's
 * account to the pool's. Posting the same period again posts nothing new. A member whose account
 * does not hold enough is left out and named in `shortOf`.
 */
export async function recordContributions(trx: Trx, args: { poolId: string; periodStartsOn: string; user: CurrentUser; ip?: string }): Promise<{ posted: number; shortOf: string[] }> {
  const pool = await trx.selectFrom('pools').selectAll().where('id', '=', args.poolId).forUpdate().executeTakeFirstOrThrow();
  // A member who has left has been settled: a period recorded late must not move more of their money in.
  const members = membersOn(await membersOf(trx, args.poolId), args.periodStartsOn).filter((m) => !m.left_on);
  let posted = 0;
  const shortOf: string[] = [];
  for (const m of members) {
    const dpAccount = await accountFor(trx, pool.council_id, 'direct_payment', m.direct_payment_id);
    const key = `pool:${pool.id}:member:${m.id}:contribution:${args.periodStartsOn}`;
    const already = await trx.selectFrom('ledger_transactions').select('id').where('idempotency_key', '=', key).executeTakeFirst();
    if (already) continue;
    if ((await balanceOf(trx, dpAccount)) < m.contribution_pence) {
      shortOf.push(m.name);
      continue;
    }
    const t = await postTransaction(trx, {
      idempotencyKey: key, councilId: pool.council_id, kind: 'pool_contribution',
      description: `Contribution to ${pool.name}`.slice(0, 200), effectiveOn: args.periodStartsOn, directPaymentId: m.direct_payment_id, createdBy: args.user.id,
      postings: [{ accountId: dpAccount, amountPence: -m.contribution_pence }, { accountId: pool.ledger_account_id, amountPence: m.contribution_pence }],
    });
    if (t.created) {
      posted++;
      await audit(trx, args.user, { action: 'create', entityType: 'pool-contribution', entityId: t.id, personId: m.person_id, details: { poolId: pool.id, amountPence: m.contribution_pence, periodStartsOn: args.periodStartsOn } }, args.ip);
    }
  }
  return { posted, shortOf };
}

/** Records what the pool bought and each taking-part member's part of it (to the penny). */
export async function recordPurchase(trx: Trx, args: { poolId: string; boughtOn: string; description: string; supplier: string; amountPence: number; user: CurrentUser; ip?: string }): Promise<string> {
  await trx.selectFrom('pools').select('id').where('id', '=', args.poolId).forUpdate().executeTakeFirstOrThrow();
  const members = membersOn(await membersOf(trx, args.poolId), args.boughtOn);
  if (!members.length) throw new PoolRuleBroken('boughtOn', 'Nobody was a member of the pool on that date');
  const parts = shareOut(args.amountPence, members.map((m) => ({ id: m.id, parts: m.share_parts })));
  const over = members.filter((m, i) => parts[i]!.amountPence > m.heldPence);
  if (over.length) throw new PoolRuleBroken('amount', `The pool does not hold enough of ${over.map((m) => m.name).join(' and ')}’s money for their part of this`);
  const purchase = await trx
    .insertInto('pool_purchases')
    .values({ pool_id: args.poolId, bought_on: args.boughtOn, description: args.description, supplier: args.supplier, amount_pence: args.amountPence, recorded_by: args.user.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('pool_purchase_shares')
    .values(members.map((m, i) => ({ purchase_id: purchase.id, pool_member_id: m.id, direct_payment_id: m.direct_payment_id, amount_pence: parts[i]!.amountPence })))
    .execute();
  for (const [i, m] of members.entries()) {
    await audit(trx, args.user, { action: 'create', entityType: 'pool-purchase-share', entityId: purchase.id, personId: m.person_id, details: { poolId: args.poolId, amountPence: parts[i]!.amountPence } }, args.ip);
  }
  return purchase.id;
}

/**
 * A member leaves on a date: their money still in the pool (what they put in, less their part of
 * what it bought) goes back to their direct payment's account, once. They take no part in
 * purchases from that date.
 */
export async function leavePool(trx: Trx, args: { memberId: string; leftOn: string; user: CurrentUser; ip?: string }): Promise<{ settledPence: number }> {
  const member = await trx.selectFrom('pool_members').selectAll().where('id', '=', args.memberId).forUpdate().executeTakeFirstOrThrow();
  if (member.left_on) throw new PoolRuleBroken('leftOn', 'This member has already left the pool');
  if (args.leftOn < member.joined_on) throw new PoolRuleBroken('leftOn', 'The date they leave must be on or after the date they joined');
  const later = await trx.selectFrom('pool_purchase_shares').innerJoin('pool_purchases', 'pool_purchases.id', 'pool_purchase_shares.purchase_id').select('pool_purchases.id').where('pool_member_id', '=', member.id).where('pool_purchases.bought_on', '>=', args.leftOn).where('pool_purchase_shares.amount_pence', '>', 0).executeTakeFirst();
  if (later) throw new PoolRuleBroken('leftOn', 'They have a part in something the pool bought on or after that date: choose a later date');
  const pool = await trx.selectFrom('pools').selectAll().where('id', '=', member.pool_id).forUpdate().executeTakeFirstOrThrow();
  const me = (await membersOf(trx, pool.id)).find((m) => m.id === member.id)!;
  const settle = settlementOnLeaving(me);
  let transactionId: string | null = null;
  if (settle > 0) {
    const dpAccount = await accountFor(trx, pool.council_id, 'direct_payment', member.direct_payment_id);
    const t = await postTransaction(trx, {
      idempotencyKey: `pool:${pool.id}:member:${member.id}:settlement`, councilId: pool.council_id, kind: 'pool_settlement',
      description: `Share returned on leaving ${pool.name}`.slice(0, 200), effectiveOn: args.leftOn, directPaymentId: member.direct_payment_id, createdBy: args.user.id,
      postings: [{ accountId: pool.ledger_account_id, amountPence: -settle }, { accountId: dpAccount, amountPence: settle }],
    });
    transactionId = t.id;
  }
  await trx.updateTable('pool_members').set({ left_on: args.leftOn, settlement_transaction_id: transactionId }).where('id', '=', member.id).execute();
  await audit(trx, args.user, { action: 'update', entityType: 'pool-member', entityId: member.id, personId: me.person_id, details: { poolId: pool.id, leftOn: args.leftOn, settledPence: settle } }, args.ip);
  return { settledPence: settle };
}
