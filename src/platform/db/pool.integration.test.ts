import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, type TestServices } from '../../../test/support/database.ts';

const probe = fileURLToPath(new URL('../../../test/support/pool-probe.ts', import.meta.url));

describe('the app’s connection pool', () => {
  let t: TestServices;
  beforeAll(async () => {
    t = await freshServices();
  });
  afterAll(async () => {
    await t.close();
  });

  it('acts as dp_app from a new connection’s first query, and never sends a query while another runs on the same client', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--trace-deprecation', probe, t.url], { timeout: 30_000 });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(seen).toEqual({ roles: ['dp_app', 'dp_app', 'dp_app', 'dp_app'], sessionSaved: true, kysely: 'dp_app', inTransaction: 'dp_app', warnings: [] });
  });
});
