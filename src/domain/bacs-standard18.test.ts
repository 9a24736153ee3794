import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { BACS_MAX_AMOUNT_PENCE, Standard18Error, cleanBacsText, writeStandard18, type Standard18File } from './bacs-standard18.ts';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__');

// ---- The layout, typed in again from shared/reference/bacs-standard18.md --------------------------
// Independent of the writer's own layout, so a slip in either shows up. A field is
// [first position, last position, name, what it must hold]: a literal, 'blank', or a kind of value.

type Kind = 'digits' | 'date' | 'text' | 'serial';
type Spec = readonly [from: number, to: number, name: string, holds: Kind | 'blank' | { literal: string }];
const lit = (literal: string) => ({ literal });

const VOL1: Spec[] = [
  [1, 4, 'label', lit('VOL1')],
  [5, 10, 'serial', 'serial'],
  [11, 11, 'accessibility', 'blank'],
  [12, 41, 'reserved1', 'blank'],
  [42, 47, 'sun', 'digits'],
  [48, 79, 'reserved2', 'blank'],
  [80, 80, 'labelStandard', lit('1')],
];
const HDR1_BODY: Spec[] = [
  [5, 5, 'fileId', lit('A')],
  [6, 11, 'sun', 'digits'],
  [12, 12, 'fileIdS', lit('S')],
  [13, 21, 'reserved1', 'blank'],
  [22, 27, 'serial', 'serial'],
  [28, 31, 'section', lit('0001')],
  [32, 35, 'sequence', lit('0001')],
  [36, 41, 'reserved2', 'blank'],
  [42, 47, 'creationDate', 'date'],
  [48, 53, 'expiryDate', 'date'],
  [54, 54, 'accessibility', 'blank'],
  [55, 60, 'blockCount', lit('000000')],
  [61, 80, 'reserved3', 'blank'],
];
const HDR1: Spec[] = [[1, 4, 'label', lit('HDR1')], ...HDR1_BODY];
const EOF1: Spec[] = [[1, 4, 'label', lit('EOF1')], ...HDR1_BODY];
const HDR2_BODY: Spec[] = [
  [5, 5, 'recordFormat', lit('F')],
  [6, 10, 'blockLength', lit('02000')],
  [11, 15, 'recordLength', lit('00100')],
  [16, 50, 'reserved1', 'blank'],
  [51, 52, 'bufferOffset', lit('00')],
  [53, 80, 'reserved2', 'blank'],
];
const HDR2: Spec[] = [[1, 4, 'label', lit('HDR2')], ...HDR2_BODY];
const EOF2: Spec[] = [[1, 4, 'label', lit('EOF2')], ...HDR2_BODY];
const UHL1: Spec[] = [
  [1, 4, 'label', lit('UHL1')],
  [5, 10, 'processingDate', 'date'],
  [11, 16, 'receivingParty', lit('999999')],
  [17, 20, 'reserved1', 'blank'],
  [21, 22, 'currency', lit('00')],
  [23, 28, 'country', lit('000000')],
  [29, 37, 'workCode', lit('1 DAILY  ')],
  [38, 40, 'fileNumber', 'digits'],
  [41, 80, 'reserved2', 'blank'],
];
const UTL1: Spec[] = [
  [1, 4, 'label', lit('UTL1')],
  [5, 17, 'debitTotal', 'digits'],
  [18, 30, 'creditTotal', 'digits'],
  [31, 37, 'debitCount', 'digits'],
  [38, 44, 'creditCount', 'digits'],
  [45, 80, 'reserved', 'blank'],
];
const STANDARD: Spec[] = [
  [1, 6, 'destinationSortCode', 'digits'],
  [7, 14, 'destinationAccount', 'digits'],
  [15, 15, 'accountType', lit('0')],
  [16, 17, 'transactionCode', 'digits'],
  [18, 23, 'originatingSortCode', 'digits'],
  [24, 31, 'originatingAccount', 'digits'],
  [32, 35, 'freeFormat', 'blank'],
  [36, 46, 'amount', 'digits'],
  [47, 64, 'serviceUserName', 'text'],
  [65, 82, 'reference', 'text'],
  [83, 100, 'destinationName', 'text'],
];

const width = (spec: Spec[]) => spec[spec.length - 1]![1];

