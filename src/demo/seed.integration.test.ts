import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, type TestServices } from '../../test/support/database.ts';
import { resetDemo, seedDemo } from './seed.ts';
import { verifyLedger, balanceOf, accountFor } from '../features/payments/ledger.ts';
import { currentFlags } from '../features/monitoring/queries.ts';
import { feedbackSummary } from '../features/feedback/queries.ts';
import { addDays } from '../domain/dates.ts';

let t: TestServices;
beforeAll(async () => {
  t = await freshServices();
  await seedDemo(t, { withActivity: true });
});
afterAll(async () => t?.close());

describe('the demo stories', () => {
  it('keeps every ledger rule', async () => {
    expect(await verifyLedger(t.db)).toEqual([]);
  });

  it('tells each story at its stage', async () => {
    const rows = await t.db
      .selectFrom('direct_payments')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['people.given_name', 'direct_payments.kind', 'direct_payments.status'])
      .execute();
    const stage = Object.fromEntries(rows.map((r) => [r.given_name, `${r.kind}:${r.status}`]));
    expect(stage).toMatchObject({
      Peter: 'one_off:active',
      Jemima: 'one_off:ended',
      Fatima: 'one_off:active',
      Anwen: 'ongoing:active',
      Kate: 'ongoing:active',
      John: 'ongoing:at_panel',
      Trevor: 'ongoing:active',
      Dewi: 'ongoing:active',
      Cerys: 'ongoing:active',
    });
  });

  it("derives Peter's balance from the ledger: the £450 paid in", async () => {
    const dp = await t.db
      .selectFrom('direct_payments')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['direct_payments.id', 'direct_payments.council_id'])
      .where('people.given_name', '=', 'Peter')
      .executeTakeFirstOrThrow();
    expect(await balanceOf(t.db, await accountFor(t.db, dp.council_id, 'direct_payment', dp.id))).toBe(45000);
  });

  it("shows Kate's annual review as overdue and Peter's check-back as coming up", async () => {
    const due = await t.db
      .selectFrom('reviews')
      .innerJoin('direct_payments', 'direct_payments.id', 'reviews.direct_payment_id')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['people.given_name', 'reviews.kind', 'reviews.due_on'])
      .where('reviews.completed_on', 'is', null)
      .execute();
    const kate = due.find((r) => r.given_name === 'Kate')!;
    const peter = due.find((r) => r.given_name === 'Peter')!;
    expect(kate.due_on < t.clock.today()).toBe(true);
    expect(peter.kind).toBe('check_back');
    expect(peter.due_on > t.clock.today()).toBe(true);
  });
});

