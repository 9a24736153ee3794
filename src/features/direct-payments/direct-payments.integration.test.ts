import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { buildDirectPayment, buildPerson, buildPlan, demoIds } from '../../../test/support/builders.ts';
import { defaultGuidance } from '../guidance/default-guidance.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let gareth: Agent;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  gareth = await signedIn(t.app, 'practitioner');
  await t.db.deleteFrom('guidance_items').where('council_id', '=', ids.england).execute();
  await t.db.insertInto('guidance_items').values(defaultGuidance().map((g, i) => ({ ...g, council_id: ids.england, position: i + 1 }))).execute();
});
afterAll(async () => {
  await t?.stop();
});

const directPaymentCount = async (planId: string) =>
  Number((await t.db.selectFrom('direct_payments').select((eb) => eb.fn.countAll<string>().as('n')).where('plan_id', '=', planId).executeTakeFirstOrThrow()).n);

/** A person with an ongoing plan: £200 a week by direct payment beside £80 of council services; budget £300, contribution £40. */
async function ongoingPlan(given = 'Olwen') {
  const person = await buildPerson(t.db, ids.england, { given_name: given, family_name: 'Parry' });
  const plan = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'ongoing', status: 'agreed', weekly_cost_pence: 30_000, weekly_contribution_pence: 4_000 });
  await t.db
    .insertInto('plan_items')
    .values([
      { plan_id: plan.id, position: 1, outcome: 'Get up and out each morning', met_by: 'direct_payment', how: 'A personal assistant I choose', cost_pence: 20_000, cost_frequency: 'weekly' },
      { plan_id: plan.id, position: 2, outcome: 'Have a bath safely', met_by: 'council_service', how: 'Homecare visit', cost_pence: 8_000, cost_frequency: 'weekly' },
    ])
    .execute();
  return { personId: person.id, planId: plan.id };
}

async function oneOffPlan(given = 'Idris') {
  const person = await buildPerson(t.db, ids.england, { given_name: given, family_name: 'Lloyd' });
  const plan = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'one_off', status: 'agreed' });
  await t.db.insertInto('plan_items').values({ plan_id: plan.id, position: 1, outcome: 'Cook my own meals', met_by: 'direct_payment', how: 'A cooker', cost_pence: 45_000, cost_frequency: 'one_off' }).execute();
  return { personId: person.id, planId: plan.id };
}

const goodOngoing = {
  meets_needs: 'part',
  purpose: 'A personal assistant to help me get up and out each morning',
  weekly_amount: '200',
  weekly_contribution: '40',
  frequency: 'four_weekly',
  payment_method: 'bank_account',
  account_name: 'O PARRY',
  sort_code: '12-34-56',
  account_number: '12345678',
  payee: 'person',
  'starts_on-day': '1',
  'starts_on-month': '12',
  'starts_on-year': '2026',
};

