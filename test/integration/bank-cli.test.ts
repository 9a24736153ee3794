import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoStackTrace, ROOT, runDp } from '../support/cli.ts';
import { freshServices, type TestServices } from '../support/database.ts';

// Typed as an operator would, from the project folder.
const VOCALINK = '../shared/reference/vocalink';

/** The real `dp`, against this file's own database. */
const dp = (...args: string[]) => runDp(args, { databaseUrl: t.url });

const counts = async () => ({
  sets: (await t.db.selectFrom('modulus_table_sets').select('id').execute()).length,
  weights: (await t.db.selectFrom('modulus_weights').select('position').execute()).length,
});

// A fresh database with no demo seed, so it starts with no tables imported.
let t: TestServices;
const folders: string[] = [];
beforeAll(async () => {
  t = await freshServices();
});
afterAll(async () => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

describe('dp bank, before any tables are imported', () => {
  it('lists both commands in `dp help`', async () => {
    const r = await dp('help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bank tables import');
    expect(r.stdout).toContain('bank check');
  });

  it('exits 2 from `bank check`, telling the operator to run `dp bank tables import`', async () => {
    const r = await dp('bank', 'check', '10-79-99', '88837491', '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('No modulus-checking tables have been imported');
    expect(r.stderr).toContain('Run `dp bank tables import <dir>`');
    expectNoStackTrace(r);
  });

  it('exits 2 for bad arguments, saying what is wrong, without touching the database', async () => {
    const cases: [string[], string][] = [
      [['bank', 'check', '107999'], 'Something is missing'],
      [['bank', 'check', '107999', '88837491', '1'], 'Unexpected "1"'],
      [['bank', 'check', '12-34', '88837491'], '"12-34" is not a sort code: it must be 6 digits'],
      [['bank', 'check', '107999', '8883'], 'The account number must be 6 to 10 digits'],
      [['bank', 'check', '107999', 'abcdefgh'], 'The account number must be 6 to 10 digits'],
      [['bank', 'check', '107999', '88837491', '--xml'], "Unknown option '--xml'"],
      [['bank', 'tables', 'import'], 'Something is missing'],
    ];
    const runs = await Promise.all(cases.map(([args]) => dp(...args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = runs[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr).toContain('Usage: dp bank');
      expectNoStackTrace(r);
    }
  }, 60_000);

  it('exits 1 when the folder or its files are missing, importing nothing', async () => {
    const missing = await dp('bank', 'tables', 'import', '/no/such/folder');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read the folder /no/such/folder. Nothing was imported.');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-empty-'));
    folders.push(empty);
    const noFiles = await dp('bank', 'tables', 'import', empty);
    expect(noFiles.code).toBe(1);
    expect(noFiles.stderr).toContain('There is no');
    expectNoStackTrace(noFiles);
    expect(await counts()).toEqual({ sets: 0, weights: 0 });
  });
});

describe('dp bank tables import', () => {
  it('imports the tables from a folder and prints what it loaded', async () => {
    const r = await dp('bank', 'tables', 'import', VOCALINK);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Imported Vocalink modulus-checking tables, version 7.70 (25 March 2024):');
    expect(r.stdout).toContain('1138 weight rows from valacdos.txt');
    expect(r.stdout).toContain('21 sort-code substitutions from scsubtab.txt');
    expect(r.stdout).toMatch(/checksum \(sha256\) [0-9a-f]{64}/);
    expect(r.stdout).toContain('No tables were in use before.');
    expect(await counts()).toEqual({ sets: 1, weights: 1138 });
  });

  it('changes nothing when run again with the same files', async () => {
    const r = await dp('bank', 'tables', 'import', VOCALINK);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('These tables are already imported (version 7.70 (25 March 2024)');
    expect(r.stdout).toContain('Nothing changed.');
    expect(await counts()).toEqual({ sets: 1, weights: 1138 });
  });

  it('exits 1 for a malformed file, leaving the tables in use as they were', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bad-'));
    folders.push(dir);
    fs.writeFileSync(path.join(dir, 'valacdos.txt'), '010004 016715 MOD11 0 0 0 0 0 0 8 7 6 5 4 3 2 1\r\n010004 nonsense\r\n');
    fs.writeFileSync(path.join(dir, 'scsubtab.txt'), '');
    const r = await dp('bank', 'tables', 'import', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('valacdos.txt line 2: expected 17 or 18 fields, found 2. Nothing was imported; the tables in use are unchanged.');
    expectNoStackTrace(r);
    expect(await counts()).toEqual({ sets: 1, weights: 1138 });
  });
});

describe('dp bank check', () => {
  it('prints `valid` and exits 0 for details that pass, typed with spaces or hyphens', async () => {
    const r = await dp('bank', 'check', '10-79-99', '8883 7491');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('valid\n');
    expect(r.stderr).toBe('');
  });

  it('prints `invalid: <reason>` and exits 1 for details that fail', async () => {
    const r = await dp('bank', 'check', '107999', '88837493');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('invalid: The account number does not match the sort code: check both for a typing mistake\n');
    expectNoStackTrace(r);
  });

  it('prints exactly {"valid", "reason"} with --json, for both outcomes', async () => {
    const [pass, fail] = await Promise.all([dp('bank', 'check', '089999', '66374958', '--json'), dp('bank', 'check', '089999', '66374959', '--json')]);
    expect(pass.code).toBe(0);
    expect(fail.code).toBe(1);
    const passed = JSON.parse(pass.stdout);
    const failed = JSON.parse(fail.stdout);
    expect(Object.keys(passed)).toEqual(['valid', 'reason']);
    expect(passed).toEqual({ valid: true, reason: 'The account number matches the sort code' });
    expect(failed).toEqual({ valid: false, reason: 'The account number does not match the sort code: check both for a typing mistake' });
  });

  it('reports a sort code missing from the tables as valid, saying it could not be checked', async () => {
    const [plain, json] = await Promise.all([dp('bank', 'check', '999999', '12345678'), dp('bank', 'check', '999999', '12345678', '--json')]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('valid\n');
    expect(plain.stderr).toContain('could not be checked');
    expect(JSON.parse(json.stdout)).toEqual({ valid: true, reason: expect.stringContaining('could not be checked') });
  });

  it('agrees with Vocalink on official cases from each family of exceptions, and on non-standard lengths', async () => {
    const cases: [string, string, number][] = [
      ['938600', '42368003', 0], // 15: exception 5 with substitution
      ['309070', '12345668', 0], // 20: exceptions 2 & 9, second check with 309634
      ['938063', '15763217', 1], // 25: exception 5, remainder 1
      ['118765', '64371388', 1], // 26: exception 1 fails
      ['180002', '00000190', 0], // 34: exception 14
      ['107999', '0088837491', 0], // case 2 as a 10-digit NatWest-style number
      ['08-99-90', '966374958', 0], // case 1 as a 9-digit Santander-style number
    ];
    const runs = await Promise.all(cases.map(([sc, acc]) => dp('bank', 'check', sc, acc)));
    for (const [i, [sc, acc, code]] of cases.entries()) expect(runs[i]!.code, `${sc} ${acc}: ${runs[i]!.stdout}${runs[i]!.stderr}`).toBe(code);
  }, 60_000);
});

describe('dp bank tables import, replacing the tables', () => {
  it('replaces the set in use with a newer one, naming both', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-newer-'));
    folders.push(dir);
    const source = path.resolve(ROOT, VOCALINK);
    fs.writeFileSync(path.join(dir, 'valacdos.txt'), fs.readFileSync(path.join(source, 'valacdos.txt'), 'latin1').split('\n').slice(0, 100).join('\n'));
    fs.copyFileSync(path.join(source, 'scsubtab.txt'), path.join(dir, 'scsubtab.txt'));
    const r = await dp('bank', 'tables', 'import', dir, '--version', '9.00 (test)');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('version 9.00 (test)');
    expect(r.stdout).toContain('100 weight rows');
    expect(r.stdout).toContain('They replace version 7.70 (25 March 2024).');
    expect(await counts()).toEqual({ sets: 1, weights: 100 });
    // 107999 is beyond the first 100 rows: now it cannot be checked.
    expect((await dp('bank', 'check', '107999', '88837493')).code).toBe(0);
  });
});
