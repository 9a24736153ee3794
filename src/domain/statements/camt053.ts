import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readAmount, readDate } from './values.ts';
import { StatementError, type StatementLine } from './types.ts';

// ISO 20022 camt.053 (bank-to-customer statement): Document/BkToCstmrStmt/Stmt/Ntry, each entry
// with Amt (and its currency), CdtDbtInd (CRDT money in, DBIT money out), BookgDt, AcctSvcrRef (the
// bank's id) and, in NtryDtls/TxDtls, the other party and the remittance text.

export function isCamt053(text: string): boolean {
  const head = text.slice(0, 4096);
  return /camt\.053/i.test(head) || /<(\w+:)?BkToCstmrStmt\b/.test(head);
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['Stmt', 'Ntry', 'TxDtls', 'Ustrd', 'NtryDtls'].includes(name),
});

type Node = Record<string, unknown>;
const at = (n: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Node)[k] : undefined), n);
const str = (v: unknown): string | null => {
  if (typeof v === 'string') return v.trim() || null;
  if (v && typeof v === 'object' && '#text' in v) return String((v as Node)['#text']).trim() || null;
  return null;
};
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export function readCamt053(text: string): StatementLine[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new StatementError(valid.err.line, 'xmlBroken', { detail: valid.err.msg.replace(/\.$/, '') });
  const doc = parser.parse(text) as Node;
  const statements = at(doc, 'Document', 'BkToCstmrStmt', 'Stmt');
  if (!Array.isArray(statements)) throw new StatementError(null, 'camtNotStatement');
  // Where each <Ntry> starts, so a problem can name its line.
  const entryLines: number[] = [];
  let line = 1;
  let counted = 0;
  const re = /<(\w+:)?Ntry>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    counted = m.index;
    entryLines.push(line);
  }
  const lines: StatementLine[] = [];
  let k = 0;
  for (const stmt of statements) {
    for (const entry of (at(stmt, 'Ntry') as Node[] | undefined) ?? []) {
      const lineNo = entryLines[k++] ?? null;
      const amt = at(entry, 'Amt');
      const amountText = str(amt);
      const currency = amt && typeof amt === 'object' ? String((amt as Node)['@Ccy'] ?? 'GBP') : 'GBP';
      if (currency !== 'GBP') throw new StatementError(lineNo, 'camtCurrency', { currency });
      const pence = amountText === null ? null : readAmount(amountText);
      if (pence === null || Number.isNaN(pence)) throw new StatementError(lineNo, 'badAmount', { value: amountText ?? '' });
      const ind = str(at(entry, 'CdtDbtInd'));
      if (ind !== 'CRDT' && ind !== 'DBIT') throw new StatementError(lineNo, 'camtNoIndicator');
      // A reversal (RvslInd true) undoes an entry: it moves money the other way.
      const reversal = str(at(entry, 'RvslInd')) === 'true';
      const sign = (ind === 'CRDT') !== reversal ? 1 : -1;
      const dateText = str(at(entry, 'BookgDt', 'Dt')) ?? str(at(entry, 'BookgDt', 'DtTm')) ?? str(at(entry, 'ValDt', 'Dt'));
      if (!dateText) throw new StatementError(lineNo, 'camtNoDate');
      const postedOn = readDate(dateText.slice(0, 10));
      if (!postedOn) throw new StatementError(lineNo, 'badDate', { value: dateText });
      const tx = first(at(first(at(entry, 'NtryDtls')), 'TxDtls'));
      const party = sign > 0 ? (str(at(tx, 'RltdPties', 'Dbtr', 'Nm')) ?? str(at(tx, 'RltdPties', 'Dbtr', 'Pty', 'Nm'))) : (str(at(tx, 'RltdPties', 'Cdtr', 'Nm')) ?? str(at(tx, 'RltdPties', 'Cdtr', 'Pty', 'Nm')));
      const ustrd = at(tx, 'RmtInf', 'Ustrd');
      const remittance = Array.isArray(ustrd) ? ustrd.map(str).filter(Boolean).join(' ') : null;
      const info = str(at(entry, 'AddtlNtryInf'));
      const description = [party, remittance || info].filter(Boolean).join(' ') || info || '';
      const bankId = str(at(entry, 'AcctSvcrRef')) ?? str(at(entry, 'NtryRef')) ?? str(at(tx, 'Refs', 'AcctSvcrRef')) ?? null;
      lines.push({ line: lineNo ?? 0, postedOn, amountPence: sign * Math.abs(pence), description, counterparty: party, bankId });
    }
  }
  if (lines.length === 0) throw new StatementError(null, 'noTransactions');
  return lines;
}
