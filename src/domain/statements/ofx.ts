import { XMLValidator } from 'fast-xml-parser';
import { readAmount, readDate } from './values.ts';
import { StatementError, type StatementLine } from './types.ts';

// OFX: 1.x is SGML (a header of KEY:VALUE lines, then tags that need not be closed: `<TRNAMT>-12.30`);
// 2.x is XML. Both are read by one tag scanner that keeps line numbers; 2.x is first checked as
// well-formed XML by fast-xml-parser, which names the line of a broken or cut-off file.

const TAG = /<(\/?)([A-Za-z0-9._]+)[^>]*>([^<]*)/g;

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&nbsp;': ' ' };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (m) => ENTITIES[m]!).replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)));

export function isOfx(text: string): boolean {
  const head = text.slice(0, 2048);
  return /^\s*OFXHEADER\s*:/.test(head) || /<\?OFX\b/i.test(head) || /<OFX>/i.test(head);
}

export function readOfx(text: string): { lines: StatementLine[]; version: 1 | 2 } {
  const xml = /^\s*(<\?xml|<\?OFX)/i.test(text) && !/^\s*OFXHEADER\s*:/.test(text);
  if (xml) {
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw new StatementError(valid.err.line, 'ofxBroken', { detail: valid.err.msg.replace(/\.$/, '') });
  } else if (!/^\s*OFXHEADER\s*:/.test(text)) {
    throw new StatementError(1, 'ofxHeader');
  }
  const start = text.search(/<OFX>/i);
  if (start === -1) throw new StatementError(null, 'ofxNoSection');
  if (!/<\/OFX>\s*$/i.test(text)) {
    throw new StatementError(lineAt(text, text.length), 'ofxTruncated');
  }
  const lines: StatementLine[] = [];
  let current: Record<string, string> | null = null;
  let currentLine = 0;
  let inPayee = false;
  let line = 1;
  let counted = 0;
  TAG.lastIndex = start;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
    // Keep the line number up to date without rescanning from the start.
    for (let i = text.indexOf('\n', counted); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    counted = m.index;
    const closing = m[1] === '/';
    const name = m[2]!.toUpperCase();
    const value = unescape(m[3]!.trim());
    if (name === 'STMTTRN') {
      if (!closing) {
        if (current) throw new StatementError(currentLine, 'ofxNotClosedBeforeNext');
        current = {};
        currentLine = line;
      } else {
        if (!current) throw new StatementError(line, 'ofxCloseWithoutOpen');
        lines.push(lineFrom(current, currentLine));
        current = null;
      }
      continue;
    }
    if (name === 'PAYEE') {
      inPayee = !closing;
      continue;
    }
    if (current && !closing && value !== '') {
      const key = inPayee && name === 'NAME' ? 'PAYEE.NAME' : name;
      current[key] = value;
    }
  }
  if (current) throw new StatementError(currentLine, 'ofxNeverClosed');
  if (lines.length === 0) throw new StatementError(null, 'noTransactions');
  return { lines, version: xml ? 2 : 1 };
}

function lineFrom(t: Record<string, string>, at: number): StatementLine {
  const dt = t.DTPOSTED ?? t.DTUSER;
  if (!dt) throw new StatementError(at, 'ofxNoDate');
  const postedOn = readDate(dt);
  if (!postedOn) throw new StatementError(at, 'badDate', { value: dt });
  const amountText = t.TRNAMT;
  if (amountText === undefined) throw new StatementError(at, 'ofxNoAmount');
  const amountPence = readAmount(/^-?\d+,\d{1,2}$/.test(amountText) ? amountText.replace(',', '.') : amountText);
  if (amountPence === null || Number.isNaN(amountPence)) throw new StatementError(at, 'badAmount', { value: amountText });
  const name = t.NAME ?? t['PAYEE.NAME'] ?? null;
  const memo = t.MEMO ?? null;
  const description = [name, memo && memo !== name ? memo : null].filter(Boolean).join(' ') || t.TRNTYPE || '';
  return { line: at, postedOn, amountPence, description, counterparty: name, bankId: t.FITID ?? null };
}

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}
