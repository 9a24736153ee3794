import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprinter, parseStatement, readStatement, StatementError, type ReadOptions, type StatementLine } from './index.ts';
import { readAmount, readDate } from './values.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/statements');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

function lines(name: string | Uint8Array, opts: ReadOptions = {}) {
  const r = parseStatement(typeof name === 'string' ? fixture(name) : name, opts);
  if (!('lines' in r)) throw new Error(`expected lines, got ${r.kind}`);
  return r;
}
const brief = (l: StatementLine) => [l.postedOn, l.amountPence, l.description, l.counterparty, l.bankId];

function refusal(bytes: Uint8Array, opts: ReadOptions = {}): StatementError {
  try {
    parseStatement(bytes, opts);
  } catch (err) {
    if (err instanceof StatementError) return err;
    throw err;
  }
  throw new Error('the file was not refused');
}

describe('values', () => {
  it('reads dates as UK banks write them', () => {
    expect(readDate('21/11/2013')).toBe('2013-11-21');
    expect(readDate('11/21/2013', 'mdy')).toBe('2013-11-21');
    expect(readDate('21 Nov 2013')).toBe('2013-11-21');
    expect(readDate('21-Nov-13')).toBe('2013-11-21');
    expect(readDate('2013-11-21')).toBe('2013-11-21');
    expect(readDate('20131121120000.000[-5:EST]')).toBe('2013-11-21');
    expect(readDate(" 1/ 2'13", 'mdy')).toBe('2013-01-02');
    expect(readDate('31/02/2026')).toBeNull();
    expect(readDate('29/02/2024')).toBe('2024-02-29');
    expect(readDate('29/02/2026')).toBeNull();
    expect(readDate('yesterday')).toBeNull();
  });

  it('reads amounts as whole pence, never through floating point', () => {
    expect(readAmount('12.30')).toBe(1230);
    expect(readAmount('-1,234.5')).toBe(-123450);
    expect(readAmount('£1,234.00')).toBe(123400);
    expect(readAmount('-£6.50')).toBe(-650);
    expect(readAmount("'12.30")).toBe(1230);
    expect(readAmount('(12.30)')).toBe(-1230);
    expect(readAmount('12.30 DR')).toBe(-1230);
    expect(readAmount('0.29')).toBe(29);
    expect(readAmount('1.005')).toBeNaN();
    expect(readAmount('')).toBeNull();
    expect(readAmount('ten pounds')).toBeNaN();
  });
});

