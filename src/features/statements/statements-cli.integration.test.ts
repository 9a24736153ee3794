import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/app.ts';

const DP = path.resolve(import.meta.dirname, '../../cli/dp.ts');
const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/statements');

type Run = { code: number | null; stdout: string; stderr: string };

/** The real `dp` command in its own process, against this file's own database. */
function dp(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.url };
    delete env.DEMO_MODE;
    const child = spawn(process.execPath, [DP, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const noStackTrace = (r: Run) => expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .+:\d+/);

let t: TestApp;
let dir: string;
let reference: string;
let dpId: string;
const counts = async () => {
  const r = await sql<{ lines: string; imports: string }>`select (select count(*) from statement_lines where direct_payment_id = ${dpId}) as lines, (select count(*) from statement_imports where direct_payment_id = ${dpId}) as imports`.execute(t.ownerDb);
  return { lines: Number(r.rows[0]!.lines), imports: Number(r.rows[0]!.imports) };
};

beforeAll(async () => {
  t = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-statements-cli-'));
  const person = await t.ownerDb.selectFrom('people').select('id').where('given_name', '=', 'John').executeTakeFirstOrThrow();
  const row = await t.ownerDb.selectFrom('direct_payments').select(['id', 'reference']).where('person_id', '=', person.id).executeTakeFirstOrThrow();
  [reference, dpId] = [row.reference, row.id];
});
afterAll(async () => {
  await t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('dp statements import', () => {
  it('imports a statement, prints what it read, and adds nothing the second time', async () => {
    const first = await dp(['statements', 'import', reference, path.join(FIXTURES, 'hsbc.csv')]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('lines read: 4\nadded: 4\nalready present: 0\n');
    const again = await dp(['statements', 'import', reference.toLowerCase(), path.join(FIXTURES, 'hsbc.csv'), '--format', 'csv', '--preset', 'hsbc']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('lines read: 4\nadded: 0\nalready present: 4\n');
    expect(await counts()).toEqual({ lines: 4, imports: 2 });
    const audit = await t.ownerDb.selectFrom('audit_log').select(['user_id', 'details']).where('entity_type', '=', 'statement-import').execute();
    expect(audit.length).toBe(2);
    expect(audit[0]!.user_id).toBeNull();
  });

  it('refuses a QIF file whose date order is unclear with exit 1, then imports with --date-order', async () => {
    const before = await counts();
    const asked = await dp(['statements', 'import', reference, path.join(FIXTURES, 'statement.qif')]);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('Nothing was imported. Run it again saying which with --date-order dmy or --date-order mdy');
    expect(await counts()).toEqual(before);
    const done = await dp(['statements', 'import', reference, path.join(FIXTURES, 'statement.qif'), '--date-order', 'dmy']);
    expect(done.code).toBe(0);
    // The council's payment on 2 November is already here from the HSBC statement: same day, amount and words.
    expect(done.stdout).toContain('lines read: 3\nadded: 2\nalready present: 1');
  });

  it('refuses broken files whole with exit 1, naming the line, and imports nothing', async () => {
    const cases: Array<[string, string]> = [
      ['broken/truncated.ofx', 'truncated.ofx was refused: Line 64: the file ends before the closing </OFX> tag'],
      ['broken/missing-column.csv', 'missing-column.csv was refused: Line 3: this row has 7 values but the heading row has 8: a column is missing. Nothing was imported.'],
      ['broken/bad-dates.csv', 'bad-dates.csv was refused: Line 3: the date “31/02/2026” is not a date we can read'],
      ['broken/wrong-encoding.xml', 'wrong-encoding.xml was refused: Line 42: the file says it is UTF-8 but this line is in another encoding'],
      ['broken/not-a-statement.csv', 'not-a-statement.csv was refused: it is not a statement we can read: it has no column of dates'],
      ['prepaid-card.csv', 'prepaid-card.csv is a CSV laid out in a way we do not know (headings: Card Ref, Txn Date, Merchant, Txn Amount, Direction, Status)'],
    ];
    const before = await counts();
    for (const [name, message] of cases) {
      const r = await dp(['statements', 'import', reference, path.join(FIXTURES, name)]);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toContain(message);
      expect(r.stderr, name).toContain('Nothing was imported.');
      expect(r.stdout, name).toBe('');
      noStackTrace(r);
    }
    const missing = await dp(['statements', 'import', reference, path.join(dir, 'nope.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no such file');
    const unknown = await dp(['statements', 'import', 'DP-999999', path.join(FIXTURES, 'hsbc.csv')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no direct payment DP-999999. Nothing was imported.');
    const wrongFormat = await dp(['statements', 'import', reference, path.join(FIXTURES, 'lloyds.csv'), '--format', 'ofx']);
    expect(wrongFormat.code).toBe(1);
    expect(wrongFormat.stderr).toContain('it is not OFX: it looks like CSV');
    expect(await counts()).toEqual(before);
  });

  it('says what is wrong with the arguments, with exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['statements', 'import', reference], 'Something is missing'],
      [['statements', 'import', reference, 'x.csv', '--format', 'pdf'], '--format must be auto, csv, ofx, qif, camt053, not "pdf"'],
      [['statements', 'import', reference, 'x.csv', '--preset', 'santander'], '--preset must be one of lloyds, nationwide, barclays, hsbc, natwest, starling, monzo, not "santander"'],
      [['statements', 'import', reference, 'x.csv', '--date-order', 'ymd'], '--date-order must be dmy or mdy, not "ymd"'],
      [['statements', 'import', 'Anwen', 'x.csv'], '"Anwen" is not a direct payment reference'],
    ];
    for (const [args, message] of cases) {
      const r = await dp(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Usage: dp statements import <direct-payment-reference> <file>');
    }
  });
});