/** Reads one record by the reference's positions, checking every position is where it should be. */
function parse(spec: Spec[], line: string): Record<string, string> {
  expect(line).toHaveLength(width(spec));
  const out: Record<string, string> = {};
  for (const [from, to, name, holds] of spec) {
    const value = line.slice(from - 1, to);
    out[name] = value;
    if (holds === 'blank') expect(value, `${name} (${from}–${to}) blank`).toBe(' '.repeat(to - from + 1));
    else if (holds === 'digits') expect(value, `${name} (${from}–${to}) digits`).toMatch(/^\d+$/);
    else if (holds === 'date') expect(value, `${name} (${from}–${to}) bYYDDD`).toMatch(/^ \d{2}(00[1-9]|0[1-9]\d|[12]\d\d|3[0-5]\d|36[0-6])$/);
    else if (holds === 'serial') expect(value, `${name} (${from}–${to}) serial`).toMatch(/^(?!0{6})[A-Z0-9]{6}$/);
    else if (holds === 'text') expect(value, `${name} (${from}–${to}) Bacs characters`).toMatch(/^[A-Z0-9.&/\- ]+$/);
    else expect(value, `${name} (${from}–${to})`).toBe(holds.literal);
  }
  return out;
}

/** Builds one record field by field from the reference's positions: the expected bytes of a golden file. */
function build(spec: Spec[], values: Record<string, string>): string {
  return spec
    .map(([from, to, name, holds]) => {
      const size = to - from + 1;
      const value = holds === 'blank' ? ' '.repeat(size) : typeof holds === 'object' ? holds.literal : values[name];
      if (value === undefined || value.length !== size) throw new Error(`test data: ${name} must be ${size} characters, got "${value}"`);
      return value;
    })
    .join('');
}

const lines = (bytes: Buffer) => {
  const text = bytes.toString('ascii');
  expect(text.endsWith('\r\n'), 'the last record ends CRLF').toBe(true);
  expect(text.replace(/\r\n/g, ''), 'no bare CR or LF').not.toMatch(/[\r\n]/);
  return text.slice(0, -2).split('\r\n');
};

type Totals = { credits: number; creditCount: number; contras: number; contraCount: number };

/** Checks the data records: credits (99) then contras (17) that balance them. */
function checkData(records: string[], originSortCode: string, originAccount: string): Totals {
  const t: Totals = { credits: 0, creditCount: 0, contras: 0, contraCount: 0 };
  for (const r of records) {
    const f = parse(STANDARD, r);
    if (f.transactionCode === '99') {
      expect(t.contraCount, 'every credit comes before the contras').toBe(0);
      t.credits += Number(f.amount);
      t.creditCount += 1;
    } else {
      expect(f.transactionCode).toBe('17');
      expect([f.destinationSortCode, f.destinationAccount]).toEqual([originSortCode, originAccount]);
      expect(f.reference).toBe('CONTRA'.padEnd(18));
      t.contras += Number(f.amount);
      t.contraCount += 1;
    }
    expect([f.originatingSortCode, f.originatingAccount]).toEqual([originSortCode, originAccount]);
  }
  expect(t.contras, 'contras balance the credits').toBe(t.credits);
  return t;
}

/** Checks a whole labelled file, position by position and total by total. */
function checkLabelledFile(bytes: Buffer): { vol1: Record<string, string>; hdr1: Record<string, string>; uhl1: Record<string, string>; data: string[] } {
  const all = lines(bytes);
  const [vol1, hdr1, hdr2, uhl1] = [parse(VOL1, all[0]!), parse(HDR1, all[1]!), parse(HDR2, all[2]!), parse(UHL1, all[3]!)];
  const [eof1, eof2, utl1] = [parse(EOF1, all.at(-3)!), parse(EOF2, all.at(-2)!), parse(UTL1, all.at(-1)!)];
  const data = all.slice(4, -3);
  expect(hdr1.serial).toBe(vol1.serial);
  expect(hdr1.sun).toBe(vol1.sun);
  expect(all.at(-3)!.slice(4), 'EOF1 repeats HDR1').toBe(all[1]!.slice(4));
  expect(all.at(-2)!.slice(4), 'EOF2 repeats HDR2').toBe(all[2]!.slice(4));
  expect(eof1.serial).toBe(hdr1.serial);
  expect(eof2.recordLength).toBe(hdr2.recordLength);
  expect(hdr1.expiryDate! > uhl1.processingDate!, 'expiry after processing (bYYDDD sorts as text)').toBe(true);
  const first = parse(STANDARD, data[0]!);
  const totals = checkData(data, first.originatingSortCode!, first.originatingAccount!);
  expect(Number(utl1.debitTotal)).toBe(totals.contras);
  expect(Number(utl1.creditTotal)).toBe(totals.credits);
  expect(Number(utl1.debitCount)).toBe(totals.contraCount);
  expect(Number(utl1.creditCount)).toBe(totals.creditCount);
  return { vol1, hdr1, uhl1, data };
}

