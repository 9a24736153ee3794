import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { boot } from '../src/platform/boot.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createDatabase, createPool, type Database } from '../src/platform/db/database.ts';
import { londonDate } from '../src/platform/services.ts';
import { loadUser } from '../src/platform/http/auth.ts';
import { earliestArrival } from '../src/domain/payment-run.ts';
import { loadHolidays } from '../src/features/payments/holidays.ts';
import { importModulusTables, readTableFiles } from '../src/features/bank-details/tables.ts';
import { saveSettings } from '../src/features/payment-runs/settings.ts';
import { createPaymentRun } from '../src/features/payment-runs/create-run.ts';
import { recordApproval } from '../src/features/payment-runs/approve-run.ts';
import { continueRun } from '../src/features/payment-runs/run-work.ts';
import { runFile } from '../src/features/payment-runs/bacs-file.ts';
import { verifyLedger } from '../src/features/payments/ledger.ts';

const COUNT = 120_000;
// Vocalink's tables and test accounts, read where they live (never copied into the project).
const VOCALINK = path.resolve(import.meta.dirname, '../../shared/reference/vocalink');

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

/**
 * England's whole caseload in one payment run: 120,000 ongoing direct payments, each with a
 * schedule and bank details that pass the modulus check, generated set-based. Then the run is
 * timed end to end (schedule the periods due, fix the lines, approve and post to the ledger, write
 * the Bacs file), and, in the same database, a bare COPY of as many rows into a scratch table.
 */
