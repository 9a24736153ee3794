import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, createPool, type Database } from '../../src/platform/db/database.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { fixedClock, type Clock, type Services } from '../../src/platform/services.ts';
import { withDatabase } from './global-database.ts';

export type TestServices = Services & {
  url: string;
  /** A connection as the database owner (not the app's role), for setting up and inspecting. */
  ownerDb: Database;
  close: () => Promise<void>;
};

/** The date the demo and most tests live on, so that due dates and ages never drift. */
export const TEST_TODAY = '2026-11-23';

/** A brand-new, fully migrated database of this test file's own, with services built on it. */
export async function freshServices(opts: { clock?: Clock; demoMode?: boolean } = {}): Promise<TestServices> {
  const serverUrl = inject('pgServerUrl');
  const template = inject('pgTemplate');
  const name = `dp_test_${process.ppid}_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const pool = createPool(url, { max: 5 });
  const db = createDatabase(pool);
  const ownerPool = createPool(url, { max: 2, appRole: false });
  const ownerDb = createDatabase(ownerPool);
  // Dropping the database at the end ends any connection still closing; that is expected here.
  for (const p of [pool, ownerPool]) p.on('error', () => {});
  // Receipts go to a temporary folder of this file's own, removed at the end.
  const receiptsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-receipts-'));
  const config = { ...loadConfig({ NODE_ENV: 'test', DATABASE_URL: url }), demoMode: opts.demoMode ?? true, receiptsDir };
  return {
    config,
    db,
    pool,
    ownerDb,
    url,
    logger: createLogger('silent'),
    clock: opts.clock ?? fixedClock(TEST_TODAY),
    close: async () => {
      await db.destroy();
      await ownerDb.destroy();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(receiptsDir, { recursive: true, force: true });
    },
  };
}
