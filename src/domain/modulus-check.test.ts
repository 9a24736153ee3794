import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAccount, modulusCheck, parseScsubtab, parseValacdos, rowsFor, standardiseAccount, type ModulusRow, type ModulusTables } from './modulus-check.ts';

// Vocalink's files are not in the repository: tests read them from the shared reference folder.
const VOCALINK = path.resolve(import.meta.dirname, '../..', '../shared/reference/vocalink');
const read = (name: string) => fs.readFileSync(path.join(VOCALINK, name), 'utf8');

let tables: ModulusTables;
beforeAll(() => {
  tables = { rows: parseValacdos(read('valacdos.txt')), substitutions: parseScsubtab(read('scsubtab.txt')), version: '7.70' };
});

type Case = { number: number; description: string; sortCode: string; accountNumber: string; valid: boolean };

function officialCases(): Case[] {
  const cases: Case[] = [];
  for (const line of read('test-cases-v770.txt').split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^(\d+) (.+) (\d{6}) (\d{8}) ([YN])$/.exec(line.trim());
    if (!m) throw new Error(`Cannot read test case line: ${line}`);
    cases.push({ number: Number(m[1]), description: m[2]!, sortCode: m[3]!, accountNumber: m[4]!, valid: m[5] === 'Y' });
  }
  return cases;
}

describe('Vocalink’s 34 official test cases (v7.70)', () => {
  const cases = officialCases();

  it('reads all 34 cases, numbered 1 to 34, both outcomes represented', () => {
    expect(cases).toHaveLength(34);
    expect(cases.map((c) => c.number)).toEqual(Array.from({ length: 34 }, (_, i) => i + 1));
    expect(cases.filter((c) => !c.valid).length).toBe(8);
  });

  it.each(cases.map((c) => [c.number, c] as const))('case %i', (_n, c) => {
    const result = checkAccount(tables, c.sortCode, c.accountNumber);
    expect(result.valid, `${c.number}: ${c.description} → ${result.reason}`).toBe(c.valid);
    // Every official case is covered by the tables: none may pass merely because it went unchecked.
    if (c.number !== 13) expect(result.checked, `${c.number}`).toBe(true);
  });

  it('passes case 13 only as a foreign currency account, and fails it when a is outside 4–8', () => {
    expect(checkAccount(tables, '200915', '41011166')).toMatchObject({ valid: true, checked: false, reason: expect.stringContaining('foreign currency') });
    expect(modulusCheck(tables, '200915', '31011166')).toBe('fail');
  });

  it('applies exception 5’s substitution to the double alternate check too (case 15)', () => {
    expect(tables.substitutions.get('938600')).toBe('938611');
    const withoutSubstitution: ModulusTables = { ...tables, substitutions: new Map() };
    expect(modulusCheck(withoutSubstitution, '938600', '42368003')).toBe('fail');
    expect(modulusCheck(tables, '938600', '42368003')).toBe('pass');
  });
});

describe('the worked examples', () => {
  const one = (algorithm: ModulusRow['algorithm'], sortCode: string, weights: number[], exception: number | null = null): ModulusTables => ({
    rows: [{ start: sortCode, end: sortCode, algorithm, weights, exception }],
    substitutions: new Map(),
    version: 'test',
  });

  it('double alternate: 499273 12345678 with weights 2 1 2 1 … adds the digits of each product to 70, so passes', () => {
    const t = one('DBLAL', '499273', [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]);
    expect(modulusCheck(t, '499273', '12345678')).toBe('pass');
    // Adding the products instead of their digits gives 88: a common mistake this would catch.
    expect(modulusCheck(t, '499273', '12345679')).toBe('fail');
    expect(modulusCheck(one('MOD10', '499273', [2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]), '499273', '12345678')).toBe('fail');
  });

  it('modulus 11: 000000 58177632 with weights 0 0 0 0 0 0 7 5 8 3 4 6 2 1 totals 176, so passes', () => {
    const t = one('MOD11', '000000', [0, 0, 0, 0, 0, 0, 7, 5, 8, 3, 4, 6, 2, 1]);
    expect(modulusCheck(t, '000000', '58177632')).toBe('pass');
    expect(modulusCheck(t, '000000', '58177633')).toBe('fail');
  });

  it('takes the remainder of a negative total as 0 to 10', () => {
    const t = one('MOD11', '000000', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -11]);
    expect(modulusCheck(t, '000000', '00000001')).toBe('pass');
  });

  it('exception 14: retries a failing number as 0abcdefg when h is 0, 1 or 9 (case 34), and not otherwise', () => {
    expect(modulusCheck(tables, '180002', '00000190')).toBe('pass');
    expect(modulusCheck(tables, '180002', '00000195')).toBe('fail');
  });
});

