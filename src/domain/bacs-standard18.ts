import { daysBetween, isCalendarDate, addDays, type CalendarDate } from './dates.ts';
import { formatPounds, type Pence } from './money.ts';

/**
 * Bacs Standard 18 Direct Credit files, single processing day. The whole layout is in this file,
 * record by record, with the 1-based positions of the public bank guides
 * (shared/reference/bacs-standard18.md), so a council whose bank wants a variant changes it here.
 * Nothing here reads a clock: the same file description always gives the same bytes.
 */

export type Standard18Credit = { sortCode: string; accountNumber: string; accountName: string; amountPence: Pence; reference: string };

export type Standard18File = {
  serviceUserNumber: string;
  serviceUserName: string;
  fileSerial: string;
  creationDate: CalendarDate;
  processingDate: CalendarDate;
  /** Defaults to the day after the processing day. */
  expiryDate?: CalendarDate;
  originator: { sortCode: string; accountNumber: string; accountName: string };
  credits: Standard18Credit[];
};

export type Standard18Format = 'std18' | 'std18-data';

/** Bacs refuses a single Direct Credit over £20 million. */
export const BACS_MAX_AMOUNT_PENCE = 2_000_000_000;

/** A contra's amount field holds 11 digits of pence; a larger total is split over several contras. */
const MAX_CONTRA_PENCE = 99_999_999_999;

const CRLF = '\r\n';
const ASCII = /^[\x20-\x7e]*$/;

/** The file description cannot be written as Bacs Standard 18; the message says what to fix. */
export class Standard18Error extends Error {}

/**
 * Text in the Bacs character set (A–Z, 0–9, full stop, ampersand, slash, hyphen, space), exactly
 * `length` characters. Accents are dropped rather than the letter lost (é → E); anything else
 * becomes a space. Runs of spaces close up, because 18 characters is little room for a name.
 */
export function cleanBacsText(text: string, length: number): string {
  // Most names are plain ASCII already; skipping Unicode normalisation for them keeps a run of
  // 120,000 payments quick.
  const cleaned = (ASCII.test(text) ? text : text.normalize('NFKD'))
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9.&/\- ]/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return cleaned.slice(0, length).padEnd(length, ' ');
}

/** The whole file as bytes: labelled ('std18'), or the data records alone for bureau software ('std18-data'). */
export function writeStandard18(file: Standard18File, format: Standard18Format): Buffer {
  if (format !== 'std18' && format !== 'std18-data') throw new Standard18Error(`There is no Bacs file format called "${format}"`);
  const checked = check(file);
  const contraRecords = contras(checked);
  const data = [...checked.credits.map((c) => standardRecord(checked, c)), ...contraRecords];
  const records = format === 'std18' ? labelled(checked, data, contraRecords.length) : data;
  return toBytes(records);
}

/** Every record followed by CRLF, written straight into one buffer (a run can be 12 MB). */
function toBytes(records: string[]): Buffer {
  const bytes = Buffer.allocUnsafe(records.reduce((size, r) => size + r.length + CRLF.length, 0));
  let at = 0;
  for (const r of records) {
    at += bytes.write(r, at, 'ascii');
    at += bytes.write(CRLF, at, 'ascii');
  }
  return bytes;
}

type Checked = {
  sun: string;
  userName: string;
  serial: string;
  creation: string;
  processing: string;
  expiry: string;
  origin: { sortCode: string; account: string; name: string };
  credits: { sortCode: string; account: string; name: string; amount: Pence; reference: string }[];
};

// ---- Records ---------------------------------------------------------------------------------
// Each record is a list of [start position, length, text], in order; record() fills the gaps with
// blanks and refuses a field that does not fit its place or overlaps the one before, so a layout
// slip cannot shift a column.

type Field = readonly [start: number, length: number, text: string];

