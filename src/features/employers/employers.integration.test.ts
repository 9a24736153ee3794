import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp } from '../../../test/support/app.ts';
import { freshServices, TEST_TODAY } from '../../../test/support/database.ts';
import { seedDemo } from '../../demo/seed.ts';
import { fixedClock } from '../../platform/services.ts';
import { runJob } from '../../platform/jobs.ts';
import { verifyLedger } from '../payments/ledger.ts';
import { assistantsFor, committedWagesPence, expectedWagesFor, wageCheckFor } from './queries.ts';

let t: TestApp;
let anwenDp: string;
let kateDp: string;
beforeAll(async () => {
  t = await startTestApp();
  const dpOf = async (given: string) => (await t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select('direct_payments.id').where('people.given_name', '=', given).executeTakeFirstOrThrow()).id;
  anwenDp = await dpOf('Anwen');
  kateDp = await dpOf('Kate');
});
afterAll(async () => t?.stop());

const form = (over: Record<string, string> = {}) => ({
  name: 'Ceri Jones', role: 'Evening support', 'startsOn-day': '1', 'startsOn-month': '12', 'startsOn-year': '2026', weeklyHours: '6', hoursPattern: 'Tuesdays and Thursdays, 6pm to 9pm',
  hourlyRate: '13.50', payPeriod: 'monthly', 'dateOfBirth-day': '3', 'dateOfBirth-month': '3', 'dateOfBirth-year': '1990', isApprentice: 'no', payroll: 'provider', payrollProvider: 'Eastmoor Payroll Services',
  closeRelative: 'no', relationship: '', dbsLevel: 'enhanced_barred', 'dbsCheckedOn-day': '10', 'dbsCheckedOn-month': '11', 'dbsCheckedOn-year': '2026', training: 'First aid', ...over,
});

describe('the demo employers and pools', () => {
  it('keep every ledger rule', async () => {
    expect(await verifyLedger(t.db)).toEqual([]);
  });

  it('flag Anwen’s PA, whose £13.00 next April’s rate makes unlawful, and cost the uplift', async () => {
    const anwen = await t.db.selectFrom('direct_payments').select('council_id').where('id', '=', anwenDp).executeTakeFirstOrThrow();
    const check = await wageCheckFor(t.db, anwen.council_id, await assistantsFor(t.db, anwenDp), TEST_TODAY);
    expect(check.findings.map((f) => [f.assistant.name, f.finding.cause, f.finding.requiredPence])).toEqual([['Bethan Lloyd', 'new_rate', 1318]]);
    expect(check.findings[0]!.finding.periodStartsOn >= '2027-04-01').toBe(true);
    expect(check.weeklyUpliftPence).toBe(180);
  });

  it('commit PA wages for a window, and expect the hours worked where a timesheet says so', async () => {
    // Bethan: 10 hours a week at £13.00 = £130 a week.
    expect(await committedWagesPence(t.db, anwenDp, '2026-11-23', '2026-12-20')).toBe(52000);
    const bethan = (await assistantsFor(t.db, anwenDp))[0]!;
    const practitioner = await t.db.selectFrom('users').select('id').where('username', '=', 'practitioner').executeTakeFirstOrThrow();
    await t.db.insertInto('pa_timesheets').values({ personal_assistant_id: bethan.id, week_starts_on: '2026-11-23', minutes: 480, recorded_by: practitioner.id }).execute();
    const expected = await expectedWagesFor(t.db, anwenDp, '2026-11-23', '2026-12-20');
    expect(expected.totalPence).toBe(52000 - 13000 + 10400);
    expect(expected.byAssistant[0]).toMatchObject({ name: 'Bethan Lloyd', weeksWithTimesheets: 1, workedMinutes: 480 });
  });
});

