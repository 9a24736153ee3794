import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import fc from 'fast-check';
import { runDp } from '../../../test/support/cli.ts';
import { freshServices, type TestServices } from '../../../test/support/database.ts';
import { seedDemo } from '../../demo/seed.ts';
import { loadUser } from '../../platform/http/auth.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { accountFor, balanceOf, directPaymentMoney, verifyLedger } from '../payments/ledger.ts';
import { addMember, createPool, leavePool, PoolRuleBroken, recordContributions, recordPurchase } from './money.ts';
import { membersOf, poolMoneyFor, purchasesOf } from './queries.ts';

let s: TestServices;
let practitioner: CurrentUser;
const dps: Record<string, string> = {};

beforeAll(async () => {
  s = await freshServices();
  await seedDemo(s);
  const u = await s.db.selectFrom('users').select('id').where('username', '=', 'practitioner').executeTakeFirstOrThrow();
  practitioner = (await loadUser(s, u.id))!;
  for (const name of ['Anwen', 'Trevor', 'Peter']) {
    const row = await s.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select('direct_payments.id').where('people.given_name', '=', name).executeTakeFirstOrThrow();
    dps[name] = row.id;
  }
});
afterAll(async () => s?.close());

const tx = <T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> => s.db.transaction().execute(fn);