describe('setting up a direct payment', () => {
  it('shows the form with the needs it meets, sensible starting amounts and the council’s guidance beside the purpose', async () => {
    const { planId } = await ongoingPlan();
    const res = await gareth.get(`/plans/${planId}/direct-payments/new`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('“Get up and out each morning”');
    expect(res.text).not.toContain('“Have a bath safely”');
    expect(res.text).toContain('value="200.00"');
    expect(res.text).toContain('value="40.00"');
    expect(res.text).toMatch(/value="part" checked/);
    expect(res.text).toContain('It is paid every 4 weeks, in advance.');
    expect(res.text).toContain('govuk-details');
    expect(res.text).toContain('What direct payments can buy: the council’s guidance');
    expect(res.text).toContain('<h3 class="govuk-heading-s">Equipment that increases independence</h3>');
    expect(res.text).toContain('be open to new ideas and be as flexible as possible');
    expect(res.text.indexOf('id="purpose"')).toBeLessThan(res.text.indexOf('govuk-details'));
  });

  it('creates an ongoing direct payment paid 4-weekly net of the contribution, and shows bank details only masked', async () => {
    const { personId, planId } = await ongoingPlan('Bethan');
    const res = await gareth.post2(`/plans/${planId}/direct-payments/new`, goodOngoing);
    expect(res.status).toBe(303);
    const dp = await t.db.selectFrom('direct_payments').selectAll().where('plan_id', '=', planId).executeTakeFirstOrThrow();
    expect(res.headers.location).toBe(`/direct-payments/${dp.id}`);
    expect(dp).toMatchObject({
      person_id: personId, council_id: ids.england, kind: 'ongoing', status: 'draft', meets_needs: 'part', weekly_amount_pence: 20_000, weekly_contribution_pence: 4_000,
      amount_pence: null, frequency: 'four_weekly', payment_method: 'bank_account', payee: 'person', account_name: 'O PARRY', sort_code: '123456', account_number: '12345678', starts_on: '2026-12-01',
    });
    expect(dp.reference).toMatch(/^DP-\d{6}$/);

    const page = await gareth.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Direct payment ${dp.reference} set up`);
    expect(page.text).toContain(`<h1 class="govuk-heading-l">Direct payment ${dp.reference}</h1>`);
    expect(page.text).toContain('Not yet sent to the funding panel. Next: write the business case');
    expect(page.text).toContain('£160.00');
    expect(page.text).toContain('£640.00');
    expect(page.text).toContain('Every 4 weeks, in advance');
    expect(page.text).toContain('••••5678');
    expect(page.text).toContain('••-••-56');
    expect(page.text).toContain('“Get up and out each morning”');
    expect(page.text).toContain(`/direct-payments/${dp.id}/business-case`);

    const audit = await t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'direct-payment').where('entity_id', '=', dp.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'view']);
    expect(JSON.stringify(audit)).not.toContain('12345678');

    const finance = await signedIn(t.app, 'finance');
    const plan = await gareth.get(`/plans/${planId}`);
    expect(plan.text).toContain(dp.reference);
    expect(plan.text).toContain('£640.00 every 4 weeks');
    for (const [agent, path] of [[gareth, res.headers.location!], [gareth, `/plans/${planId}`], [finance, '/direct-payments'], [finance, res.headers.location!]] as const) {
      const html = (await agent.get(path)).text;
      expect(html, path).not.toContain('12345678');
      expect(html, path).not.toContain('123456');
    }
  });

  it('creates a one-off direct payment, paid once, to a prepaid card', async () => {
    const { planId } = await oneOffPlan();
    const res = await gareth.post2(`/plans/${planId}/direct-payments/new`, { meets_needs: 'all', purpose: 'An electric cooker', amount: '£450', payment_method: 'prepaid_card', payee: 'person', 'starts_on-day': '23', 'starts_on-month': '11', 'starts_on-year': '2026' });
    expect(res.status).toBe(303);
    const dp = await t.db.selectFrom('direct_payments').selectAll().where('plan_id', '=', planId).executeTakeFirstOrThrow();
    expect(dp).toMatchObject({ kind: 'one_off', amount_pence: 45_000, weekly_amount_pence: null, frequency: 'once', payment_method: 'prepaid_card', sort_code: null, account_number: null });
    const page = await gareth.get(`/direct-payments/${dp.id}`);
    expect(page.text).toContain('£450.00');
    expect(page.text).toContain('A prepaid card');
  });

  it('keeps what was typed and saves nothing when the amount is not money or the sort code is too short', async () => {
    const { planId } = await oneOffPlan('Sion');
    const res = await gareth.post2(`/plans/${planId}/direct-payments/new`, { meets_needs: 'all', purpose: 'A cooker for fresh meals', amount: 'abc', payment_method: 'bank_account', account_name: 'S LLOYD', sort_code: '12-34', account_number: '12345678', payee: 'person', 'starts_on-day': '1', 'starts_on-month': '12', 'starts_on-year': '2026' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Enter the amount in pounds, like 450 or 450.50');
    expect(res.text).toContain('Enter a valid sort code, like 309430');
    expect(res.text).toContain('href="#amount"');
    expect(res.text).toContain('href="#sort_code"');
    expect(res.text).toContain('value="abc"');
    expect(res.text).toContain('value="12-34"');
    expect(res.text).toContain('A cooker for fresh meals');
    expect(res.text).toContain('value="S LLOYD"');
    expect(res.text).toMatch(/value="bank_account" checked/);
    expect(res.text).toMatch(/<title>Error:/);
    expect(await directPaymentCount(planId)).toBe(0);
  });

  it('reports every missing answer at once', async () => {
    const { planId } = await ongoingPlan('Gwen');
    const res = await gareth.post2(`/plans/${planId}/direct-payments/new`, {});
    expect(res.status).toBe(400);
    for (const message of [
      'Select whether the direct payment meets all or part of the needs',
      'Enter what the direct payment is for',
      'Enter the weekly amount',
      'Select how the money will be paid',
      'Select who will receive the money',
      'Enter the date the direct payment starts',
    ]) expect(res.text).toContain(message);
    expect(await directPaymentCount(planId)).toBe(0);
  });

  it('keeps an ongoing direct payment inside the personal budget', async () => {
    const { planId } = await ongoingPlan('Huw');
    const above = await gareth.post2(`/plans/${planId}/direct-payments/new`, { ...goodOngoing, weekly_amount: '300.01', weekly_contribution: '50' });
    expect(above.status).toBe(400);
    expect(above.text).toContain('The weekly amount cannot be more than the personal budget’s weekly cost');
    expect(above.text).toContain('The contribution cannot be more than the person’s assessed weekly contribution');
    const more = await gareth.post2(`/plans/${planId}/direct-payments/new`, { ...goodOngoing, weekly_amount: '30', weekly_contribution: '35' });
    expect(more.status).toBe(400);
    expect(more.text).toContain('The contribution cannot be more than the weekly amount');
    expect(await directPaymentCount(planId)).toBe(0);
  });

  it('checks the bank details’ format, the start date, and who is paid for each method', async () => {
    const { planId } = await ongoingPlan('Rhian');
    const bad = await gareth.post2(`/plans/${planId}/direct-payments/new`, { ...goodOngoing, sort_code: '1234567', account_number: '12345', account_name: '', 'starts_on-day': '22', 'starts_on-month': '11', 'starts_on-year': '2026' });
    expect(bad.status).toBe(400);
    for (const message of ['Enter a valid sort code', 'Enter a valid account number, 6 to 10 digits', 'Enter the name on the account', 'The start date must be today or in the future']) expect(bad.text).toContain(message);
    const managed = await gareth.post2(`/plans/${planId}/direct-payments/new`, { ...goodOngoing, payment_method: 'managed_account', payee: 'person' });
    expect(managed.status).toBe(400);
    expect(managed.text).toContain('Enter the name of the managed-account provider');
    expect(managed.text).toContain('A managed account is paid to its provider');
    const provider = await gareth.post2(`/plans/${planId}/direct-payments/new`, { ...goodOngoing, payee: 'provider' });
    expect(provider.status).toBe(400);
    expect(provider.text).toContain('Only a managed account is paid to a provider');
    expect(await directPaymentCount(planId)).toBe(0);

    const ok = await gareth.post2(`/plans/${planId}/direct-payments/new`, { ...goodOngoing, payment_method: 'managed_account', provider_name: 'Eastmoor Independent Living', payee: 'provider', sort_code: '', account_number: '' });
    expect(ok.status).toBe(303);
    const dp = await t.db.selectFrom('direct_payments').selectAll().where('plan_id', '=', planId).executeTakeFirstOrThrow();
    expect(dp).toMatchObject({ payment_method: 'managed_account', payee: 'provider', provider_name: 'Eastmoor Independent Living', sort_code: null, account_number: null, account_name: null });
  });

  it('pays a representative only if they are recorded as receiving payments', async () => {
    const { personId, planId } = await ongoingPlan('Megan');
    const receives = await t.db.insertInto('representatives').values({ person_id: personId, name: 'Delyth Parry', relationship: 'Daughter', kind: 'authorised', receives_payment: true, starts_on: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
    const doesNot = await t.db.insertInto('representatives').values({ person_id: personId, name: 'Gethin Parry', relationship: 'Son', kind: 'nominated', receives_payment: false, starts_on: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
    const page = await gareth.get(`/plans/${planId}/direct-payments/new`);
    expect(page.text).toContain('Delyth Parry, Daughter (authorised person)');
    expect(page.text).not.toContain('Gethin Parry');
    const refused = await gareth.post2(`/plans/${planId}/direct-payments/new`, { ...goodOngoing, payee: `representative:${doesNot.id}` });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Select who will receive the money');
    const res = await gareth.post2(`/plans/${planId}/direct-payments/new`, { ...goodOngoing, payee: `representative:${receives.id}` });
    expect(res.status).toBe(303);
    const dp = await t.db.selectFrom('direct_payments').select(['id', 'payee', 'representative_id']).where('plan_id', '=', planId).executeTakeFirstOrThrow();
    expect(dp).toMatchObject({ payee: 'representative', representative_id: receives.id });
    expect((await gareth.get(`/direct-payments/${dp.id}`)).text).toContain('Delyth Parry (Daughter)');
  });

  it('waits for an outcome met by direct payment, and for the personal budget of an ongoing plan', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Alun' });
    const noBudget = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'ongoing', status: 'agreed' });
    await t.db.insertInto('plan_items').values({ plan_id: noBudget.id, position: 1, outcome: 'Go swimming', met_by: 'direct_payment', how: 'Pool', cost_pence: 1_000, cost_frequency: 'weekly' }).execute();
    const page = await gareth.get(`/plans/${noBudget.id}/direct-payments/new`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Set the personal budget first');
    expect(page.text).not.toContain('name="purpose"');
    expect((await gareth.post2(`/plans/${noBudget.id}/direct-payments/new`, goodOngoing)).status).toBe(303);
    expect(await directPaymentCount(noBudget.id)).toBe(0);

    const noItems = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'one_off', status: 'agreed' });
    expect((await gareth.get(`/plans/${noItems.id}/direct-payments/new`)).text).toContain('No outcome in this plan is met by a direct payment yet');
  });
});

describe('the direct payment’s page', () => {
  it('shows the panel’s decision with its reasons, what happens next, and the link to the agreement', async () => {
    const { personId, planId } = await oneOffPlan('Nerys');
    const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId, createdBy: ids.user('practitioner'), planId }, { status: 'approved' });
    const bc = await t.db
      .insertInto('business_cases')
      .values({ direct_payment_id: dp.id, author_id: ids.user('practitioner'), proposal: 'A cooker', why_necessary: 'To cook', outcomes_expected: 'Cooks', status: 'decided' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('panel_decisions').values({ business_case_id: bc.id, decided_by: ids.user('panel'), decision: 'approved_with_conditions', reasons: 'Cheaper than homecare.', conditions: 'Keep the receipt.' }).execute();
    const page = await gareth.get(`/direct-payments/${dp.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Approved with conditions');
    expect(page.text).toContain('Cheaper than homecare.');
    expect(page.text).toContain('Keep the receipt.');
    expect(page.text).toContain('Next: prepare the direct payment agreement');
    expect(page.text).toContain(`href="/direct-payments/${dp.id}/agreement"`);
    expect(page.text).not.toContain(`href="/direct-payments/${dp.id}/payments"`);
    expect(page.text).not.toContain(`/reviews/new`);
  });

  it('links to payments and reviews once the direct payment is active', async () => {
    const { personId, planId } = await oneOffPlan('Owain');
    const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId, createdBy: ids.user('practitioner'), planId }, { status: 'active' });
    const page = await gareth.get(`/direct-payments/${dp.id}`);
    expect(page.text).toContain('The payment has been made. Next: check back with the person');
    expect(page.text).toContain(`href="/direct-payments/${dp.id}/payments"`);
    expect(page.text).toContain(`href="/direct-payments/${dp.id}/reviews/new"`);
  });
});

