import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { boot } from '../src/platform/boot.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Database } from '../src/platform/db/database.ts';
import { londonDate } from '../src/platform/services.ts';
import { addDays, addMonths } from '../src/domain/dates.ts';
import { MONITORED_STATUSES, flagsFor, worklist } from '../src/features/monitoring/queries.ts';
import { refreshCouncilFlags, refreshFlagsFor, storedWorklist } from '../src/features/monitoring/snapshot.ts';

const COUNT = Number(process.env.BENCH_MONITORING_COUNT ?? 120_000);
const LINES_PER_DP = 10;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await fn();
  return [result, performance.now() - started];
}

/**
 * The monitoring rules over a whole caseload: 120,000 active direct payments, each with a payment
 * paid through the ledger, recorded spending, ten statement lines (1.2 million in all), and some with
 * personal assistants and concerns, generated set-based in a scratch database. Then the council's
 * worklist is timed: one set-based query for the facts of every direct payment, the rules applied
 * to each row in memory, the flagged ones sorted.
 */
export async function benchMonitoring(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-monitoring-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 47000 + Math.floor(Math.random() * 2000) };
  const { services, shutdown } = await boot({ config, quiet: true });
  services.pool.on('error', () => undefined);
  try {
    const today = londonDate(new Date());
    const [councilId, tGenerate] = await timed(() => caseload(services.db, today));
    // Run once to warm the caches, as a finance officer opening the page twice would.
    await worklist(services.db, councilId, { today });
    const [list, tWorklist] = await timed(() => worklist(services.db, councilId, { today }));
    const one = list[0]?.directPaymentId;
    const [, tOne] = one ? await timed(() => flagsFor(services.db, one, { today })) : [null, 0];
    // The stored snapshot: the full refresh (the hourly job, "Check again now"), twice (the first
    // writes into an empty table), then what the worklist page reads: the first page of 50 and the counts.
    await refreshCouncilFlags(services.db, councilId, { today });
    const [snapshot, tRefresh] = await timed(() => refreshCouncilFlags(services.db, councilId, { today }));
    const readPage = async () => {
      const page = await storedWorklist(services.db, councilId, { limit: 50, offset: 0 });
      await services.db.selectFrom('direct_payments').select((eb) => eb.fn.countAll<string>().as('n')).where('council_id', '=', councilId).where('status', 'in', [...MONITORED_STATUSES]).executeTakeFirstOrThrow();
      return page;
    };
    await readPage();
    const reads: number[] = [];
    let page = null as Awaited<ReturnType<typeof readPage>> | null;
    for (let i = 0; i < 5; i++) {
      const [p, ms] = await timed(readPage);
      page = p;
      reads.push(ms);
    }
    reads.sort((a, b) => a - b);
    const [, tLast] = await timed(() => storedWorklist(services.db, councilId, { limit: 50, offset: Math.max(0, list.length - 50) }));
    const [, tOneRefresh] = one ? await timed(() => refreshFlagsFor(services.db, one, { today })) : [null, 0];
    const same = page!.flagged === list.length && isDeepStrictEqual(page!.entries, list.slice(0, 50));
    const byRule = new Map<string, number>();
    for (const e of list) for (const f of e.flags) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    return [
      `${COUNT.toLocaleString('en-GB')} active direct payments, ${(COUNT * LINES_PER_DP).toLocaleString('en-GB')} statement lines (generated in ${seconds(tGenerate)})`,
      `monitoring rules over every direct payment, live (the old worklist): ${seconds(tWorklist)}`,
      `  flagged: ${list.length.toLocaleString('en-GB')} (${list.filter((e) => e.level === 'high').length.toLocaleString('en-GB')} high); flags by rule: ${[...byRule].map(([r, n]) => `${r} ${n.toLocaleString('en-GB')}`).join(', ')}`,
      `full refresh of the stored flags (job monitoring.refresh-flags, one council, one transaction): ${seconds(tRefresh)} (${snapshot.flagged.toLocaleString('en-GB')} flagged stored)`,
      `worklist page read from the snapshot (first page of 50 + counts), median of 5: ${reads[2]!.toFixed(0)} ms; last page: ${tLast.toFixed(0)} ms`,
      `  the stored first page equals the live worklist's (key order aside): ${same ? 'yes' : 'NO'}`,
      `one direct payment's flags (flagsFor): ${(tOne).toFixed(0)} ms; refreshFlagsFor (work out and store one): ${tOneRefresh.toFixed(0)} ms`,
      `load average (1, 5, 15 min) at the end: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    ];
  } finally {
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A council with 120,000 people on ongoing direct payments and their money, in a few set-based statements. */
export async function caseload(db: Database, today: string): Promise<string> {
  const council = await db.insertInto('councils').values({ code: 'BENCH', name: 'Bench County Council', jurisdiction: 'england' }).returning('id').executeTakeFirstOrThrow();
  const finance = await db.insertInto('users').values({ username: 'bench-finance', display_name: 'Bench', role: 'finance', council_id: council.id, password_hash: 'unused' }).returning('id').executeTakeFirstOrThrow();
  const c = council.id;
  const f = finance.id;
  const started = addMonths(today, -7);
  await sql`
    insert into people (council_id, given_name, family_name, date_of_birth, kind)
    select ${c}, 'Person', 'Number ' || g, date '1960-01-01' + (g % 15000), 'adult' from generate_series(1, ${COUNT}) g`.execute(db);
  await sql`
    insert into direct_payments (council_id, person_id, kind, status, purpose, weekly_amount_pence, weekly_contribution_pence, frequency, payment_method, starts_on, created_by)
    select ${c}, p.id, 'ongoing', 'active', 'Personal assistants', 10000 + (n % 400) * 100, (n % 3) * 500, 'four_weekly', 'bank_account', ${started}::date, ${f}
    from (select id, row_number() over (order by id) as n from people where council_id = ${c}) p`.execute(db);
  await sql`
    create temporary table bench_dp on commit preserve rows as
    select id, row_number() over (order by id) as n, weekly_amount_pence - weekly_contribution_pence as weekly_net
    from direct_payments where council_id = ${c}`.execute(db);
  await sql`
    insert into payment_schedules (direct_payment_id, frequency, starts_on, weekly_amount_pence, weekly_contribution_pence, created_by)
    select id, 'four_weekly', starts_on, weekly_amount_pence, weekly_contribution_pence, ${f} from direct_payments where council_id = ${c}`.execute(db);
  // What has been paid in: 7 periods' worth in one payment each, through the ledger.
  await sql`
    insert into payments (direct_payment_id, period_starts_on, period_ends_on, due_on, amount_pence, status)
    select id, ${started}::date, ${addDays(started, 27)}::date, ${started}::date, weekly_net * 28, 'paid' from bench_dp`.execute(db);
  await sql`insert into ledger_accounts (council_id, code, name, kind) values (${c}, 'BUDGET', 'Budget', 'budget')`.execute(db);
  await sql`
    insert into ledger_accounts (council_id, code, name, kind, direct_payment_id)
    select ${c}, 'DP:' || id, 'A direct payment''s account', 'direct_payment', id from bench_dp`.execute(db);
  await sql`
    insert into ledger_transactions (idempotency_key, council_id, kind, description, effective_on, direct_payment_id)
    select 'bench-paid:' || id, ${c}, 'payment_paid', 'Paid in', ${started}::date, id from bench_dp`.execute(db);
  await sql`
    insert into ledger_postings (transaction_id, account_id, amount_pence)
    select t.id, a.id, s.amount from ledger_transactions t
      join bench_dp d on d.id = t.direct_payment_id
      join ledger_accounts a on a.council_id = ${c} and (a.code = 'DP:' || d.id or a.code = 'BUDGET')
      cross join lateral (select case when a.code = 'BUDGET' then -d.weekly_net * 28 else d.weekly_net * 28 end as amount) s
    where t.idempotency_key like 'bench-paid:%'`.execute(db);
  // Spending the people recorded: three records each, a little under what was paid in for most.
  await sql`
    insert into spending_records (direct_payment_id, spent_on, amount_pence, paid_to, recorded_by)
    select d.id, ${addDays(today, -20)}::date - k, (d.weekly_net * 28 * (case when d.n % 10 = 0 then 2 else 8 end)) / 30, 'Home help', ${f}
    from bench_dp d cross join generate_series(1, 3) k`.execute(db);
  // Statements: ten lines each over the last six months. One in ten people has money out not yet
  // explained; one in seven pays a J SMITH every month, half of them with Jane Smith on payroll.
  await sql`
    insert into statement_imports (direct_payment_id, uploaded_by, via, format, file_name, lines_read, lines_added)
    select id, ${f}, 'web', 'csv', 'statement.csv', ${LINES_PER_DP}, ${LINES_PER_DP} from bench_dp`.execute(db);
  await sql`
    insert into statement_lines (direct_payment_id, import_id, posted_on, amount_pence, description, counterparty, fingerprint, match_kind, explanation)
    select d.id, i.id, ${today}::date - (k * 17), -(1000 + (d.n * k) % 9000),
      case when k % 3 = 0 and d.n % 7 = 0 then 'SO J SMITH' when k % 3 = 0 then 'DD ENERGY CO' when k % 3 = 1 then 'TESCO STORES' else 'CASH WITHDRAWAL' end,
      case when k % 3 = 0 and d.n % 7 = 0 then 'J SMITH' else null end,
      'bench|' || k,
      case when d.n % 10 <> 3 then 'explained' else null end,
      case when d.n % 10 <> 3 then 'Shopping for meals' else null end
    from bench_dp d join statement_imports i on i.direct_payment_id = d.id cross join generate_series(1, ${LINES_PER_DP}) k`.execute(db);
  // Personal assistants on payroll for a third of the people (for some, the J SMITH they pay).
  await sql`
    insert into personal_assistants (direct_payment_id, name, role, starts_on, weekly_minutes, hourly_rate_pence, payroll, payroll_provider, created_by)
    select id, case when n % 14 = 0 then 'Jane Smith' else 'Alex Evans' end, 'Personal assistant', ${started}::date, 600, 1250, 'provider', 'Payroll Co', ${f}
    from bench_dp where n % 3 = 0 or n % 14 = 0`.execute(db);
  await sql`
    insert into monitoring_concerns (council_id, direct_payment_id, recorded_on, concern, recorded_by)
    select ${c}, id, ${addDays(today, -30)}::date, 'A concern', ${f} from bench_dp where n % 100 = 0`.execute(db);
  await sql`drop table bench_dp`.execute(db);
  await sql`analyze`.execute(db);
  return c;
}