describe('the demo of the newer features', () => {
  const dpOf = (given: string) =>
    t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['direct_payments.id', 'direct_payments.council_id']).where('people.given_name', '=', given).where('direct_payments.status', '=', 'active').executeTakeFirstOrThrow();

  it('has contact requests: a question answered by the practitioner (Anwen told in-app), a new idea and a Welsh question waiting', async () => {
    const rows = await t.db.selectFrom('contact_requests as r').innerJoin('people as p', 'p.id', 'r.person_id')
      .select(['p.given_name', 'r.id', 'r.kind', 'r.status', 'r.created_at']).orderBy('r.created_at').execute();
    expect(rows.map((r) => [r.given_name, r.kind, r.status])).toEqual([
      ['Anwen', 'question', 'answered'],
      ['Dewi', 'question', 'waiting'],
      ['Anwen', 'idea', 'waiting'],
    ]);
    expect(rows.every((r) => r.created_at.toISOString().slice(0, 10) < t.clock.today())).toBe(true);
    const replies = await t.db.selectFrom('contact_request_replies').select(['request_id', 'from_council']).execute();
    expect(replies).toEqual([{ request_id: rows[0]!.id, from_council: true }]);
    const told = await t.db.selectFrom('notifications').innerJoin('users', 'users.id', 'notifications.to_user_id').select(['users.username', 'notifications.template_id']).where('notifications.template_id', 'like', 'contact-reply%').execute();
    expect(told).toEqual([{ username: 'anwen', template_id: 'contact-reply-en' }]);
  });

  it('has an English complaint acknowledged with its response due, and a Welsh one at stage 2', async () => {
    const rows = await t.db.selectFrom('complaints as k').innerJoin('councils as c', 'c.id', 'k.council_id')
      .select(['c.jurisdiction', 'k.id', 'k.stage', 'k.acknowledged_on', 'k.respond_by', 'k.responded_on', 'k.closed_on']).orderBy('k.reference').execute();
    expect(rows.map((r) => [r.jurisdiction, r.stage])).toEqual([['england', 'stage_1'], ['wales', 'stage_2']]);
    for (const k of rows) {
      expect(k.acknowledged_on! <= t.clock.today()).toBe(true);
      expect(k.respond_by! > t.clock.today()).toBe(true);
      expect(k.responded_on).toBeNull();
      expect(k.closed_on).toBeNull();
    }
    const welshHistory = await t.db.selectFrom('complaint_events').select(['event', 'stage']).where('complaint_id', '=', rows[1]!.id).orderBy('happened_on').orderBy('created_at').execute();
    expect(welshHistory.map((e) => `${e.stage}:${e.event}`)).toEqual(['stage_1:received', 'stage_1:acknowledged', 'stage_1:responded', 'stage_2:escalated', 'stage_2:acknowledged']);
  });

  it("has Anwen's imported statement: payments and wages matched, two lines to explain and one explained", async () => {
    const anwen = await dpOf('Anwen');
    const imports = await t.db.selectFrom('statement_imports').select(['preset', 'format', 'lines_read', 'lines_added']).where('direct_payment_id', '=', anwen.id).execute();
    expect(imports).toEqual([{ preset: 'lloyds', format: 'csv', lines_read: 8, lines_added: 8 }]);
    const lines = await t.db.selectFrom('statement_lines').select(['match_kind', 'payment_id', 'spending_record_id', 'explanation']).where('direct_payment_id', '=', anwen.id).execute();
    const count = (kind: string | null) => lines.filter((l) => l.match_kind === kind).length;
    expect([count('council_payment'), count('spending'), count('explained'), count(null)]).toEqual([2, 3, 1, 2]);
    expect(lines.filter((l) => l.match_kind === 'council_payment').every((l) => l.payment_id)).toBe(true);
    expect(lines.filter((l) => l.match_kind === 'spending').every((l) => l.spending_record_id)).toBe(true);
  });

  it('flags Trevor alone, over the contingency, with a surplus case waiting for the conversation', async () => {
    const flagged = (await Promise.all((await t.db.selectFrom('councils').select('id').execute()).map((c) => currentFlags(t.db, c.id, { today: t.clock.today() })))).flat();
    expect(flagged.map((f) => [f.personName, f.rule])).toEqual([['Trevor Mills', 'balance_over_contingency']]);
    expect(flagged[0]!.reason).toMatch(/^The account holds about £[\d,]+\.\d\d, which is £[\d,]+\.\d\d more than the £3,080\.00 kept for emergencies/);
    const trevor = await dpOf('Trevor');
    const cases = await t.db.selectFrom('surplus_cases').select(['direct_payment_id', 'status', 'surplus_pence']).execute();
    expect(cases).toEqual([{ direct_payment_id: trevor.id, status: 'conversation_due', surplus_pence: expect.any(Number) }]);
    expect(cases[0]!.surplus_pence).toBeGreaterThan(0);
  });

  it('has survey answers in English and Welsh that the summary counts', async () => {
    const rows = await t.db.selectFrom('feedback_responses').select(['council_id', 'moment', 'language', 'answered_as']).execute();
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => `${r.language}:${r.answered_as}`).sort()).toEqual(['cy:representative', 'en:recipient', 'en:recipient']);
    const england = (await dpOf('Peter')).council_id;
    const summary = await feedbackSummary(t.db, england, { from: addDays(t.clock.today(), -90), to: t.clock.today(), moment: '' });
    expect(JSON.stringify(summary)).toContain('Tell me sooner when the money is coming');
  });

  it('gives Dyffryn its guidance in Welsh, with one item not yet translated', async () => {
    const items = await t.db.selectFrom('guidance_items').innerJoin('councils', 'councils.id', 'guidance_items.council_id')
      .select(['councils.code', 'guidance_items.title_cy', 'guidance_items.body_cy']).execute();
    const dyffryn = items.filter((i) => i.code === 'DYFFRYN');
    expect(dyffryn.filter((i) => i.title_cy && i.body_cy).length).toBe(dyffryn.length - 1);
    expect(dyffryn.map((i) => i.title_cy)).toContain('Offer sy’n cynyddu annibyniaeth');
    expect(items.filter((i) => i.code === 'EASTMOOR').every((i) => i.title_cy === null)).toBe(true);
  });

  it('still keeps every ledger rule after all of it', async () => {
    expect(await verifyLedger(t.db)).toEqual([]);
  });

  it('comes back the same after `dp demo reset`', async () => {
    const counts = async () => Promise.all((['contact_requests', 'complaints', 'statement_lines', 'surplus_cases', 'feedback_responses', 'spending_records'] as const)
      .map(async (table) => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)));
    const before = await counts();
    await resetDemo(t, t.ownerDb);
    expect(await counts()).toEqual(before);
    expect((await t.db.selectFrom('complaints').select('reference').orderBy('reference').execute()).map((k) => k.reference)).toEqual(['C-000001', 'C-000002']);
    expect(await verifyLedger(t.db)).toEqual([]);
  });
});