function record(width: number, fields: Field[]): string {
  let out = '';
  for (const [start, length, text] of fields) {
    if (text.length !== length || start <= out.length || start + length - 1 > width) {
      throw new Error(`Standard 18 layout: "${text}" does not fit ${length} characters at position ${start}`);
    }
    out += ' '.repeat(start - 1 - out.length) + text;
  }
  return out.padEnd(width, ' ');
}

function standardRecord(f: Checked, c: Checked['credits'][number]): string {
  return record(100, [
    [1, 6, c.sortCode],
    [7, 8, c.account],
    [15, 1, '0'],
    [16, 2, '99'],
    [18, 6, f.origin.sortCode],
    [24, 8, f.origin.account],
    // 32–35 free format: blanks
    [36, 11, digits(c.amount, 11)],
    [47, 18, f.userName],
    [65, 18, c.reference],
    [83, 18, c.name],
  ]);
}

/** The debit that balances the credits: the council's own account, code 17. */
function contraRecord(f: Checked, amount: Pence): string {
  return record(100, [
    [1, 6, f.origin.sortCode],
    [7, 8, f.origin.account],
    [15, 1, '0'],
    [16, 2, '17'],
    [18, 6, f.origin.sortCode],
    [24, 8, f.origin.account],
    [36, 11, digits(amount, 11)],
    [47, 18, f.userName],
    [65, 18, cleanBacsText('CONTRA', 18)],
    [83, 18, f.origin.name],
  ]);
}

/** One contra per run of credits whose total fits 11 digits (almost always just one). */
function contras(f: Checked): string[] {
  const out: string[] = [];
  let running = 0;
  for (const c of f.credits) {
    if (running + c.amount > MAX_CONTRA_PENCE) {
      out.push(contraRecord(f, running));
      running = 0;
    }
    running += c.amount;
  }
  out.push(contraRecord(f, running));
  return out;
}

function labelled(f: Checked, data: string[], contraCount: number): string[] {
  const vol1 = record(80, [
    [1, 4, 'VOL1'],
    [5, 6, f.serial],
    // 11 blank; 12–41 blanks
    [42, 6, f.sun],
    // 48–79 blanks
    [80, 1, '1'],
  ]);
  const hdr1 = record(80, [
    [1, 4, 'HDR1'],
    [5, 1, 'A'],
    [6, 6, f.sun],
    [12, 1, 'S'],
    // 13–21 blanks (some banks want the SUN again in 16–21)
    [22, 6, f.serial],
    [28, 4, '0001'],
    [32, 4, '0001'],
    // 36–41 blanks
    [42, 6, f.creation],
    [48, 6, f.expiry],
    // 54 blank
    [55, 6, '000000'],
  ]);
  const hdr2 = record(80, [
    [1, 4, 'HDR2'],
    [5, 1, 'F'],
    [6, 5, '02000'],
    [11, 5, '00100'],
    // 16–50 blanks
    [51, 2, '00'],
  ]);
  const uhl1 = record(80, [
    [1, 4, 'UHL1'],
    [5, 6, f.processing],
    [11, 10, '999999    '],
    [21, 2, '00'],
    [23, 6, '000000'],
    [29, 9, '1 DAILY  '],
    [38, 3, '001'],
  ]);
  const creditTotal = f.credits.reduce((sum, c) => sum + c.amount, 0);
  const utl1 = record(80, [
    [1, 4, 'UTL1'],
    // In a credit file the contras are the debits, and balance the credits exactly.
    [5, 13, digits(creditTotal, 13)],
    [18, 13, digits(creditTotal, 13)],
    [31, 7, digits(contraCount, 7)],
    [38, 7, digits(f.credits.length, 7)],
  ]);
  const eof1 = `EOF1${hdr1.slice(4)}`;
  const eof2 = `EOF2${hdr2.slice(4)}`;
  return [vol1, hdr1, hdr2, uhl1, ...data, eof1, eof2, utl1];
}

// ---- Checking the description -----------------------------------------------------------------

function digits(value: number, length: number): string {
  const text = String(value);
  if (!Number.isSafeInteger(value) || value < 0 || text.length > length) {
    throw new Standard18Error(`${value} does not fit the ${length} digits Bacs allows`);
  }
  return text.padStart(length, '0');
}

