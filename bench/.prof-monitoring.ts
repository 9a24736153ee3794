import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { boot } from '/work/main/src/platform/boot.ts';
import { loadConfig } from '/work/main/src/platform/config.ts';
import { londonDate } from '/work/main/src/platform/services.ts';
import { caseload } from '/work/main/bench/monitoring.ts';
import { factsQuery, rulesFor, worklist } from '/work/main/src/features/monitoring/queries.ts';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-prof-'));
const config = { ...loadConfig({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'silent' }), dataDir: dir, embeddedPort: 49100 };
const { services, shutdown } = await boot({ config, quiet: true });
try {
  const today = londonDate(new Date());
  const c = await caseload(services.db, today);
  const rules = await rulesFor(services.db, c);
  const q = factsQuery({ councilId: c }, rules, today);
  const r = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${q}`.execute(services.db);
  console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
  let t0 = performance.now(); await q.execute(services.db); console.log('sql', performance.now() - t0);
  t0 = performance.now(); const l = await worklist(services.db, c, { today }); console.log('worklist', performance.now() - t0, l.length);
} finally { await shutdown(); fs.rmSync(dir, { recursive: true, force: true }); }
