import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type TestApp } from '../../../test/support/app.ts';
import { CLD_COLUMNS, cldHeader } from '../../domain/cld.ts';
import { checkCld } from './cld-export.ts';

const DP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cli/dp.ts');
type Run = { code: number | null; stdout: string; stderr: string };

function dp(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.url };
    delete env.DEMO_MODE;
    const child = spawn(process.execPath, [DP, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Splits one CSV line (RFC 4180 quoting) into its fields. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}
const rowsOf = (csv: string) => csv.split('\r\n').filter(Boolean).map(fields);

let t: TestApp;
let dir: string;
let england: string;
const Q = { from: '2026-07-01', to: '2026-09-30' };
const query = 'from-day=1&from-month=7&from-year=2026&to-day=30&to-month=9&to-year=2026';

beforeAll(async () => {
  t = await startTestApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-cld-'));
  england = (await t.db.selectFrom('councils').select('id').where('code', '=', 'EASTMOOR').executeTakeFirstOrThrow()).id;
}, 60_000);
afterAll(async () => {
  await t.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the Client Level Data return', () => {
  it('has every running direct payment as a Service event with Direct payment, costs and values from the lists; the demo has no problems', async () => {
    const check = await checkCld(t.db, england, Q);
    expect(check.problems).toEqual([]);
    const services = check.records.filter((r) => r.row['Delivery Mechanism'] === 'Direct payment');
    const running = await t.db.selectFrom('direct_payments').select('reference').where('council_id', '=', england)
      .where('status', 'in', ['active', 'suspended', 'ended']).where('starts_on', '<=', Q.to)
      .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', Q.from)])).execute();
    expect(services.map((s) => s.row['Event Reference']).sort()).toEqual(running.map((r) => r.reference).sort());
    for (const s of services) {
      expect(s.row['Event Type']).toBe('Service');
      expect(s.row['Service Component']).toBe('Direct payment');
      expect(s.row['Service Type']).toMatch(/^(Long term support: Community|Short term support: Other short term|Unpaid carer support: Direct to unpaid carer)$/);
      expect(Number(s.row['Unit Cost'])).toBeGreaterThan(0);
      expect(s.row['Cost Frequency (Unit Type)']).toMatch(/^(One-off|4-weekly|Weekly|Monthly)$/);
    }
    // Fatima, a carer, was first paid this month.
    const now = await checkCld(t.db, england, { from: '2026-10-01', to: '2026-11-23' });
    const fatima = now.records.find((s) => s.row['First Name'] === 'Fatima' && s.row['Event Type'] === 'Service');
    expect(fatima?.row['Client Type']).toBe('Unpaid carer');
    expect(fatima?.row['Service Type']).toBe('Unpaid carer support: Direct to unpaid carer');
  });

  it('dp reports cld writes the CSV with exactly the Release 2 column names, one row per event', async () => {
    const out = path.join(dir, 'q2.csv');
    const r = await dp(['reports', 'cld', '--from', Q.from, '--to', Q.to, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.startsWith(cldHeader())).toBe(true);
    const rows = rowsOf(text);
    expect(rows[0]).toEqual([...CLD_COLUMNS]);
    const check = await checkCld(t.db, england, Q);
    expect(rows).toHaveLength(check.records.length + 1);
    expect(r.stdout).toContain(`Wrote ${check.records.length} rows`);
    const dm = CLD_COLUMNS.indexOf('Delivery Mechanism');
    expect(rows.slice(1).filter((x) => x[dm] === 'Direct payment').length).toBeGreaterThan(0);
    const audit = await t.db.selectFrom('audit_log').select('details').where('entity_type', '=', 'cld_return').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('refuses to write, exit 1, with every problem by person and event; --with-problems writes every row and the report', async () => {
    const peter = await t.ownerDb.selectFrom('people').select(['id', 'reference']).where('given_name', '=', 'Peter').executeTakeFirstOrThrow();
    const peterDp = await t.ownerDb.selectFrom('direct_payments').select('reference').where('person_id', '=', peter.id).executeTakeFirstOrThrow();
    await t.ownerDb.updateTable('people').set({ ethnicity: null, gender: 'Woman' }).where('id', '=', peter.id).execute();
    try {
      const out = path.join(dir, 'bad.csv');
      const refused = await dp(['reports', 'cld', '--from', Q.from, '--to', Q.to, '--out', out]);
      expect(refused.code).toBe(1);
      expect(fs.existsSync(out)).toBe(false);
      expect(refused.stderr).toContain('Nothing written');
      expect(refused.stderr).toContain(`${peter.reference}  Service ${peterDp.reference}  Ethnicity is missing`);
      expect(refused.stderr).toContain(`${peter.reference}  Service ${peterDp.reference}  Gender “Woman” is not in the Gender list`);
      expect(refused.stderr).not.toMatch(/\n\s+at .+:\d+/);

      const written = await dp(['reports', 'cld', '--from', Q.from, '--to', Q.to, '--out', out, '--with-problems']);
      expect(written.code).toBe(0);
      const check = await checkCld(t.db, england, Q);
      expect(rowsOf(fs.readFileSync(out, 'utf8'))).toHaveLength(check.records.length + 1);
      const problems = rowsOf(fs.readFileSync(path.join(dir, 'bad-problems.csv'), 'utf8'));
      expect(problems[0]).toEqual(['LA Person Unique Identifier', 'Event Type', 'Event Reference', 'Field', 'Problem', 'Value', 'What to do']);
      expect(problems.slice(1).filter((p) => p[0] === peter.reference && p[3] === 'Ethnicity' && p[4] === 'missing').length).toBeGreaterThan(0);
    } finally {
      await t.ownerDb.updateTable('people').set({ ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British', gender: 'Male' }).where('id', '=', peter.id).execute();
    }
  });

  it('bad arguments exit 2; a Welsh council is refused', async () => {
    expect((await dp(['reports', 'cld', '--from', '2026-13-01', '--to', Q.to, '--out', 'x.csv'])).code).toBe(2);
    expect((await dp(['reports', 'cld', '--from', Q.to, '--to', Q.from, '--out', 'x.csv'])).code).toBe(2);
    const wales = await dp(['reports', 'cld', '--from', Q.from, '--to', Q.to, '--out', path.join(dir, 'w.csv'), '--council', 'DYFFRYN']);
    expect(wales.code).toBe(1);
    expect(wales.stderr).toContain('Wales');
  });
});

describe('the manager’s page, the person’s details and the lists', () => {
  it('a manager checks the period, sees each problem with a link to fix it, and downloads the CSV', async () => {
    const peter = await t.ownerDb.selectFrom('people').select(['id', 'reference']).where('given_name', '=', 'Peter').executeTakeFirstOrThrow();
    await t.ownerDb.updateTable('people').set({ nhs_number: null }).where('id', '=', peter.id).execute();
    const manager = await signedIn(t.app, 'manager');
    const page = await manager.get(`/reports/client-level-data?${query}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('NHS Number is missing');
    expect(page.text).toContain(`href="/client-level-data/people/${peter.id}"`);
    const csv = await manager.get(`/reports/client-level-data/return.csv?${query}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment');
    expect(csv.text.startsWith(cldHeader())).toBe(true);
    const problems = await manager.get(`/reports/client-level-data/problems.csv?${query}`);
    expect(problems.text).toContain(`${peter.reference},Service`);
    const bad = await manager.get('/reports/client-level-data?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=2026');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The first day must be a real date');

    // The practitioner fills the NHS number: a wrong one is refused and kept; a right one saved.
    const practitioner = await signedIn(t.app, 'practitioner');
    const form = await practitioner.get(`/client-level-data/people/${peter.id}`);
    expect(form.status).toBe(200);
    const wrong = await practitioner.post2(`/client-level-data/people/${peter.id}`, { nhsNumber: '943 476 5918', gender: 'Male', hasUnpaidCarer: 'No' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Enter a real NHS number');
    expect(wrong.text).toContain('value="943 476 5918"');
    const [dpType, dpComponent] = ['Short term support: Other short term', 'Direct payment'];
    const ok = await practitioner.post2(`/client-level-data/people/${peter.id}`, {
      nhsNumber: '943 476 5919', gender: 'Male', ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British', primarySupportReason: 'Physical Support: Personal care support',
      accommodationStatus: 'Supported accommodation, supported lodgings or supported group home', hasUnpaidCarer: 'No', dpType0: dpType, dpComponent0: dpComponent,
    });
    expect(ok.status).toBe(303);
    expect((await t.db.selectFrom('people').select('nhs_number').where('id', '=', peter.id).executeTakeFirstOrThrow()).nhs_number).toBe('9434765919');
    const clean = await manager.get(`/reports/client-level-data?${query}`);
    expect(clean.text).toContain('Every row is complete');
  });

  it('only managers run the return; staff of another council cannot open a person’s details', async () => {
    const practitioner = await signedIn(t.app, 'practitioner');
    expect((await practitioner.get('/reports/client-level-data')).status).toBe(403);
    const peter = await t.db.selectFrom('people').select('id').where('given_name', '=', 'Peter').executeTakeFirstOrThrow();
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/client-level-data/people/${peter.id}`)).status).toBe(404);
    expect((await rhys.get('/client-level-data/people/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const finance = await signedIn(t.app, 'finance');
    expect((await finance.get(`/client-level-data/people/${peter.id}`)).status).toBe(403);
    const ffion = await signedIn(t.app, 'ffion');
    const wales = await ffion.get('/reports/client-level-data');
    expect(wales.status).toBe(200);
    expect(wales.text).toContain('is in Wales, so there is nothing to send');
    expect((await ffion.get(`/reports/client-level-data/return.csv?${query}`)).status).toBe(403);
  });

  it('an administrator adds a value to a list, and the return accepts it', async () => {
    const peter = await t.ownerDb.selectFrom('people').select(['id']).where('given_name', '=', 'Peter').executeTakeFirstOrThrow();
    await t.ownerDb.updateTable('people').set({ gender: 'Non-binary' }).where('id', '=', peter.id).execute();
    expect((await checkCld(t.db, england, Q)).problems.map((p) => p.message)).toContain('Gender “Non-binary” is not in the Gender list');
    const admin = await signedIn(t.app, 'admin');
    const empty = await admin.post2('/admin/client-level-data/values', { field: 'gender', value: '' });
    expect(empty.status).toBe(400);
    expect((await admin.post2('/admin/client-level-data/values', { field: 'gender', value: 'Non-binary' })).status).toBe(303);
    const again = await admin.post2('/admin/client-level-data/values', { field: 'gender', value: 'Non-binary' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('already in the Gender list');
    expect((await checkCld(t.db, england, Q)).problems).toEqual([]);
    const page = await admin.get('/admin/client-level-data');
    expect(page.text).toContain('Non-binary');
    expect((await admin.post2('/admin/client-level-data/la-code', { laCode: 'X1' })).status).toBe(400);
    expect((await admin.post2('/admin/client-level-data/la-code', { laCode: 'e10000002' })).status).toBe(303);
    const check = await checkCld(t.db, england, Q);
    expect(check.records[0]!.row['LA Code']).toBe('E10000002');
  });
});

describe('dp reports ascof', () => {
  it('gives ASCOF 3D with numerators and denominators matching hand-computed figures', async () => {
    // A second English council, so --council is needed. On 31 March 2026:
    // adults A (DP), B (DP), C (council-arranged), D (council-arranged), E (DP, 17 years old) → 2a: 2 of 4 = 50.0%; 1a the same.
    // Carers F (DP in the year) and G (DP that ended in March 2025, before the year) → 1b, 2b: 1 of 1.
    const db = t.ownerDb;
    const c = await db.insertInto('councils').values({ code: 'ASCOFTEST', name: 'Ascof Test Council', jurisdiction: 'england', cld_la_code: 'E10000001' }).returning('id').executeTakeFirstOrThrow();
    const u = await db.insertInto('users').values({ username: 'ascof-user', display_name: 'A', role: 'practitioner', council_id: c.id, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
    const person = async (given: string, dob: string, kind = 'adult') =>
      (await db.insertInto('people').values({ council_id: c.id, given_name: given, family_name: 'Test', date_of_birth: dob, kind }).returning('id').executeTakeFirstOrThrow()).id;
    const dp = async (personId: string, type: string, startsOn: string, endsOn: string | null = null) =>
      db.insertInto('direct_payments').values({ council_id: c.id, person_id: personId, kind: 'ongoing', status: endsOn ? 'ended' : 'active', purpose: 'x', weekly_amount_pence: 20000,
        frequency: 'four_weekly', payment_method: 'bank_account', starts_on: startsOn, ends_on: endsOn, created_by: u.id, cld_service_type: type }).execute();
    const arranged = async (personId: string, agreedOn: string) => {
      const plan = await db.insertInto('care_plans').values({ person_id: personId, status: 'agreed', kind: 'ongoing', weekly_cost_pence: 30000, agreed_on: agreedOn, created_by: u.id }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('plan_items').values({ plan_id: plan.id, position: 1, outcome: 'x', met_by: 'council_service', how: 'Home care', cost_pence: 30000, cost_frequency: 'weekly' }).execute();
    };
    await dp(await person('A', '1950-01-01'), 'Long term support: Community', '2025-01-10');
    await dp(await person('B', '1990-06-01'), 'Long term support: Community', '2026-03-31');
    await arranged(await person('C', '1940-01-01'), '2024-05-01');
    await arranged(await person('D', '1960-01-01'), '2026-02-01');
    await dp(await person('E', '2008-06-01'), 'Long term support: Community', '2025-09-01');
    await dp(await person('F', '1970-01-01', 'carer'), 'Unpaid carer support: Direct to unpaid carer', '2025-06-01', '2025-12-01');
    await dp(await person('G', '1970-01-01', 'carer'), 'Unpaid carer support: Direct to unpaid carer', '2024-06-01', '2025-03-15');

    const ambiguous = await dp_(['reports', 'ascof', '--year', '2026']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('--council');
    const r = await dp_(['reports', 'ascof', '--year', '2026', '--council', 'ASCOFTEST', '--json']);
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout);
    expect(m.snapshot).toBe('2026-03-31');
    expect(m.part1a).toEqual({ numerator: 2, denominator: 4, value: 50 });
    expect(m.part2a).toEqual({ numerator: 2, denominator: 4, value: 50 });
    expect(m.part1b).toEqual({ numerator: 1, denominator: 1, value: 100 });
    expect(m.part2b).toEqual({ numerator: 1, denominator: 1, value: 100 });
    const text = await dp_(['reports', 'ascof', '--year', '2026', '--council', 'ASCOFTEST']);
    expect(text.stdout).toContain('2a  adults: direct payments');
    expect(text.stdout).toContain('50.0%  (2 of 4)');
    expect((await dp_(['reports', 'ascof', '--year', 'soon'])).code).toBe(2);
  });
});

const dp_ = dp;