describe('a pool’s money', () => {
  let poolId: string;
  let members: Record<string, string>;

  it('posts each member’s contribution from their direct payment to the pool, once per period', async () => {
    const before = await directPaymentMoney(s.db, dps.Anwen!);
    poolId = await tx((trx) => createPool(trx, { councilId: practitioner.councilId, name: 'Test co-operative', serviceKind: 'session_series', description: 'Weekly group sessions', managedBy: 'The members’ committee', agreementSignedOn: '2026-11-01', user: practitioner }));
    members = {
      Anwen: await tx((trx) => addMember(trx, { poolId, directPaymentId: dps.Anwen!, shareParts: 2, contributionPence: 10000, joinedOn: '2026-11-01', user: practitioner })),
      Trevor: await tx((trx) => addMember(trx, { poolId, directPaymentId: dps.Trevor!, shareParts: 1, contributionPence: 5000, joinedOn: '2026-11-01', user: practitioner })),
      Peter: await tx((trx) => addMember(trx, { poolId, directPaymentId: dps.Peter!, shareParts: 1, contributionPence: 5000, joinedOn: '2026-11-01', user: practitioner })),
    };
    const first = await tx((trx) => recordContributions(trx, { poolId, periodStartsOn: '2026-11-02', user: practitioner }));
    expect(first).toEqual({ posted: 3, shortOf: [] });
    const again = await tx((trx) => recordContributions(trx, { poolId, periodStartsOn: '2026-11-02', user: practitioner }));
    expect(again.posted).toBe(0);
    const after = await directPaymentMoney(s.db, dps.Anwen!);
    expect(after.paidInPence).toBe(before.paidInPence - 10000);
    const pool = await s.db.selectFrom('pools').select('ledger_account_id').where('id', '=', poolId).executeTakeFirstOrThrow();
    expect(await balanceOf(s.db, pool.ledger_account_id)).toBe(20000);
    expect(await verifyLedger(s.db)).toEqual([]);
  });

  it('shares a purchase out by parts to the penny, and each member sees their own part', async () => {
    await tx((trx) => recordPurchase(trx, { poolId, boughtOn: '2026-11-10', description: 'Four group sessions', supplier: 'Gym and Tonic', amountPence: 10001, user: practitioner }));
    const [purchase] = await purchasesOf(s.db, poolId);
    const parts = Object.fromEntries(purchase!.shares.map((x) => [x.direct_payment_id, x.amount_pence]));
    expect(parts[dps.Anwen!]! + parts[dps.Trevor!]! + parts[dps.Peter!]!).toBe(10001);
    expect(parts[dps.Anwen!]).toBe(5001);
    expect(await poolMoneyFor(s.db, dps.Anwen!)).toEqual({ contributedPence: 10000, returnedPence: 0, spentPence: 5001, heldPence: 4999 });
    expect(await verifyLedger(s.db)).toEqual([]);
  });

  it('refuses a purchase bigger than a member’s money in the pool, saving nothing', async () => {
    const before = await s.db.selectFrom('pool_purchases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(tx((trx) => recordPurchase(trx, { poolId, boughtOn: '2026-11-12', description: 'A trip', supplier: 'Coaches', amountPence: 40000, user: practitioner }))).rejects.toBeInstanceOf(PoolRuleBroken);
    const after = await s.db.selectFrom('pool_purchases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a member leaving mid-period gets back exactly their money still in the pool, and takes no part after', async () => {
    const anwenBefore = await directPaymentMoney(s.db, dps.Anwen!);
    const peter = (await membersOf(s.db, poolId)).find((m) => m.id === members.Peter)!;
    expect(peter.heldPence).toBe(5000 - 2500);
    const { settledPence } = await tx((trx) => leavePool(trx, { memberId: members.Peter!, leftOn: '2026-11-16', user: practitioner }));
    expect(settledPence).toBe(2500);
    await expect(tx((trx) => leavePool(trx, { memberId: members.Peter!, leftOn: '2026-11-17', user: practitioner }))).rejects.toBeInstanceOf(PoolRuleBroken);
    await tx((trx) => recordPurchase(trx, { poolId, boughtOn: '2026-11-18', description: 'Two sessions', supplier: 'Gym and Tonic', amountPence: 3000, user: practitioner }));
    const [latest] = await purchasesOf(s.db, poolId);
    expect(latest!.shares.map((x) => x.direct_payment_id).sort()).toEqual([dps.Anwen!, dps.Trevor!].sort());
    expect(latest!.shares.find((x) => x.direct_payment_id === dps.Anwen)!.amount_pence).toBe(2000);
    expect(await poolMoneyFor(s.db, dps.Peter!)).toMatchObject({ heldPence: 0, spentPence: 2500, returnedPence: 2500 });
    expect((await directPaymentMoney(s.db, dps.Anwen!)).paidInPence).toBe(anwenBefore.paidInPence);
    // The next period's contributions leave Peter out.
    expect((await tx((trx) => recordContributions(trx, { poolId, periodStartsOn: '2026-11-30', user: practitioner }))).posted).toBe(2);
    expect(await verifyLedger(s.db)).toEqual([]);
  });

  it('a contribution for an earlier period recorded after a member left takes nothing from them', async () => {
    // Peter left on 16 November and was settled; the period starting 9 November is recorded late.
    const peterBefore = await directPaymentMoney(s.db, dps.Peter!);
    const late = await tx((trx) => recordContributions(trx, { poolId, periodStartsOn: '2026-11-09', user: practitioner }));
    expect(late.posted).toBe(2);
    expect((await directPaymentMoney(s.db, dps.Peter!)).paidInPence).toBe(peterBefore.paidInPence);
    expect(await poolMoneyFor(s.db, dps.Peter!)).toMatchObject({ heldPence: 0 });
    expect(await verifyLedger(s.db)).toEqual([]);
  });

  it('`dp ledger verify` passes on the demo pools and this one, in its own process', async () => {
    const run = await runDp(['ledger', 'verify'], { databaseUrl: s.url });
    expect(run.stderr + run.stdout).not.toMatch(/broken|Pool transaction|left on/);
    expect(run.code).toBe(0);
  });

  it('verifyLedger notices a pool transaction that takes money from someone who is not a member', async () => {
    const fatima = await s.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select('direct_payments.id').where('people.given_name', '=', 'Fatima').executeTakeFirstOrThrow();
    const pool = await s.db.selectFrom('pools').select('ledger_account_id').where('id', '=', poolId).executeTakeFirstOrThrow();
    await s.ownerDb.transaction().execute(async (trx) => {
      const { postTransaction } = await import('../payments/ledger.ts');
      const account = await accountFor(trx, practitioner.councilId, 'direct_payment', fatima.id);
      await postTransaction(trx, { idempotencyKey: 'bad-pool', councilId: practitioner.councilId, kind: 'pool_contribution', description: 'Not a member', effectiveOn: '2026-11-20', directPaymentId: fatima.id, postings: [{ accountId: account, amountPence: -100 }, { accountId: pool.ledger_account_id, amountPence: 100 }] });
      const problems = await verifyLedger(trx);
      expect(problems.some((p) => p.includes('does not move money between a member'))).toBe(true);
      throw new Error('roll back');
    }).catch((e) => expect(e.message).toBe('roll back'));
    expect(await verifyLedger(s.db)).toEqual([]);
  });

  it('the database refuses a purchase whose parts do not add up', async () => {
    await expect(s.db.transaction().execute(async (trx) => {
      const p = await trx.insertInto('pool_purchases').values({ pool_id: poolId, bought_on: '2026-11-19', description: 'x', supplier: 'y', amount_pence: 100, recorded_by: practitioner.id }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('pool_purchase_shares').values({ purchase_id: p.id, pool_member_id: members.Anwen!, direct_payment_id: dps.Anwen!, amount_pence: 99 }).execute();
    })).rejects.toThrow(/shared out/);
    await expect(sql`update pool_purchases set amount_pence = 1`.execute(s.db)).rejects.toThrow();
  });

  it('any sequence of purchases keeps every member’s parts summing to each purchase and the ledger balanced', async () => {
    const pool2 = await tx((trx) => createPool(trx, { councilId: practitioner.councilId, name: 'Property test pool', serviceKind: 'purchase', description: 'Shared equipment', managedBy: 'Members', agreementSignedOn: null, user: practitioner }));
    for (const [name, parts] of [['Anwen', 3], ['Trevor', 2]] as const) {
      await tx((trx) => addMember(trx, { poolId: pool2, directPaymentId: dps[name]!, shareParts: parts, contributionPence: 1000, joinedOn: '2026-11-01', user: practitioner }));
    }
    await tx((trx) => recordContributions(trx, { poolId: pool2, periodStartsOn: '2026-11-02', user: practitioner }));
    await fc.assert(fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 8 }), async (amounts) => {
      await s.db.transaction().execute(async (trx) => {
        for (const a of amounts) await recordPurchase(trx, { poolId: pool2, boughtOn: '2026-11-05', description: 'Item', supplier: 'Shop', amountPence: a, user: practitioner });
        const bought = await purchasesOf(trx, pool2);
        for (const b of bought) expect(b.shares.reduce((x, y) => x + y.amount_pence, 0)).toBe(b.amount_pence);
        const held = await membersOf(trx, pool2);
        expect(held.reduce((x, m) => x + m.spentPence, 0)).toBe(amounts.reduce((x, y) => x + y, 0));
        expect(await verifyLedger(trx)).toEqual([]);
        throw new Error('roll back');
      }).catch((e) => { if (e.message !== 'roll back') throw e; });
    }), { numRuns: 15 });
  });
});