describe('account numbers that are not 8 digits', () => {
  it('prefixes 6 and 7 digit numbers with zeros', () => {
    expect(standardiseAccount('107999', '123456')).toEqual({ sortCode: '107999', accountNumber: '00123456' });
    expect(standardiseAccount('107999', '1234567')).toEqual({ sortCode: '107999', accountNumber: '01234567' });
  });

  it('reads 9 digits the Santander way: the first digit replaces the last digit of the sort code', () => {
    expect(standardiseAccount('090120', '712345678')).toEqual({ sortCode: '090127', accountNumber: '12345678' });
  });

  it('reads 10 digits as NatWest does (the last 8), except at the Co-operative Bank (the first 8)', () => {
    expect(standardiseAccount('600001', '0112345678')).toEqual({ sortCode: '600001', accountNumber: '12345678' });
    expect(standardiseAccount('089999', '1234567890')).toEqual({ sortCode: '089999', accountNumber: '12345678' });
    expect(standardiseAccount('839100', '1234567890')).toEqual({ sortCode: '839100', accountNumber: '12345678' });
  });

  it('checks the standardised number against the tables', () => {
    // Official case 2 (107999 88837491) typed as a 10-digit NatWest-style number, and as 9 digits Santander-style.
    expect(checkAccount(tables, '107999', '0088837491').valid).toBe(true);
    expect(checkAccount(tables, '107999', '0088837493').valid).toBe(false);
    // Official case 1 (089999 66374958, a Co-operative Bank code) with two extra digits at the end.
    expect(checkAccount(tables, '08-99-99', '6637495812').valid).toBe(true);
    expect(checkAccount(tables, '08-99-90', '966374958')).toMatchObject({ valid: true, checked: true });
    expect(checkAccount(tables, '08-99-90', '966374959').valid).toBe(false);
  });

  it('checks a 6-digit number as 00abcdef', () => {
    const t: ModulusTables = { rows: [{ start: '000000', end: '000000', algorithm: 'MOD11', weights: [0, 0, 0, 0, 0, 0, 7, 5, 8, 3, 4, 6, 2, 1], exception: null }], substitutions: new Map(), version: 'test' };
    // 00100003: 8·1 + 1·3 = 11, a pass; read wrongly as 10000300 it would total 7·1 + 2·3 = 13, a fail.
    expect(checkAccount(t, '000000', '100003').valid).toBe(true);
    // 00177632: 8·1 + 3·7 + 4·7 + 6·6 + 2·3 + 1·2 = 101, not a multiple of 11.
    expect(checkAccount(t, '000000', '177632').valid).toBe(false);
  });
});

