import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { freshServices, TEST_TODAY, type TestServices } from '../../test/support/database.ts';
import { generateCouncil, type GenerateResult } from './generate.ts';
import { verifyLedger } from '../features/payments/ledger.ts';
import { checkCld } from '../features/reports/cld-export.ts';
import { isNhsNumber } from '../domain/cld.ts';

describe('dp demo generate', () => {
  let s: TestServices;
  let r: GenerateResult;
  beforeAll(async () => {
    s = await freshServices();
    r = await generateCouncil(s.db, { people: 700, today: TEST_TODAY, code: 'GENTEST' });
  }, 120_000);
  afterAll(async () => s.close());

  it('writes the people, direct payments and history it says it does', async () => {
    expect(r.people).toBe(1400);
    expect(r.directPayments).toBe(700);
    const kinds = await sql<{ kind: string; status: string; n: number }>`
      select kind, status, count(*)::int as n from direct_payments where council_id = ${r.councilId} group by 1, 2 order by 1, 2`.execute(s.db);
    const ongoing = kinds.rows.filter((k) => k.kind === 'ongoing').reduce((t, k) => t + k.n, 0);
    expect(ongoing).toBe(600); // every seventh is one-off
    expect(kinds.rows.find((k) => k.kind === 'ongoing' && k.status === 'ended')?.n).toBeGreaterThan(0);
    expect(r.payments).toBeGreaterThan(600 * 8);
    const span = await sql<{ first: string; last: string }>`select min(starts_on) as first, max(starts_on) as last from direct_payments where council_id = ${r.councilId}`.execute(s.db);
    expect(span.rows[0]!.first < '2022-06-01').toBe(true);
    expect(span.rows[0]!.last > '2026-06-01').toBe(true);
  });

  it('keeps the ledger whole: every paid payment posted sent then paid', async () => {
    expect(await verifyLedger(s.db)).toEqual([]);
    const moved = await sql<{ n: number }>`select count(*)::int as n from ledger_transactions where council_id = ${r.councilId}`.execute(s.db);
    expect(moved.rows[0]!.n).toBe(r.payments * 2);
  });

  it('gives valid NHS numbers and leaves out one in 97 on purpose, which the return reports', async () => {
    const people = await s.db.selectFrom('people').select(['nhs_number', 'family_name']).where('council_id', '=', r.councilId).execute();
    for (const p of people) {
      const g = Number(p.family_name.slice(7));
      if (g % 97 === 0) expect(p.nhs_number).toBeNull();
      else expect(isNhsNumber(p.nhs_number!)).toBe(true);
    }
    const check = await checkCld(s.db, r.councilId, { from: '2026-07-01', to: '2026-09-30' });
    expect(check.records.length).toBeGreaterThan(1000);
    expect(new Set(check.problems.map((p) => p.column))).toEqual(new Set(['NHS Number']));
  });

  it('has reviews done on time, and a few overdue', async () => {
    const rows = await sql<{ open_overdue: number; done: number }>`
      select count(*) filter (where completed_on is null and due_on < ${TEST_TODAY})::int as open_overdue, count(*) filter (where completed_on is not null)::int as done
      from reviews r join direct_payments d on d.id = r.direct_payment_id where d.council_id = ${r.councilId}`.execute(s.db);
    expect(rows.rows[0]!.done).toBeGreaterThan(700);
    expect(rows.rows[0]!.open_overdue).toBeGreaterThan(0);
    expect(rows.rows[0]!.open_overdue).toBeLessThan(100);
  });
});
