import { Kysely, PostgresDialect, sql } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import type { DB } from './schema.ts';
import { migrations } from './migrations/index.ts';

export type Database = Kysely<DB>;
export type { DB };

// Postgres returns bigint (int8) as a string; our money columns are bigints that always fit a
// JavaScript number (under 2^53 pence is £90 trillion), so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// Calendar dates stay calendar dates: 'YYYY-MM-DD' strings, never shifted by a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export function createPool(url: string, opts: { max?: number; appRole?: boolean } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    // Least privilege: once migrations have created dp_app, every connection acts as it, and so
    // cannot change audit rows or ledger postings. pg-pool awaits onConnect before it hands a new
    // connection to anyone; a failure ends that connection and fails the checkout, so no query
    // ever runs as the owner by mistake. (Not the pool's 'connect' event: a query started there
    // is still queued when pool.query, e.g. connect-pg-simple's, sends its own on the same
    // client, which pg 8.19+ reports as "Calling client.query() when the client is already
    // executing a query" and pg 9 will refuse; brianc/node-postgres#3617, #3620.)
    onConnect: opts.appRole === false ? undefined : setAppRole,
  });
  // An idle connection ended by the server (a restart, a failover, shutdown) must not crash the
  // process: the pool drops it and opens a new one for the next query, whose own errors surface.
  pool.on('error', () => {});
  return pool;
}

async function setAppRole(client: pg.ClientBase): Promise<void> {
  await client.query(
    `do $$ begin if exists (select 1 from pg_roles where rolname = 'dp_app') and pg_has_role('dp_app', 'member') then set role dp_app; end if; end $$`,
  );
}

export function createDatabase(pool: pg.Pool): Database {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every migration not yet applied, as the connecting (owner) user. */
export async function migrateToLatest(url: string): Promise<string[]> {
  const pool = createPool(url, { max: 1, appRole: false });
  const db = createDatabase(pool);
  try {
    const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}

export async function databaseAnswers(db: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