describe('the direct payments list', () => {
  it('lists the council’s direct payments for finance, filtered by status', async () => {
    const { personId, planId } = await oneOffPlan('Ffion');
    const active = await buildDirectPayment(t.db, { councilId: ids.england, personId, createdBy: ids.user('practitioner'), planId }, { status: 'active', amount_pence: 12_345 });
    const finance = await signedIn(t.app, 'finance');
    const listViews = async () => (await t.db.selectFrom('audit_log').select('id').where('entity_type', '=', 'direct-payments-list').where('username', '=', 'finance').execute()).length;
    const viewsBefore = await listViews();
    const all = await finance.get('/direct-payments');
    expect(all.status).toBe(200);
    expect(all.text).toContain(active.reference);
    expect(all.text).toContain('Ffion Lloyd');
    expect(all.text).toContain('£123.45 once');
    const drafts = await finance.get('/direct-payments?status=draft');
    expect(drafts.text).not.toContain(active.reference);
    const actives = await finance.get('/direct-payments?status=active');
    expect(actives.text).toContain(active.reference);
    expect(actives.text).toMatch(/value="active" selected/);
    expect((await finance.get('/direct-payments?status=nonsense')).status).toBe(200);
    expect(await listViews()).toBe(viewsBefore + 4);
  });

  it('shows only the council’s own direct payments', async () => {
    const { personId, planId } = await oneOffPlan('Tomos');
    const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId, createdBy: ids.user('practitioner'), planId });
    const ffion = await signedIn(t.app, 'ffion');
    const list = await ffion.get('/direct-payments');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(dp.reference);
    expect(list.text).not.toContain('Tomos');
  });

  it('refuses the panel and recipients', async () => {
    expect((await (await signedIn(t.app, 'panel')).get('/direct-payments')).status).toBe(403);
    expect((await (await signedIn(t.app, 'peter')).get('/direct-payments')).status).toBe(403);
  });
});