describe('bank CSV presets', () => {
  it('Lloyds / Halifax: debit and credit columns, apostrophe sort code, trailing comma', () => {
    const r = lines('lloyds.csv');
    expect(r.preset).toBe('lloyds');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'EASTMOOR CC DP-000123', null, null],
      ['2026-11-03', -36000, 'MRS J JONES PA WAGES WK44', null, null],
      ['2026-11-05', -4500, 'SWIM ACADEMY CD 4821', null, null],
      ['2026-11-05', -4500, 'SWIM ACADEMY CD 4821', null, null],
      ['2026-11-10', -2160, 'NEST PENSIONS', null, null],
      ['2026-11-17', -36000, 'MRS J JONES PA WAGES WK46', null, null],
    ]);
    expect(r.lines[0]!.line).toBe(2);
  });

  it('Nationwide: Windows-1252, preamble lines, £ signs, dates like 02 Nov 2026', () => {
    const r = lines('nationwide.csv');
    expect(r.preset).toBe('nationwide');
    expect(r.encoding).toBe('windows-1252');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'EASTMOOR CC DP-000123', null, null],
      ['2026-11-04', -650, 'Café Délice – lunch club', null, null],
      ['2026-11-06', -41280, 'ANWEN’S PA PAYROLL', null, null],
      ['2026-11-21', -15000, 'HOME CARE CO-OP', null, null],
    ]);
    expect(r.lines[0]!.line).toBe(6);
  });

  it('Barclays: one signed amount column', () => {
    const r = lines('barclays.csv');
    expect(r.preset).toBe('barclays');
    expect(r.lines.map((l) => [l.postedOn, l.amountPence])).toEqual([['2026-11-02', 123400], ['2026-11-03', -2999], ['2026-11-09', -12000], ['2026-11-16', -840]]);
    expect(r.lines[1]!.description).toBe('ARGOS LTD              ON 02 NOV BCC');
  });

  it('HSBC: no heading row, quoted thousands', () => {
    const r = lines('hsbc.csv');
    expect(r.preset).toBe('hsbc');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'EASTMOOR CC DP-000123', null, null],
      ['2026-11-07', -3500, 'GREYHOUND TRUST RESCUE', null, null],
      ['2026-11-12', -1875, 'PETS AT HOME 0456', null, null],
      ['2026-11-20', -6000, 'WALKIES DOG WALKING', null, null],
    ]);
    expect(r.lines[0]!.line).toBe(1);
  });

  it('NatWest / RBS: spaced headings, quoted apostrophe-prefixed values', () => {
    const r = lines('natwest.csv');
    expect(r.preset).toBe('natwest');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'EASTMOOR CC DP-000123', null, null],
      ['2026-11-04', -28000, 'CARE AGENCY LTD', null, null],
      ['2026-11-11', -2310, '4821 10NOV26 , SAINSBURYS S/MKTS , LONDON GB', null, null],
    ]);
  });

  it('Starling: counter party and reference', () => {
    const r = lines('starling.csv');
    expect(r.preset).toBe('starling');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'DP-000123', 'Eastmoor County Council', null],
      ['2026-11-05', -60000, 'November support', "Kate's Co-operative", null],
      ['2026-11-13', -499, 'BOOTS 1123', 'Boots', null],
    ]);
  });

  it('Monzo: UTF-8 with a byte-order mark, the bank’s own transaction ids', () => {
    const bytes = fixture('monzo.csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const r = lines(bytes);
    expect(r.preset).toBe('monzo');
    expect(r.encoding).toBe('utf-8');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'EASTMOOR CC DP-000123', 'Eastmoor County Council', 'tx_0000AbCdEf1234567890'],
      ['2026-11-06', -4500, 'SWIM SCHOOL EASTMOOR GBR', "Jemima's Swim School", 'tx_0000AbCdEf1234567891'],
      ['2026-11-06', -4500, 'SWIM SCHOOL EASTMOOR GBR', "Jemima's Swim School", 'tx_0000AbCdEf1234567892'],
    ]);
  });

  it('a preset asked for by name must fit the file', () => {
    const err = refusal(fixture('barclays.csv'), { preset: 'lloyds' });
    expect(err.message).toBe('Line 1: the heading row has no “transaction date” column, which a Lloyds, Halifax or Bank of Scotland statement has. Is a column missing?');
  });
});

describe('any other CSV', () => {
  it('asks for a column mapping, then reads the file with it', () => {
    const first = parseStatement(fixture('prepaid-card.csv'));
    expect(first.kind).toBe('needs-mapping');
    if (first.kind !== 'needs-mapping') return;
    expect(first.shape.headings).toEqual(['Card Ref', 'Txn Date', 'Merchant', 'Txn Amount', 'Direction', 'Status']);
    expect(first.dateColumns).toEqual([1]);
    expect(first.amountColumns).toEqual([3]);
    const mapping = { date: 1, dateOrder: 'dmy' as const, description: 2, counterparty: 2, bankId: null, amount: { kind: 'signed' as const, column: 3 } };
    const r = lines('prepaid-card.csv', { mappings: { [first.shape.signature]: mapping } });
    expect(r.lines.map((l) => [l.postedOn, l.amountPence, l.description])).toEqual([
      ['2026-11-02', 123400, 'LOAD FROM EASTMOOR CC'],
      ['2026-11-05', -42000, 'CHESTNUT CARE AGENCY'],
      ['2026-11-12', -3145, 'ASDA SUPERSTORE'],
    ]);
  });
});

