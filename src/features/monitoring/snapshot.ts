import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { londonDate } from '../../platform/services.ts';
import type { CalendarDate } from '../../domain/dates.ts';
import type { Flag, Level } from '../../domain/monitoring.ts';
import { MONITORED_STATUSES, evaluateCouncil, monitoringFor, type CouncilFlag, type WorklistEntry } from './queries.ts';

// The stored worklist (migration 1620). Working out every rule over a national caseload takes
// seconds, so the flags are kept in `monitoring_flags`, replaced per council in one transaction
// (the hourly job `monitoring.refresh-flags`, "Check again now", saving the rules), and per direct
// payment at once when something that changes its flags happens (`refreshFlagsFor`). The worklist
// page, `dp monitoring flags` and the insight dashboard read it; one direct payment's own pages
// stay live (one direct payment is cheap).
//
// Every writer takes the council's advisory lock first, so a full refresh and a single direct
// payment's refresh never interleave (the single one waits, then writes over the full one's row
// for its direct payment with what is true after its own change), and two full refreshes at once
// take turns, each replacing the council's rows whole.

type Db = Kysely<DB> | Transaction<DB>;

export type Snapshot = { evaluatedAt: Date; evaluatedFor: CalendarDate; monitored: number; flagged: number; tookMs: number };

const lockCouncil = (trx: Db, councilId: string) =>
  sql`select pg_advisory_xact_lock(hashtextextended(${`monitoring-flags:${councilId}`}, 0))`.execute(trx);

const inTransaction = <T>(db: Db, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db as Transaction<DB>) : db.transaction().execute(fn);

const CHUNK = 20_000;

/**
 * Writes flags as rows, in the caller's transaction: a few set-based statements, each one JSON
 * document of up to 20,000 flags (the evidence is JSON already, so this beat unnested column
 * arrays, whose jsonb[] literal needs every quote escaped).
 */
async function insertFlags(trx: Db, councilId: string, evaluatedAt: Date, entries: Array<{ directPaymentId: string; flags: Flag[] }>): Promise<number> {
  let rows: Array<{ d: string; r: string; p: number; l: string; s: string; e: unknown }> = [];
  let written = 0;
  const flush = async () => {
    if (!rows.length) return;
    await sql`
      insert into monitoring_flags (council_id, direct_payment_id, rule, position, level, reason, evidence, evaluated_at)
      select ${councilId}::uuid, x.d, x.r, x.p, x.l, x.s, x.e, ${evaluatedAt}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(d uuid, r text, p smallint, l text, s text, e jsonb)`.execute(trx);
    written += rows.length;
    rows = [];
  };
  for (const e of entries) {
    e.flags.forEach((f, i) => rows.push({ d: e.directPaymentId, r: f.rule, p: i, l: f.level, s: f.reason, e: f.evidence }));
    if (rows.length >= CHUNK) await flush();
  }
  await flush();
  return written;
}

/**
 * Works out every rule over the council's monitored direct payments and replaces its stored flags,
 * all in one transaction under the council's lock (so a second run at the same time waits, then
 * replaces them again: never half of one and half of the other). `ifMissing`: do nothing if
 * someone built the snapshot while this one waited for the lock.
 */
export async function refreshCouncilFlags(db: Kysely<DB>, councilId: string, opts: { today?: CalendarDate; ifMissing?: boolean } = {}): Promise<Snapshot> {
  return db.transaction().execute(async (trx) => {
    await lockCouncil(trx, councilId);
    if (opts.ifMissing) {
      const existing = await snapshotOf(trx, councilId);
      if (existing) return existing;
    }
    const started = performance.now();
    const today = opts.today ?? londonDate(new Date());
    const evaluatedAt = new Date();
    const { monitored, entries } = await evaluateCouncil(trx, councilId, today);
    await trx.deleteFrom('monitoring_flags').where('council_id', '=', councilId).execute();
    await insertFlags(trx, councilId, evaluatedAt, entries);
    const snapshot = { evaluated_at: evaluatedAt, evaluated_for: today, monitored, flagged: entries.length, took_ms: Math.round(performance.now() - started) };
    await trx
      .insertInto('monitoring_snapshots')
      .values({ council_id: councilId, ...snapshot })
      .onConflict((oc) => oc.column('council_id').doUpdateSet(snapshot))
      .execute();
    return { evaluatedAt, evaluatedFor: today, monitored, flagged: entries.length, tookMs: snapshot.took_ms };
  });
}

/**
 * Works out one direct payment's flags now and stores them in place of the old ones. Call it, in
 * the same transaction, after anything that changes its flags (a concern or a commitment recorded,
 * a statement imported, spending recorded, a surplus recovered). A direct payment that is no
 * longer monitored (ended, say) loses its flags. Returns the flags stored.
 */