describe('who may see and set up a direct payment', () => {
  it('answers 404 to another council’s practitioner, and saves nothing', async () => {
    const { personId, planId } = await ongoingPlan('Eira');
    const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId, createdBy: ids.user('practitioner'), planId });
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/direct-payments/${dp.id}`)).status).toBe(404);
    expect((await rhys.get(`/plans/${planId}/direct-payments/new`)).status).toBe(404);
    expect((await rhys.post2(`/plans/${planId}/direct-payments/new`, goodOngoing)).status).toBe(404);
    expect(await directPaymentCount(planId)).toBe(1);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await gareth.get('/direct-payments/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await gareth.get('/direct-payments/DP-000001')).status).toBe(404);
    expect((await gareth.get('/plans/not-a-plan/direct-payments/new')).status).toBe(404);
  });

  it('refuses recipients and lets the panel and finance read but not set up', async () => {
    const { personId, planId } = await oneOffPlan('Elen');
    const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId, createdBy: ids.user('practitioner'), planId });
    const anwen = await signedIn(t.app, 'anwen');
    expect((await anwen.get(`/direct-payments/${dp.id}`)).status).toBe(403);
    expect((await anwen.post2(`/plans/${planId}/direct-payments/new`, goodOngoing)).status).toBe(403);
    for (const username of ['panel', 'finance']) {
      const agent = await signedIn(t.app, username);
      expect((await agent.get(`/direct-payments/${dp.id}`)).status).toBe(200);
      expect((await agent.get(`/plans/${planId}/direct-payments/new`)).status).toBe(403);
    }
    expect(await directPaymentCount(planId)).toBe(1);
  });
});

describe('setting up a direct payment safely', () => {
  it('waits until the plan is agreed with the person', async () => {
    const person = await buildPerson(t.db, ids.england, { practitioner_id: ids.user('practitioner') });
    const plan = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'one_off', status: 'draft' });
    await t.db.insertInto('plan_items').values({ plan_id: plan.id, position: 1, outcome: 'Cook', met_by: 'direct_payment', how: 'A cooker', cost_pence: 45000, cost_frequency: 'one_off' }).execute();
    const agent = await signedIn(t.app, 'practitioner');
    const page = await agent.get(`/plans/${plan.id}/direct-payments/new`);
    expect(page.text).toContain('Agree the plan with the person first');
  });

  it('does not offer the money to a child, only to the person with parental responsibility', async () => {
    const child = await buildPerson(t.db, ids.england, { kind: 'child', date_of_birth: '2016-05-01', practitioner_id: ids.user('practitioner') });
    const plan = await buildPlan(t.db, child.id, ids.user('practitioner'), { kind: 'one_off', status: 'agreed' });
    await t.db.insertInto('plan_items').values({ plan_id: plan.id, position: 1, outcome: 'Join a club', met_by: 'direct_payment', how: 'Membership', cost_pence: 12000, cost_frequency: 'one_off' }).execute();
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/plans/${plan.id}/direct-payments/new`, {
      meets_needs: 'all', purpose: 'A club membership', payment_method: 'prepaid_card', payee: 'person', amount: '120',
      'starts_on-day': '1', 'starts_on-month': '12', 'starts_on-year': '2026',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('A child under 18 cannot receive a direct payment themselves');
    expect(await t.db.selectFrom('direct_payments').select('id').where('plan_id', '=', plan.id).execute()).toEqual([]);
  });

  it('sets up one direct payment however many times the form is sent at once', async () => {
    const person = await buildPerson(t.db, ids.england, { practitioner_id: ids.user('practitioner') });
    const plan = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'one_off', status: 'agreed' });
    await t.db.insertInto('plan_items').values({ plan_id: plan.id, position: 1, outcome: 'Cook', met_by: 'direct_payment', how: 'A cooker', cost_pence: 45000, cost_frequency: 'one_off' }).execute();
    const agent = await signedIn(t.app, 'practitioner');
    const form = { meets_needs: 'all', purpose: 'A cooker', payment_method: 'prepaid_card', payee: 'person', amount: '450', 'starts_on-day': '1', 'starts_on-month': '12', 'starts_on-year': '2026' };
    const _csrf = await agent.csrf();
    const send = () => agent.post(`/plans/${plan.id}/direct-payments/new`).type('form').send({ ...form, _csrf });
    const results = await Promise.all([send(), send(), send()]);
    expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(await t.db.selectFrom('direct_payments').select('id').where('plan_id', '=', plan.id).execute()).toHaveLength(1);
  });

  it('refuses a start date more than a year away', async () => {
    const person = await buildPerson(t.db, ids.england, { practitioner_id: ids.user('practitioner') });
    const plan = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'one_off', status: 'agreed' });
    await t.db.insertInto('plan_items').values({ plan_id: plan.id, position: 1, outcome: 'Cook', met_by: 'direct_payment', how: 'A cooker', cost_pence: 45000, cost_frequency: 'one_off' }).execute();
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/plans/${plan.id}/direct-payments/new`, { meets_needs: 'all', purpose: 'A cooker', payment_method: 'prepaid_card', payee: 'person', amount: '450', 'starts_on-day': '31', 'starts_on-month': '12', 'starts_on-year': '9999' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('within the next 12 months');
  });
});