describe('OFX, QIF and camt.053', () => {
  it('OFX 1 (SGML, unclosed tags)', () => {
    const r = lines('ofx1.ofx');
    expect(r.format).toBe('ofx');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'EASTMOOR CC DP-000123', 'EASTMOOR CC', '2026110201'],
      ['2026-11-03', -36000, 'MRS J JONES PA WAGES WK44', 'MRS J JONES', '2026110301'],
      ['2026-11-05', -4500, 'SWIM ACADEMY', 'SWIM ACADEMY', '2026110501'],
      ['2026-11-05', -4500, 'SWIM ACADEMY', 'SWIM ACADEMY', '2026110502'],
    ]);
    expect(r.lines[0]!.line).toBe(39);
  });

  it('OFX 2 (XML)', () => {
    const r = lines('ofx2.ofx');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'EASTMOOR CC DP-000123', 'EASTMOOR CC', '202611020001'],
      ['2026-11-08', -5200, 'M & S FOODHALL CARD 4821', 'M & S FOODHALL', '202611080001'],
      ['2026-11-15', -7500, "TREVOR'S PA PAYROLL", "TREVOR'S PA PAYROLL", '202611150001'],
    ]);
  });

  it('QIF: asks for the date order when every date reads both ways', () => {
    expect(parseStatement(fixture('statement.qif')).kind).toBe('needs-date-order');
    const uk = lines('statement.qif', { dateOrder: 'dmy' });
    expect(uk.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'EASTMOOR CC DP-000123', 'EASTMOOR CC', null],
      ['2026-11-03', -36000, 'MRS J JONES PA wages', 'MRS J JONES', null],
      ['2026-11-10', -2160, 'NEST PENSIONS', 'NEST PENSIONS', null],
    ]);
    expect(lines('statement.qif', { dateOrder: 'mdy' }).lines.map((l) => l.postedOn)).toEqual(['2026-02-11', '2026-03-11', '2026-10-11']);
  });

  it('QIF: a US file settles its own order (11/21 cannot be day first)', () => {
    const r = lines('statement-us.qif');
    expect(r.lines.map((l) => [l.postedOn, l.amountPence])).toEqual([['2026-11-02', 123400], ['2026-11-21', -4000]]);
    expect(refusal(fixture('statement-us.qif'), { dateOrder: 'dmy' }).message).toBe('Line 6: the date “11/21\'26” is not a date we can read as day/month/year');
  });

  it('camt.053', () => {
    const r = lines('camt053.xml');
    expect(r.format).toBe('camt053');
    expect(r.lines.map(brief)).toEqual([
      ['2026-11-02', 123400, 'Eastmoor County Council DP-000123', 'Eastmoor County Council', 'CAMT-2026110200017'],
      ['2026-11-09', -23000, 'Bright Days Day Centre INV 2211', 'Bright Days Day Centre', 'CAMT-2026110900004'],
    ]);
    expect(r.lines[1]!.line).toBe(32);
  });

  it('a format asked for must be the file’s format', () => {
    expect(refusal(fixture('lloyds.csv'), { format: 'ofx' }).message).toBe('it is not OFX: it looks like CSV');
  });
});