const golden = (name: string) => fs.readFileSync(path.join(GOLDEN, name));

// ---- Golden file 1 and 2: two credits, labelled and data-only -----------------------------------

const eastmoor: Standard18File = {
  serviceUserNumber: '123456',
  serviceUserName: 'Eastmoor CC',
  fileSerial: '000042',
  creationDate: '2026-11-23',
  processingDate: '2026-11-25',
  expiryDate: '2026-12-31',
  originator: { sortCode: '20-00-00', accountNumber: '12345678', accountName: 'Eastmoor CC DP' },
  credits: [
    { sortCode: '40-47-84', accountNumber: '70872490', accountName: 'Mr P Green', amountPence: 123_456, reference: 'DP P-000001 NOV' },
    { sortCode: '309434', accountNumber: '1234567', accountName: 'Jemima Ashby', amountPence: 80_000, reference: 'DP P-000002 NOV' },
  ],
};

const eastmoorCredit = (destinationSortCode: string, destinationAccount: string, amount: string, reference: string, destinationName: string) =>
  build(STANDARD, {
    destinationSortCode,
    destinationAccount,
    transactionCode: '99',
    originatingSortCode: '200000',
    originatingAccount: '12345678',
    amount,
    serviceUserName: 'EASTMOOR CC'.padEnd(18),
    reference: reference.padEnd(18),
    destinationName: destinationName.padEnd(18),
  });

const eastmoorData = [
  eastmoorCredit('404784', '70872490', '00000123456', 'DP P-000001 NOV', 'MR P GREEN'),
  // A 7-digit account number gains a leading zero.
  eastmoorCredit('309434', '01234567', '00000080000', 'DP P-000002 NOV', 'JEMIMA ASHBY'),
  build(STANDARD, {
    destinationSortCode: '200000',
    destinationAccount: '12345678',
    transactionCode: '17',
    originatingSortCode: '200000',
    originatingAccount: '12345678',
    amount: '00000203456',
    serviceUserName: 'EASTMOOR CC'.padEnd(18),
    reference: 'CONTRA'.padEnd(18),
    destinationName: 'EASTMOOR CC DP'.padEnd(18),
  }),
];

const eastmoorHdr1 = { sun: '123456', serial: '000042', creationDate: ' 26327', expiryDate: ' 26365' };
const eastmoorLabelled = [
  build(VOL1, { serial: '000042', sun: '123456' }),
  build(HDR1, eastmoorHdr1),
  build(HDR2, {}),
  build(UHL1, { processingDate: ' 26329', fileNumber: '001' }),
  ...eastmoorData,
  build(EOF1, eastmoorHdr1),
  build(EOF2, {}),
  build(UTL1, { debitTotal: '0000000203456', creditTotal: '0000000203456', debitCount: '0000001', creditCount: '0000002' }),
];

describe('golden file: two credits, labelled (eastmoor-two-credits.std18)', () => {
  it('the committed golden file is the records built field by field from the reference', () => {
    expect(golden('eastmoor-two-credits.std18').toString('ascii')).toBe(eastmoorLabelled.map((r) => `${r}\r\n`).join(''));
  });

  it('the writer produces the golden file byte for byte', () => {
    expect(writeStandard18(eastmoor, 'std18').equals(golden('eastmoor-two-credits.std18'))).toBe(true);
  });

  it('every position of every record holds what the reference says', () => {
    const { vol1, hdr1, uhl1, data } = checkLabelledFile(writeStandard18(eastmoor, 'std18'));
    expect(vol1).toMatchObject({ serial: '000042', sun: '123456' });
    expect(hdr1).toMatchObject({ creationDate: ' 26327', expiryDate: ' 26365' }); // 23 November is day 327
    expect(uhl1).toMatchObject({ processingDate: ' 26329', fileNumber: '001' });
    expect(data.map((r) => parse(STANDARD, r).amount)).toEqual(['00000123456', '00000080000', '00000203456']);
  });
});

