import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { boot } from '../src/platform/boot.ts';
import { loadConfig } from '../src/platform/config.ts';
import { londonDate } from '../src/platform/services.ts';
import { createApp } from '../src/app.ts';
import { generateCouncil } from '../src/demo/generate.ts';
import { checkCld, cldCsv, writeCsvFile } from '../src/features/reports/cld-export.ts';
import { lastQuarter } from '../src/features/reports/routes.ts';
import { DASHBOARDS } from '../src/features/insight/dashboards.ts';
import { setInsightCacheSeconds } from '../src/features/insight/routes.ts';
import { BenchClient, percentile } from './client.ts';

const PEOPLE = 120_000;
const ROUNDS = 40;
const COLD_ROUNDS = 12;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * On a scratch database: `dp demo generate --people 120000` (five years of history), then the
 * Client Level Data export for the last whole quarter (build, check every row, write the CSV), then
 * each insight page's server time, p50 and p95 over ROUNDS requests after a warm-up, as bench/pages.ts measures.
 */
export async function benchReports(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-reports-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 47000 + Math.floor(Math.random() * 2000) };
  const { services, shutdown } = await boot({ config, quiet: true });
  services.pool.on('error', () => undefined);
  try {
    const today = londonDate(new Date());
    const gen = await generateCouncil(services.db, { people: PEOPLE, today, code: 'BENCHGEN' });
    const lines = [
      `generated: ${gen.people.toLocaleString('en-GB')} people (${PEOPLE.toLocaleString('en-GB')} on direct payments), ${gen.payments.toLocaleString('en-GB')} payments posted to the ledger, ${gen.reviews.toLocaleString('en-GB')} reviews, in ${seconds(gen.ms)}`,
    ];

    const q = lastQuarter(today);
    const out = path.join(dir, 'cld.csv');
    const started = performance.now();
    const check = await checkCld(services.db, gen.councilId, q);
    writeCsvFile(out, cldCsv(check));
    const tExport = performance.now() - started;
    lines.push(`CLD export ${q.from} to ${q.to}: ${check.records.length.toLocaleString('en-GB')} rows (${(fs.statSync(out).size / 1e6).toFixed(1)} MB), ${check.problems.length.toLocaleString('en-GB')} problems reported, in ${seconds(tExport)} (target 10 s or less)`);

    const server = createApp(services).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new BenchClient(base);
    await client.signIn(gen.usernames.manager);
    lines.push('', '| insight page | every query (no cache) p50 ms | p95 ms | with the 60 s cache p50 ms | p95 ms | status | target p95 < 200 ms |', '|---|---|---|---|---|---|---|');
    for (const d of DASHBOARDS) {
      const url = `/insight/${d.slug}${d.uses === 'period' ? '?period=60m' : ''}`;
      const measure = async (rounds: number) => {
        const times: number[] = [];
        let status = 0;
        for (let i = 0; i < rounds; i++) {
          const r = await client.get(url);
          status = r.status;
          times.push(r.ms);
        }
        return { p50: percentile(times, 50), p95: percentile(times, 95), status };
      };
      setInsightCacheSeconds(0);
      await client.get(url);
      const cold = await measure(COLD_ROUNDS);
      setInsightCacheSeconds(60);
      await client.get(url);
      const warm = await measure(ROUNDS);
      lines.push(`| ${url} | ${cold.p50.toFixed(1)} | ${cold.p95.toFixed(1)} | ${warm.p50.toFixed(1)} | ${warm.p95.toFixed(1)} | ${cold.status} | ${cold.p95 < 200 ? 'met' : warm.p95 < 200 ? 'met with the cache' : 'NOT met'} |`);
    }
    server.close();
    return lines;
  } finally {
    await shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Run on its own: node bench/reports.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchReports()) console.log(line);
}
