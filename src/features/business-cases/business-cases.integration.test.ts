import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type Agent, type TestApp } from '../../../test/support/app.ts';
import { buildDirectPayment, demoIds } from '../../../test/support/builders.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let practitioner: Agent;

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  practitioner = await signedIn(t.app, 'practitioner');
});
afterAll(async () => {
  await t?.stop();
});

async function petersCooker() {
  return buildDirectPayment(t.db, { councilId: ids.england, personId: ids.person('Peter'), createdBy: ids.user('practitioner') });
}

async function startCase(agent: Agent, dpId: string): Promise<string> {
  const res = await agent.post2(`/direct-payments/${dpId}/business-case`, {});
  expect(res.status).toBe(303);
  const m = /^\/business-cases\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '');
  expect(m, res.headers.location).toBeTruthy();
  return m![1]!;
}

async function writeWholeCase(agent: Agent, caseId: string) {
  const posts: Array<[string, Record<string, string>]> = [
    ['proposal', { proposal: 'A cooker', why_necessary: 'Peter wants to cook fresh meals again; his old cooker is broken and unsafe.' }],
    ['context', { context_family: 'His daughter visits on Sundays.', context_community: 'A lunch club twice a week.', context_agencies: 'None involved.' }],
    ['outcomes', { outcomes_expected: 'Peter cooks his own meals every day.' }],
    ['costs/proposal', { description: 'A cooker', one_off: '450', weekly: '0', notes: '' }],
    ['costs/alternatives/new', { description: 'A homecare package', one_off: '0', weekly: '£156.00', notes: 'One hour each day' }],
  ];
  for (const [path, form] of posts) {
    const res = await agent.post2(`/business-cases/${caseId}/${path}`, form);
    expect(res.status, path).toBe(303);
  }
}

describe('starting a business case', () => {
  it('shows a start page, then makes one case however often the button is pressed', async () => {
    const dp = await petersCooker();
    const start = await practitioner.get(`/direct-payments/${dp.id}/business-case`);
    expect(start.status).toBe(200);
    expect(start.text).toContain('Start the business case');
    const caseId = await startCase(practitioner, dp.id);
    expect(await startCase(practitioner, dp.id)).toBe(caseId);
    const again = await practitioner.get(`/direct-payments/${dp.id}/business-case`);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/business-cases/${caseId}`);
    const cases = await t.db.selectFrom('business_cases').select(['id', 'author_id', 'status', 'horizon_months']).where('direct_payment_id', '=', dp.id).execute();
    expect(cases).toEqual([{ id: caseId, author_id: ids.user('practitioner'), status: 'draft', horizon_months: 12 }]);
    const page = await practitioner.get(`/business-cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('What is proposed and why');
    expect(page.text).toContain('Incomplete');
  });

  it('will not start a case for a direct payment the panel has already decided', async () => {
    const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId: ids.person('Jemima'), createdBy: ids.user('practitioner') }, { status: 'approved' });
    const res = await practitioner.post2(`/direct-payments/${dp.id}/business-case`, {});
    expect(res.status).toBe(409);
    expect(await t.db.selectFrom('business_cases').select('id').where('direct_payment_id', '=', dp.id).execute()).toEqual([]);
  });
});

