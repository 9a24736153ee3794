import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, type TestServices } from '../../test/support/database.ts';
import { seedDemo } from './seed.ts';
import { verifyLedger, balanceOf, accountFor } from '../features/payments/ledger.ts';

let t: TestServices;
beforeAll(async () => {
  t = await freshServices();
  await seedDemo(t);
});
afterAll(async () => t?.close());

describe('the demo stories', () => {
  it('keeps every ledger rule', async () => {
    expect(await verifyLedger(t.db)).toEqual([]);
  });

  it('tells each story at its stage', async () => {
    const rows = await t.db
      .selectFrom('direct_payments')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['people.given_name', 'direct_payments.kind', 'direct_payments.status'])
      .execute();
    const stage = Object.fromEntries(rows.map((r) => [r.given_name, `${r.kind}:${r.status}`]));
    expect(stage).toMatchObject({
      Peter: 'one_off:active',
      Jemima: 'one_off:ended',
      Fatima: 'one_off:active',
      Anwen: 'ongoing:active',
      Kate: 'ongoing:active',
      John: 'ongoing:at_panel',
      Trevor: 'ongoing:active',
      Dewi: 'ongoing:active',
      Cerys: 'ongoing:active',
    });
  });

  it("derives Peter's balance from the ledger: the £450 paid in", async () => {
    const dp = await t.db
      .selectFrom('direct_payments')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['direct_payments.id', 'direct_payments.council_id'])
      .where('people.given_name', '=', 'Peter')
      .executeTakeFirstOrThrow();
    expect(await balanceOf(t.db, await accountFor(t.db, dp.council_id, 'direct_payment', dp.id))).toBe(45000);
  });

  it("shows Kate's annual review as overdue and Peter's check-back as coming up", async () => {
    const due = await t.db
      .selectFrom('reviews')
      .innerJoin('direct_payments', 'direct_payments.id', 'reviews.direct_payment_id')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['people.given_name', 'reviews.kind', 'reviews.due_on'])
      .where('reviews.completed_on', 'is', null)
      .execute();
    const kate = due.find((r) => r.given_name === 'Kate')!;
    const peter = due.find((r) => r.given_name === 'Peter')!;
    expect(kate.due_on < t.clock.today()).toBe(true);
    expect(peter.kind).toBe('check_back');
    expect(peter.due_on > t.clock.today()).toBe(true);
  });
});
