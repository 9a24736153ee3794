import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { boot } from '../src/platform/boot.ts';
import { loadConfig } from '../src/platform/config.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { createApp } from '../src/app.ts';
import { BenchClient, percentile } from './client.ts';

const ROUNDS = 200;

/** p50 and p95 of each main page, for the role that uses it, after a warm-up. */
export async function benchPages(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-pages-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 43000 + Math.floor(Math.random() * 2000), databaseUrl: process.env.DATABASE_URL || undefined };
  const { services, shutdown } = await boot({ config, quiet: true });
  try {
    await seedDemo(services);
    const server = createApp(services).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ids = await demoIds(services.db);
    const pages: Array<[string, string]> = [
      ['practitioner', '/people'],
      ['practitioner', `/people/${ids.anwen}`],
      ['practitioner', `/direct-payments/${ids.anwenDp}`],
      ['practitioner', '/reviews'],
      ['panel', '/panel'],
      ['panel', `/panel/${ids.johnCase}`],
      ['finance', '/direct-payments'],
      ['finance', `/direct-payments/${ids.anwenDp}/payments`],
      ['anwen', '/my'],
      ['admin', '/admin/audit'],
    ];
    const lines = ['| page | role | p50 ms | p95 ms | status |', '|---|---|---|---|---|'];
    const clients = new Map<string, BenchClient>();
    for (const [role, url] of pages) {
      let client = clients.get(role);
      if (!client) {
        client = new BenchClient(base);
        await client.signIn(role);
        clients.set(role, client);
      }
      for (let i = 0; i < 10; i++) await client.get(url);
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const r = await client.get(url);
        status = r.status;
        times.push(r.ms);
      }
      const shown = url.replace(/[0-9a-f-]{36}/g, ':id');
      lines.push(`| ${shown} | ${role} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${status} |`);
    }
    server.close();
    return lines;
  } finally {
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function demoIds(db: Awaited<ReturnType<typeof boot>>['services']['db']) {
  const dp = (name: string) =>
    db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select(['direct_payments.id', 'people.id as person_id']).where('people.given_name', '=', name).executeTakeFirstOrThrow();
  const anwen = await dp('Anwen');
  const john = await dp('John');
  const johnCase = await db.selectFrom('business_cases').select('id').where('direct_payment_id', '=', john.id).executeTakeFirstOrThrow();
  return { anwen: anwen.person_id, anwenDp: anwen.id, johnCase: johnCase.id };
}