export async function refreshFlagsFor(db: Db, directPaymentId: string, opts: { today?: CalendarDate } = {}): Promise<Flag[]> {
  return inTransaction(db, async (trx) => {
    const dp = await trx.selectFrom('direct_payments').select('council_id').where('id', '=', directPaymentId).executeTakeFirst();
    if (!dp) return [];
    await lockCouncil(trx, dp.council_id);
    const today = opts.today ?? londonDate(new Date());
    const flags = (await monitoringFor(trx, directPaymentId, { today }))?.flags ?? [];
    await trx.deleteFrom('monitoring_flags').where('direct_payment_id', '=', directPaymentId).execute();
    await insertFlags(trx, dp.council_id, new Date(), [{ directPaymentId, flags }]);
    return flags;
  });
}

/** When the council's flags were last worked out in full, or null if never. */
export async function snapshotOf(db: Db, councilId: string): Promise<Snapshot | null> {
  const row = await db.selectFrom('monitoring_snapshots').selectAll().where('council_id', '=', councilId).executeTakeFirst();
  return row ? { evaluatedAt: new Date(row.evaluated_at), evaluatedFor: String(row.evaluated_for).slice(0, 10), monitored: row.monitored, flagged: row.flagged, tookMs: row.took_ms } : null;
}

/** The snapshot, built now (in this request) if the council's flags have never been worked out. */
export async function ensureSnapshot(db: Kysely<DB>, councilId: string, opts: { today?: CalendarDate } = {}): Promise<Snapshot> {
  return (await snapshotOf(db, councilId)) ?? refreshCouncilFlags(db, councilId, { ...opts, ifMissing: true });
}

type StoredRow = { direct_payment_id: string; reference: string; person_id: string; person_name: string; high: boolean; flags: Array<Flag> };

/**
 * The stored worklist: flagged direct payments still monitored, most serious first, then by name
 * (the live worklist's order), a page at a time. Names come from the records as they are now.
 */
export async function storedWorklist(
  db: Db,
  councilId: string,
  opts: { limit?: number; offset?: number } = {},
): Promise<{ flagged: number; high: number; entries: WorklistEntry[] }> {
  // One pass: the flagged direct payments still monitored, counted (window) and put in order, then
  // only the page's flags read back.
  const query = (limit: number | undefined, offset: number) => sql<StoredRow & { flagged: string; high_count: string }>`
    with per_dp as (
      select f.direct_payment_id, bool_or(f.level = 'high') as high
      from monitoring_flags f where f.council_id = ${councilId}
      group by f.direct_payment_id
    ),
    listed as (
      select x.direct_payment_id, x.high, d.reference, d.person_id, p.given_name || ' ' || p.family_name as person_name,
        count(*) over () as flagged, count(*) filter (where x.high) over () as high_count
      from per_dp x
        join direct_payments d on d.id = x.direct_payment_id and d.status = any(${[...MONITORED_STATUSES]}::text[])
        join people p on p.id = d.person_id
      order by x.high desc, person_name, d.reference
      ${limit === undefined ? sql`` : sql`limit ${limit} offset ${offset}`}
    )
    select l.*, (
      select json_agg(json_build_object('rule', f.rule, 'level', f.level, 'reason', f.reason, 'evidence', f.evidence) order by f.position)
      from monitoring_flags f where f.direct_payment_id = l.direct_payment_id
    ) as flags
    from listed l
    order by l.high desc, l.person_name, l.reference`.execute(db);
  const rows = (await query(opts.limit, opts.offset ?? 0)).rows;
  let counts = rows[0];
  // Past the end: the counts come from the first row of the list instead.
  if (!counts && (opts.offset ?? 0) > 0) counts = (await query(1, 0)).rows[0];
  return {
    flagged: Number(counts?.flagged ?? 0),
    high: Number(counts?.high_count ?? 0),
    entries: rows.map((r) => ({
      directPaymentId: r.direct_payment_id, reference: r.reference, personId: r.person_id, personName: r.person_name,
      level: (r.high ? 'high' : 'medium') as Level, flags: r.flags,
    })),
  };
}

/**
 * For dashboards (features/insight): every stored flag on the council's monitored direct payments,
 * flat, the same shape as `currentFlags` but read from the snapshot (built first if it never was).
 */
export async function storedFlags(db: Kysely<DB>, councilId: string, opts: { today?: CalendarDate } = {}): Promise<CouncilFlag[]> {
  await ensureSnapshot(db, councilId, opts);
  const { entries } = await storedWorklist(db, councilId);
  return entries.flatMap((e) => e.flags.map((f) => ({ ...f, directPaymentId: e.directPaymentId, reference: e.reference, personId: e.personId, personName: e.personName })));
}

/** "10:05am on 23 November 2026", London time: when a snapshot was made. */
export function asAtText(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: '2-digit', hour12: true, day: 'numeric', month: 'long', year: 'numeric' }).formatToParts(at);
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${part('hour')}:${part('minute')}${part('dayPeriod').toLowerCase().replace(/\s/g, '')} on ${part('day')} ${part('month')} ${part('year')}`;
}
