import { parse } from 'csv-parse/sync';
import { readAmount, readDate } from './values.ts';
import { StatementError, type DateOrder, type StatementLine } from './types.ts';

// CSV statements: a preset for each UK bank in shared/reference/statements.md, found by its heading
// row, and a column mapping for any other layout (prepaid card portals, smaller banks).

export const PRESETS = ['lloyds', 'nationwide', 'barclays', 'hsbc', 'natwest', 'starling', 'monzo'] as const;
export type PresetId = (typeof PRESETS)[number];

export const PRESET_NAMES: Record<PresetId, string> = {
  lloyds: 'Lloyds, Halifax or Bank of Scotland',
  nationwide: 'Nationwide',
  barclays: 'Barclays',
  hsbc: 'HSBC',
  natwest: 'NatWest or RBS',
  starling: 'Starling',
  monzo: 'Monzo',
};

/** Which column holds what, by position (0 is the first column). */
export type ColumnMapping = {
  date: number;
  dateOrder: DateOrder;
  description: number;
  counterparty: number | null;
  bankId: number | null;
  amount: { kind: 'signed'; column: number } | { kind: 'split'; moneyOut: number; moneyIn: number };
};

type PresetSpec = {
  /** Headings (lower case) that must all be present; null for HSBC, which has no heading row. */
  headings: string[] | null;
  dateOrder: DateOrder;
  map: (col: (name: string) => number) => ColumnMapping;
};

const PRESET_SPECS: Record<PresetId, PresetSpec> = {
  monzo: {
    headings: ['transaction id', 'date', 'time', 'type', 'name', 'amount', 'currency', 'description'],
    dateOrder: 'dmy',
    map: (c) => ({ date: c('date'), dateOrder: 'dmy', description: c('description'), counterparty: c('name'), bankId: c('transaction id'), amount: { kind: 'signed', column: c('amount') } }),
  },
  starling: {
    headings: ['date', 'counter party', 'reference', 'type', 'amount (gbp)'],
    dateOrder: 'dmy',
    map: (c) => ({ date: c('date'), dateOrder: 'dmy', description: c('reference'), counterparty: c('counter party'), bankId: null, amount: { kind: 'signed', column: c('amount (gbp)') } }),
  },
  lloyds: {
    headings: ['transaction date', 'transaction type', 'transaction description', 'debit amount', 'credit amount'],
    dateOrder: 'dmy',
    map: (c) => ({ date: c('transaction date'), dateOrder: 'dmy', description: c('transaction description'), counterparty: null, bankId: null, amount: { kind: 'split', moneyOut: c('debit amount'), moneyIn: c('credit amount') } }),
  },
  nationwide: {
    headings: ['date', 'transaction type', 'description', 'paid out', 'paid in'],
    dateOrder: 'dmy',
    map: (c) => ({ date: c('date'), dateOrder: 'dmy', description: c('description'), counterparty: null, bankId: null, amount: { kind: 'split', moneyOut: c('paid out'), moneyIn: c('paid in') } }),
  },
  barclays: {
    headings: ['number', 'date', 'account', 'amount', 'subcategory', 'memo'],
    dateOrder: 'dmy',
    map: (c) => ({ date: c('date'), dateOrder: 'dmy', description: c('memo'), counterparty: null, bankId: null, amount: { kind: 'signed', column: c('amount') } }),
  },
  natwest: {
    headings: ['date', 'type', 'description', 'value', 'balance', 'account name'],
    dateOrder: 'dmy',
    map: (c) => ({ date: c('date'), dateOrder: 'dmy', description: c('description'), counterparty: null, bankId: null, amount: { kind: 'signed', column: c('value') } }),
  },
  hsbc: {
    headings: null,
    dateOrder: 'dmy',
    map: () => ({ date: 0, dateOrder: 'dmy', description: 1, counterparty: null, bankId: null, amount: { kind: 'signed', column: 2 } }),
  },
};

const PARSE_OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: false } as const;