export async function benchPaymentRun(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-run-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 45000 + Math.floor(Math.random() * 2000) };
  const { services, shutdown } = await boot({ config, quiet: true });
  const ownerPool = createPool(services.pool.options.connectionString!, { max: 1, appRole: false });
  const owner = createDatabase(ownerPool);
  // Stopping the server can reach a connection still saying goodbye; that is not a failure.
  for (const pool of [services.pool, ownerPool]) pool.on('error', () => undefined);
  try {
    const today = londonDate(new Date());
    const { councilId, finance, manager } = await caseload(services.db, today);
    const paymentDate = earliestArrival(today, await loadHolidays(services.db));
    const [financeUser, managerUser] = [await loadUser(services, finance), await loadUser(services, manager)];

    const [created, tCreate] = await timed(() => createPaymentRun(services.db, { user: financeUser!, wanted: paymentDate, today }));
    const [, tApprove] = await timed(async () => {
      await recordApproval(services.db, { runId: created.run.id, user: managerUser!, today });
      await continueRun(services.db, created.run.id, today);
    });
    const out = path.join(dir, 'bacs.txt');
    const [file, tFile] = await timed(async () => {
      const f = await runFile(services.db, { runId: created.run.id, format: 'std18', user: financeUser! });
      fs.writeFileSync(out, f.bytes);
      return f;
    });
    const total = tCreate + tApprove + tFile;
    if (created.run.line_count !== COUNT) throw new Error(`the run has ${created.run.line_count} payments, not ${COUNT}`);
    const problems = await verifyLedger(services.db);
    if (problems.length) throw new Error(`the ledger does not hold after the run: ${problems.slice(0, 3).join('; ')}`);

    const tCopy = await bareCopy(owner, councilId);
    return [
      `${COUNT.toLocaleString('en-GB')} ongoing direct payments (${(await countExceptions(services.db, created.run.id))} exceptions), file ${(file.bytes.length / 1e6).toFixed(1)} MB`,
      `  schedule the periods due and fix the run's lines: ${seconds(tCreate)}`,
      `  approve and post every payment to the ledger: ${seconds(tApprove)}`,
      `  write the Bacs Standard 18 file: ${seconds(tFile)}`,
      `payment run, end to end: ${seconds(total)} (target 10 s or less)`,
      `bare COPY of ${COUNT.toLocaleString('en-GB')} rows into a scratch table: ${seconds(tCopy)}`,
      `ratio, payment run to COPY: ${(total / tCopy).toFixed(1)}× (target 3× or less)`,
    ];
  } finally {
    await owner.destroy();
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A council with 120,000 people on ongoing direct payments, generated in a few set-based statements. */
async function caseload(db: Database, startsOn: string) {
  const council = await db.insertInto('councils').values({ code: 'BENCH', name: 'Bench County Council', jurisdiction: 'england' }).returning('id').executeTakeFirstOrThrow();
  const user = (username: string, role: string) =>
    db.insertInto('users').values({ username, display_name: username, role, council_id: council.id, password_hash: 'unused' }).returning('id').executeTakeFirstOrThrow();
  const [finance, manager] = [await user('bench-finance', 'finance'), await user('bench-manager', 'manager')];
  await db.transaction().execute((trx) =>
    saveSettings(trx, council.id, {
      frequency: 'four_weekly', contributions: 'net', cycleAnchorOn: null, contingencyWeeks: 8,
      serviceUserNumber: '123456', serviceUserName: 'BENCH CC', sortCode: '401276', accountNumber: '12345678', accountName: 'BENCH CC DP',
    }, finance.id),
  );
  await importModulusTables(db, await readTableFiles(VOCALINK), { user: null, label: 'bench' });
  const accounts = fs.readFileSync(path.join(VOCALINK, 'test-cases-v770.txt'), 'utf8').split('\n')
    .map((line) => /(\d{6}) (\d{8}) Y\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!]);

  await sql`
    insert into people (council_id, given_name, family_name, date_of_birth, kind)
    select ${council.id}, 'Person', 'Number ' || g, date '1960-01-01' + (g % 15000), 'adult' from generate_series(1, ${COUNT}) g`.execute(db);
  const [sorts, numbers] = [accounts.map((a) => a[0]!), accounts.map((a) => a[1]!)];
  await sql`
    insert into direct_payments (council_id, person_id, kind, status, purpose, weekly_amount_pence, weekly_contribution_pence, frequency, payment_method,
                                 account_name, sort_code, account_number, starts_on, created_by)
    select ${council.id}, p.id, 'ongoing', 'active', 'Personal assistants', 10000 + (n % 400) * 100, (n % 3) * 500, 'four_weekly', 'bank_account',
           'P NUMBER ' || n, (${sorts}::text[])[1 + n % ${sorts.length}], (${numbers}::text[])[1 + n % ${numbers.length}], ${startsOn}::date, ${finance.id}
    from (select id, row_number() over (order by id) as n from people where council_id = ${council.id}) p`.execute(db);
  await sql`
    insert into payment_schedules (direct_payment_id, frequency, starts_on, weekly_amount_pence, weekly_contribution_pence, created_by)
    select id, 'four_weekly', starts_on, weekly_amount_pence, weekly_contribution_pence, ${finance.id} from direct_payments where council_id = ${council.id}`.execute(db);
  await sql`analyze`.execute(db);
  return { councilId: council.id, finance: finance.id, manager: manager.id };
}

async function countExceptions(db: Database, runId: string): Promise<number> {
  const row = await db.selectFrom('payment_run_exceptions').select((eb) => eb.fn.countAll<number>().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The yardstick: PostgreSQL's own COPY of the run's lines (ids, amount, bank details, reference) into a plain table. */
async function bareCopy(owner: Database, councilId: string): Promise<number> {
  // Written and read by the database server itself, which may run as its own system user.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-copy-'));
  fs.chmodSync(dir, 0o777);
  const csv = path.join(dir, 'rows.csv');
  await sql`
    copy (select l.payment_id, l.direct_payment_id, l.amount_pence, l.sort_code, l.account_number, l.account_name, l.reference
          from payment_run_lines l join payment_runs r on r.id = l.run_id where r.council_id = ${sql.lit(councilId)})
    to ${sql.lit(csv)} with (format csv)`.execute(owner);
  fs.chmodSync(csv, 0o644);
  await sql`create table bench_scratch (payment_id uuid, direct_payment_id uuid, amount_pence bigint, sort_code text, account_number text, account_name text, reference text)`.execute(owner);
  try {
    const [, ms] = await timed(() => sql`copy bench_scratch from ${sql.lit(csv)} with (format csv)`.execute(owner));
    return ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