describe('checkAccount', () => {
  it('reads sort codes and account numbers typed with spaces or hyphens', () => {
    expect(checkAccount(tables, '10-79-99', '8883 7491')).toMatchObject({ valid: true, checked: true, reason: 'The account number matches the sort code' });
    expect(checkAccount(tables, '10 79 99', '88837493')).toMatchObject({ valid: false, reason: expect.stringContaining('does not match the sort code') });
  });

  it('refuses a badly formed sort code or account number with a plain reason', () => {
    expect(checkAccount(tables, '12-34', '12345678')).toMatchObject({ valid: false, reason: 'The sort code must be 6 digits, like 30-96-34' });
    expect(checkAccount(tables, '107999', '12345')).toMatchObject({ valid: false, reason: 'The account number must be 6 to 10 digits' });
    expect(checkAccount(tables, '107999', '12345678901').valid).toBe(false);
    expect(checkAccount(tables, '10799a', '12345678').valid).toBe(false);
  });

  it('accepts, and says so, a sort code that is not in the tables', () => {
    expect(rowsFor(tables.rows, '999999')).toEqual([]);
    expect(checkAccount(tables, '999999', '12345678')).toEqual({ valid: true, checked: false, reason: expect.stringContaining('could not be checked') });
  });
});

describe('reading the tables', () => {
  it('reads every row of valacdos.txt, with negative weights and exceptions, and the substitutions', () => {
    expect(tables.rows.length).toBe(1138);
    expect(tables.rows[0]).toEqual({ start: '010004', end: '016715', algorithm: 'MOD11', weights: [0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1], exception: null });
    expect(tables.rows.some((r) => r.weights.includes(-1))).toBe(true);
    expect(new Set(tables.rows.map((r) => r.exception))).toEqual(new Set([null, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
    expect(tables.substitutions.size).toBe(21);
  });

  it('accepts CRLF line ends, as Vocalink’s downloads have', () => {
    const crlf = read('valacdos.txt').replace(/\r?\n/g, '\r\n');
    expect(parseValacdos(crlf)).toEqual(tables.rows);
    expect(parseScsubtab('938173 938017\r\n938289 938068\r\n').get('938289')).toBe('938068');
  });

  it('finds the one or two rows for a sort code, in file order, even where ranges overlap', () => {
    expect(rowsFor(tables.rows, '070116').map((r) => r.exception)).toEqual([12, 13]);
    expect(rowsFor(tables.rows, '010004')).toHaveLength(1);
    expect(rowsFor(tables.rows, '016715')).toHaveLength(1);
    expect(rowsFor(tables.rows, '016716')).toHaveLength(0);
    const w = Array(14).fill(1) as number[];
    const overlapping: ModulusRow[] = [
      { start: '100000', end: '199999', algorithm: 'MOD10', weights: w, exception: null },
      { start: '120000', end: '120010', algorithm: 'MOD11', weights: w, exception: null },
      { start: '130000', end: '130000', algorithm: 'DBLAL', weights: w, exception: null },
    ];
    expect(rowsFor(overlapping, '120005').map((r) => r.algorithm)).toEqual(['MOD10', 'MOD11']);
    expect(rowsFor(overlapping, '150000').map((r) => r.algorithm)).toEqual(['MOD10']);
    expect(rowsFor(overlapping, '099999')).toEqual([]);
  });

  it('refuses a malformed line, saying which', () => {
    expect(() => parseValacdos('010004 016715 MOD12    0    0    0    0    0    0    8    7    6    5    4    3    2    1')).toThrow('valacdos.txt line 1: unknown method "MOD12"');
    expect(() => parseValacdos('\n010004 016715 MOD11 0 0 0')).toThrow('valacdos.txt line 2: expected 17 or 18 fields, found 6');
    expect(() => parseValacdos('016715 010004 MOD11 0 0 0 0 0 0 8 7 6 5 4 3 2 1')).toThrow('is not valid');
    expect(() => parseValacdos('010004 016715 MOD11 0 0 0 0 0 0 8 7 6 5 4 3 2 1 15')).toThrow('unknown exception "15"');
    expect(() => parseValacdos('')).toThrow('has no rows');
    expect(() => parseScsubtab('938173 93801')).toThrow('scsubtab.txt line 1');
  });
});
