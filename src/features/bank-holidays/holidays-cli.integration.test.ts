import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestApp } from '../../../test/support/app.ts';
import { expectNoStackTrace, runDp } from '../../../test/support/cli.ts';
import { holidaysKnownUntil, loadHolidays } from '../payments/holidays.ts';
import { ENGLAND_AND_WALES_2028, govUkFile } from './test-files.ts';

/** The real `dp`, against this file's own database. */
const dp = (args: string[]) => runDp(args, { databaseUrl: t.url });

let t: TestApp;
let dir: string;
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const rows = () => t.ownerDb.selectFrom('bank_holidays').selectAll().orderBy('falls_on').execute();

beforeAll(async () => {
  t = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-holidays-'));
});
afterAll(async () => {
  await t?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('dp holidays import <file>', () => {
  it('refuses a malformed file whole with exit 1, saying what is wrong, and imports nothing', async () => {
    const before = await rows();
    const bad = file('bad.json', govUkFile([...ENGLAND_AND_WALES_2028, { title: 'Boxing Day', date: '2028-13-26' }]));
    const r = await dp(['holidays', 'import', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dp: The file was not imported because England and Wales bank holiday 9 (2028-13-26) has a problem: its date is not a real date');
    expect(r.stderr).toContain('Nothing was imported.');
    expect(r.stdout).toBe('');
    expectNoStackTrace(r);
    expect(await rows()).toEqual(before);
  });

  it('says so with exit 1 when the file is not JSON, is missing, or is a folder', async () => {
    const runs = await Promise.all([
      dp(['holidays', 'import', file('page.html', '<html></html>')]),
      dp(['holidays', 'import', path.join(dir, 'no-such-file.json')]),
      dp(['holidays', 'import', dir]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(runs[0]!.stderr).toContain('it is not a JSON file');
    expect(runs[1]!.stderr).toContain('there is no such file');
    expect(runs[2]!.stderr).toContain('is not a file');
    runs.forEach(expectNoStackTrace);
    expect(await holidaysKnownUntil(t.db)).toBe('2027-12-28');
  });

  it('exits 2 with the usage for missing or extra arguments and unknown options', async () => {
    const runs = await Promise.all([
      dp(['holidays', 'import']),
      dp(['holidays', 'import', 'a.json', 'b.json']),
      dp(['holidays', 'import', 'a.json', '--force']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs[0]!.stderr).toContain('Something is missing');
    expect(runs[1]!.stderr).toContain('Unexpected "b.json"');
    expect(runs[2]!.stderr).toContain("Unknown option '--force'");
    for (const r of runs) expect(r.stderr).toContain('Usage: dp holidays import <file>');
    runs.forEach(expectNoStackTrace);
  });

  it('explains itself with `help holidays import`', async () => {
    const r = await dp(['help', 'holidays', 'import']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: dp holidays import <file>');
    expect(r.stdout).toContain('Exit codes: 0 imported, 1 the file could not be read or was refused, 2 bad arguments.');
  });

  it('imports a good file with exit 0, then finds nothing new in it the second time', async () => {
    const good = file('bank-holidays.json', govUkFile());
    const first = await dp(['holidays', 'import', good]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('Imported England and Wales bank holidays: 8 dates added, 8 already known. The file covers 1 January 2027 to 26 December 2028.');
    const holidays = await loadHolidays(t.db);
    for (const h of ENGLAND_AND_WALES_2028) expect(holidays.has(h.date)).toBe(true);

    const before = await rows();
    const second = await dp(['holidays', 'import', good]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 dates added, 16 already known.');
    expect(await rows()).toEqual(before);

    const audits = await t.ownerDb.selectFrom('audit_log').select(['user_id', 'details']).where('entity_type', '=', 'bank-holidays').execute();
    expect(audits).toEqual([
      { user_id: null, details: expect.objectContaining({ added: 8, via: 'dp holidays import', fileName: 'bank-holidays.json' }) },
      { user_id: null, details: expect.objectContaining({ added: 0, unchanged: 16 }) },
    ]);
  });

  it('shows administrators that the dp command did the last import', async () => {
    const page = await (await signedIn(t.app, 'admin')).get('/admin/bank-holidays');
    expect(page.text).toContain('by the dp command');
    expect(page.text).toContain('26 December 2028');
  });
});