describe('golden file: the same run as data records only (eastmoor-two-credits.std18-data)', () => {
  it('the committed golden file is the credits and contra built field by field', () => {
    expect(golden('eastmoor-two-credits.std18-data').toString('ascii')).toBe(eastmoorData.map((r) => `${r}\r\n`).join(''));
  });

  it('the writer produces it byte for byte: no labels, 100-character records, CRLF', () => {
    const bytes = writeStandard18(eastmoor, 'std18-data');
    expect(bytes.equals(golden('eastmoor-two-credits.std18-data'))).toBe(true);
    const records = lines(bytes);
    expect(records).toHaveLength(3);
    checkData(records, '200000', '12345678');
  });

  it('is exactly the data records of the labelled file', () => {
    const labelled = lines(writeStandard18(eastmoor, 'std18'));
    expect(lines(writeStandard18(eastmoor, 'std18-data'))).toEqual(labelled.slice(4, -3));
  });
});

// ---- Golden file 3: names and references that need cleaning, across a leap year's end --------------

const cleaned: Standard18File = {
  serviceUserNumber: '654321',
  serviceUserName: 'Eastmoor County Council',
  fileSerial: 'a1b2c3',
  creationDate: '2024-12-30',
  processingDate: '2024-12-31',
  originator: { sortCode: '60 16 13', accountNumber: '31926819', accountName: 'Eastmoor C.C. – Direct Payments' },
  credits: [
    { sortCode: '08-99-99', accountNumber: '66374958', accountName: 'Siân O’Brien 😊', amountPence: 1, reference: 'dp p-000003 nov' },
    { sortCode: '11-22-33', accountNumber: '123456', accountName: "José Müller-Smith (trustee)", amountPence: BACS_MAX_AMOUNT_PENCE, reference: 'Ref: Dec’26 £500' },
    { sortCode: '404784', accountNumber: '7087-2490', accountName: 'zoë & chloë / straße ltd.', amountPence: 99_999, reference: 'Direct payment for December 2024' },
  ],
};

describe('golden file: cleaned names and references (cleaned-names.std18)', () => {
  const hdr = { sun: '654321', serial: 'A1B2C3', creationDate: ' 24365', expiryDate: ' 25001' };
  const credit = (destinationSortCode: string, destinationAccount: string, transactionCode: string, amount: string, reference: string, destinationName: string) =>
    build(STANDARD, {
      destinationSortCode,
      destinationAccount,
      transactionCode,
      originatingSortCode: '601613',
      originatingAccount: '31926819',
      amount,
      serviceUserName: 'EASTMOOR COUNTY CO', // 23 characters cut to 18
      reference,
      destinationName,
    });
  const expected = [
    build(VOL1, { serial: 'A1B2C3', sun: '654321' }),
    build(HDR1, hdr),
    build(HDR2, {}),
    build(UHL1, { processingDate: ' 24366', fileNumber: '001' }), // 31 December in a leap year is day 366
    credit('089999', '66374958', '99', '00000000001', 'DP P-000003 NOV   ', 'SIAN O BRIEN      '),
    credit('112233', '00123456', '99', '02000000000', 'REF DEC 26 500    ', 'JOSE MULLER-SMITH '),
    credit('404784', '70872490', '99', '00000099999', 'DIRECT PAYMENT FOR', 'ZOE & CHLOE / STRA'),
    credit('601613', '31926819', '17', '02000100000', 'CONTRA            ', 'EASTMOOR C.C. DIRE'),
    build(EOF1, hdr),
    build(EOF2, {}),
    build(UTL1, { debitTotal: '0002000100000', creditTotal: '0002000100000', debitCount: '0000001', creditCount: '0000003' }),
  ];

  it('the committed golden file is the records built field by field from the reference', () => {
    expect(golden('cleaned-names.std18').toString('ascii')).toBe(expected.map((r) => `${r}\r\n`).join(''));
  });

  it('the writer produces the golden file byte for byte', () => {
    const bytes = writeStandard18(cleaned, 'std18');
    expect(bytes.toString('ascii')).toBe(golden('cleaned-names.std18').toString('ascii'));
    expect(bytes.equals(golden('cleaned-names.std18'))).toBe(true);
  });

  it('every position of every record holds what the reference says, and the expiry defaults to the next day', () => {
    const { hdr1 } = checkLabelledFile(writeStandard18(cleaned, 'std18'));
    expect(hdr1.expiryDate).toBe(' 25001');
  });

  it('the file is plain ASCII: no byte of an accent, curly quote or emoji survives', () => {
    const bytes = writeStandard18(cleaned, 'std18');
    expect([...bytes].every((b) => b === 0x0d || b === 0x0a || (b >= 0x20 && b < 0x7f))).toBe(true);
  });
});

