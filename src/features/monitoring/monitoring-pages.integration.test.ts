import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type Agent, type TestApp } from '../../../test/support/app.ts';
import { addStatementLines, fundedDirectPayment } from '../surplus/test-data.ts';
import { rulesFor } from './queries.ts';

let t: TestApp;
let finance: Agent;
let practitioner: Agent;
let admin: Agent;
let flagged: Awaited<ReturnType<typeof fundedDirectPayment>>;
let quiet: Awaited<ReturnType<typeof fundedDirectPayment>>;
beforeAll(async () => {
  t = await startTestApp();
  [finance, practitioner, admin] = await Promise.all([signedIn(t.app, 'finance'), signedIn(t.app, 'practitioner'), signedIn(t.app, 'admin')]);
  flagged = await fundedDirectPayment(t.db, { givenName: 'Flagged', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
  await addStatementLines(t.ownerDb, flagged.id, [
    { on: '2026-10-02', pence: -20_000, description: 'CASH WITHDRAWAL' },
    { on: '2026-10-09', pence: -20_000, description: 'CASH WITHDRAWAL' },
  ]);
  quiet = await fundedDirectPayment(t.db, { givenName: 'Quiet', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
});
afterAll(async () => t?.stop());

describe('the monitoring worklist', () => {
  it('lists only the flagged, with the reason, for finance and practitioners, and audits the view', async () => {
    for (const agent of [finance, practitioner]) {
      const page = await agent.get('/monitoring');
      expect(page.status).toBe(200);
      expect(page.text).toContain(flagged.reference);
      expect(page.text).toContain('£400.00 spent from the account in the last 12 months (2 payments) has not been matched to a receipt or explained yet.');
      expect(page.text).not.toContain(quiet.reference);
    }
    expect((await admin.get('/monitoring')).status).toBe(403);
    const audits = await t.ownerDb.selectFrom('audit_log').select('username').where('entity_type', '=', 'monitoring-worklist').execute();
    expect(audits.map((a) => a.username).sort()).toEqual(['finance', 'practitioner']);
  });

  it('shows one direct payment’s evidence and lets a practitioner record a concern, which raises its level', async () => {
    const page = await finance.get(`/direct-payments/${flagged.id}/monitoring`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Money out not matched or explained');
    expect(page.text).toContain('CASH WITHDRAWAL');
    expect(page.text).not.toContain('Record a concern');
    expect((await finance.post2(`/direct-payments/${flagged.id}/monitoring/concerns`, { concern: 'x' })).status).toBe(403);

    const empty = await practitioner.post2(`/direct-payments/${quiet.id}/monitoring/concerns`, { concern: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter the concern');
    expect(empty.text).toContain('govuk-error-summary');
    const ok = await practitioner.post2(`/direct-payments/${quiet.id}/monitoring/concerns`, { concern: 'Rent was paid from the account.' });
    expect(ok.status).toBe(303);
    const after = await practitioner.get(`/direct-payments/${quiet.id}/monitoring`);
    expect(after.text).toContain('Rent was paid from the account.');
    expect(after.text).toContain('A concern was recorded on 23 November 2026');
    expect((await practitioner.get('/monitoring')).text).toContain(quiet.reference);
  });
});

describe('the stored worklist on the page', () => {
  it('says when the list was worked out, and "Check again now" (a POST with the form token) brings in changes', async () => {
    const page = await finance.get('/monitoring');
    expect(page.text).toMatch(/As at \d{1,2}:\d{2}(am|pm) on \d{1,2} [A-Z][a-z]+ \d{4}, \d+ of \d+ direct payments are flagged/);
    expect(page.text).toContain('action="/monitoring/refresh"');
    // Money out added behind the page's back: not on the stored list until it is checked again.
    const later = await fundedDirectPayment(t.db, { givenName: 'Later', weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
    await addStatementLines(t.ownerDb, later.id, [{ on: '2026-11-01', pence: -40_000, description: 'CASH WITHDRAWAL' }]);
    expect((await finance.get('/monitoring')).text).not.toContain(later.reference);
    const forged = await finance.post('/monitoring/refresh').type('form').send({});
    expect(forged.status).toBe(403);
    expect((await finance.get('/monitoring')).text).not.toContain(later.reference);
    const checked = await finance.post2('/monitoring/refresh', {});
    expect(checked.status).toBe(303);
    expect(checked.headers.location).toBe('/monitoring');
    const after = await finance.get('/monitoring');
    expect(after.text).toContain('Checked again');
    expect(after.text).toContain(later.reference);
    const audits = await t.ownerDb.selectFrom('audit_log').select(['username', 'action']).where('entity_type', '=', 'monitoring-flags').execute();
    expect(audits).toEqual([{ username: 'finance', action: 'update' }]);
    expect((await admin.post2('/monitoring/refresh', {})).status).toBe(403);
  });

  it('pages through a long list in the stored order, high first', async () => {
    for (let i = 0; i < 3; i++) {
      const dp = await fundedDirectPayment(t.db, { givenName: `Paged${i}`, weeklyPence: 20_000, periods: 2, spentPence: 50_000 });
      await addStatementLines(t.ownerDb, dp.id, [{ on: '2026-11-01', pence: -40_000, description: 'CASH WITHDRAWAL' }]);
    }
    await finance.post2('/monitoring/refresh', {});
    const first = await finance.get('/monitoring');
    const count = Number(/(\d+) of \d+ direct payments are flagged/.exec(first.text)![1]);
    expect(count).toBeGreaterThan(3);
    // Past the last page shows the last page.
    const pages = Math.ceil(count / 50);
    expect((await finance.get(`/monitoring?page=${pages + 5}`)).status).toBe(200);
  });
});

describe('the monitoring rules page', () => {
  it('is for administrators and finance, keeps what was typed when it is wrong, and saves all or nothing', async () => {
    expect((await practitioner.get('/monitoring/settings')).status).toBe(403);
    const page = await admin.get('/monitoring/settings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('The contingency is 8 weeks of payments.');
    const form = {
      'balance_over_contingency-enabled': 'yes', 'balance_over_contingency-threshold': '£1,000', 'balance_over_contingency-level': 'medium',
      'unexplained_spending-enabled': 'yes', 'unexplained_spending-threshold': 'lots', 'unexplained_spending-level': 'high',
      'no_statements-enabled': 'yes', 'no_statements-threshold': '3', 'no_statements-level': 'medium',
      'unregistered_payee-enabled': 'no', 'unregistered_payee-threshold': '3', 'unregistered_payee-level': 'high',
      'previous_concern-enabled': 'yes', 'previous_concern-threshold': '24', 'previous_concern-level': 'high',
      challengeDays: '7',
    };
    const bad = await admin.post2('/monitoring/settings', form);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter the amount for unexplained spending in pounds, like 250');
    expect(bad.text).toContain('The number of days must be between 14 and 90');
    expect(bad.text).toContain('value="lots"');
    const england = (await t.db.selectFrom('councils').select('id').where('code', '=', 'EASTMOOR').executeTakeFirstOrThrow()).id;
    expect(await t.db.selectFrom('monitoring_rules').select('rule').where('council_id', '=', england).execute()).toEqual([]);

    const good = await admin.post2('/monitoring/settings', { ...form, 'unexplained_spending-threshold': '500', challengeDays: '21' });
    expect(good.status).toBe(303);
    const rules = await rulesFor(t.db, england);
    expect(rules.balance_over_contingency).toMatchObject({ enabled: true, threshold: 100_000 });
    expect(rules.unexplained_spending).toMatchObject({ threshold: 50_000, level: 'high' });
    expect(rules.unregistered_payee.enabled).toBe(false);
    expect((await t.db.selectFrom('surplus_settings').select('challenge_days').where('council_id', '=', england).executeTakeFirstOrThrow()).challenge_days).toBe(21);
    // £400 unexplained is now under the £500 threshold.
    expect((await finance.get('/monitoring')).text).not.toContain(flagged.reference);
  });
});

describe('the person’s own page about checks', () => {
  it('says plainly when nothing is asked of them, and gives each flag’s reason in their language', async () => {
    // Paid since 26 October: within the 3 months without statements the council allowed above.
    const dp = await fundedDirectPayment(t.db, { username: 'riley', givenName: 'Riley', weeklyPence: 20_000, periods: 2, spentPence: 50_000, firstPeriodOn: '2026-10-26' });
    const riley = await signedIn(t.app, 'riley');
    const calm = await riley.get(`/my/direct-payments/${dp.id}/checks`);
    expect(calm.status).toBe(200);
    expect(calm.text).toContain('We are not asking you for anything. You do not need to send us any paperwork.');
    await practitioner.post2(`/direct-payments/${dp.id}/monitoring/concerns`, { concern: 'Riley asked us to keep an eye on the account.' });
    const flagged = await riley.get(`/my/direct-payments/${dp.id}/checks`);
    expect(flagged.text).toContain('A concern was recorded on 23 November 2026, so the account is looked at more closely for 24 months after it.');
    expect(flagged.text).toContain('This does not mean you have done anything wrong.');
    await t.db.updateTable('users').set({ preferred_language: 'cy' }).where('username', '=', 'riley').execute();
    const welsh = await riley.get(`/my/direct-payments/${dp.id}/checks`);
    expect(welsh.text).toContain('Cofnodwyd pryder ar 23 Tachwedd 2026');
    await expect((await signedIn(t.app, 'peter')).get(`/my/direct-payments/${dp.id}/checks`).then((r) => r.status)).resolves.toBe(404);
  });
});
