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
import { refreshSummaries } from '../src/features/insight/summaries.ts';
import { sampleFeedback } from '../src/features/insight/sample-feedback.ts';
import { runJob } from '../src/platform/jobs.ts';
import { BenchClient, percentile } from './client.ts';

const PEOPLE = Number(process.env.BENCH_REPORTS_PEOPLE ?? 120_000);
const ROUNDS = 40;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/**
 * On a scratch database: `dp demo generate --people 120000` (five years of history), then the
 * Client Level Data export for the last whole quarter (build, check every row, write the CSV), then
 * the job that works out the insight summaries (insight.refresh-summaries), then each insight
 * page's server time, p50 and p95 over ROUNDS requests after a warm-up, as bench/pages.ts measures.
 * Pages keep no cache of their own: every request reads the summary tables. The requests go round
 * the filters (all teams or one team; each period or financial year), so no one answer repeats.
 */
export async function benchReports(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-reports-'));
  const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 47000 + Math.floor(Math.random() * 2000) };
  const { services, shutdown } = await boot({ config, quiet: true });
  services.pool.on('error', () => undefined);
  try {
    const today = londonDate(new Date());
    const gen = await generateCouncil(services.db, { people: PEOPLE, today, code: 'BENCHGEN' });
    // The generator writes no survey answers: one for every third direct payment, for "What people told us".
    const answers = await sampleFeedback(services.db, gen.councilId, today);
    const lines = [
      `generated: ${gen.people.toLocaleString('en-GB')} people (${PEOPLE.toLocaleString('en-GB')} on direct payments), ${gen.payments.toLocaleString('en-GB')} payments posted to the ledger, ${gen.reviews.toLocaleString('en-GB')} reviews, ${answers.toLocaleString('en-GB')} feedback survey answers, in ${seconds(gen.ms)} (load average ${load()})`,
    ];

    const q = lastQuarter(today);
    const out = path.join(dir, 'cld.csv');
    const started = performance.now();
    const check = await checkCld(services.db, gen.councilId, q);
    writeCsvFile(out, cldCsv(check));
    const tExport = performance.now() - started;
    lines.push(`CLD export ${q.from} to ${q.to}: ${check.records.length.toLocaleString('en-GB')} rows (${(fs.statSync(out).size / 1e6).toFixed(1)} MB), ${check.problems.length.toLocaleString('en-GB')} problems reported, in ${seconds(tExport)} (target 10 s or less; load average ${load()})`);

    // The refresh: once by the job (every council in the database), then the generated council alone twice more.
    const tJob = performance.now();
    const job = await runJob(services, 'insight.refresh-summaries', { trigger: 'cli' });
    const jobMs = performance.now() - tJob;
    const again: number[] = [];
    let steps = '';
    for (let i = 0; i < 2; i++) {
      const o = await refreshSummaries(services.db, gen.councilId, { today, now: new Date() });
      if (o.refreshed) { again.push(o.ms); steps = Object.entries(o.steps).map(([k, v]) => `${k} ${v}`).join(', '); }
    }
    lines.push(`insight.refresh-summaries: ${job.processed} council(s) in ${seconds(jobMs)}; the generated council alone ${again.map(seconds).join(', ')} (last one by step, ms: ${steps}; load average ${load()})`);

    const server = createApp(services).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new BenchClient(base);
    await client.signIn(gen.usernames.manager);
    const teams = (await services.db.selectFrom('teams').select('id').where('council_id', '=', gen.councilId).execute()).map((t) => t.id);
    const thisYear = Number(today.slice(0, 4)) - (today.slice(5) < '04-01' ? 1 : 0);
    lines.push('', `| insight page (no cache; filters varied) | p50 ms | p95 ms | answers | target p95 < 200 ms |`, '|---|---|---|---|---|');
    for (const d of DASHBOARDS) {
      const urls: string[] = [];
      for (const team of ['', ...teams]) {
        if (d.uses === 'period') for (const p of ['60m', '12m', '24m', 'fy', 'lastfy']) urls.push(`/insight/${d.slug}?team=${team}&period=${p}`);
        else if (d.uses === 'year') for (let y = thisYear - 5; y <= thisYear; y++) urls.push(`/insight/${d.slug}?team=${team}&year=${y}`);
        else urls.push(`/insight/${d.slug}?team=${team}`);
      }
      await client.get(urls[0]!);
      const times: number[] = [];
      let bad = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const r = await client.get(urls[i % urls.length]!);
        if (r.status !== 200 || !r.text.includes('Figures as at')) bad += 1;
        times.push(r.ms);
      }
      const status = bad ? `${bad} of ${ROUNDS} failed` : `200 ×${ROUNDS}`;
      const p95 = percentile(times, 95);
      lines.push(`| /insight/${d.slug} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)} | ${status} | ${p95 < 200 ? 'met' : 'NOT met'} |`);
    }
    lines.push(`(load average after the pages: ${load()}; the machine has ${os.cpus().length} cores)`);
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
