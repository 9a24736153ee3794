import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type Agent, type TestApp } from '../../../test/support/app.ts';
import { demoIds, buildPerson, buildConversation } from '../../../test/support/builders.ts';

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

const conversation = (id: string) => t.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditFor = (id: string, action: string) => t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'conversation').where('entity_id', '=', id).where('action', '=', action).execute();

async function englishDraft() {
  const person = await buildPerson(t.db, ids.england, { given_name: 'Bryn' });
  const c = await buildConversation(t.db, person.id, ids.user('practitioner'), { what_matters: '' });
  return { personId: person.id, id: c.id };
}

const offered = { dpOffered: 'yes', 'dpOfferedOn-day': '20', 'dpOfferedOn-month': '11', 'dpOfferedOn-year': '2026', dpResponse: 'I would like to choose my own support', dpNotOfferedReason: '' };
const eligibleEngland = {
  unable: ['nutrition', 'community'],
  'reason-nutrition': 'Cannot cook without help',
  'reason-community': 'Cannot use buses alone',
  significantImpact: 'yes',
  impactReasons: 'Losing weight and becoming isolated',
};

describe('starting a conversation', () => {
  it('creates a draft on the date given, with an audit row, and shows the task list', async () => {
    const person = await buildPerson(t.db, ids.england);
    const form = await practitioner.get(`/people/${person.id}/conversations/new`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="2026"');
    const res = await practitioner.post2(`/people/${person.id}/conversations/new`, { 'heldOn-day': '23', 'heldOn-month': '11', 'heldOn-year': '2026' });
    expect(res.status).toBe(303);
    const id = /^\/conversations\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1]!;
    expect(await conversation(id)).toMatchObject({ person_id: person.id, held_on: '2026-11-23', status: 'draft', practitioner_id: ids.user('practitioner') });
    expect(await auditFor(id, 'create')).toHaveLength(1);
    const page = await practitioner.get(`/conversations/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('govuk-task-list');
    for (const slug of ['what-matters', 'direct-payments', 'outcomes', 'strengths', 'informal-support', 'community', 'barriers', 'eligibility']) {
      expect(page.text).toContain(`href="/conversations/${id}/${slug}"`);
    }
    expect(await auditFor(id, 'view')).toHaveLength(1);
  });

  it('refuses a date that is not real or in the future, keeping what was typed', async () => {
    const person = await buildPerson(t.db, ids.england);
    const bad = await practitioner.post2(`/people/${person.id}/conversations/new`, { 'heldOn-day': '32', 'heldOn-month': '11', 'heldOn-year': '2026' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Date of the conversation must be a real date');
    expect(bad.text).toContain('value="32"');
    const future = await practitioner.post2(`/people/${person.id}/conversations/new`, { 'heldOn-day': '1', 'heldOn-month': '1', 'heldOn-year': '2027' });
    expect(future.status).toBe(400);
    expect(future.text).toContain('must be today or in the past');
    expect(await t.db.selectFrom('conversations').select('id').where('person_id', '=', person.id).execute()).toHaveLength(0);
  });

  it('is refused to finance and panel members', async () => {
    for (const who of ['finance', 'panel']) {
      const agent = await signedIn(t.app, who);
      expect((await agent.post2(`/people/${ids.person('anwen')}/conversations/new`, { 'heldOn-day': '1', 'heldOn-month': '11', 'heldOn-year': '2026' })).status).toBe(403);
    }
  });
});

describe('the question pages', () => {
  it('saves each part of the conversation with an audit row, and marks it completed', async () => {
    const { id } = await englishDraft();
    const empty = await practitioner.post2(`/conversations/${id}/what-matters`, { answer: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter what matters to them');
    const res = await practitioner.post2(`/conversations/${id}/what-matters`, { answer: 'Cooking my own meals again' });
    expect(res.status).toBe(303);
    expect((await conversation(id)).what_matters).toBe('Cooking my own meals again');
    expect(await auditFor(id, 'update')).toHaveLength(1);
    expect((await practitioner.get(`/conversations/${id}/what-matters`)).text).toContain('Cooking my own meals again');
    await practitioner.post2(`/conversations/${id}/strengths`, { answer: '<script>alert(1)</script>\nLoves gardening' });
    const check = await practitioner.get(`/conversations/${id}/complete`);
    expect(check.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(check.text).not.toContain('<script>alert(1)');
    const list = await practitioner.get(`/conversations/${id}`);
    expect(list.text).toMatch(/What matters to the person[\s\S]*?Completed/);
  });

  it('reminds the practitioner who is willing and able to give informal support', async () => {
    const { id, personId } = await englishDraft();
    await t.db.insertInto('contacts').values([
      { person_id: personId, name: 'Gwyn', relationship: 'Husband', gives_informal_support: false, willing_and_able: null },
      { person_id: personId, name: 'Lowri', relationship: 'Daughter', gives_informal_support: true, willing_and_able: true, notes: 'Visits on Sundays' },
    ]).execute();
    const page = await practitioner.get(`/conversations/${id}/informal-support`);
    expect(page.text).toContain('Lowri (Daughter): Visits on Sundays');
    expect(page.text).not.toContain('Gwyn');
  });

  it('asks for the date and the person’s response when direct payments were offered, or why not', async () => {
    const { id } = await englishDraft();
    const missing = await practitioner.post2(`/conversations/${id}/direct-payments`, { dpOffered: 'yes', 'dpOfferedOn-day': '', 'dpOfferedOn-month': '', 'dpOfferedOn-year': '', dpResponse: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Enter the date you offered direct payments');
    expect(missing.text).toContain('Enter what they said about direct payments');
    const notYet = await practitioner.post2(`/conversations/${id}/direct-payments`, { dpOffered: 'no', dpNotOfferedReason: '' });
    expect(notYet.status).toBe(400);
    expect(notYet.text).toContain('Enter why direct payments have not been offered yet');
    const none = await practitioner.post2(`/conversations/${id}/direct-payments`, {});
    expect(none.text).toContain('Select yes if you have offered direct payments');
    expect((await conversation(id)).dp_response).toBeNull();
    expect((await practitioner.post2(`/conversations/${id}/direct-payments`, offered)).status).toBe(303);
    expect(await conversation(id)).toMatchObject({ dp_offered: true, dp_offered_on: '2026-11-20', dp_response: 'I would like to choose my own support' });
  });

  it('asks for a reason for each outcome ticked, keeping the ticks and what was typed', async () => {
    const { id } = await englishDraft();
    const res = await practitioner.post2(`/conversations/${id}/eligibility`, { ...eligibleEngland, 'reason-community': '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter why they are unable to achieve: making use of necessary facilities');
    expect(res.text).toContain('href="#reason-community"');
    const summary = res.text.slice(res.text.indexOf('govuk-error-summary'), res.text.indexOf('</ul>', res.text.indexOf('govuk-error-summary')));
    expect(summary.indexOf('#reason-community')).toBeGreaterThan(-1);
    expect(res.text).toContain('Cannot cook without help');
    expect(res.text).toMatch(/value="nutrition" checked/);
    expect(res.text).toMatch(/value="community" checked/);
    const nothing = await practitioner.post2(`/conversations/${id}/eligibility`, { unable: 'hygiene', impactReasons: '' });
    const order = ['#reason-hygiene', '#significantImpact', '#impactReasons'].map((href) => nothing.text.indexOf(`href="${href}"`));
    expect(order.every((at) => at > -1)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const none = await practitioner.post2(`/conversations/${id}/eligibility`, { impactReasons: '' });
    expect(none.text).toContain('Select the outcomes they are unable to achieve, or select none of these');
    expect(nothing.text).toContain('Select yes if there is, or is likely to be, a significant impact');
    expect(nothing.text).toContain('Explain the impact on their well-being');
    const both = await practitioner.post2(`/conversations/${id}/eligibility`, { ...eligibleEngland, unable: ['none', 'nutrition'] });
    expect(both.text).toContain('not both');
    expect(await t.db.selectFrom('conversation_outcomes').select('outcome').where('conversation_id', '=', id).execute()).toHaveLength(0);
  });

  it('stores the ten outcomes and the well-being answer, and can change them', async () => {
    const { id } = await englishDraft();
    expect((await practitioner.post2(`/conversations/${id}/eligibility`, eligibleEngland)).status).toBe(303);
    const rows = await t.db.selectFrom('conversation_outcomes').selectAll().where('conversation_id', '=', id).execute();
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.unable).map((r) => r.outcome).sort()).toEqual(['community', 'nutrition']);
    expect(await conversation(id)).toMatchObject({ significant_impact: true, eligibility_reasons: 'Losing weight and becoming isolated', eligible: null });
    const again = await practitioner.get(`/conversations/${id}/eligibility`);
    expect(again.text).toMatch(/value="nutrition" checked/);
    expect(again.text).toContain('Cannot use buses alone');
    expect((await practitioner.post2(`/conversations/${id}/eligibility`, { ...eligibleEngland, unable: 'nutrition' })).status).toBe(303);
    const after = await t.db.selectFrom('conversation_outcomes').select('outcome').where('conversation_id', '=', id).where('unable', '=', true).execute();
    expect(after.map((r) => r.outcome)).toEqual(['nutrition']);
  });
});

describe('completing the conversation', () => {
  it('needs the direct-payment offer answered first', async () => {
    const { id } = await englishDraft();
    await practitioner.post2(`/conversations/${id}/what-matters`, { answer: 'Getting out' });
    await practitioner.post2(`/conversations/${id}/eligibility`, eligibleEngland);
    const res = await practitioner.post2(`/conversations/${id}/complete`, {});
    expect(res.status).toBe(400);
    expect(res.text).toContain('Record whether direct payments were offered before you complete the conversation');
    expect(res.text).toContain('href="#direct-payments"');
    expect((await conversation(id)).status).toBe('draft');
  });

  it('records eligibility (2 outcomes and a significant impact) and the moment, with an audit row, then is read-only', async () => {
    const { id, personId } = await englishDraft();
    await practitioner.post2(`/conversations/${id}/what-matters`, { answer: 'Getting out' });
    await practitioner.post2(`/conversations/${id}/direct-payments`, offered);
    await practitioner.post2(`/conversations/${id}/eligibility`, eligibleEngland);
    const check = await practitioner.get(`/conversations/${id}/complete`);
    expect(check.status).toBe(200);
    expect(check.text).toContain('Check your answers');
    expect(check.text).toContain('Eligible. The person is unable to achieve 2 of the 10 outcomes');
    const res = await practitioner.post2(`/conversations/${id}/complete`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/conversations/${id}/completed`);
    const done = await conversation(id);
    expect(done).toMatchObject({ status: 'completed', eligible: true });
    expect(done.completed_at).toBeInstanceOf(Date);
    const [decided] = await auditFor(id, 'decide');
    expect(decided).toMatchObject({ person_id: personId, details: { eligible: true, jurisdiction: 'england' } });
    const confirmation = await practitioner.get(`/conversations/${id}/completed`);
    expect(confirmation.text).toContain('Conversation completed');
    expect(confirmation.text).toContain(`href="/people/${personId}/plans/new"`);

    // Read-only: the question pages send people back and change nothing.
    const get = await practitioner.get(`/conversations/${id}/what-matters`);
    expect(get.status).toBe(303);
    expect(get.headers.location).toBe(`/conversations/${id}`);
    await practitioner.post2(`/conversations/${id}/what-matters`, { answer: 'Changed afterwards' });
    await practitioner.post2(`/conversations/${id}/eligibility`, { ...eligibleEngland, significantImpact: 'no' });
    expect(await conversation(id)).toMatchObject({ what_matters: 'Getting out', significant_impact: true, eligible: true });
    expect((await practitioner.post2(`/conversations/${id}/complete`, {})).status).toBe(303);
    expect(await auditFor(id, 'decide')).toHaveLength(1);
    const view = await practitioner.get(`/conversations/${id}`);
    expect(view.text).toContain('A completed conversation cannot be changed');
    expect(view.text).not.toContain(`href="/conversations/${id}/what-matters"`);
    expect((await practitioner.get(`/people/${personId}`)).text).toContain(`href="/people/${personId}/plans/new"`);
  });

  it('is not eligible with only one outcome, and offers no plan', async () => {
    const { id, personId } = await englishDraft();
    await practitioner.post2(`/conversations/${id}/what-matters`, { answer: 'Seeing my friends' });
    await practitioner.post2(`/conversations/${id}/direct-payments`, offered);
    await practitioner.post2(`/conversations/${id}/eligibility`, { ...eligibleEngland, unable: 'nutrition' });
    expect((await practitioner.post2(`/conversations/${id}/complete`, {})).status).toBe(303);
    expect((await conversation(id)).eligible).toBe(false);
    const confirmation = await practitioner.get(`/conversations/${id}/completed`);
    expect(confirmation.text).toContain('is not eligible');
    expect(confirmation.text).not.toContain('/plans/new');
    expect((await practitioner.get(`/people/${personId}`)).text).not.toContain('/plans/new');
  });
});