/** A heading as written, tidied for comparison: no quotes, apostrophes, BOM or extra spaces; lower case. */
export function normaliseHeading(cell: string): string {
  return cell.replace(/^\uFEFF/, '').replace(/^'/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The file's first lines as CSV records, tolerating anything (for finding the heading row). */
function headRecords(text: string, count: number): string[][] {
  let end = 0;
  for (let i = 0; i < count && end !== -1; i++) end = text.indexOf('\n', end + 1);
  const head = end === -1 ? text : text.slice(0, end);
  try {
    return parse(head, PARSE_OPTIONS) as string[][];
  } catch {
    return head.split('\n').map((l) => l.split(','));
  }
}

const isBlank = (r: string[]) => r.every((c) => c.trim() === '');

export type CsvLayout = {
  preset: PresetId | null;
  /** 0-based index of the heading row among the file's lines, or -1 when there is none. */
  headingLine: number;
  headings: string[];
  mapping: ColumnMapping;
  /** How many values a row should have (the heading row's count, or the first row's). */
  width: number;
};

export type CsvShape = {
  headingLine: number;
  headings: string[];
  /** A layout's identity: the same bank's files have the same one, whatever the preamble. */
  signature: string;
  sample: string[][];
  width: number;
};

/**
 * Finds the heading row and what the columns are. A preamble (Nationwide's account name and
 * balance lines, a blank line) is skipped: the heading row is the first row as wide as most rows.
 */
export function csvShape(text: string): CsvShape {
  const records = headRecords(text, 60);
  const widths = new Map<number, number>();
  for (const r of records) if (!isBlank(r)) widths.set(r.length, (widths.get(r.length) ?? 0) + 1);
  // Most rows are as wide as the statement; Lloyds' trailing comma makes its rows one wider than
  // its heading row, so the first row that is that wide, or one narrower, is where the table starts.
  let mode = 0;
  for (const [w, n] of widths) if (w >= 2 && (n > (widths.get(mode) ?? 0) || (n === widths.get(mode) && w < mode))) mode = w;
  const first = records.findIndex((r) => !isBlank(r) && r.length >= 2 && (r.length === mode || r.length === mode - 1));
  if (first === -1 || mode < 2) throw new StatementError(null, 'noColumns');
  const width = records[first]!.length;
  const row = records[first]!;
  const looksLikeData = row.some((c) => readDate(c.trim()) !== null) && row.some((c) => /\d/.test(c) && Number.isFinite(readAmount(c.trim()) ?? Number.NaN));
  const headingLine = looksLikeData ? -1 : first;
  const headings = looksLikeData ? [] : row.map((c) => c.replace(/^\uFEFF/, '').replace(/^'/, '').trim());
  const dataStart = looksLikeData ? first : first + 1;
  const sample = records.slice(dataStart).filter((r) => !isBlank(r)).slice(0, 5);
  const signature = looksLikeData ? `no headings, ${width} columns` : headings.map(normaliseHeading).filter((h) => h !== '').join('|');
  return { headingLine, headings, signature, sample, width: looksLikeData ? row.length : width };
}

/** The preset whose headings this file has, or null. HSBC (no heading row) is recognised by its shape. */
export function detectPreset(shape: CsvShape): PresetId | null {
  if (shape.headingLine >= 0) {
    const names = new Set(shape.headings.map(normaliseHeading));
    for (const id of PRESETS) {
      const spec = PRESET_SPECS[id];
      if (spec.headings && spec.headings.every((h) => names.has(h))) return id;
    }
    return null;
  }
  const fits = shape.sample.length > 0 && shape.sample.every((r) => (r.length === 3 || r.length === 4) && readDate(r[0]!.trim()) !== null && Number.isFinite(readAmount(r[2]!.trim()) ?? Number.NaN));
  return fits ? 'hsbc' : null;
}

/** Columns that could be dates and amounts: a file with neither is not a statement at all. */
export function plausibleColumns(shape: CsvShape): { dates: number[]; amounts: number[] } {
  const dates: number[] = [];
  const amounts: number[] = [];
  for (let c = 0; c < shape.width; c++) {
    const values = shape.sample.map((r) => (r[c] ?? '').trim()).filter((v) => v !== '');
    if (values.length === 0) continue;
    if (values.every((v) => readDate(v) !== null || readDate(v, 'mdy') !== null)) dates.push(c);
    else if (values.every((v) => /\d/.test(v) && Number.isFinite(readAmount(v) ?? Number.NaN))) amounts.push(c);
  }
  return { dates, amounts };
}

export function presetLayout(preset: PresetId, shape: CsvShape): CsvLayout {
  const spec = PRESET_SPECS[preset];
  if (spec.headings && shape.headingLine < 0) throw new StatementError(1, 'noHeadingRow', { bank: PRESET_NAMES[preset] });
  const names = shape.headings.map(normaliseHeading);
  const col = (name: string) => {
    const i = names.indexOf(name);
    if (i === -1) throw new StatementError(shape.headingLine + 1, 'headingMissing', { name, bank: PRESET_NAMES[preset] });
    return i;
  };
  return { preset, headingLine: spec.headings ? shape.headingLine : -1, headings: shape.headings, mapping: spec.map(col), width: spec.headings ? shape.width : 3 };
}

export function mappedLayout(mapping: ColumnMapping, shape: CsvShape): CsvLayout {
  return { preset: null, headingLine: shape.headingLine, headings: shape.headings, mapping, width: shape.width };
}

const CHUNK = 512 * 1024;

/**
 * The statement's lines, a chunk of the file at a time (so a caller can store one chunk while the
 * next is read). Each chunk is cut at a line end outside quotes and read with csv-parse. Throws
 * StatementError naming the line for the first row that is not right; nothing is skipped silently.
 */
export function* csvLines(text: string, layout: CsvLayout): Generator<StatementLine[]> {
  const { mapping } = layout;
  const needed = Math.max(mapping.date, mapping.description, mapping.counterparty ?? 0, mapping.bankId ?? 0, mapping.amount.kind === 'signed' ? mapping.amount.column : Math.max(mapping.amount.moneyIn, mapping.amount.moneyOut)) + 1;
  const minWidth = Math.max(needed, layout.preset === 'hsbc' ? 3 : layout.width);
  // Start after the heading row (or at the first line that is not blank or preamble).
  let pos = 0;
  let line = 1;
  const skipLines = layout.headingLine >= 0 ? layout.headingLine + 1 : 0;
  for (let i = 0; i < skipLines; i++) {
    const nl = text.indexOf('\n', pos);
    if (nl === -1) {
      pos = text.length;
      break;
    }
    pos = nl + 1;
    line++;
  }
  let any = false;
  while (pos < text.length) {
    let end = Math.min(pos + CHUNK, text.length);
    if (end < text.length) {
      end = text.indexOf('\n', end);
      if (end === -1) end = text.length;
      // Never cut inside a quoted value: move on until the quotes so far are balanced.
      while (end < text.length && quotesIn(text, pos, end) % 2 === 1) {
        const next = text.indexOf('\n', end + 1);
        end = next === -1 ? text.length : next;
      }
      end = Math.min(end + 1, text.length);
    }
    const piece = text.slice(pos, end);
    const linesInPiece = countLines(piece);
    let records: string[][];
    try {
      records = parse(piece, PARSE_OPTIONS) as string[][];
    } catch (err) {
      const e = err as { lines?: number; message: string };
      throw new StatementError(line + Math.max(0, (e.lines ?? 1) - 1), 'invalidCsv', { detail: e.message.replace(/^Invalid [^:]*: /, '').replace(/,? at line \d+.*$/s, '') });
    }
    const lineOf = records.length === linesInPiece ? (k: number) => line + k : lineNumbersOf(piece, line);
    const batch: StatementLine[] = [];
    for (let k = 0; k < records.length; k++) {
      const r = records[k]!;
      if (r.length === 1 && r[0] === '') continue;
      if (isBlank(r)) continue;
      const at = lineOf(k);
      if (r.length < minWidth) {
        throw new StatementError(at, layout.headingLine >= 0 ? 'rowShort' : 'rowShortNoHeading', { count: r.length, width: layout.headingLine >= 0 ? layout.width : minWidth });
      }
      batch.push(lineFrom(r, mapping, at));
    }
    if (batch.length) {
      any = true;
      yield batch;
    }
    line += linesInPiece;
    pos = end;
  }
  if (!any) throw new StatementError(null, 'noTransactions');
}

function lineFrom(r: string[], mapping: ColumnMapping, at: number): StatementLine {
  const dateText = r[mapping.date]!;
  const postedOn = readDate(dateText, mapping.dateOrder);
  if (postedOn === null) throw new StatementError(at, mapping.dateOrder === 'dmy' ? 'badDateDmy' : 'badDateMdy', { value: show(dateText) });
  let amountPence: number;
  if (mapping.amount.kind === 'signed') {
    const text = r[mapping.amount.column]!;
    const a = readAmount(text);
    if (a === null) throw new StatementError(at, 'noAmount');
    if (Number.isNaN(a)) throw new StatementError(at, 'badAmount', { value: show(text) });
    amountPence = a;
  } else {
    const outText = r[mapping.amount.moneyOut]!;
    const inText = r[mapping.amount.moneyIn]!;
    const out = readAmount(outText);
    const inn = readAmount(inText);
    if (Number.isNaN(out)) throw new StatementError(at, 'badAmountOut', { value: show(outText) });
    if (Number.isNaN(inn)) throw new StatementError(at, 'badAmountIn', { value: show(inText) });
    if (out === null && inn === null) throw new StatementError(at, 'noAmountInOut');
    amountPence = (inn ?? 0) - Math.abs(out ?? 0);
  }
  const description = clean(r[mapping.description]!);
  const counterparty = mapping.counterparty === null ? null : clean(r[mapping.counterparty] ?? '') || null;
  const bankId = mapping.bankId === null ? null : (r[mapping.bankId] ?? '').trim() || null;
  return { line: at, postedOn, amountPence, description: description || counterparty || '', counterparty, bankId };
}

const clean = (s: string) => {
  const t = s.charCodeAt(0) === 39 ? s.slice(1) : s; // NatWest's apostrophe
  return t.trim();
};
const show = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

function quotesIn(text: string, from: number, to: number): number {
  // Only [from, to): indexOf would search on to the end of the file when the chunk has no more
  // quotes (a profile of a 1,000,000-line import showed it at 6% of the time).
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 34) n++;
  return n;
}

function countLines(piece: string): number {
  let n = 0;
  for (let i = piece.indexOf('\n'); i !== -1; i = piece.indexOf('\n', i + 1)) n++;
  return piece.length > 0 && !piece.endsWith('\n') ? n + 1 : n;
}

/** When a value spans lines, where each record starts (read again with csv-parse's line counts). */
function lineNumbersOf(piece: string, first: number): (k: number) => number {
  const infos = parse(piece, { ...PARSE_OPTIONS, info: true }) as unknown as Array<{ info: { lines: number } }>;
  // info.lines is the line the record ends on; a record starts after the previous one ended.
  return (k) => first + (k === 0 ? 0 : infos[k - 1]!.info.lines);
}
