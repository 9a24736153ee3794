import { afterAll, expect } from 'vitest';

/**
 * A setup file for the database and browser tests: fails a test file in which node-postgres warns
 * that a query was sent on a client already running one ("Calling client.query() when the client
 * is already executing a query…", pg 8.19+; pg 9 will refuse such a query). It came from setting
 * the app's role in the pool's 'connect' event (now pg-pool's onConnect hook, in
 * src/platform/db/database.ts); it would come back with a query sent on a raw pg client before
 * the last one finished (Kysely queues a transaction's queries itself). Node prints each
 * deprecation once per process, so src/platform/db/pool.integration.test.ts also checks the main
 * paths in a process of their own.
 */
const seen: string[] = [];
const onWarning = (warning: Error) => {
  if (warning.name === 'DeprecationWarning' && /client is already executing a query/.test(warning.message)) {
    seen.push(warning.stack ?? warning.message);
  }
};
process.on('warning', onWarning);

afterAll(async () => {
  // Node emits a warning on the next tick; let any from the file's last queries arrive.
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', onWarning);
  expect(seen, 'node-postgres warned that a query overlapped another on one client').toEqual([]);
});
