import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { fingerprinter, type PresetId, type StatementFormat, type StatementLine } from '../../domain/statements/index.ts';
import { autoMatch } from './auto-match.ts';

export type ImportInput = {
  directPaymentId: string;
  personId: string;
  user: Pick<CurrentUser, 'id' | 'username' | 'role'> | null;
  via: 'web' | 'cli';
  fileName: string;
  format: StatementFormat;
  preset: PresetId | null;
  batches: Iterable<StatementLine[]>;
  ip?: string;
  /** Told how many lines have been read so far, between batches (for a progress page). */
  onProgress?: (linesRead: number) => void;
};

export type ImportResult = { importId: string; linesRead: number; linesAdded: number; alreadyPresent: number; matched: number };

const BATCH = 5000;

/**
 * Stores a statement's lines, all or none, in one transaction. A line already stored for this
 * direct payment (same fingerprint: the bank's id, or date + amount + description + occurrence) is
 * left alone, so the same file twice or two overlapping statements never duplicate a line. Reading
 * and storing overlap: while PostgreSQL inserts one batch, the next is read from the file. If the
 * file turns out to be broken part way (StatementError from the reader), the transaction rolls
 * back and nothing is kept. Then the new lines are matched to council payments and spending.
 */
export async function importStatement(db: Kysely<DB>, input: ImportInput): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    // One import at a time per direct payment, so two uploads of the same file count "added" once.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`statements:${input.directPaymentId}`}, 0))`.execute(trx);
    const imp = await trx
      .insertInto('statement_imports')
      .values({ direct_payment_id: input.directPaymentId, uploaded_by: input.user?.id ?? null, via: input.via, format: input.format, preset: input.preset, file_name: input.fileName.slice(0, 200) || 'statement' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const fingerprint = fingerprinter();
    let linesRead = 0;
    let linesAdded = 0;
    let first: string | null = null;
    let last: string | null = null;
    let pending: Promise<number> | null = null;
    const send = (rows: StatementLine[]): Promise<number> => {
      const json = JSON.stringify(rows.map((l) => ({ p: l.postedOn, a: l.amountPence, d: l.description.slice(0, 1000), c: l.counterparty?.slice(0, 500) ?? null, b: l.bankId?.slice(0, 200) ?? null, f: fingerprint(l) })));
      return sql`
        insert into statement_lines (direct_payment_id, import_id, posted_on, amount_pence, description, counterparty, bank_id, fingerprint)
        select ${input.directPaymentId}::uuid, ${imp.id}::uuid, x.p, x.a, x.d, x.c, x.b, x.f
        from json_to_recordset(${json}::json) as x(p date, a bigint, d text, c text, b text, f text)
        on conflict (direct_payment_id, fingerprint) do nothing`
        .execute(trx)
        .then((r) => Number(r.numAffectedRows ?? 0));
    };
    let buffer: StatementLine[] = [];
    const flush = async () => {
      if (buffer.length === 0) return;
      const rows = buffer;
      buffer = [];
      if (pending) linesAdded += await pending;
      pending = send(rows);
      // Let the query reach the database before reading on, so the two run side by side.
      await new Promise((resolve) => setImmediate(resolve));
      input.onProgress?.(linesRead);
    };
    for (const batch of input.batches) {
      for (const l of batch) {
        buffer.push(l);
        linesRead++;
        if (first === null || l.postedOn < first) first = l.postedOn;
        if (last === null || l.postedOn > last) last = l.postedOn;
        if (buffer.length >= BATCH) await flush();
      }
    }
    await flush();
    if (pending) linesAdded += await pending;
    await trx
      .updateTable('statement_imports')
      .set({ lines_read: linesRead, lines_added: linesAdded, first_posted_on: first, last_posted_on: last })
      .where('id', '=', imp.id)
      .execute();
    const matched = linesAdded > 0 ? await autoMatch(trx, input.directPaymentId) : 0;
    await audit(trx, input.user, {
      action: 'create',
      entityType: 'statement-import',
      entityId: imp.id,
      personId: input.personId,
      details: { directPaymentId: input.directPaymentId, fileName: input.fileName.slice(0, 200), format: input.format, preset: input.preset, linesRead, linesAdded, matched, via: input.via },
    }, input.ip);
    return { importId: imp.id, linesRead, linesAdded, alreadyPresent: linesRead - linesAdded, matched };
  });
}

export type Db = Kysely<DB> | Transaction<DB>;
