import { dateReadings, readAmount, readDate } from './values.ts';
import { StatementError, type DateOrder, type StatementLine } from './types.ts';

// QIF: `!Type:Bank`, then one field a line (D date, T amount, P payee, M memo, N number, L category)
// and `^` after each transaction. Its dates carry no order: 03/04/26 is 3 April in the UK and
// March 4th in the US, so unless the file settles it the person is asked.

export function isQif(text: string): boolean {
  return /^\s*!(Type|Option|Account|Clear)\b/i.test(text);
}

type Record_ = { at: number; fields: Map<string, string> };

function records(text: string): Record_[] {
  const out: Record_[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  let current: Record_ | null = null;
  let type = '';
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const l = raw.trim();
    if (l === '') continue;
    if (l.startsWith('!')) {
      if (current) throw new StatementError(current.at, 'qifNoCaret');
      if (/^!Type:/i.test(l)) type = l.slice(6).trim().toLowerCase();
      continue;
    }
    if (!type) throw new StatementError(i + 1, 'qifNoType');
    if (!['bank', 'cash', 'ccard', 'oth a', 'oth l'].includes(type)) throw new StatementError(i + 1, 'qifNotBank', { type });
    if (l === '^') {
      if (!current) throw new StatementError(i + 1, 'qifEmptyCaret');
      out.push(current);
      current = null;
      continue;
    }
    current ??= { at: i + 1, fields: new Map() };
    const code = l[0]!.toUpperCase();
    // Split transactions (S, E, $) belong to the one above; its total is already on the T line.
    if (!current.fields.has(code)) current.fields.set(code, l.slice(1).trim());
  }
  if (current) throw new StatementError(current.at, 'qifCutOff');
  return out;
}

/** 'dmy' or 'mdy' when the file's dates settle it, 'ambiguous' when every date reads both ways. */
export function qifDateOrder(text: string): DateOrder | 'ambiguous' {
  let dmy = false;
  let mdy = false;
  for (const r of records(text)) {
    const d = r.fields.get('D');
    if (!d) continue;
    const can = dateReadings(d);
    if (can.dmy && !can.mdy) dmy = true;
    if (can.mdy && !can.dmy) mdy = true;
  }
  if (dmy && !mdy) return 'dmy';
  if (mdy && !dmy) return 'mdy';
  return 'ambiguous';
}

export function readQif(text: string, order: DateOrder): StatementLine[] {
  const lines = records(text).map((r): StatementLine => {
    const d = r.fields.get('D');
    if (!d) throw new StatementError(r.at, 'qifNoDate');
    const postedOn = readDate(d, order);
    if (!postedOn) throw new StatementError(r.at, order === 'dmy' ? 'qifBadDateDmy' : 'qifBadDateMdy', { value: d });
    const t = r.fields.get('T') ?? r.fields.get('U');
    if (t === undefined) throw new StatementError(r.at, 'qifNoAmount');
    const amountPence = readAmount(t);
    if (amountPence === null || Number.isNaN(amountPence)) throw new StatementError(r.at, 'badAmount', { value: t });
    const payee = r.fields.get('P') || null;
    const memo = r.fields.get('M') || null;
    return { line: r.at, postedOn, amountPence, description: [payee, memo].filter(Boolean).join(' ') || r.fields.get('L') || '', counterparty: payee, bankId: null };
  });
  if (lines.length === 0) throw new StatementError(null, 'noTransactions');
  return lines;
}
