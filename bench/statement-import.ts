import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { boot } from '../src/platform/boot.ts';
import { loadConfig } from '../src/platform/config.ts';
import { readStatement } from '../src/domain/statements/index.ts';
import { importStatement } from '../src/features/statements/import-statement.ts';

const LINES = 1_000_000;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A Lloyds-layout statement of `count` lines: a payment in every 4 weeks, spending on most days. */
export function lloydsStatement(count: number, startYear = 2020): Buffer {
  const out: string[] = ['Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance'];
  const payees = ['MRS J JONES PA WAGES', 'SWIM ACADEMY CD 4821', 'TESCO STORES 3297', 'NEST PENSIONS', 'CHESTNUT CARE AGENCY', 'WALKIES DOG WALKING', 'ARGOS LTD'];
  let balance = 100_000;
  const day0 = Date.UTC(startYear, 0, 1);
  for (let i = 0; i < count; i++) {
    // About 90 lines a day: a big account (a family co-operative's, say) over 30 years.
    const d = new Date(day0 + Math.floor(i / 90) * 86_400_000);
    const date = `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
    const pounds = (p: number) => `${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
    if (i % 90 === 0) {
      balance += 123_400;
      out.push(`${date},BGC,'30-99-50,12345678,EASTMOOR CC DP-000123,,1234.00,${pounds(balance)},`);
    } else {
      const amount = 100 + ((i * 7919) % 9_000);
      balance -= amount;
      out.push(`${date},DEB,'30-99-50,12345678,${payees[i % payees.length]} ${i % 1000},${pounds(Math.abs(amount))},,${pounds(Math.abs(balance))},`);
    }
  }
  return Buffer.from(out.join('\r\n') + '\r\n');
}

/**
 * Importing a 1,000,000-line CSV statement (Lloyds layout, 95 MB) end to end: decode, find the
 * layout, read and check every line, fingerprint it and store it in one transaction with the
 * duplicate check; against csv-parse alone reading the same bytes, in the same run. Then the same
 * file again, which adds nothing.
 */
export async function benchStatementImport(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-statements-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 47000 + Math.floor(Math.random() * 2000), demoMode: false };
  const { services, shutdown } = await boot({ config, quiet: true });
  services.pool.on('error', () => undefined);
  try {
    const db = services.db;
    const council = await db.insertInto('councils').values({ code: 'BENCHS', name: 'Bench Statements Council', jurisdiction: 'england' }).returning('id').executeTakeFirstOrThrow();
    const user = await db.insertInto('users').values({ username: 'bench-statements', display_name: 'Bench', role: 'finance', council_id: council.id, password_hash: 'unused' }).returning(['id', 'username', 'role']).executeTakeFirstOrThrow();
    const person = await db.insertInto('people').values({ council_id: council.id, given_name: 'Bench', family_name: 'Person', date_of_birth: '1960-01-01', kind: 'adult' }).returning('id').executeTakeFirstOrThrow();
    const dp = await db
      .insertInto('direct_payments')
      .values({ council_id: council.id, person_id: person.id, kind: 'ongoing', status: 'active', purpose: 'Personal assistants', weekly_amount_pence: 30850, frequency: 'four_weekly', payment_method: 'bank_account', created_by: user.id })
      .returning('id')
      .executeTakeFirstOrThrow();

    const bytes = lloydsStatement(LINES);
    const file = path.join(dir, 'statement.csv');
    fs.writeFileSync(file, bytes);

    const startParse = performance.now();
    const records = parse(fs.readFileSync(file), { relax_column_count: true }) as string[][];
    const parseMs = performance.now() - startParse;
    if (records.length !== LINES + 1) throw new Error(`csv-parse read ${records.length} records`);

    const doImport = async () => {
      const started = performance.now();
      const read = readStatement(fs.readFileSync(file), { format: 'csv' });
      if (read.kind !== 'lines') throw new Error(read.kind);
      const result = await importStatement(db, { directPaymentId: dp.id, personId: person.id, user: { ...user, role: 'finance' as const }, via: 'cli', fileName: 'statement.csv', format: 'csv', preset: read.preset, batches: read.batches });
      return { result, ms: performance.now() - started };
    };
    const first = await doImport();
    if (first.result.linesAdded !== LINES) throw new Error(`added ${first.result.linesAdded} lines, not ${LINES}`);
    const again = await doImport();
    if (again.result.linesAdded !== 0) throw new Error(`the second import added ${again.result.linesAdded} lines`);
    const ratio = first.ms / parseMs;
    return [
      `load average (1, 5, 15 min) at the end: ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
      `${LINES.toLocaleString('en-GB')}-line Lloyds CSV statement, ${(bytes.length / 1e6).toFixed(0)} MB`,
      `csv-parse alone (the same bytes, every record): ${seconds(parseMs)}`,
      `import (decode, layout, check every line, fingerprint, store in one transaction): ${seconds(first.ms)} (target 15 s or less)`,
      `ratio, import to csv-parse alone: ${ratio.toFixed(2)}× (target 2× or less)`,
      `the same file again (every line already present, nothing added): ${seconds(again.ms)}`,
    ];
  } finally {
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
