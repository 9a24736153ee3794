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
    // A line is stored once per direct payment (unique (direct_payment_id, fingerprint)). Imports of
    // one direct payment take turns (the lock above) and nothing else writes statement lines, so
    // which lines are new is known before inserting: within the file every fingerprint is unique
    // except a bank id given twice (kept once, as before), and lines stored before this import are
    // looked up per batch, only when the direct payment has any. So the insert is a plain one,
    // without ON CONFLICT's speculative insertion (the unique index still refuses a duplicate).
    const hadLines = (await sql<{ any: boolean }>`select exists (select 1 from statement_lines where direct_payment_id = ${input.directPaymentId}) as any`.execute(trx)).rows[0]!.any;
    const bankIds = new Set<string>();
    let linesRead = 0;
    let linesAdded = 0;
    let first: string | null = null;
    let last: string | null = null;
    let pending: Promise<number> | null = null;
    const send = async (rows: StatementLine[]): Promise<number> => {
      const cols = { p: [] as string[], a: [] as number[], d: [] as string[], c: [] as Array<string | null>, b: [] as Array<string | null>, f: [] as string[] };
      for (const l of rows) {
        const f = fingerprint(l);
        if (l.bankId) {
          if (bankIds.has(f)) continue;
          bankIds.add(f);
        }
        cols.p.push(l.postedOn);
        cols.a.push(l.amountPence);
        cols.d.push(l.description.length > 1000 ? l.description.slice(0, 1000) : l.description);
        cols.c.push(l.counterparty?.slice(0, 500) ?? null);
        cols.b.push(l.bankId?.slice(0, 200) ?? null);
        cols.f.push(f);
      }
      let keep: ((i: number) => boolean) | null = null;
      if (hadLines && cols.f.length) {
        const found = await sql<{ fingerprint: string }>`
          select fingerprint from statement_lines where direct_payment_id = ${input.directPaymentId} and fingerprint = any(${cols.f}::text[])`.execute(trx);
        if (found.rows.length) {
          const present = new Set(found.rows.map((r) => r.fingerprint));
          keep = (i) => !present.has(cols.f[i]!);
        }
      }
      if (keep) for (const k of Object.keys(cols) as Array<keyof typeof cols>) (cols[k] as unknown[]) = (cols[k] as unknown[]).filter((_, i) => keep!(i));
      if (!cols.f.length) return 0;
      // Column arrays, unnested: measured faster than one JSON document read by json_to_recordset.
      const r = await sql`
        insert into statement_lines (direct_payment_id, import_id, posted_on, amount_pence, description, counterparty, bank_id, fingerprint)
        select ${input.directPaymentId}::uuid, ${imp.id}::uuid, x.p, x.a, x.d, x.c, x.b, x.f
        from unnest(${cols.p}::date[], ${cols.a}::bigint[], ${cols.d}::text[], ${cols.c}::text[], ${cols.b}::text[], ${cols.f}::text[]) as x(p, a, d, c, b, f)`
        .execute(trx);
      return Number(r.numAffectedRows ?? 0);
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
    try {
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
    } catch (err) {
      // A file broken part way: let the batch in flight finish inside this transaction before it
      // rolls back (a query sent after the rollback would run outside it), then refuse the file.
      await (pending as Promise<number> | null)?.catch(() => 0);
      throw err;
    }
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
