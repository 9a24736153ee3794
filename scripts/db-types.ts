// Regenerates src/platform/db/schema.ts from the migrations: starts a throwaway embedded
// PostgreSQL, migrates it, and asks kysely-codegen to describe it. Run: npm run db:types
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/platform/db/embedded.ts';
import { migrateToLatest } from '../src/platform/db/database.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-types-'));
const server = await startEmbeddedPostgres({ dir: path.join(dir, 'db'), port: 54000 + Math.floor(Math.random() * 900), persistent: false });
try {
  await migrateToLatest(server.url);
  execFileSync(
    'npx',
    [
      'kysely-codegen', '--dialect', 'postgres', '--url', server.url, '--date-parser', 'string',
      '--exclude-pattern', '{*.kysely_*,*.session,pgboss.*}',
      '--type-mapping', JSON.stringify({ int8: 'number', date: 'string' }),
      '--out-file', 'src/platform/db/schema.ts',
    ],
    { stdio: 'inherit' },
  );
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
