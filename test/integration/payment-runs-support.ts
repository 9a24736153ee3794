import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, createPool, type Database } from '../../src/platform/db/database.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { fixedClock, type Services } from '../../src/platform/services.ts';
import type { CurrentUser } from '../../src/platform/auth/current-user.ts';
import { saveSettings } from '../../src/features/payment-runs/settings.ts';
import { EASTMOOR_BACS } from '../../src/features/payment-runs/test-data.ts';
import { startPayments } from '../../src/features/payments/start-payments.ts';
import { withDatabase } from '../support/global-database.ts';
import { addDays } from '../../src/domain/dates.ts';
import { accountFor, postTransaction } from '../../src/features/payments/ledger.ts';

/**
 * Databases copied from one prepared here, for tests that need the same starting point many
 * times over (the same people, direct payments and ids): each copy is a PostgreSQL template copy.
 */
export async function preparedDatabase(prepare: (db: Database, url: string) => Promise<void>) {
  const server = inject('pgServerUrl');
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const base = `dp_test_${process.ppid}_base_${crypto.randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database ${base} template ${inject('pgTemplate')}`));
  const pool = createPool(withDatabase(server, base), { max: 4 });
  const db = createDatabase(pool);
  try {
    await prepare(db, withDatabase(server, base));
  } finally {
    await db.destroy();
  }
  const copies: string[] = [];
  return {
    /** A fresh copy: its URL, and a Kysely on it (acting as the app's role). */
    copy: async () => {
      const name = `${base}_${copies.length}`;
      copies.push(name);
      await admin((c) => c.query(`create database ${name} template ${base}`));
      const url = withDatabase(server, name);
      return { url, db: createDatabase(createPool(url, { max: 12 })) };
    },
    dropAll: () => admin(async (c) => {
      for (const name of [...copies, base]) await c.query(`drop database if exists ${name} with (force)`);
    }),
  };
}

const DP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/dp.ts');

export type DpRun = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs the real `dp` command in its own process against a database, with extra environment (DP_CRASH_AT, …). */
export function runDp(url: string, args: string[], env: Record<string, string> = {}): Promise<DpRun> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: url, ...env };
    delete childEnv.DEMO_MODE;
    if (!env.DP_CRASH_AT) delete childEnv.DP_CRASH_AT;
    const child = spawn(process.execPath, [DP, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Services on a database, for the demo seed and the use cases, with the given day as today. */
export function servicesOn(db: Database, url: string, today: string): Services {
  return { config: { ...loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }), demoMode: true }, db, pool: undefined as never, logger: createLogger('silent'), clock: fixedClock(today) };
}

/**
 * A council of its own, with a finance officer and a manager who can approve, and its Bacs
 * details: so a test can make runs for any dates without meeting another test's runs.
 */
export async function councilOfItsOwn(db: Database, name: string) {
  const council = await db.insertInto('councils').values({ code: name.toUpperCase(), name: `${name} Council`, jurisdiction: 'england' }).returning('id').executeTakeFirstOrThrow();
  const staff = async (role: 'finance' | 'manager'): Promise<CurrentUser> => {
    const username = `${name}-${role}`.toLowerCase();
    const row = await db
      .insertInto('users')
      .values({ username, display_name: `${name} ${role}`, role, council_id: council.id, password_hash: 'not-used' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, username, displayName: `${name} ${role}`, role, councilId: council.id, councilName: `${name} Council`, jurisdiction: 'england', teamId: null };
  };
  const finance = await staff('finance');
  const manager = await staff('manager');
  await db.transaction().execute((trx) =>
    saveSettings(trx, council.id, { ...EASTMOOR_BACS, serviceUserName: name.slice(0, 18).toUpperCase() }, finance.id),
  );
  return { councilId: council.id, finance, manager };
}

/** A signed-up direct payment in that council: its schedule and first payment made as signing makes them. */
export async function directPaymentIn(
  db: Database,
  c: { councilId: string; finance: CurrentUser },
  dp: { kind: 'one_off' | 'ongoing'; pence: number; contributionPence?: number; startsOn: string; today: string; bank?: boolean | [sortCode: string, accountNumber: string]; name?: string },
) {
  const person = await db.insertInto('people').values({ council_id: c.councilId, given_name: dp.name ?? 'Sam', family_name: 'Model', date_of_birth: '1970-01-01', kind: 'adult' }).returning('id').executeTakeFirstOrThrow();
  const row = await db
    .insertInto('direct_payments')
    .values({
      council_id: c.councilId, person_id: person.id, kind: dp.kind, status: 'agreed', purpose: 'Support at home', payment_method: 'bank_account',
      amount_pence: dp.kind === 'one_off' ? dp.pence : null,
      weekly_amount_pence: dp.kind === 'ongoing' ? dp.pence : null,
      weekly_contribution_pence: dp.contributionPence ?? 0,
      frequency: dp.kind === 'one_off' ? 'once' : 'four_weekly',
      account_name: dp.bank === false ? null : 'S MODEL',
      sort_code: dp.bank === false ? null : Array.isArray(dp.bank) ? dp.bank[0] : '123456',
      account_number: dp.bank === false ? null : Array.isArray(dp.bank) ? dp.bank[1] : '12345678',
      starts_on: dp.startsOn, created_by: c.finance.id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.transaction().execute((trx) => startPayments(trx, row, c.finance.id, dp.today));
  return row;
}

/**
 * A surplus "reduce future payments" case already recovered, as the surplus feature leaves it: the
 * case (every step's date in order), the recovery posted (the account → owed back, its real key and
 * kind) and the offset to take. For tests of runs that take offsets, without walking each page.
 */
export async function offsetFor(db: Database, dp: { id: string; council_id: string }, pence: number, by: { id: string }, opened = '2026-09-01'): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const noticeOn = opened;
    const challengeEnds = addDays(opened, 28);
    const recoveredOn = addDays(opened, 29);
    const c = await trx
      .insertInto('surplus_cases')
      .values({
        council_id: dp.council_id, direct_payment_id: dp.id, status: 'conversation_due', opened_on: opened, opened_by: by.id,
        balance_pence: pence, contingency_pence: 0, committed_pence: 0, committed_source: 'none', surplus_pence: pence,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const posted = await postTransaction(trx, {
      idempotencyKey: `surplus:${c.id}:recovery`, councilId: dp.council_id, kind: 'surplus_recovery', description: 'surplus recovered (from future payments)',
      effectiveOn: recoveredOn, directPaymentId: dp.id, createdBy: by.id,
      postings: [
        { accountId: await accountFor(trx, dp.council_id, 'direct_payment', dp.id), amountPence: -pence },
        { accountId: await accountFor(trx, dp.council_id, 'owed_back'), amountPence: pence },
      ],
    });
    await trx
      .updateTable('surplus_cases')
      .set({
        status: 'offsetting', conversation_on: opened, conversation_by: by.id, conversation_reason: 'not_needed', keep_money: false, recover_pence: pence,
        method: 'reduce_payments', notice_sent_on: noticeOn, notice_by: by.id, challenge_ends_on: challengeEnds,
        recovered_on: recoveredOn, recovered_by: by.id, recovered_pence: pence, recovery_transaction_id: posted.id,
      })
      .where('id', '=', c.id)
      .execute();
    const offset = await trx.insertInto('surplus_offsets').values({ case_id: c.id, direct_payment_id: dp.id, council_id: dp.council_id, amount_pence: pence }).returning('id').executeTakeFirstOrThrow();
    return offset.id;
  });
}
