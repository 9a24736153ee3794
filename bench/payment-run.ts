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

    const floor = await copyFloor(owner, councilId, created.run.id);
    const floorRows = Object.values(floor.rows).reduce((a, b) => a + b, 0);
    const n = (x: number) => x.toLocaleString('en-GB');
    return [
      `${n(COUNT)} ongoing direct payments (${(await countExceptions(services.db, created.run.id))} exceptions), file ${(file.bytes.length / 1e6).toFixed(1)} MB`,
      `  schedule the periods due and fix the run's lines: ${seconds(tCreate)}`,
      `  approve and post every payment to the ledger: ${seconds(tApprove)}`,
      `  write the Bacs Standard 18 file: ${seconds(tFile)}`,
      `payment run, end to end: ${seconds(total)} (target 10 s or less)`,
      `yardstick: bare COPY of every row the run wrote (${n(floorRows)} rows), into tables with the real ones' indexes and constraints: ${seconds(floor.totalMs)}`,
      ...RUN_TABLES.filter((t) => floor.rows[t]).map((t) => `  ${t}: ${n(floor.rows[t]!)} rows, ${seconds(floor.ms[t]!)}`),
      `ratio, payment run to that COPY: ${(total / floor.totalMs).toFixed(1)}× (target 3× or less)`,
      `for context, COPY of just the ${n(floor.narrowRows)} lines' 7 columns into one bare table (no index or constraint): ${seconds(floor.narrowMs)}; ratio ${(total / floor.narrowMs).toFixed(0)}×`,
    ];
  } finally {
    await owner.destroy();
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A council with 120,000 people on ongoing direct payments, generated in a few set-based statements. */
export async function caseload(db: Database, startsOn: string) {
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

/**
 * The yardsticks. A payment run writes rows into several tables; the honest floor for it is
 * PostgreSQL's own COPY of *every row the run wrote*, in the state the run left them, into tables
 * with the same shape, indexes and constraints as the real ones (`like … including all` gives the
 * columns, defaults, checks, primary and unique keys and indexes; the foreign keys are added back
 * as the real tables declare them, pointing at the copied parents where those were copied too).
 * Triggers are left out: the yardstick does not check that postings balance or that the ledger is
 * append-only, which the run does. Timed table by table, in the order the foreign keys need.
 * The narrow figure, one COPY of the lines' seven columns into a table with no index or
 * constraint, is printed for context: it is the cheapest way to write the rows the bank needs.
 */
const RUN_TABLES = ['payment_runs', 'payments', 'payment_run_lines', 'payment_run_exceptions', 'ledger_transactions', 'ledger_postings', 'audit_log'] as const;

export type Floor = { rows: Record<string, number>; ms: Record<string, number>; totalMs: number; narrowMs: number; narrowRows: number };

export async function copyFloor(owner: Database, councilId: string, runId: string): Promise<Floor> {
  const council = sql.lit(councilId);
  const run = sql.lit(runId);
  // What this run wrote (the bench council is new, so everything of the council's came from the run).
  const written: Record<(typeof RUN_TABLES)[number], ReturnType<typeof sql>> = {
    payment_runs: sql`select * from payment_runs where id = ${run}`,
    payments: sql`select p.* from payments p join direct_payments dp on dp.id = p.direct_payment_id where dp.council_id = ${council}`,
    payment_run_lines: sql`select * from payment_run_lines where run_id = ${run}`,
    payment_run_exceptions: sql`select * from payment_run_exceptions where run_id = ${run}`,
    ledger_transactions: sql`select * from ledger_transactions where council_id = ${council}`,
    ledger_postings: sql`select p.* from ledger_postings p join ledger_transactions t on t.id = p.transaction_id where t.council_id = ${council}`,
    audit_log: sql`select * from audit_log where entity_type = 'payment-run' and entity_id = ${sql.lit(runId)}::text`,
  };
  // Written and read by the database server itself, which may run as its own system user.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-copy-'));
  fs.chmodSync(dir, 0o777);
  const file = (t: string) => sql.lit(path.join(dir, `${t}.copy`));
  try {
    await sql`drop schema if exists bench_floor cascade`.execute(owner);
    await sql`create schema bench_floor`.execute(owner);
    const rows: Record<string, number> = {};
    for (const t of RUN_TABLES) {
      await sql`copy (${written[t]}) to ${file(t)}`.execute(owner);
      rows[t] = Number((await sql<{ n: string }>`select count(*) as n from (${written[t]}) w`.execute(owner)).rows[0]!.n);
      await sql`create table ${sql.id('bench_floor', t)} (like ${sql.id('public', t)} including all)`.execute(owner);
    }
    for (const t of RUN_TABLES) {
      const fks = await sql<{ def: string }>`
        select pg_get_constraintdef(c.oid) as def from pg_constraint c
        where c.conrelid = ${sql.lit(`public.${t}`)}::regclass and c.contype = 'f'`.execute(owner);
      for (const { def } of fks.rows) {
        const pointed = def.replace(/REFERENCES (?:public\.)?(\w+)\(/, (_m, parent: string) =>
          `REFERENCES ${(RUN_TABLES as readonly string[]).includes(parent) ? 'bench_floor' : 'public'}.${parent}(`);
        await sql`alter table ${sql.id('bench_floor', t)} add ${sql.raw(pointed)}`.execute(owner);
      }
    }
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
    const ms: Record<string, number> = {};
    for (const t of RUN_TABLES) {
      [, ms[t]] = await timed(() => sql`copy ${sql.id('bench_floor', t)} from ${file(t)}`.execute(owner));
    }

    // The narrow figure: the lines' seven columns, one table, no index, no constraint.
    const csv = sql.lit(path.join(dir, 'narrow.csv'));
    await sql`
      copy (select l.payment_id, l.direct_payment_id, l.amount_pence, l.sort_code, l.account_number, l.account_name, l.reference
            from payment_run_lines l where l.run_id = ${run}) to ${csv} with (format csv)`.execute(owner);
    fs.chmodSync(path.join(dir, 'narrow.csv'), 0o644);
    await sql`create table bench_floor.narrow (payment_id uuid, direct_payment_id uuid, amount_pence bigint, sort_code text, account_number text, account_name text, reference text)`.execute(owner);
    const [, narrowMs] = await timed(() => sql`copy bench_floor.narrow from ${csv} with (format csv)`.execute(owner));
    return { rows, ms, totalMs: Object.values(ms).reduce((a, b) => a + b, 0), narrowMs, narrowRows: rows.payment_run_lines! };
  } finally {
    await sql`drop schema if exists bench_floor cascade`.execute(owner).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
