import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { buildConversation, buildPerson, buildPlan, demoIds } from '../../../test/support/builders.ts';
import { TEST_TODAY } from '../../../test/support/database.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let gareth: Agent;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  gareth = await signedIn(t.app, 'practitioner');
});
afterAll(async () => {
  await t?.stop();
});

const count = async (table: 'care_plans' | 'plan_items', where: { plan_id?: string; person_id?: string } = {}) => {
  let q = t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n'));
  if (where.plan_id) q = q.where('plan_id' as never, '=', where.plan_id as never);
  if (where.person_id) q = q.where('person_id' as never, '=', where.person_id as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
};
const auditRows = (entityType: string, entityId?: string) => {
  let q = t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', entityType);
  if (entityId) q = q.where('entity_id', '=', entityId);
  return q.execute();
};
const draftPlan = (person: string, kind = 'ongoing') => buildPlan(t.db, ids.person(person), ids.user('practitioner'), { kind, status: 'draft' });
const addItem = (planId: string, position: number, overrides: Partial<{ outcome: string; met_by: string; how: string; cost_pence: number; cost_frequency: string }> = {}) =>
  t.db
    .insertInto('plan_items')
    .values({ plan_id: planId, position, outcome: 'I want to cook my own meals', met_by: 'direct_payment', how: 'Buy a cooker', cost_pence: 45_000, cost_frequency: 'one_off', ...overrides })
    .returning('id')
    .executeTakeFirstOrThrow();

describe('starting a care and support plan', () => {
  it('links the plan to the person’s latest completed conversation and records who it was written with', async () => {
    const peter = ids.person('peter');
    await buildConversation(t.db, peter, ids.user('practitioner'), { held_on: '2026-08-01', status: 'completed' });
    const latest = await buildConversation(t.db, peter, ids.user('practitioner'), { held_on: '2026-10-05', status: 'completed' });
    await buildConversation(t.db, peter, ids.user('practitioner'), { held_on: '2026-11-01', status: 'draft' });
    const page = await gareth.get(`/people/${peter}/plans/new`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('5 October 2026');

    const res = await gareth.post2(`/people/${peter}/plans/new`, { kind: 'one_off', co_produced_with: 'Peter and his sister' });
    expect(res.status).toBe(303);
    const planId = res.headers.location!.split('/').pop()!;
    const plan = await t.db.selectFrom('care_plans').selectAll().where('id', '=', planId).executeTakeFirstOrThrow();
    expect(plan).toMatchObject({ person_id: peter, conversation_id: latest.id, kind: 'one_off', status: 'draft', co_produced_with: 'Peter and his sister', created_by: ids.user('practitioner') });
    expect(await auditRows('care-plan', planId)).toEqual([expect.objectContaining({ action: 'create', person_id: peter, username: 'practitioner' })]);

    const view = await gareth.get(`/plans/${planId}`);
    expect(view.status).toBe(200);
    expect(view.text).toContain('Plan started');
    expect(view.text).toContain('Held on 5 October 2026');
    expect(view.text).toContain('needs no personal budget');
    expect((await auditRows('care-plan', planId)).map((r) => r.action)).toContain('view');
  });

  it('re-shows the form with the errors and what was typed, saving nothing', async () => {
    const jemima = ids.person('jemima');
    const before = await count('care_plans', { person_id: jemima });
    const res = await gareth.post2(`/people/${jemima}/plans/new`, { co_produced_with: 'Jemima and her advocate', kind: 'sometimes' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Select whether the plan is for one-off or ongoing support');
    expect(res.text).toContain('value="Jemima and her advocate"');
    const blank = await gareth.post2(`/people/${jemima}/plans/new`, { kind: 'ongoing', co_produced_with: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('Enter who the plan was written with');
    expect(blank.text).toMatch(/value="ongoing" checked/);
    expect(await count('care_plans', { person_id: jemima })).toBe(before);
  });

  it('starts a plan without a conversation when none is completed', async () => {
    const { id: kate } = await buildPerson(t.db, ids.england, { given_name: 'Nia' });
    const page = await gareth.get(`/people/${kate}/plans/new`);
    expect(page.text).toContain('There is no completed ‘what matters’ conversation yet');
    const res = await gareth.post2(`/people/${kate}/plans/new`, { kind: 'ongoing', co_produced_with: 'Nia and her mum' });
    expect(res.status).toBe(303);
    const plan = await t.db.selectFrom('care_plans').select('conversation_id').where('person_id', '=', kate).executeTakeFirstOrThrow();
    expect(plan.conversation_id).toBeNull();
  });
});

describe('outcomes in a plan', () => {
  it('adds an outcome in the person’s words with how it is met and its cost', async () => {
    const plan = await draftPlan('john');
    const res = await gareth.post2(`/plans/${plan.id}/items/new`, { outcome: 'I want to feel less lonely', met_by: 'direct_payment', how: 'A dog walker three times a week', cost_frequency: 'weekly', cost: '£45.50' });
    expect(res.status).toBe(303);
    const items = await t.db.selectFrom('plan_items').selectAll().where('plan_id', '=', plan.id).execute();
    expect(items).toEqual([expect.objectContaining({ position: 1, outcome: 'I want to feel less lonely', met_by: 'direct_payment', cost_pence: 4550, cost_frequency: 'weekly' })]);
    const second = await gareth.post2(`/plans/${plan.id}/items/new`, { outcome: 'See my grandson', met_by: 'informal_support', how: 'My niece drives me', cost_frequency: 'none', cost: '' });
    expect(second.status).toBe(303);
    const page = await gareth.get(`/plans/${plan.id}`);
    expect(page.text).toContain('“I want to feel less lonely”');
    expect(page.text).toContain('£45.50 a week');
    expect(page.text).toContain('Family, friends or neighbours');
    expect(page.text).toContain('No cost');
    expect(await auditRows('plan-item')).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'create', person_id: ids.person('john') })]));
  });

  it('keeps what was typed when the cost is not an amount of money, and saves nothing', async () => {
    const plan = await draftPlan('trevor');
    const res = await gareth.post2(`/plans/${plan.id}/items/new`, { outcome: 'Get to the allotment', met_by: 'community', how: 'Community transport', cost_frequency: 'weekly', cost: 'abc' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter the cost in pounds, like 45 or 45.50');
    expect(res.text).toContain('Get to the allotment');
    expect(res.text).toContain('value="abc"');
    expect(res.text).toMatch(/value="community" checked/);
    expect(await count('plan_items', { plan_id: plan.id })).toBe(0);
  });

  it('asks for a cost when one is due, and none when there is no cost', async () => {
    const plan = await draftPlan('trevor');
    const noCost = await gareth.post2(`/plans/${plan.id}/items/new`, { outcome: 'x', met_by: 'strengths', how: 'y', cost_frequency: 'none', cost: '12' });
    expect(noCost.status).toBe(400);
    expect(noCost.text).toContain('Leave the cost blank when there is no cost');
    const missing = await gareth.post2(`/plans/${plan.id}/items/new`, { outcome: 'x', met_by: 'council_service', how: 'y', cost_frequency: 'weekly', cost: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Enter the cost, more than £0');
    const nothing = await gareth.post2(`/plans/${plan.id}/items/new`, {});
    expect(nothing.status).toBe(400);
    for (const message of ['Enter the outcome in the person’s own words', 'Select how the outcome will be met', 'Enter what will happen to meet the outcome']) expect(nothing.text).toContain(message);
    expect(await count('plan_items', { plan_id: plan.id })).toBe(0);
  });

  it('does not let a one-off plan carry a weekly cost', async () => {
    const plan = await draftPlan('fatima', 'one_off');
    const res = await gareth.post2(`/plans/${plan.id}/items/new`, { outcome: 'A break from caring', met_by: 'direct_payment', how: 'A greyhound', cost_frequency: 'weekly', cost: '10' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Select whether there is a one-off cost');
    expect(res.text).not.toContain('value="weekly"');
    expect(await count('plan_items', { plan_id: plan.id })).toBe(0);
  });

  it('changes and removes an outcome while the plan is a draft', async () => {
    const plan = await draftPlan('anwen');
    const item = await addItem(plan.id, 1);
    const form = await gareth.get(`/plans/${plan.id}/items/${item.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="450.00"');
    const bad = await gareth.post2(`/plans/${plan.id}/items/${item.id}/edit`, { outcome: '', met_by: 'direct_payment', how: 'Buy a cooker', cost_frequency: 'one_off', cost: '450' });
    expect(bad.status).toBe(400);
    expect((await t.db.selectFrom('plan_items').select('outcome').where('id', '=', item.id).executeTakeFirstOrThrow()).outcome).toBe('I want to cook my own meals');
    const res = await gareth.post2(`/plans/${plan.id}/items/${item.id}/edit`, { outcome: 'Cook fresh meals', met_by: 'direct_payment', how: 'Buy a cooker', cost_frequency: 'one_off', cost: '399.99' });
    expect(res.status).toBe(303);
    expect(await t.db.selectFrom('plan_items').select(['outcome', 'cost_pence']).where('id', '=', item.id).executeTakeFirstOrThrow()).toEqual({ outcome: 'Cook fresh meals', cost_pence: 39_999 });

    const confirm = await gareth.get(`/plans/${plan.id}/items/${item.id}/remove`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Remove this outcome?');
    expect((await gareth.post2(`/plans/${plan.id}/items/${item.id}/remove`, {})).status).toBe(303);
    expect(await count('plan_items', { plan_id: plan.id })).toBe(0);
    expect((await auditRows('plan-item', item.id)).map((r) => r.action)).toEqual(expect.arrayContaining(['update', 'delete']));
  });

  it('answers 404 for an outcome that belongs to another plan', async () => {
    const a = await draftPlan('anwen');
    const b = await draftPlan('anwen');
    const item = await addItem(b.id, 1);
    expect((await gareth.get(`/plans/${a.id}/items/${item.id}/edit`)).status).toBe(404);
    expect((await gareth.post2(`/plans/${a.id}/items/${item.id}/remove`, {})).status).toBe(404);
    expect((await gareth.get(`/plans/${a.id}/items/not-a-uuid/edit`)).status).toBe(404);
    expect(await count('plan_items', { plan_id: b.id })).toBe(1);
  });
});

describe('the personal budget', () => {
  it('splits the weekly cost into the person’s contribution and the council’s part', async () => {
    const plan = await draftPlan('kate');
    await addItem(plan.id, 1, { cost_frequency: 'weekly', cost_pence: 25_000 });
    const page = await gareth.get(`/plans/${plan.id}/budget`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('value="250.00"');
    const res = await gareth.post2(`/plans/${plan.id}/budget`, { weekly_cost: '300', weekly_contribution: '42.50' });
    expect(res.status).toBe(303);
    expect(await t.db.selectFrom('care_plans').select(['weekly_cost_pence', 'weekly_contribution_pence']).where('id', '=', plan.id).executeTakeFirstOrThrow()).toEqual({ weekly_cost_pence: 30_000, weekly_contribution_pence: 4_250 });
    const view = await gareth.get(`/plans/${plan.id}`);
    expect(view.text).toContain('£257.50');
    expect(view.text).toContain('Personal budget saved');
    expect(await auditRows('personal-budget', plan.id)).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'update' })]));
  });

  it('refuses a contribution above the cost, keeping what was typed and the budget as it was', async () => {
    const plan = await buildPlan(t.db, ids.person('kate'), ids.user('practitioner'), { kind: 'ongoing', status: 'draft', weekly_cost_pence: 10_000, weekly_contribution_pence: 1_000 });
    const res = await gareth.post2(`/plans/${plan.id}/budget`, { weekly_cost: '100', weekly_contribution: '150' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('contribution cannot be more than the weekly cost');
    expect(res.text).toContain('value="150"');
    const bad = await gareth.post2(`/plans/${plan.id}/budget`, { weekly_cost: 'abc', weekly_contribution: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter the weekly cost in pounds');
    expect(bad.text).toContain('Enter the person’s weekly contribution, or 0 if they pay nothing');
    expect(await t.db.selectFrom('care_plans').select(['weekly_cost_pence', 'weekly_contribution_pence']).where('id', '=', plan.id).executeTakeFirstOrThrow()).toEqual({ weekly_cost_pence: 10_000, weekly_contribution_pence: 1_000 });
  });

  it('does not exist for a one-off plan', async () => {
    const plan = await draftPlan('peter', 'one_off');
    expect((await gareth.get(`/plans/${plan.id}/budget`)).status).toBe(404);
    expect((await gareth.post2(`/plans/${plan.id}/budget`, { weekly_cost: '10', weekly_contribution: '0' })).status).toBe(404);
  });
});

describe('agreeing a plan', () => {
  it('needs at least one outcome, a budget for ongoing support, and the person’s agreement', async () => {
    const plan = await draftPlan('trevor');
    const res = await gareth.post2(`/plans/${plan.id}/agree`, {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('Add at least one outcome before the plan is agreed');
    expect(res.text).toContain('Set the personal budget before an ongoing plan is agreed');
    expect(res.text).toContain('Confirm that the person agrees with the plan');
    expect((await t.db.selectFrom('care_plans').select('status').where('id', '=', plan.id).executeTakeFirstOrThrow()).status).toBe('draft');
  });

  it('marks the plan agreed on today’s date, after which it is read-only', async () => {
    const plan = await draftPlan('peter', 'one_off');
    const item = await addItem(plan.id, 1);
    const check = await gareth.get(`/plans/${plan.id}/agree`);
    expect(check.status).toBe(200);
    expect(check.text).toContain('Check the plan before it is agreed');
    expect(check.text).toContain(`/plans/${plan.id}/items/${item.id}/edit?returnTo=agree`);
    const res = await gareth.post2(`/plans/${plan.id}/agree`, { confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(await t.db.selectFrom('care_plans').select(['status', 'agreed_on']).where('id', '=', plan.id).executeTakeFirstOrThrow()).toEqual({ status: 'agreed', agreed_on: TEST_TODAY });

    const view = await gareth.get(`/plans/${plan.id}`);
    expect(view.text).toContain('This plan was agreed on 23 November 2026');
    expect(view.text).not.toContain('Add an outcome');
    expect(view.text).not.toContain('/remove');
    const add = await gareth.post2(`/plans/${plan.id}/items/new`, { outcome: 'Late change', met_by: 'strengths', how: 'x', cost_frequency: 'none' });
    expect(add.status).toBe(303);
    expect((await gareth.post2(`/plans/${plan.id}/items/${item.id}/remove`, {})).status).toBe(303);
    expect((await gareth.get(`/plans/${plan.id}/agree`)).status).toBe(303);
    expect(await count('plan_items', { plan_id: plan.id })).toBe(1);
  });

  it('keeps an agreed personal budget as it was', async () => {
    const plan = await buildPlan(t.db, ids.person('kate'), ids.user('practitioner'), { kind: 'ongoing', status: 'agreed', weekly_cost_pence: 20_000, weekly_contribution_pence: 0 });
    expect((await gareth.post2(`/plans/${plan.id}/budget`, { weekly_cost: '999', weekly_contribution: '0' })).status).toBe(303);
    const page = await gareth.get(`/plans/${plan.id}/budget`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Save personal budget');
    expect((await t.db.selectFrom('care_plans').select('weekly_cost_pence').where('id', '=', plan.id).executeTakeFirstOrThrow()).weekly_cost_pence).toBe(20_000);
  });
});

describe('who may see and change a plan', () => {
  it('answers 404 to another council’s practitioner, and saves nothing', async () => {
    const rhys = await signedIn(t.app, 'rhys');
    const plan = await draftPlan('peter');
    const item = await addItem(plan.id, 1);
    for (const path of [`/plans/${plan.id}`, `/plans/${plan.id}/budget`, `/plans/${plan.id}/agree`, `/plans/${plan.id}/items/new`, `/plans/${plan.id}/items/${item.id}/edit`, `/people/${ids.person('peter')}/plans/new`]) {
      expect((await rhys.get(path)).status, path).toBe(404);
    }
    expect((await rhys.post2(`/plans/${plan.id}/items/new`, { outcome: 'x', met_by: 'strengths', how: 'y', cost_frequency: 'none' })).status).toBe(404);
    expect((await rhys.post2(`/people/${ids.person('peter')}/plans/new`, { kind: 'ongoing', co_produced_with: 'x' })).status).toBe(404);
    expect((await rhys.post2(`/plans/${plan.id}/agree`, { confirm: 'yes' })).status).toBe(404);
    expect(await count('plan_items', { plan_id: plan.id })).toBe(1);
    expect((await t.db.selectFrom('care_plans').select('status').where('id', '=', plan.id).executeTakeFirstOrThrow()).status).toBe('draft');
  });

  it('answers 404 for unknown and malformed plan ids', async () => {
    expect((await gareth.get('/plans/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await gareth.get('/plans/not-a-plan')).status).toBe(404);
    expect((await gareth.get('/people/not-a-person/plans/new')).status).toBe(404);
  });

  it('refuses recipients, and lets finance read but not change', async () => {
    const plan = await draftPlan('peter');
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/plans/${plan.id}`)).status).toBe(403);
    expect((await peter.get(`/people/${ids.person('peter')}/plans/new`)).status).toBe(403);
    expect((await peter.post2(`/plans/${plan.id}/items/new`, { outcome: 'x', met_by: 'strengths', how: 'y', cost_frequency: 'none' })).status).toBe(403);
    const finance = await signedIn(t.app, 'finance');
    const view = await finance.get(`/plans/${plan.id}`);
    expect(view.status).toBe(200);
    expect(view.text).not.toContain('Add an outcome');
    expect((await finance.get(`/plans/${plan.id}/items/new`)).status).toBe(403);
    expect(await count('plan_items', { plan_id: plan.id })).toBe(0);
  });
});

describe('an agreed plan stays as it was agreed', () => {
  it('refuses an outcome change that arrives after the plan was agreed', async () => {
    const person = await buildPerson(t.db, ids.england, { practitioner_id: ids.user('practitioner') });
    const plan = await buildPlan(t.db, person.id, ids.user('practitioner'), { kind: 'one_off', status: 'draft' });
    const item = await t.db.insertInto('plan_items').values({ plan_id: plan.id, position: 1, outcome: 'Cook', met_by: 'direct_payment', how: 'A cooker', cost_pence: 45000, cost_frequency: 'one_off' }).returning('id').executeTakeFirstOrThrow();
    const agent = await signedIn(t.app, 'practitioner');
    const _csrf = await agent.csrf();
    // The page was opened while the plan was a draft; then someone agreed it.
    await t.db.updateTable('care_plans').set({ status: 'agreed' }).where('id', '=', plan.id).execute();
    const res = await agent.post(`/plans/${plan.id}/items/${item.id}/edit`).type('form').send({ _csrf, outcome: 'Something else', met_by: 'direct_payment', how: 'Changed', cost_frequency: 'one_off', cost: '999' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/plans/${plan.id}`);
    const after = await t.db.selectFrom('plan_items').select(['outcome', 'cost_pence']).where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ outcome: 'Cook', cost_pence: 45000 });
  });
});
