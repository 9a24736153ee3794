import fs from 'node:fs';
import { once } from 'node:events';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

const COLUMNS = [
  'posting_id', 'transaction_id', 'recorded_at', 'effective_on', 'council', 'kind', 'description', 'idempotency_key', 'reverses',
  'account_code', 'account_name', 'account_kind', 'direct_payment', 'amount_pence', 'debit', 'credit',
];

/** One CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const pounds = (pence: number) => `${Math.floor(Math.abs(pence) / 100)}.${String(Math.abs(pence) % 100).padStart(2, '0')}`;

/**
 * Writes every posting, oldest first, one row each with its transaction and account, to a CSV
 * file: for the council's finance system, an auditor, or a spreadsheet. Read a page at a time, so
 * a ledger of millions of postings never sits in memory. Returns how many rows were written.
 */
export async function exportLedger(db: Kysely<DB>, file: string, pageSize = 10_000): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\r\n`)) await once(out, 'drain');
  };
  let rows = 0;
  try {
    await write(COLUMNS.join(','));
    for (let after = 0; ; ) {
      const page = await sql<Record<string, unknown> & { posting_id: number; amount_pence: number }>`
        select p.id as posting_id, t.id as transaction_id, t.created_at as recorded_at, t.effective_on, c.code as council, t.kind, t.description,
               t.idempotency_key, t.reverses_id as reverses, a.code as account_code, a.name as account_name, a.kind as account_kind,
               dp.reference as direct_payment, p.amount_pence
        from ledger_postings p
          join ledger_transactions t on t.id = p.transaction_id
          join ledger_accounts a on a.id = p.account_id
          join councils c on c.id = t.council_id
          left join direct_payments dp on dp.id = t.direct_payment_id
        where p.id > ${after}
        order by p.id
        limit ${pageSize}`.execute(db);
      for (const r of page.rows) {
        const cells = [...COLUMNS.slice(0, 14).map((c) => r[c]), r.amount_pence > 0 ? pounds(r.amount_pence) : '', r.amount_pence < 0 ? pounds(r.amount_pence) : ''];
        await write(cells.map(csvField).join(','));
      }
      rows += page.rows.length;
      if (page.rows.length < pageSize) break;
      after = page.rows.at(-1)!.posting_id;
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return rows;
}