describe('in Wales', () => {
  it('uses the ‘can and can only’ test', async () => {
    const rhys = await signedIn(t.app, 'rhys');
    const person = await buildPerson(t.db, ids.wales, { given_name: 'Dafydd' });
    const res = await rhys.post2(`/people/${person.id}/conversations/new`, { 'heldOn-day': '20', 'heldOn-month': '11', 'heldOn-year': '2026' });
    const id = res.headers.location!.split('/').pop()!;
    const page = await rhys.get(`/conversations/${id}/eligibility`);
    expect(page.text).toContain('can meet, and can only meet, with the council’s care and support');
    expect(page.text).not.toContain('reason-nutrition');
    const bad = await rhys.post2(`/conversations/${id}/eligibility`, { reasons: 'Needs support at the club' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Select yes if there are needs they can meet, and can only meet');
    expect(bad.text).toContain('Needs support at the club');
    await rhys.post2(`/conversations/${id}/what-matters`, { answer: 'Singing in the choir' });
    await rhys.post2(`/conversations/${id}/direct-payments`, offered);
    expect((await rhys.post2(`/conversations/${id}/eligibility`, { canAndCanOnly: 'yes', reasons: 'Only with support' })).status).toBe(303);
    expect((await rhys.post2(`/conversations/${id}/complete`, {})).status).toBe(303);
    expect(await conversation(id)).toMatchObject({ status: 'completed', can_and_can_only: true, eligible: true });
  });
});

describe('who may see a conversation', () => {
  it('is not found for another council, and refused to a recipient', async () => {
    const { id } = await englishDraft();
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/conversations/${id}`)).status).toBe(404);
    expect((await rhys.get(`/conversations/${id}/eligibility`)).status).toBe(404);
    expect((await rhys.post2(`/conversations/${id}/what-matters`, { answer: 'Not mine to write' })).status).toBe(404);
    expect((await rhys.post2(`/conversations/${id}/complete`, {})).status).toBe(404);
    expect((await conversation(id)).what_matters).toBe('');
    const peter = await signedIn(t.app, 'peter');
    expect([403, 404]).toContain((await peter.get(`/conversations/${id}`)).status);
    expect((await practitioner.get('/conversations/not-a-uuid')).status).toBe(404);
  });

  it('keeps the conversation from panel members and finance officers, who change nothing', async () => {
    const { id } = await englishDraft();
    for (const who of ['panel', 'finance']) {
      const agent = await signedIn(t.app, who);
      const page = await agent.get(`/conversations/${id}`);
      expect(page.status).toBe(403);
      expect(page.text).not.toContain('what-matters');
      expect((await agent.get(`/conversations/${id}/what-matters`)).status).toBe(403);
      expect((await agent.post2(`/conversations/${id}/what-matters`, { answer: 'x' })).status).toBe(403);
      expect((await agent.post2(`/conversations/${id}/complete`, {})).status).toBe(403);
    }
    expect((await conversation(id)).what_matters).toBe('');
  });
});
