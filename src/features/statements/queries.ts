import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { suggestFor, type Suggestion } from '../../domain/statements/reconcile.ts';
import { openTargets } from './auto-match.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Statement lines nobody has matched or explained yet, oldest first (what the person is asked about). */
export async function unmatchedLines(db: Db, directPaymentId: string, limit = 500) {
  return db
    .selectFrom('statement_lines')
    .select(['id', 'posted_on', 'amount_pence', 'description', 'counterparty'])
    .where('direct_payment_id', '=', directPaymentId)
    .where('match_kind', 'is', null)
    .orderBy('posted_on')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function unmatchedCount(db: Db, directPaymentId: string): Promise<number> {
  const row = await db
    .selectFrom('statement_lines')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('direct_payment_id', '=', directPaymentId)
    .where('match_kind', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The latest day any imported statement covers, or null when none has been imported. */
export async function lastStatementDate(db: Db, directPaymentId: string): Promise<string | null> {
  const row = await db
    .selectFrom('statement_imports')
    .select((eb) => eb.fn.max('last_posted_on').as('last'))
    .where('direct_payment_id', '=', directPaymentId)
    .executeTakeFirst();
  return (row?.last as string | null | undefined) ?? null;
}

export async function importsFor(db: Db, directPaymentId: string) {
  return db
    .selectFrom('statement_imports')
    .leftJoin('users', 'users.id', 'statement_imports.uploaded_by')
    .select(['statement_imports.id', 'statement_imports.file_name', 'statement_imports.format', 'statement_imports.preset', 'statement_imports.lines_read', 'statement_imports.lines_added', 'statement_imports.first_posted_on', 'statement_imports.last_posted_on', 'statement_imports.created_at', 'statement_imports.via', 'users.display_name as uploaded_by_name'])
    .where('statement_imports.direct_payment_id', '=', directPaymentId)
    .orderBy('statement_imports.created_at', 'desc')
    .limit(20)
    .execute();
}

/** The statement's lines, newest first, with what each was matched to or how it was explained. */
export async function linesFor(db: Db, directPaymentId: string, opts: { onlyUnmatched?: boolean; limit?: number } = {}) {
  let q = db
    .selectFrom('statement_lines as l')
    .leftJoin('payments as p', 'p.id', 'l.payment_id')
    .leftJoin('spending_records as s', 's.id', 'l.spending_record_id')
    .leftJoin('receipts as r', 'r.spending_record_id', 'l.spending_record_id')
    .select([
      'r.id as receipt_id',
      'l.id', 'l.posted_on', 'l.amount_pence', 'l.description', 'l.counterparty', 'l.match_kind', 'l.explanation', 'l.matched_automatically', 'l.spending_record_id',
      'p.period_starts_on as payment_period_starts_on', 'p.period_ends_on as payment_period_ends_on',
      's.paid_to as spending_paid_to', 's.spent_on as spending_spent_on', 's.outcome as spending_outcome',
    ])
    .where('l.direct_payment_id', '=', directPaymentId);
  if (opts.onlyUnmatched) q = q.where('l.match_kind', 'is', null);
  return q.orderBy('l.posted_on', 'desc').orderBy('l.id').limit(opts.limit ?? 200).execute();
}

export type LineRow = Awaited<ReturnType<typeof linesFor>>[number];

/** One line with its direct payment (the caller then checks the user may see that direct payment). */
export async function lineById(db: Db, lineId: string) {
  return db
    .selectFrom('statement_lines')
    .select(['id', 'direct_payment_id', 'posted_on', 'amount_pence', 'description', 'counterparty', 'match_kind', 'explanation', 'spending_record_id', 'payment_id'])
    .where('id', '=', lineId)
    .executeTakeFirst();
}

/**
 * Suggestions for one line: spending records it might be (same amount, or a payee named alike)
 * and what the person said before about lines from the same payee (their past choices).
 */
export async function suggestionsFor(db: Db, line: NonNullable<Awaited<ReturnType<typeof lineById>>>) {
  const { spending } = await openTargets(db, line.direct_payment_id);
  const past = await db
    .selectFrom('statement_lines')
    .select(['description', 'counterparty', 'explanation'])
    .where('direct_payment_id', '=', line.direct_payment_id)
    .where('match_kind', '=', 'explained')
    .where('id', '<>', line.id)
    .orderBy('matched_at', 'desc')
    .limit(200)
    .execute();
  const suggestions: Suggestion[] = suggestFor(
    { id: line.id, postedOn: line.posted_on, amountPence: line.amount_pence, description: line.description, counterparty: line.counterparty },
    spending,
    past.map((p) => ({ name: `${p.counterparty ?? ''} ${p.description}`, explanation: p.explanation! })),
  );
  const byId = new Map(spending.map((s) => [s.id, s]));
  return suggestions.map((s) => (s.kind === 'spending' ? { ...s, spending: byId.get(s.spendingId)! } : s));
}

/** How the lines stand: counts for the overview. */
export async function lineCounts(db: Db, directPaymentId: string) {
  const row = await db
    .selectFrom('statement_lines')
    .select([
      sql<string>`count(*)`.as('total'),
      sql<string>`count(*) filter (where match_kind is null)`.as('unmatched'),
      sql<string>`count(*) filter (where match_kind = 'council_payment')`.as('payments'),
      sql<string>`count(*) filter (where match_kind = 'spending')`.as('spending'),
      sql<string>`count(*) filter (where match_kind = 'explained')`.as('explained'),
    ])
    .where('direct_payment_id', '=', directPaymentId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), unmatched: Number(row.unmatched), payments: Number(row.payments), spending: Number(row.spending), explained: Number(row.explained) };
}
