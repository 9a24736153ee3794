import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

/**
 * Holds the council's payments until the transaction ends. Everything that decides which payments
 * exist, what they are for and whether they are on a run takes it: scheduling due periods, fixing
 * a run's lines, recalculating after a schedule changes, and marking a payment sent by hand. They
 * take turns, so none of them can act on what another is about to change.
 */
export async function lockCouncilPayments(trx: Transaction<DB>, councilId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`payments:${councilId}`}, 0))`.execute(trx);
}

export class LockBusy extends Error {}

/**
 * Runs `fn` on one connection while holding a session-level advisory lock named `key`. The lock
 * outlives the transactions inside `fn` and goes the moment the process dies (the server drops its
 * connection), so "someone is working on this" is always true, never left behind by a crash.
 * With `waitMs` it waits that long for the lock; without, a busy lock throws LockBusy at once.
 */
export async function withSessionLock<T>(db: Kysely<DB>, key: string, fn: (conn: Kysely<DB>) => Promise<T>, waitMs = 0): Promise<T> {
  return db.connection().execute(async (conn) => {
    let got: boolean;
    if (waitMs > 0) {
      await sql`select set_config('lock_timeout', ${`${waitMs}ms`}, false)`.execute(conn);
      got = await sql`select pg_advisory_lock(hashtextextended(${key}, 0))`.execute(conn).then(
        () => true,
        (err: { code?: string }) => {
          if (err.code === '55P03') return false;
          throw err;
        },
      );
      await sql`select set_config('lock_timeout', '0', false)`.execute(conn);
    } else {
      const row = await sql<{ got: boolean }>`select pg_try_advisory_lock(hashtextextended(${key}, 0)) as got`.execute(conn);
      got = row.rows[0]!.got;
    }
    if (!got) throw new LockBusy(key);
    try {
      return await fn(conn);
    } finally {
      await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(conn);
    }
  });
}

/** True when some session holds the lock: the work it guards is going on now. */
export async function lockHeld(db: Kysely<DB>, key: string): Promise<boolean> {
  const row = await sql<{ held: boolean }>`
    select exists (
      select 1 from pg_locks
      where locktype = 'advisory' and granted and objsubid = 1
        and ((classid::bigint << 32) | objid::bigint) = hashtextextended(${key}, 0)
    ) as held`.execute(db);
  return row.rows[0]!.held;
}
