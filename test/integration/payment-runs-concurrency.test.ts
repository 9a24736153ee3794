import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, TEST_TODAY, type TestServices } from '../support/database.ts';
import { createDatabase, createPool, type Database } from '../../src/platform/db/database.ts';
import { createPaymentRun } from '../../src/features/payment-runs/create-run.ts';
import { recordApproval } from '../../src/features/payment-runs/approve-run.ts';
import { continueRun, runWorkGoingOn } from '../../src/features/payment-runs/run-work.ts';
import { withSessionLock } from '../../src/features/payments/locks.ts';
import { runFile } from '../../src/features/payment-runs/bacs-file.ts';
import { requestMarkPaid } from '../../src/features/payment-runs/mark-paid.ts';
import { recordReturn } from '../../src/features/payment-runs/record-return.ts';
import { verifyLedger } from '../../src/features/payments/ledger.ts';
import { councilOfItsOwn, directPaymentIn } from './payment-runs-support.ts';

let t: TestServices;
// Enough connections for ten requests at once, as ten web processes would have.
let db: Database;

beforeAll(async () => {
  t = await freshServices();
  db = createDatabase(createPool(t.url, { max: 14 }));
});
afterAll(async () => {
  await db?.destroy();
  await t?.close();
});

async function councilWithPayments(name: string, count: number) {
  const c = await councilOfItsOwn(db, name);
  for (let i = 0; i < count; i++) {
    await directPaymentIn(db, c, { kind: i % 3 === 0 ? 'one_off' : 'ongoing', pence: 10_000 + i * 100, startsOn: TEST_TODAY, today: TEST_TODAY });
  }
  return c;
}

const liveLinesPerPayment = async () =>
  (await sql<{ n: number }>`select coalesce(max(n), 0)::int as n from (select count(*) as n from payment_run_lines where status <> 'returned' group by payment_id) x`.execute(db)).rows[0]!.n;

describe('runs at the same time', () => {
  it('ten requests for one date make one run, and all ten get it', async () => {
    const c = await councilWithPayments('Tenfold', 12);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => createPaymentRun(db, { user: c.finance, wanted: '2026-11-27', today: TEST_TODAY })));
    const ids = results.map((r) => (r.status === 'fulfilled' ? r.value.run.id : `refused: ${(r.reason as Error).message}`));
    expect(new Set(ids).size).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.created)).toHaveLength(1);
    const runs = await db.selectFrom('payment_runs').selectAll().where('council_id', '=', c.councilId).execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'draft', line_count: 12 });
    expect(await liveLinesPerPayment()).toBe(1);
    expect(await verifyLedger(db)).toEqual([]);
  });

  it('runs for different dates at once never put a payment on two runs', async () => {
    const c = await councilWithPayments('Twodates', 9);
    const dates = ['2026-11-27', '2026-12-04', '2026-11-27', '2026-12-04', '2026-12-11', '2026-11-27', '2026-12-11', '2026-12-04', '2026-12-11', '2026-11-27'];
    await Promise.all(dates.map((wanted) => createPaymentRun(db, { user: c.finance, wanted, today: TEST_TODAY })));
    expect(await db.selectFrom('payment_runs').select('id').where('council_id', '=', c.councilId).execute()).toHaveLength(3);
    expect(await liveLinesPerPayment()).toBe(1);
    const onRuns = await sql<{ n: number }>`
      select count(distinct l.payment_id)::int as n from payment_run_lines l join payment_runs r on r.id = l.run_id where r.council_id = ${c.councilId}`.execute(db);
    const due = await sql<{ n: number }>`
      select count(*)::int as n from payments p join direct_payments dp on dp.id = p.direct_payment_id where dp.council_id = ${c.councilId} and p.due_on <= '2026-12-13'`.execute(db);
    expect(onRuns.rows[0]!.n).toBe(due.rows[0]!.n);
  });

  it('an approval submitted twice, by two people at once, approves once and posts once', async () => {
    const c = await councilWithPayments('Twice', 7);
    const { run } = await createPaymentRun(db, { user: c.finance, wanted: '2026-11-27', today: TEST_TODAY });
    const secondManager = { ...c.manager, id: (await db.insertInto('users').values({ username: 'twice-manager-2', display_name: 'Second', role: 'manager', council_id: c.councilId, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()).id };
    const approvers = [c.manager, c.manager, secondManager, c.manager, secondManager];
    const outcomes = await Promise.all(approvers.map(async (user) => {
      const outcome = await recordApproval(db, { runId: run.id, user, today: TEST_TODAY });
      await continueRun(db, run.id, TEST_TODAY);
      return outcome;
    }));
    expect(outcomes.filter((o) => o === 'approved')).toHaveLength(1);
    await continueRun(db, run.id, TEST_TODAY);
    const sent = await sql<{ n: number }>`
      select count(*)::int as n from ledger_transactions t join payment_run_lines l on t.idempotency_key = 'run-line:' || l.id || ':sent' where l.run_id = ${run.id}`.execute(db);
    expect(sent.rows[0]!.n).toBe(7);
    expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'approve').where('entity_id', '=', run.id).execute()).toHaveLength(1);
    expect(await verifyLedger(db)).toEqual([]);
  });

  it('marking paid and recording returns at once leave every line reversed or paid exactly once', async () => {
    const c = await councilWithPayments('Racing', 8);
    const { run } = await createPaymentRun(db, { user: c.finance, wanted: '2026-11-27', today: TEST_TODAY });
    await recordApproval(db, { runId: run.id, user: c.manager, today: TEST_TODAY });
    await continueRun(db, run.id, TEST_TODAY);
    await runFile(db, { runId: run.id, format: 'std18', user: c.finance });
    await Promise.all([
      requestMarkPaid(db, { runId: run.id, user: c.finance }).then(() => continueRun(db, run.id, TEST_TODAY)),
      ...[1, 2, 3, 3].map((lineNumber) => recordReturn(db, { runId: run.id, lineNumber, reason: 'account_closed', user: c.finance, today: TEST_TODAY })),
      requestMarkPaid(db, { runId: run.id, user: c.finance }).then(() => continueRun(db, run.id, TEST_TODAY)),
    ]);
    await continueRun(db, run.id, TEST_TODAY);
    const lines = await db.selectFrom('payment_run_lines').select(['line_number', 'status']).where('run_id', '=', run.id).orderBy('line_number').execute();
    expect(lines.filter((l) => l.status === 'returned').map((l) => l.line_number)).toEqual([1, 2, 3]);
    expect(lines.filter((l) => l.status === 'paid')).toHaveLength(5);
    expect(await verifyLedger(db)).toEqual([]);
  });
});