describe('writing the case', () => {
  it('keeps what was typed and shows an error summary when an answer is missing or wrong', async () => {
    const caseId = await startCase(practitioner, (await petersCooker()).id);

    const proposal = await practitioner.post2(`/business-cases/${caseId}/proposal`, { proposal: 'A cooker for Peter', why_necessary: '  ' });
    expect(proposal.status).toBe(400);
    expect(proposal.text).toContain('There is a problem');
    expect(proposal.text).toContain('href="#why_necessary"');
    expect(proposal.text).toContain('Say why it is necessary');
    expect(proposal.text).toContain('A cooker for Peter');

    const option = await practitioner.post2(`/business-cases/${caseId}/costs/alternatives/new`, { description: 'Homecare', one_off: 'lots', weekly: '-5' });
    expect(option.status).toBe(400);
    expect(option.text).toContain('Enter the one-off cost as an amount of money');
    expect(option.text).toContain('The weekly cost cannot be less than £0');
    expect(option.text).toContain('value="lots"');
    expect(option.text).toContain('value="Homecare"');

    for (const [months, message] of [['0', 'from 1 to 120'], ['121', 'from 1 to 120'], ['twelve', 'whole number'], ['', 'Enter the number of months']]) {
      const period = await practitioner.post2(`/business-cases/${caseId}/costs/period`, { horizon_months: months! });
      expect(period.status, months).toBe(400);
      expect(period.text).toContain(message);
      expect(period.text).toContain(`value="${months}"`);
    }

    const saved = await t.db.selectFrom('business_cases').select(['proposal', 'horizon_months']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(saved).toEqual({ proposal: '', horizon_months: 12 });

    // What people type is shown as text, never run as markup.
    await practitioner.post2(`/business-cases/${caseId}/outcomes`, { outcomes_expected: '<script>alert(1)</script>' });
    const check = await practitioner.get(`/business-cases/${caseId}/submit`);
    expect(check.text).not.toContain('<script>alert(1)</script>');
    expect(check.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(await t.db.selectFrom('business_case_options').select('id').where('business_case_id', '=', caseId).execute()).toEqual([]);
  });

  it('shows the cost comparison as a table and a plain-English sentence, over the months chosen', async () => {
    const caseId = await startCase(practitioner, (await petersCooker()).id);
    await writeWholeCase(practitioner, caseId);
    const costs = await practitioner.get(`/business-cases/${caseId}/costs`);
    expect(costs.status).toBe(200);
    expect(costs.text).toContain('Costs over 12 months (52 weeks)');
    expect(costs.text).toContain('Over 12 months, a cooker costs £450.00 and a homecare package would cost £8,112.00: £7,662.00 less.');

    expect((await practitioner.post2(`/business-cases/${caseId}/costs/period`, { horizon_months: '6' })).status).toBe(303);
    const six = await practitioner.get(`/business-cases/${caseId}/costs`);
    expect(six.text).toContain('Over 6 months, a cooker costs £450.00 and a homecare package would cost £4,056.00: £3,606.00 less.');
  });

  it('changes and removes alternatives, but never the proposal by that route', async () => {
    const caseId = await startCase(practitioner, (await petersCooker()).id);
    await writeWholeCase(practitioner, caseId);
    const options = await t.db.selectFrom('business_case_options').select(['id', 'proposed', 'description', 'weekly_cost_pence']).where('business_case_id', '=', caseId).orderBy('position').execute();
    expect(options.map((o) => [o.description, o.proposed, o.weekly_cost_pence])).toEqual([['A cooker', true, 0], ['A homecare package', false, 15600]]);
    const [proposal, homecare] = options;

    const change = await practitioner.post2(`/business-cases/${caseId}/costs/alternatives/${homecare!.id}`, { description: 'Homecare, 7 hours a week', one_off: '0', weekly: '160' });
    expect(change.status).toBe(303);
    // The proposal's id through the alternatives route is not an alternative of this case.
    expect((await practitioner.get(`/business-cases/${caseId}/costs/alternatives/${proposal!.id}`)).status).toBe(404);
    expect((await practitioner.post2(`/business-cases/${caseId}/costs/alternatives/${proposal!.id}/remove`, {})).status).toBe(303);
    expect((await practitioner.post2(`/business-cases/${caseId}/costs/alternatives/${homecare!.id}/remove`, {})).status).toBe(303);
    const left = await t.db.selectFrom('business_case_options').select(['description', 'proposed']).where('business_case_id', '=', caseId).execute();
    expect(left).toEqual([{ description: 'A cooker', proposed: true }]);
    const audits = await t.db.selectFrom('audit_log').select(['action', 'entity_type']).where('entity_id', '=', homecare!.id).orderBy('id').execute();
    expect(audits).toEqual([
      { action: 'create', entity_type: 'business-case-option' },
      { action: 'update', entity_type: 'business-case-option' },
      { action: 'delete', entity_type: 'business-case-option' },
    ]);
  });
});

describe('sending the case to the panel', () => {
  it('refuses an incomplete case, saying what is missing, and changes nothing', async () => {
    const dp = await petersCooker();
    const caseId = await startCase(practitioner, dp.id);
    await practitioner.post2(`/business-cases/${caseId}/proposal`, { proposal: 'A cooker', why_necessary: 'To cook.' });
    await practitioner.post2(`/business-cases/${caseId}/costs/proposal`, { description: 'A cooker', one_off: '450', weekly: '0' });

    const check = await practitioner.get(`/business-cases/${caseId}/submit`);
    expect(check.status).toBe(200);
    expect(check.text).toContain('You cannot send this case yet');
    expect(check.text).not.toContain('Send to the funding panel</button>');

    const res = await practitioner.post2(`/business-cases/${caseId}/submit`, {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Give the context: family and friends, the community and other agencies');
    expect(res.text).toContain('Say what outcomes are expected');
    expect(res.text).toContain('Add the cost of the proposal and at least one alternative');
    expect(res.text).not.toContain('Say what is proposed and why it is necessary');
    expect((await t.db.selectFrom('business_cases').select(['status', 'submitted_at']).where('id', '=', caseId).executeTakeFirstOrThrow())).toEqual({ status: 'draft', submitted_at: null });
    expect((await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow()).status).toBe('draft');
  });

  it('sends a complete case: the case is submitted and the direct payment is at the panel, with audit rows', async () => {
    const dp = await petersCooker();
    const caseId = await startCase(practitioner, dp.id);
    await writeWholeCase(practitioner, caseId);

    const check = await practitioner.get(`/business-cases/${caseId}/submit`);
    expect(check.status).toBe(200);
    expect(check.text).toContain('Send to the funding panel');
    expect(check.text).toContain('Peter wants to cook fresh meals again');

    const res = await practitioner.post2(`/business-cases/${caseId}/submit`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/business-cases/${caseId}/submitted`);
    const done = await practitioner.get(res.headers.location!);
    expect(done.text).toContain('Business case sent to the funding panel');

    const saved = await t.db.selectFrom('business_cases').select(['status', 'submitted_at']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(saved.status).toBe('submitted');
    expect(new Date(saved.submitted_at!).toISOString()).toBe(t.clock.now().toISOString());
    expect((await t.db.selectFrom('direct_payments').select('status').where('id', '=', dp.id).executeTakeFirstOrThrow()).status).toBe('at_panel');

    const audits = await t.db
      .selectFrom('audit_log')
      .select(['action', 'details', 'person_id', 'username'])
      .where('entity_type', '=', 'business-case')
      .where('entity_id', '=', caseId)
      .orderBy('id')
      .execute();
    expect(audits.every((a) => a.person_id === ids.person('Peter') && a.username === 'practitioner')).toBe(true);
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'update', 'view']));
    expect(audits.some((a) => a.action === 'update' && (a.details as { status?: string }).status === 'submitted')).toBe(true);
    expect(audits.filter((a) => a.action === 'update').map((a) => (a.details as { section?: string }).section)).toEqual(
      expect.arrayContaining(['proposal', 'context', 'outcomes']),
    );

    // Once with the panel the case cannot change under it.
    const edit = await practitioner.post2(`/business-cases/${caseId}/proposal`, { proposal: 'Something else', why_necessary: 'Changed' });
    expect(edit.status).toBe(303);
    const option = await practitioner.post2(`/business-cases/${caseId}/costs/alternatives/new`, { description: 'Late idea', one_off: '1', weekly: '1' });
    expect(option.status).toBe(303);
    expect((await t.db.selectFrom('business_cases').select('proposal').where('id', '=', caseId).executeTakeFirstOrThrow()).proposal).toBe('A cooker');
    expect(await t.db.selectFrom('business_case_options').select('id').where('business_case_id', '=', caseId).where('description', '=', 'Late idea').execute()).toEqual([]);
    const again = await practitioner.post2(`/business-cases/${caseId}/submit`, {});
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`/business-cases/${caseId}`);
    const page = await practitioner.get(`/business-cases/${caseId}`);
    expect(page.text).toContain('With the funding panel');
  });
});

describe('who may write a business case', () => {
  it('answers 404 for another council’s case or direct payment, and for ids that are not ids', async () => {
    const dp = await petersCooker();
    const caseId = await startCase(practitioner, dp.id);
    const rhys = await signedIn(t.app, 'rhys');
    for (const path of [`/business-cases/${caseId}`, `/business-cases/${caseId}/proposal`, `/business-cases/${caseId}/costs`, `/direct-payments/${dp.id}/business-case`]) {
      expect((await rhys.get(path)).status, path).toBe(404);
    }
    expect((await rhys.post2(`/business-cases/${caseId}/proposal`, { proposal: 'x', why_necessary: 'y' })).status).toBe(404);
    expect((await rhys.post2(`/direct-payments/${dp.id}/business-case`, {})).status).toBe(404);
    expect((await practitioner.get('/business-cases/not-an-id')).status).toBe(404);
    expect((await practitioner.get('/business-cases/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await practitioner.get(`/business-cases/${caseId}/costs/alternatives/not-an-id`)).status).toBe(404);
    expect((await t.db.selectFrom('business_cases').select('proposal').where('id', '=', caseId).executeTakeFirstOrThrow()).proposal).toBe('');
  });

  it('refuses recipients, panel members and finance officers (403)', async () => {
    const dp = await petersCooker();
    const caseId = await startCase(practitioner, dp.id);
    for (const username of ['peter', 'panel', 'finance', 'admin']) {
      const agent = await signedIn(t.app, username);
      expect((await agent.get(`/business-cases/${caseId}`)).status, username).toBe(403);
      expect((await agent.post2(`/business-cases/${caseId}/proposal`, { proposal: 'x', why_necessary: 'y' })).status, username).toBe(403);
      expect((await agent.post2(`/direct-payments/${dp.id}/business-case`, {})).status, username).toBe(403);
    }
  });
});