describe('broken files are refused whole, naming the line', () => {
  const cases: Array<[string, () => Uint8Array, ReadOptions, string]> = [
    ['wrong encoding (says UTF-8, is not)', () => fixture('broken/wrong-encoding.xml'), {}, 'Line 42: the file says it is UTF-8 but this line is in another encoding. Export the statement again from your bank'],
    ['UTF-16 without a byte-order mark', () => Buffer.from('Date,Amount\n02/11/2026,12.00\n', 'utf16le'), {}, 'it is not a text file, so it is not a statement a bank exports (save it from your bank as CSV, OFX, QIF or camt.053)'],
    ['truncated OFX', () => fixture('broken/truncated.ofx'), {}, 'Line 64: the file ends before the closing </OFX> tag: it may not have downloaded completely. Download it again from your bank'],
    ['truncated OFX 2', () => fixture('ofx2.ofx').subarray(0, 1500), {}, 'Line'],
    ['a CSV row with a column missing', () => fixture('broken/missing-column.csv'), {}, 'Line 3: this row has 7 values but the heading row has 8: a column is missing'],
    ['a date that is not a date', () => fixture('broken/bad-dates.csv'), {}, 'Line 3: the date “31/02/2026” is not a date we can read (we expect day, month, year, like 21/11/2026)'],
    ['not a statement: a list of contacts', () => fixture('broken/not-a-statement.csv'), {}, 'it is not a statement we can read: it has no column of dates'],
    ['not a statement: a PNG picture', () => Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), {}, 'it is not a text file'],
    ['not a statement: a PDF', () => Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), {}, 'it is a PDF'],
    ['not a statement: a web page', () => Buffer.from('<!DOCTYPE html><html><body>Sign in to your bank</body></html>'), {}, 'it is a web page'],
    ['an empty file', () => new Uint8Array(), {}, 'the file is empty'],
    ['a heading row and nothing else', () => Buffer.from('Number,Date,Account,Amount,Subcategory,Memo\n'), {}, 'it has no transactions in it'],
    ['an amount that is not money', () => Buffer.from('Number,Date,Account,Amount,Subcategory,Memo\n,02/11/2026,x,12.3.4,PAYMENT,ARGOS\n'), {}, 'Line 2: the amount “12.3.4” is not an amount of money'],
    ['a QIF transaction cut off', () => Buffer.from('!Type:Bank\nD02/11/2026\nT-12.00\nPTESCO\n'), { dateOrder: 'dmy' }, 'Line 2: this transaction has no ^ at its end'],
    ['camt.053 in euros', () => Buffer.from(fixture('camt053.xml').toString().replace('<Amt Ccy="GBP">230.00', '<Amt Ccy="EUR">230.00')), {}, 'Line 32: this entry is in EUR, not pounds'],
  ];
  for (const [name, bytes, opts, message] of cases) {
    it(name, () => {
      const err = refusal(bytes(), opts);
      expect(err.message.startsWith(message), `${err.message}\n  should start with\n${message}`).toBe(true);
    });
  }

  it('an error deep in a long file names the right line', { timeout: 30_000 }, () => {
    const rows = ['Number,Date,Account,Amount,Subcategory,Memo'];
    for (let i = 0; i < 300_000; i++) rows.push(`,02/11/2026,20-32-06 13152170,-1.00,PAYMENT,"SHOP ${i}"`);
    rows[250_001] = ',02/13/2026,20-32-06 13152170,-1.00,PAYMENT,SHOP';
    const read = readStatement(Buffer.from(rows.join('\n')));
    if (read.kind !== 'lines') throw new Error(read.kind);
    let seen = 0;
    expect(() => {
      for (const b of read.batches) seen += b.length;
    }).toThrow('Line 250002: the date “02/13/2026”');
    expect(seen).toBeGreaterThan(0);
  });

  it('a value spanning lines keeps the line numbers right', () => {
    const text = 'Number,Date,Account,Amount,Subcategory,Memo\n,02/11/2026,a,-1.00,PAYMENT,"two\nlines"\n,03/11/2026,a,-x,PAYMENT,SHOP\n';
    expect(refusal(Buffer.from(text)).message).toBe('Line 4: the amount “-x” is not an amount of money');
  });
});

describe('fingerprints', () => {
  it('keep two identical lines on the same day apart, and are the same from one file to the next', () => {
    const a = lines('lloyds.csv').lines;
    const f1 = a.map(fingerprinter());
    const f2 = a.map(fingerprinter());
    expect(f1).toEqual(f2);
    expect(new Set(f1).size).toBe(a.length);
    expect(f1[2]).toMatch(/^2026-11-05\|-4500\|\w+#1$/);
    expect(f1[3]).toMatch(/^2026-11-05\|-4500\|\w+#2$/);
    // The bank's own id wins where there is one.
    expect(lines('ofx1.ofx').lines.map(fingerprinter())[3]).toBe('id:2026110502');
  });
});