// ---- Cleaning text ------------------------------------------------------------------------------

describe('cleaning text to the Bacs character set', () => {
  it('upper-cases lower case', () => expect(cleanBacsText('peter green', 18)).toBe('PETER GREEN       '));
  it('drops accents but keeps the letter', () => expect(cleanBacsText('Siân Gwenllïan Hâf', 18)).toBe('SIAN GWENLLIAN HAF'));
  it('turns apostrophes, straight or curly, into a space', () => {
    expect(cleanBacsText("O'Brien", 10)).toBe('O BRIEN   ');
    expect(cleanBacsText('O’Brien', 10)).toBe('O BRIEN   ');
  });
  it('turns an emoji (even one made of several code points) into a single space', () => {
    expect(cleanBacsText('Kate 👩🏽‍🦱 Jones', 18)).toBe('KATE JONES        ');
    expect(cleanBacsText('🎉🎉 party', 8)).toBe('PARTY   ');
  });
  it('keeps full stop, ampersand, slash and hyphen', () => expect(cleanBacsText('A.B & C/D-E', 11)).toBe('A.B & C/D-E'));
  it('replaces other punctuation, symbols, tabs and new lines', () => {
    expect(cleanBacsText('£5 @ #1, (ok)?\t!\nnew', 18)).toBe('5 1 OK NEW        ');
  });
  it('truncates to the field width and pads short text with spaces', () => {
    expect(cleanBacsText('Eastmoor County Council', 18)).toBe('EASTMOOR COUNTY CO');
    expect(cleanBacsText('', 6)).toBe('      ');
  });
  it('only ever gives characters from the set, at exactly the width asked for', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 40 }), (text, size) => {
        const out = cleanBacsText(text, size);
        return out.length === size && /^[A-Z0-9.&/\- ]*$/.test(out);
      }),
    );
  });
});

// ---- Refusals -----------------------------------------------------------------------------------

