import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { boot } from '/work/main/src/platform/boot.ts';
import { loadConfig } from '/work/main/src/platform/config.ts';
import { londonDate } from '/work/main/src/platform/services.ts';
import { loadUser } from '/work/main/src/platform/http/auth.ts';
import { earliestArrival } from '/work/main/src/domain/payment-run.ts';
import { loadHolidays } from '/work/main/src/features/payments/holidays.ts';
import { createPaymentRun } from '/work/main/src/features/payment-runs/create-run.ts';
import { recordApproval } from '/work/main/src/features/payment-runs/approve-run.ts';
import { continueRun } from '/work/main/src/features/payment-runs/run-work.ts';
import { runFile } from '/work/main/src/features/payment-runs/bacs-file.ts';
import { caseload } from '/work/main/bench/payment-run.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-prof-'));
const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 47000 + Math.floor(Math.random() * 2000) };
const { services, shutdown } = await boot({ config, quiet: true });
import { createPool, createDatabase } from '/work/main/src/platform/db/database.ts';
const ownerPool = createPool(services.pool.options.connectionString!, { max: 1, appRole: false });
const owner = createDatabase(ownerPool);
const { sql } = await import('kysely');
if (process.env.EXPLAIN) {
  for (const s of [`alter system set session_preload_libraries = 'auto_explain'`, `alter system set auto_explain.log_min_duration = '150ms'`, `alter system set auto_explain.log_analyze = on`,
    `alter system set auto_explain.log_triggers = on`, `alter system set auto_explain.log_nested_statements = on`, `alter system set auto_explain.log_level = 'notice'`, `alter system set auto_explain.log_timing = on`, `select pg_reload_conf()`]) await sql.raw(s).execute(owner);
}
const pool2 = createPool(services.pool.options.connectionString!, { max: 4 });
pool2.on('connect', (c) => c.on('notice', (n) => console.log('NOTICE', n.message)));
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: pool2 }), log: (e) => { if (e.queryDurationMillis > 30) console.log(`${e.queryDurationMillis.toFixed(0).padStart(6)} ms  ${e.query.sql.replace(/\s+/g, ' ').slice(0, 160)}`); } });
try {
  const today = londonDate(new Date());
  const { finance, manager } = await caseload(services.db, today);
  const paymentDate = earliestArrival(today, await loadHolidays(services.db));
  const [fu, mu] = [await loadUser(services, finance), await loadUser(services, manager)];
  let t = performance.now();
  const lap = (what: string) => { const n = performance.now(); console.log(`=== ${what}: ${(n - t).toFixed(0)} ms`); t = n; };
  const created = await createPaymentRun(db, { user: fu!, wanted: paymentDate, today });
  lap('create');
  await recordApproval(db, { runId: created.run.id, user: mu!, today });
  lap('approve');
  await continueRun(db, created.run.id, today);
  lap('post');
  const f = await runFile(db, { runId: created.run.id, format: 'std18', user: fu! });
  lap('file');
  await new Promise((r) => setTimeout(r, 2500));
  console.log((await sql`select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, pg_size_pretty(pg_total_relation_size(relid)) as size from pg_stat_user_tables where relname in ('payments', 'payment_run_lines', 'ledger_transactions', 'ledger_postings')`.execute(owner)).rows);
} finally {
  await db.destroy().catch(() => {});
  await shutdown().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
}
