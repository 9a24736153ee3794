import { decodeStatement } from './decode.ts';
import { csvLines, csvShape, detectPreset, mappedLayout, plausibleColumns, presetLayout, type ColumnMapping, type CsvShape, type PresetId } from './csv.ts';
import { isOfx, readOfx } from './ofx.ts';
import { isQif, qifDateOrder, readQif } from './qif.ts';
import { isCamt053, readCamt053 } from './camt053.ts';
import { StatementError, type DateOrder, type StatementFormat, type StatementLine } from './types.ts';

export { StatementError, FORMATS, type StatementLine, type StatementFormat, type DateOrder } from './types.ts';
export { PRESETS, PRESET_NAMES, type PresetId, type ColumnMapping, type CsvShape } from './csv.ts';
export { fingerprinter } from './fingerprint.ts';

export type ReadOptions = {
  format?: 'auto' | StatementFormat;
  preset?: PresetId;
  /** Column mappings saved before, by layout signature: an unknown CSV with one of these is read with it. */
  mappings?: Record<string, ColumnMapping>;
  /** For a CSV whose layout is not a preset: the mapping to use now. */
  mapping?: ColumnMapping;
  /** QIF only: day-first (UK) or month-first (US). */
  dateOrder?: DateOrder;
};

export type ReadResult =
  | { kind: 'lines'; format: StatementFormat; preset: PresetId | null; encoding: string; signature: string | null; batches: Iterable<StatementLine[]> }
  | { kind: 'needs-mapping'; shape: CsvShape; dateColumns: number[]; amountColumns: number[] }
  | { kind: 'needs-date-order' };

const FORMAT_NAMES: Record<StatementFormat, string> = { csv: 'CSV', ofx: 'OFX', qif: 'QIF', camt053: 'camt.053' };

/** What a file is, from its first bytes: never from its name. */
export function detectFormat(text: string): StatementFormat {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  if (/^\s*%PDF-/.test(head)) throw new StatementError(null, 'pdf');
  if (/^\s*(<!DOCTYPE html|<html)/i.test(head)) throw new StatementError(null, 'webPage');
  if (/^\s*\{/.test(head) || /^\s*\[\s*[{\["]/.test(head)) throw new StatementError(null, 'json');
  if (isOfx(head)) return 'ofx';
  if (isQif(head)) return 'qif';
  if (isCamt053(head)) return 'camt053';
  if (/^\s*</.test(head)) throw new StatementError(null, 'otherXml');
  return 'csv';
}

/**
 * Reads a statement file (bytes, as uploaded) into lines. A CSV is read lazily, a chunk at a
 * time, so iterating `batches` may still throw StatementError; every other format is read whole
 * first. Nothing here touches the database: the caller stores the lines, all or none.
 */
export function readStatement(bytes: Uint8Array, opts: ReadOptions = {}): ReadResult {
  if (bytes.length === 0) throw new StatementError(null, 'empty');
  const { text: raw, encoding } = decodeStatement(bytes);
  // Old Mac files end lines with a bare CR.
  const text = raw.includes('\n') ? raw.replace(/^\uFEFF/, '') : raw.replace(/^\uFEFF/, '').replace(/\r/g, '\n');
  const found = detectFormat(text);
  const wanted = opts.format && opts.format !== 'auto' ? opts.format : found;
  if (wanted !== found) throw new StatementError(null, 'notFormat', { wanted: FORMAT_NAMES[wanted], found: FORMAT_NAMES[found] });
  if (found === 'ofx') return { kind: 'lines', format: 'ofx', preset: null, encoding, signature: null, batches: [readOfx(text).lines] };
  if (found === 'camt053') return { kind: 'lines', format: 'camt053', preset: null, encoding, signature: null, batches: [readCamt053(text)] };
  if (found === 'qif') {
    let order = opts.dateOrder;
    if (!order) {
      const settled = qifDateOrder(text);
      if (settled === 'ambiguous') return { kind: 'needs-date-order' };
      order = settled;
    }
    return { kind: 'lines', format: 'qif', preset: null, encoding, signature: null, batches: [readQif(text, order)] };
  }
  const shape = csvShape(text);
  const preset = opts.preset ?? (opts.mapping ? null : detectPreset(shape));
  const saved = opts.mapping ?? (preset ? undefined : opts.mappings?.[shape.signature]);
  if (!preset && !saved) {
    const cols = plausibleColumns(shape);
    if (cols.dates.length === 0 || cols.amounts.length === 0) {
      throw new StatementError(null, cols.dates.length === 0 ? 'noDateColumn' : 'noAmountColumn');
    }
    return { kind: 'needs-mapping', shape, dateColumns: cols.dates, amountColumns: cols.amounts };
  }
  const layout = preset ? presetLayout(preset, shape) : mappedLayout(saved!, shape);
  return { kind: 'lines', format: 'csv', preset, encoding, signature: shape.signature, batches: csvLines(text, layout) };
}

/** The whole statement at once (tests, small files): every line, or a StatementError. */
export function parseStatement(bytes: Uint8Array, opts: ReadOptions = {}) {
  const read = readStatement(bytes, opts);
  if (read.kind !== 'lines') return read;
  const lines: StatementLine[] = [];
  for (const batch of read.batches) for (const l of batch) lines.push(l);
  return { ...read, lines };
}
