import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/platform/db/embedded.ts';
import { migrateToLatest } from '../../src/platform/db/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL (any database name) on which tests may create databases. */
    pgServerUrl: string;
    /** A migrated database that each test file copies as its own fresh database. */
    pgTemplate: string;
  }
}

/**
 * One real PostgreSQL for the run: the machine's own when DATABASE_URL is set, otherwise an
 * embedded server in a temporary folder. It holds a migrated template database that each test
 * file copies, so every file starts from a clean, fully migrated database in milliseconds.
 */
export default async function setup(project: TestProject) {
  let server: EmbeddedServer | undefined;
  let dir: string | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-test-pg-'));
    const port = 55000 + Math.floor(Math.random() * 4000);
    server = await startEmbeddedPostgres({ dir: path.join(dir, 'db'), port, persistent: false });
    serverUrl = server.url;
  }
  const template = `dp_template_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${template}`);
  await admin.end();
  await migrateToLatest(withDatabase(serverUrl, template));
  project.provide('pgServerUrl', serverUrl);
  project.provide('pgTemplate', template);

  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    const dbs = await client.query<{ datname: string }>(
      `select datname from pg_database where datname = $1 or datname like $2`,
      [template, `dp_test_${process.pid}_%`],
    );
    for (const { datname } of dbs.rows) await client.query(`drop database if exists ${datname} with (force)`);
    await client.end();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