describe('the database itself', () => {
  it('refuses postings that do not balance, a one-sided transaction, and any change to a posting', async () => {
    const c = await councilOfItsOwn(db, 'Guarded');
    const [budget, contributions] = await Promise.all(['BUDGET', 'CONTRIBUTIONS'].map(async (code) =>
      (await db.insertInto('ledger_accounts').values({ council_id: c.councilId, code, name: code, kind: code.toLowerCase() }).returning('id').executeTakeFirstOrThrow()).id));
    const post = (key: string, postings: Array<[string, number]>) => db.transaction().execute(async (trx) => {
      const tx = await trx.insertInto('ledger_transactions').values({ idempotency_key: key, council_id: c.councilId, kind: 'test', description: 'test', effective_on: TEST_TODAY }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('ledger_postings').values(postings.map(([account_id, amount_pence]) => ({ transaction_id: tx.id, account_id, amount_pence }))).execute();
      return tx.id;
    });
    await expect(post('unbalanced', [[budget!, -100], [contributions!, 99]])).rejects.toThrow(/does not balance: postings sum to -1 pence/);
    await expect(post('one-sided', [[budget!, -100]])).rejects.toThrow(/fewer than two postings/);
    const ok = await post('balanced', [[budget!, -100], [contributions!, 100]]);
    // A posting added later, in its own statement, is checked with the transaction's others.
    await expect(db.insertInto('ledger_postings').values({ transaction_id: ok, account_id: contributions!, amount_pence: 5 }).execute()).rejects.toThrow(/does not balance/);
    await expect(t.ownerDb.updateTable('ledger_postings').set({ amount_pence: 1 }).where('transaction_id', '=', ok).execute()).rejects.toThrow(/append-only/);
    await expect(t.ownerDb.deleteFrom('ledger_postings').where('transaction_id', '=', ok).execute()).rejects.toThrow(/append-only/);
    expect(await db.selectFrom('ledger_transactions').select('idempotency_key').where('council_id', '=', c.councilId).execute()).toEqual([{ idempotency_key: 'balanced' }]);
    expect(await verifyLedger(db)).toEqual([]);
  });
});

describe('the parents a run line or the ledger names (checked once per statement, not row by row)', () => {
  it('refuses a line, transaction or posting naming something that does not exist, and removing anything named', async () => {
    const c = await councilWithPayments('Named', 2);
    const missing = '00000000-0000-4000-8000-000000000000';
    const [budget, contributions] = await Promise.all(['BUDGET', 'CONTRIBUTIONS'].map(async (code) =>
      (await db.insertInto('ledger_accounts').values({ council_id: c.councilId, code, name: code, kind: code.toLowerCase() }).returning('id').executeTakeFirstOrThrow()).id));
    const tx = (key: string, over: { council_id?: string; created_by?: string | null } = {}) =>
      db.insertInto('ledger_transactions').values({ idempotency_key: key, council_id: c.councilId, kind: 'test', description: 'test', effective_on: TEST_TODAY, created_by: c.finance.id, ...over }).returning('id').executeTakeFirstOrThrow();
    const post = (transaction: string, accounts: [string, string]) => db.insertInto('ledger_postings')
      .values([{ transaction_id: transaction, account_id: accounts[0], amount_pence: -100 }, { transaction_id: transaction, account_id: accounts[1], amount_pence: 100 }]).execute();

    await expect(tx('no council', { council_id: missing })).rejects.toThrow(/names a council that does not exist/);
    await expect(tx('no user', { created_by: missing })).rejects.toThrow(/names a user that does not exist/);
    await expect(db.transaction().execute(async (trx) => {
      const made = await trx.insertInto('ledger_transactions').values({ idempotency_key: 'no account', council_id: c.councilId, kind: 'test', description: 'test', effective_on: TEST_TODAY }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('ledger_postings').values([{ transaction_id: made.id, account_id: budget!, amount_pence: -1 }, { transaction_id: made.id, account_id: missing, amount_pence: 1 }]).execute();
    })).rejects.toThrow(/names an account that does not exist/);
    await expect(post(missing, [budget!, contributions!])).rejects.toThrow(/names transaction .* which does not exist/);
    const made = await tx('fine');
    await post(made.id, [budget!, contributions!]);

    // A run line must name a run that exists.
    const run = await createPaymentRun(db, { user: c.finance, wanted: '2026-11-27', today: TEST_TODAY });
    const line = await db.selectFrom('payment_run_lines').selectAll().where('run_id', '=', run.run.id).executeTakeFirstOrThrow();
    // (The line is let go first, so the live line's unique payment is not what refuses it.)
    await db.deleteFrom('payment_run_lines').where('id', '=', line.id).execute();
    const { id: _id, run_id: _run, ...rest } = line;
    await expect(db.insertInto('payment_run_lines').values({ ...rest, run_id: missing }).execute()).rejects.toThrow(/names a payment run that does not exist/);
    await expect(t.ownerDb.deleteFrom('payment_runs').where('id', '=', run.run.id).execute()).rejects.toThrow(/named by payment run lines or the ledger/);
    // Nothing named can go, for the owner too, nor change its id.
    await expect(t.ownerDb.deleteFrom('ledger_accounts').where('id', '=', budget!).execute()).rejects.toThrow(/named by payment run lines or the ledger/);
    await expect(t.ownerDb.updateTable('ledger_accounts').set({ id: missing }).where('id', '=', contributions!).execute()).rejects.toThrow(/named by payment run lines or the ledger/);
    await expect(t.ownerDb.deleteFrom('users').where('id', '=', c.finance.id).execute()).rejects.toThrow(/named by|foreign key/);
    await expect(sql`truncate ledger_accounts cascade`.execute(t.ownerDb)).rejects.toThrow();

    // While a posting naming an account is being added, the account cannot be removed: the check
    // holds it (for key share) until the adding transaction ends, as a foreign key would.
    const spare = (await db.insertInto('ledger_accounts').values({ council_id: c.councilId, code: 'SPARE', name: 'Spare', kind: 'contributions' }).returning('id').executeTakeFirstOrThrow()).id;
    const owner = createDatabase(createPool(t.url, { max: 1, appRole: false }));
    try {
      await db.transaction().execute(async (trx) => {
        const held = await trx.insertInto('ledger_transactions').values({ idempotency_key: 'held', council_id: c.councilId, kind: 'test', description: 'test', effective_on: TEST_TODAY }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('ledger_postings').values([{ transaction_id: held.id, account_id: budget!, amount_pence: -5 }, { transaction_id: held.id, account_id: spare, amount_pence: 5 }]).execute();
        await expect(owner.connection().execute(async (conn) => {
          await sql`set lock_timeout = '300ms'`.execute(conn);
          await conn.deleteFrom('ledger_accounts').where('id', '=', spare).execute();
        })).rejects.toThrow(/lock timeout/);
      });
    } finally {
      await owner.destroy();
    }
    await expect(t.ownerDb.deleteFrom('ledger_accounts').where('id', '=', spare).execute()).rejects.toThrow(/named by/);
    expect(await verifyLedger(db)).toEqual([]);
  });
});

describe('knowing whether a run is being worked on', () => {
  it('sees a worker’s lock while it is held, from another connection, and not once it is let go', async () => {
    // Several ids, so lock keys of both signs are covered.
    for (const id of ['11111111-1111-4111-8111-111111111111', 'ffffffff-ffff-4fff-8fff-ffffffffffff', '0a0b0c0d-0e0f-4000-8000-000000000001']) {
      expect(await runWorkGoingOn(db, id)).toBe(false);
      await withSessionLock(db, `payment-run-work:${id}`, async () => {
        expect(await runWorkGoingOn(db, id)).toBe(true);
        expect(await continueRun(db, id, TEST_TODAY)).toBe('busy');
      });
      expect(await runWorkGoingOn(db, id)).toBe(false);
    }
  });
});