/** bYYDDD: a blank, the year's last two digits, the day of the year. */
function julian(date: CalendarDate): string {
  const day = daysBetween(`${date.slice(0, 4)}-01-01`, date) + 1;
  return ` ${date.slice(2, 4)}${String(day).padStart(3, '0')}`;
}

function sortCode(value: string, what: string): string {
  const code = value.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(code)) throw new Standard18Error(`${what}: the sort code must be 6 digits, like 12-34-56`);
  return code;
}

function accountNumber(value: string, what: string): string {
  const account = value.replace(/[\s-]/g, '');
  if (!/^\d{6,8}$/.test(account)) {
    throw new Standard18Error(`${what}: the account number must be 6 to 8 digits (9 and 10 digit account numbers must be converted to 8 digits first)`);
  }
  return account.padStart(8, '0');
}

function nonBlank(value: string, length: number, what: string): string {
  const text = cleanBacsText(value, length);
  if (!text.trim()) throw new Standard18Error(`${what} has no letters or numbers that Bacs accepts`);
  return text;
}

function date(value: string, what: string): string {
  if (!isCalendarDate(value)) throw new Standard18Error(`The ${what} must be a date written YYYY-MM-DD`);
  return value;
}

function check(file: Standard18File): Checked {
  const sun = file.serviceUserNumber.trim();
  if (!/^\d{6}$/.test(sun)) throw new Standard18Error('The service user number must be 6 digits');
  const serial = file.fileSerial.trim().toUpperCase();
  if (!/^[A-Z0-9]{6}$/.test(serial) || serial === '000000') {
    throw new Standard18Error('The file serial must be 6 letters or digits, and not all zeros');
  }
  const creation = date(file.creationDate, 'creation date');
  const processing = date(file.processingDate, 'processing date');
  const expiry = date(file.expiryDate ?? addDays(processing, 1), 'expiry date');
  if (creation > processing) throw new Standard18Error('The processing date cannot be before the date the file is created');
  if (expiry <= processing) throw new Standard18Error('The expiry date must be after the processing date');
  if (file.credits.length === 0) throw new Standard18Error('There are no payments to put in the file');
  if (file.credits.length > 9_999_999) throw new Standard18Error('A Bacs file can hold at most 9,999,999 payments');

  const credits = file.credits.map((c, i) => {
    const what = `Payment ${i + 1}${c.reference.trim() ? ` (reference ${c.reference.trim()})` : ''}`;
    if (!Number.isSafeInteger(c.amountPence) || c.amountPence <= 0) {
      throw new Standard18Error(`${what}: the amount must be a whole number of pence more than £0.00`);
    }
    if (c.amountPence > BACS_MAX_AMOUNT_PENCE) {
      throw new Standard18Error(`${what}: ${formatPounds(c.amountPence)} is more than the Bacs limit of ${formatPounds(BACS_MAX_AMOUNT_PENCE)} for one payment`);
    }
    return {
      sortCode: sortCode(c.sortCode, what),
      account: accountNumber(c.accountNumber, what),
      name: nonBlank(c.accountName, 18, `${what}: the account name`),
      amount: c.amountPence,
      reference: nonBlank(c.reference, 18, `${what}: the reference`),
    };
  });
  const total = credits.reduce((sum, c) => sum + c.amount, 0);
  if (total > 9_999_999_999_999) throw new Standard18Error('The payments add up to more than one Bacs file can carry');

  return {
    sun,
    userName: nonBlank(file.serviceUserName, 18, "The council's service user name"),
    serial,
    creation: julian(creation),
    processing: julian(processing),
    expiry: julian(expiry),
    origin: {
      sortCode: sortCode(file.originator.sortCode, "The council's account"),
      account: accountNumber(file.originator.accountNumber, "The council's account"),
      name: nonBlank(file.originator.accountName, 18, "The council's account name"),
    },
    credits,
  };
}
