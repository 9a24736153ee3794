// Run by src/platform/db/pool.integration.test.ts in a process of its own (Node reports each
// deprecation once per process): drives the app's pool the ways the app does and prints what it
// saw as JSON.
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import { sql } from 'kysely';
import { createDatabase, createPool } from '../../src/platform/db/database.ts';

const warnings: string[] = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));

const pool = createPool(process.argv[2]!, { max: 4 });
const db = createDatabase(pool);
// pool.query on new connections, several at once (connect-pg-simple's path): each must already act as dp_app.
const roles = (await Promise.all([1, 2, 3, 4].map(() => pool.query<{ role: string }>('select current_user as role')))).map((r) => r.rows[0]!.role);
// The session store, on the same pool.
const PgStore = connectPgSimple(session);
const store = new PgStore({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: false });
const cookie = { originalMaxAge: 60_000, expires: new Date(Date.now() + 60_000) } as session.Cookie;
await new Promise<void>((resolve, reject) => store.set('probe', { cookie } as session.SessionData, (err) => (err ? reject(err) : resolve())));
const saved = await new Promise<unknown>((resolve, reject) => store.get('probe', (err, s) => (err ? reject(err) : resolve(s))));
// Kysely, outside and inside a transaction.
const kysely = (await sql<{ role: string }>`select current_user as role`.execute(db)).rows[0]!.role;
const inTransaction = await db.transaction().execute(async (trx) => (await sql<{ role: string }>`select current_user as role`.execute(trx)).rows[0]!.role);
await db.destroy();
await new Promise((resolve) => setImmediate(resolve));
console.log(JSON.stringify({ roles, sessionSaved: saved !== null && saved !== undefined, kysely, inTransaction, warnings }));