describe('what the writer refuses, in plain English', () => {
  const withCredit = (changes: Partial<Standard18File['credits'][number]>): Standard18File => ({
    ...eastmoor,
    credits: [eastmoor.credits[0]!, { ...eastmoor.credits[1]!, ...changes }],
  });
  const refuses = (file: Standard18File, message: RegExp) => {
    for (const format of ['std18', 'std18-data'] as const) {
      expect(() => writeStandard18(file, format)).toThrow(Standard18Error);
      expect(() => writeStandard18(file, format)).toThrow(message);
    }
  };

  it('an amount beyond the Bacs limit for one payment, naming the payment', () => {
    refuses(withCredit({ amountPence: BACS_MAX_AMOUNT_PENCE + 1 }), /Payment 2 \(reference DP P-000002 NOV\): £20,000,000\.01 is more than the Bacs limit of £20,000,000\.00 for one payment/);
  });
  it('accepts exactly the limit', () => {
    expect(() => writeStandard18(withCredit({ amountPence: BACS_MAX_AMOUNT_PENCE }), 'std18')).not.toThrow();
  });
  it('a zero, negative or fractional amount', () => {
    for (const amountPence of [0, -100, 12.5, Number.NaN]) refuses(withCredit({ amountPence }), /amount must be a whole number of pence more than £0\.00/);
  });
  it('a sort code that is not 6 digits', () => refuses(withCredit({ sortCode: '40-47-8' }), /Payment 2 .*sort code must be 6 digits/));
  it('a 9 or 10 digit account number that has not been converted', () => {
    refuses(withCredit({ accountNumber: '0123456789' }), /account number must be 6 to 8 digits \(9 and 10 digit account numbers must be converted/);
    refuses(withCredit({ accountNumber: '12345' }), /account number must be 6 to 8 digits/);
  });
  it('an account name with nothing Bacs can carry', () => refuses(withCredit({ accountName: '😊😊 ’' }), /Payment 2 .*account name has no letters or numbers/));
  it('an empty file', () => refuses({ ...eastmoor, credits: [] }, /There are no payments to put in the file/));
  it('a bad service user number or serial', () => {
    refuses({ ...eastmoor, serviceUserNumber: '12345' }, /service user number must be 6 digits/);
    refuses({ ...eastmoor, fileSerial: '000000' }, /file serial must be 6 letters or digits, and not all zeros/);
    refuses({ ...eastmoor, fileSerial: '42' }, /file serial must be 6 letters or digits/);
  });
  it('dates out of order or not dates', () => {
    refuses({ ...eastmoor, expiryDate: '2026-11-25' }, /expiry date must be after the processing date/);
    refuses({ ...eastmoor, creationDate: '2026-11-26' }, /processing date cannot be before the date the file is created/);
    refuses({ ...eastmoor, processingDate: '25/11/2026' }, /processing date must be a date written YYYY-MM-DD/);
  });
  it('a format it does not know', () => {
    expect(() => writeStandard18(eastmoor, 'csv' as 'std18')).toThrow(/no Bacs file format called "csv"/);
  });
});

// ---- Large totals, determinism ------------------------------------------------------------------

describe('totals too large for one contra', () => {
  it('split over contras of at most 11 digits, which still balance the credits in UTL1', () => {
    const credits = Array.from({ length: 50 }, (_, i) => ({ ...eastmoor.credits[0]!, reference: `DP ${i}`, amountPence: BACS_MAX_AMOUNT_PENCE }));
    const bytes = writeStandard18({ ...eastmoor, credits }, 'std18');
    const { data } = checkLabelledFile(bytes);
    const contraAmounts = data.map((r) => parse(STANDARD, r)).filter((f) => f.transactionCode === '17').map((f) => Number(f.amount));
    expect(contraAmounts).toEqual([98_000_000_000, 2_000_000_000]);
    const utl1 = parse(UTL1, lines(bytes).at(-1)!);
    expect(utl1).toMatchObject({ debitTotal: '0100000000000', creditTotal: '0100000000000', debitCount: '0000002', creditCount: '0000050' });
  });
});

describe('the same description always gives the same bytes', () => {
  afterEach(() => vi.useRealTimers());

  it('whatever the clock says, and without changing what it was given', () => {
    const before = structuredClone(cleaned);
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-06-01T12:00:00Z'));
    const first = writeStandard18(cleaned, 'std18');
    vi.setSystemTime(new Date('1999-12-31T23:59:59Z'));
    const second = writeStandard18(cleaned, 'std18');
    expect(first.equals(second)).toBe(true);
    expect(cleaned).toEqual(before);
  });

  it('any valid run of payments gives a well-formed, balanced file, the same twice', () => {
    const credit = fc.record({
      sortCode: fc.stringMatching(/^\d{6}$/),
      accountNumber: fc.stringMatching(/^\d{6,8}$/),
      accountName: fc.string({ minLength: 1, maxLength: 30 }).map((s) => `A${s}`),
      amountPence: fc.integer({ min: 1, max: BACS_MAX_AMOUNT_PENCE }),
      reference: fc.string({ maxLength: 30 }).map((s) => `DP${s}`),
    });
    fc.assert(
      fc.property(fc.array(credit, { minLength: 1, maxLength: 60 }), (credits) => {
        const file = { ...eastmoor, credits };
        const bytes = writeStandard18(file, 'std18');
        expect(writeStandard18(file, 'std18').equals(bytes)).toBe(true);
        const { data } = checkLabelledFile(bytes);
        expect(data.length).toBeGreaterThan(credits.length);
      }),
      { numRuns: 60 },
    );
  });
});