describe('a recipient manages their PAs and checklist', () => {
  it('shows the checklist, what is due and the pay warning in plain words', async () => {
    const anwen = await signedIn(t.app, 'anwen');
    const page = await anwen.get(`/my/direct-payments/${anwenDp}/employer`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Employer’s liability insurance');
    expect(page.text).toContain('Renew it before then');
    expect(page.text).toContain('Bethan Lloyd');
    expect(page.text).toContain('A new legal minimum of £13.18 an hour');
    expect(page.text).toContain('5.6 weeks');
  });

  it('refuses pay below the legal minimum, keeping what was typed, and saves nothing', async () => {
    const anwen = await signedIn(t.app, 'anwen');
    const before = await t.db.selectFrom('personal_assistants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await anwen.post2(`/my/direct-payments/${anwenDp}/employer/assistants/new`, form({ hourlyRate: '11.00' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('Their pay must be at least £12.71 an hour');
    expect(res.text).toContain('value="Ceri Jones"');
    const after = await t.db.selectFrom('personal_assistants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('the 18 to 20 rate applies to a 19-year-old, and a close relative in the household cannot be paid without a decision', async () => {
    const anwen = await signedIn(t.app, 'anwen');
    const young = await anwen.post2(`/my/direct-payments/${anwenDp}/employer/assistants/new`, form({ name: 'Ifan Price', hourlyRate: '11.00', 'dateOfBirth-year': '2007', closeRelative: 'yes', relationship: 'Nephew' }));
    expect(young.status).toBe(400);
    expect(young.text).toContain('cannot be paid until the council decides it is necessary');
    const ok = await anwen.post2(`/my/direct-payments/${anwenDp}/employer/assistants/new`, form({ name: 'Ifan Price', hourlyRate: '11.00', 'dateOfBirth-year': '2007', closeRelative: 'yes', relationship: 'Nephew', payroll: 'none', payrollProvider: '' }));
    expect(ok.status).toBe(303);
    const ifan = await t.db.selectFrom('personal_assistants').selectAll().where('name', '=', 'Ifan Price').executeTakeFirstOrThrow();
    expect(ifan.payroll).toBe('none');
    // The database holds the rule too.
    await expect(t.db.updateTable('personal_assistants').set({ payroll: 'self' }).where('id', '=', ifan.id).execute()).rejects.toThrow(/recorded decision/);
    // The practitioner records that it is necessary; then pay can be arranged.
    const gareth = await signedIn(t.app, 'practitioner');
    const decided = await gareth.post2(`/assistants/${ifan.id}/family-decision`, { necessary: 'yes', reasons: 'No one else can cover early mornings in the village.', 'decidedOn-day': '20', 'decidedOn-month': '11', 'decidedOn-year': '2026' });
    expect(decided.status).toBe(303);
    const paid = await anwen.post2(`/my/assistants/${ifan.id}`, form({ name: 'Ifan Price', hourlyRate: '11.00', 'dateOfBirth-year': '2007', closeRelative: 'yes', relationship: 'Nephew', payroll: 'self', payrollProvider: '' }));
    expect(paid.status).toBe(303);
    // A later decision that it is not necessary stops the pay at once, and no wages are committed to them.
    const committedBefore = await committedWagesPence(t.db, anwenDp, '2026-12-01', '2026-12-28');
    await gareth.post2(`/assistants/${ifan.id}/family-decision`, { necessary: 'no', reasons: 'Another PA now covers mornings.', 'decidedOn-day': '22', 'decidedOn-month': '11', 'decidedOn-year': '2026' });
    expect((await t.db.selectFrom('personal_assistants').select('payroll').where('id', '=', ifan.id).executeTakeFirstOrThrow()).payroll).toBe('none');
    // Ifan: 6 hours a week at £11.00 for the 4 weeks.
    expect(await committedWagesPence(t.db, anwenDp, '2026-12-01', '2026-12-28')).toBe(committedBefore - 26400);
    // Nor can the employer get round the decision by saying they are no longer a close relative: only the council changes that.
    const around = await anwen.post2(`/my/assistants/${ifan.id}`, form({ name: 'Ifan Price', hourlyRate: '11.00', 'dateOfBirth-year': '2007', closeRelative: 'no', relationship: '', payroll: 'self', payrollProvider: '' }));
    expect(around.status).toBe(400);
    expect(around.text).toContain('govuk-error-summary');
    expect(await t.db.selectFrom('personal_assistants').select(['payroll', 'is_close_relative_in_household']).where('id', '=', ifan.id).executeTakeFirstOrThrow()).toEqual({ payroll: 'none', is_close_relative_in_household: true });
    const audit = await t.db.selectFrom('audit_log').select('entity_type').where('entity_type', '=', 'family-payment-decision').execute();
    expect(audit).toHaveLength(2);
  });

  it('keeps the checklist, in Welsh for a person who chose Welsh', async () => {
    const anwen = await signedIn(t.app, 'anwen');
    const saved = await anwen.post2(`/my/direct-payments/${anwenDp}/employer/checklist`, {
      insurer: 'Eastmoor Mutual', insurancePolicy: 'EL-448120', insuranceCover: '10000000', 'insuranceRenewsOn-day': '18', 'insuranceRenewsOn-month': '12', 'insuranceRenewsOn-year': '2027',
      payeRegistered: 'yes', payeReference: '120/AB45678', 'pensionAssessedOn-day': '1', 'pensionAssessedOn-month': '7', 'pensionAssessedOn-year': '2026', pensionScheme: 'NEST', holidayExplained: 'yes',
    });
    expect(saved.status).toBe(303);
    await anwen.post2('/language', { lang: 'cy', returnTo: `/my/direct-payments/${anwenDp}/employer` });
    const page = await anwen.get(`/my/direct-payments/${anwenDp}/employer`);
    expect(page.text).toContain('Eich rhestr wirio cyflogwr');
    expect(page.text).toContain('18 Rhagfyr 2027');
    await anwen.post2('/language', { lang: 'en', returnTo: '/my' });
  });

  it('records the hours a PA worked in a week, refusing a week that does not start on a Monday', async () => {
    const anwen = await signedIn(t.app, 'anwen');
    const bethan = await t.db.selectFrom('personal_assistants').select('id').where('name', '=', 'Bethan Lloyd').executeTakeFirstOrThrow();
    const bad = await anwen.post2(`/my/assistants/${bethan.id}/timesheets`, { 'weekStartsOn-day': '17', 'weekStartsOn-month': '11', 'weekStartsOn-year': '2026', hoursWorked: '9' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The week must start on a Monday');
    const ok = await anwen.post2(`/my/assistants/${bethan.id}/timesheets`, { 'weekStartsOn-day': '16', 'weekStartsOn-month': '11', 'weekStartsOn-year': '2026', hoursWorked: '9.5' });
    expect(ok.status).toBe(303);
    const page = await anwen.get(`/my/assistants/${bethan.id}`);
    expect(page.text).toContain('16 November 2026');
    const expected = await expectedWagesFor(t.db, anwenDp, '2026-11-16', '2026-11-22');
    expect(expected.totalPence).toBe(Math.round(1300 * 9.5));
  });

  it('keeps other people’s PAs and staff pages away from a recipient', async () => {
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/my/direct-payments/${anwenDp}/employer`)).status).toBe(404);
    expect((await peter.get(`/direct-payments/${anwenDp}/employer`)).status).toBe(403);
    const admin = await signedIn(t.app, 'admin');
    expect((await admin.get(`/direct-payments/${anwenDp}/employer`)).status).toBe(403);
  });

  it('lets an administrator add next April’s rate once, and a council floor', async () => {
    const admin = await signedIn(t.app, 'admin');
    const bad = await admin.post2('/admin/minimum-wage/rates', { band: 'age_21_plus', 'effectiveFrom-day': '1', 'effectiveFrom-month': '4', 'effectiveFrom-year': '2027', hourly: '13.40' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('There is already a rate for them from that date');
    const ok = await admin.post2('/admin/minimum-wage/rates', { band: 'age_21_plus', 'effectiveFrom-day': '1', 'effectiveFrom-month': '4', 'effectiveFrom-year': '2028', hourly: '13.60' });
    expect(ok.status).toBe(303);
    const floor = await admin.post2('/admin/minimum-wage/floors', { 'floor-name': 'Real Living Wage', 'floorFrom-day': '1', 'floorFrom-month': '5', 'floorFrom-year': '2027', 'floor-hourly': '13.45' });
    expect(floor.status).toBe(303);
    const page = await admin.get('/admin/minimum-wage');
    expect(page.text).toContain('Real Living Wage: £13.45 an hour');
  });
});

describe('staff pages', () => {
  it('a practitioner sees Kate’s team, with the council’s decision on paying her brother', async () => {
    const gareth = await signedIn(t.app, 'practitioner');
    const page = await gareth.get(`/direct-payments/${kateDp}/employer`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Daniel Fletcher');
    expect(page.text).toMatch(/The council decided on .* that paying them is necessary/);
    const audit = await t.db.selectFrom('audit_log').select('id').where('entity_type', '=', 'employer').where('entity_id', '=', kateDp).execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('a pool member reads their share in their own language; the pool’s page shows every member’s part', async () => {
    const dewi = await signedIn(t.app, 'dewi');
    const dp = (await t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select('direct_payments.id').where('people.given_name', '=', 'Dewi').executeTakeFirstOrThrow()).id;
    const mine = await dewi.get(`/my/direct-payments/${dp}/pools`);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('Gorwellion Newydd');
    expect(mine.text).toContain('Eich cyfran yw 2 o 3 rhan');
    expect(mine.text).toContain('Eich rhan chi oedd £180.00');
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/my/direct-payments/${dp}/pools`)).status).toBe(404);
    const rhys = await signedIn(t.app, 'rhys');
    const pool = await t.db.selectFrom('pools').select('id').where('name', '=', 'Gorwellion Newydd').executeTakeFirstOrThrow();
    const page = await rhys.get(`/pools/${pool.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Alun Roberts (left');
    expect((await gareth()).status).toBe(404);
    async function gareth() { return (await signedIn(t.app, 'practitioner')).get(`/pools/${pool.id}`); }
  });
});

describe('a practitioner runs a pool through its pages', () => {
  it('sets it up, adds members by reference, moves contributions, records a purchase and a member leaving', async () => {
    const gareth = await signedIn(t.app, 'practitioner');
    const refs = await t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select(['people.given_name', 'direct_payments.reference']).where('people.given_name', 'in', ['Anwen', 'Trevor']).execute();
    const ref = (n: string) => refs.find((r) => r.given_name === n)!.reference;
    const empty = await gareth.post2('/pools/new', {});
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter the pool’s name');
    const made = await gareth.post2('/pools/new', { name: 'Eastmoor Walking Group', serviceKind: 'session_series', description: 'Weekly guided walks with a support worker', managedBy: 'The members, with Anwen as treasurer' });
    expect(made.status).toBe(303);
    const poolUrl = made.headers.location as string;
    const badRef = await gareth.post2(`${poolUrl}/members`, { reference: 'DP-999999', shareParts: '1', contribution: '20', 'joinedOn-day': '1', 'joinedOn-month': '11', 'joinedOn-year': '2026' });
    expect(badRef.status).toBe(400);
    expect(badRef.text).toContain('There is no direct payment with that reference');
    expect(badRef.text).toContain('value="DP-999999"');
    for (const [name, parts] of [['Anwen', '1'], ['Trevor', '3']] as const) {
      expect((await gareth.post2(`${poolUrl}/members`, { reference: ref(name), shareParts: parts, contribution: '40.00', 'joinedOn-day': '1', 'joinedOn-month': '11', 'joinedOn-year': '2026' })).status).toBe(303);
    }
    expect((await gareth.post2(`${poolUrl}/contributions`, { 'periodStartsOn-day': '2', 'periodStartsOn-month': '11', 'periodStartsOn-year': '2026' })).status).toBe(303);
    const tooMuch = await gareth.post2(`${poolUrl}/purchases`, { 'boughtOn-day': '10', 'boughtOn-month': '11', 'boughtOn-year': '2026', description: 'Walking poles', supplier: 'Outdoors Ltd', amount: '500' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.text).toContain('does not hold enough');
    expect((await gareth.post2(`${poolUrl}/purchases`, { 'boughtOn-day': '10', 'boughtOn-month': '11', 'boughtOn-year': '2026', description: 'Walking poles', supplier: 'Outdoors Ltd', amount: '50.00' })).status).toBe(303);
    const page = await gareth.get(poolUrl);
    expect(page.text).toContain('Anwen Price £12.50, Trevor Mills £37.50');
    const member = await t.db.selectFrom('pool_members').innerJoin('pools', 'pools.id', 'pool_members.pool_id').select('pool_members.id').where('pools.name', '=', 'Eastmoor Walking Group').where('pool_members.share_parts', '=', 1).executeTakeFirstOrThrow();
    const future = await gareth.post2(`/pool-members/${member.id}/leave`, { 'leftOn-day': '1', 'leftOn-month': '1', 'leftOn-year': '2027' });
    expect(future.status).toBe(400);
    const left = await gareth.post2(`/pool-members/${member.id}/leave`, { 'leftOn-day': '20', 'leftOn-month': '11', 'leftOn-year': '2026' });
    expect(left.status).toBe(303);
    const after = await gareth.get(poolUrl);
    expect(after.text).toContain('Anwen Price (left 20 November 2026, £27.50 returned)');
    expect(await verifyLedger(t.db)).toEqual([]);
  });
});

describe('renewal reminders', () => {
  it('remind the employer and the practitioner before the insurance lapses, once, and again for a new date', async () => {
    const s = await freshServices({ clock: fixedClock('2026-11-23') });
    try {
      await seedDemo(s);
      const first = await runJob(s, 'employers.reminders');
      expect(first.processed).toBeGreaterThan(0);
      const outbox = await s.db.selectFrom('notifications').select(['template_id', 'subject', 'to_user_id', 'link']).where('template_id', 'like', 'employers.%').execute();
      const anwenUser = await s.db.selectFrom('users').select('id').where('username', '=', 'anwen').executeTakeFirstOrThrow();
      const toAnwen = outbox.filter((n) => n.to_user_id === anwenUser.id && n.template_id === 'employers.insurance-renewal');
      expect(toAnwen).toHaveLength(1);
      expect(toAnwen[0]!.subject).toBe('Your employer’s liability insurance runs out on 18 December 2026');
      expect(outbox.some((n) => n.template_id === 'employers.insurance-renewal-staff')).toBe(true);
      // Bethan is paid monthly from 8 June 2026: next April's rate applies from her period starting 8 April 2027.
      expect(outbox.filter((n) => n.template_id === 'employers.wage-below-minimum').map((n) => n.subject)).toEqual(['A PA’s pay will be below the legal minimum from 8 April 2027']);
      // Trevor's insurance is months away: no reminder.
      const trevorUser = await s.db.selectFrom('users').select('id').where('username', '=', 'trevor').executeTakeFirstOrThrow();
      expect(outbox.filter((n) => n.to_user_id === trevorUser.id)).toEqual([]);
      // Running again sends nothing new.
      expect((await runJob(s, 'employers.reminders')).processed).toBe(0);
      // Renewed, then the new date comes round: a new reminder.
      await s.db.updateTable('employer_checklists').set({ insurance_renews_on: '2027-12-18' }).where('direct_payment_id', 'in', s.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select('direct_payments.id').where('people.given_name', '=', 'Anwen')).execute();
      const later = { ...s, clock: fixedClock('2027-11-20') };
      await runJob(later, 'employers.reminders');
      const again = await s.db.selectFrom('notifications').select('subject').where('to_user_id', '=', anwenUser.id).where('template_id', '=', 'employers.insurance-renewal').orderBy('created_at').execute();
      expect(again.map((n) => n.subject)).toEqual(['Your employer’s liability insurance runs out on 18 December 2026', 'Your employer’s liability insurance runs out on 18 December 2027']);
    } finally {
      await s.close();
    }
  });
});
