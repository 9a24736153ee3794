import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type Agent, type TestApp } from '../../../test/support/app.ts';
import { buildConversation, buildDirectPayment, buildPerson, demoIds } from '../../../test/support/builders.ts';
import { loadUser } from '../../platform/http/auth.ts';
import { recordDecision, AuthorCannotDecide } from './record-decision.ts';
import { decisionNoticeFor } from './decision-notice.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let panel: Agent;

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  panel = await signedIn(t.app, 'panel');
});
afterAll(async () => {
  await t?.stop();
});

/** A business case already sent to the panel, as the business-case pages leave it. */
async function caseAtPanel(opts: { author: string; person?: string; personId?: string; council?: 'england' | 'wales'; submittedAt?: string; purpose?: string }) {
  const council = opts.council === 'wales' ? ids.wales : ids.england;
  const authorId = ids.user(opts.author);
  const dp = await buildDirectPayment(t.db, { councilId: council, personId: opts.personId ?? ids.person(opts.person ?? 'Peter'), createdBy: authorId }, { status: 'at_panel', purpose: opts.purpose ?? 'A cooker, so I can cook fresh meals' });
  const bc = await t.db
    .insertInto('business_cases')
    .values({
      direct_payment_id: dp.id,
      author_id: authorId,
      proposal: 'A new cooker',
      why_necessary: 'His cooker is broken; he wants to cook for himself.',
      context_family: 'His daughter visits on Sundays.',
      context_community: 'A lunch club twice a week.',
      context_agencies: 'No other agencies.',
      outcomes_expected: 'Cooks his own meals every day.',
      status: 'submitted',
      submitted_at: new Date(opts.submittedAt ?? '2026-11-20T10:00:00Z'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto('business_case_options')
    .values([
      { business_case_id: bc.id, position: 1, description: 'A cooker', proposed: true, one_off_cost_pence: 45000, weekly_cost_pence: 0 },
      { business_case_id: bc.id, position: 2, description: 'A homecare package', proposed: false, one_off_cost_pence: 0, weekly_cost_pence: 15600 },
    ])
    .execute();
  return { caseId: bc.id, dpId: dp.id };
}

const statusOf = async (caseId: string, dpId: string) => ({
  case: (await t.db.selectFrom('business_cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status,
  dp: (await t.db.selectFrom('direct_payments').select('status').where('id', '=', dpId).executeTakeFirstOrThrow()).status,
});

const decisionsOn = (caseId: string) =>
  t.db.selectFrom('panel_decisions').select(['decision', 'reasons', 'conditions', 'decided_by']).where('business_case_id', '=', caseId).orderBy('decided_at').execute();

describe('the panel queue', () => {
  it('lists the council’s waiting cases oldest first, with days waiting, and nothing from another council', async () => {
    const newer = await caseAtPanel({ author: 'practitioner', person: 'Kate', submittedAt: '2026-11-21T09:00:00Z' });
    const older = await caseAtPanel({ author: 'practitioner', person: 'John', submittedAt: '2026-11-13T09:00:00Z' });
    await caseAtPanel({ author: 'rhys', person: 'Dewi', council: 'wales' });
    const res = await panel.get('/panel');
    expect(res.status).toBe(200);
    expect(res.text.indexOf(`/panel/${older.caseId}`)).toBeGreaterThan(-1);
    expect(res.text.indexOf(`/panel/${older.caseId}`)).toBeLessThan(res.text.indexOf(`/panel/${newer.caseId}`));
    expect(res.text).toMatch(/John Baker[\s\S]*?>10</);
    expect(res.text).toMatch(/Kate Fletcher[\s\S]*?>2</);
    expect(res.text).not.toContain('Dewi');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'username']).where('entity_type', '=', 'panel-queue').execute();
    expect(audit).toContainEqual({ action: 'view', username: 'panel' });
  });
});

describe('reading a case', () => {
  it('shows the person’s outcomes, the proposal and why, the context, the comparison and the guidance note, and audits the view', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Ruth', family_name: 'Ellis' });
    await buildConversation(t.db, person.id, ids.user('practitioner'), { held_on: '2026-08-01', what_matters: 'An older chat' });
    await buildConversation(t.db, person.id, ids.user('practitioner'), { what_matters: 'Getting out of the house each day' });
    const { caseId } = await caseAtPanel({ author: 'practitioner', personId: person.id });
    const res = await panel.get(`/panel/${caseId}`);
    expect(res.status).toBe(200);
    for (const text of [
      'Getting out of the house each day',
      'A new cooker',
      'His cooker is broken; he wants to cook for himself.',
      'His daughter visits on Sundays.',
      'A lunch club twice a week.',
      'Cooks his own meals every day.',
      'Over 12 months, a cooker costs £450.00 and a homecare package would cost £8,112.00: £7,662.00 less.',
      'considered on its merits',
      'Record the decision',
    ]) {
      expect(res.text, text).toContain(text);
    }
    expect(res.text).not.toContain('An older chat');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'person_id']).where('entity_id', '=', caseId).where('username', '=', 'panel').execute();
    expect(audit).toContainEqual({ action: 'view', person_id: person.id });
  });
});

describe('recording a decision', () => {
  it('keeps what was typed when the reasons or the conditions are missing', async () => {
    const { caseId, dpId } = await caseAtPanel({ author: 'practitioner' });
    const noConditions = await panel.post2(`/panel/${caseId}/decision`, { decision: 'approved_with_conditions', reasons: 'Good value', conditions: '' });
    expect(noConditions.status).toBe(400);
    expect(noConditions.text).toContain('There is a problem');
    expect(noConditions.text).toContain('Say what the conditions are');
    expect(noConditions.text).toContain('Good value');
    const nothing = await panel.post2(`/panel/${caseId}/decision`, { decision: 'approved_with_conditions', reasons: '', conditions: '' });
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain('Give the reasons for the decision');
    expect(nothing.text).toContain('Say what the conditions are');
    const noChoice = await panel.post2(`/panel/${caseId}/decision`, { reasons: 'Because' });
    expect(noChoice.status).toBe(400);
    expect(noChoice.text).toContain('Choose the panel’s decision');
    expect(noChoice.text).toContain('Because');
    expect(await decisionsOn(caseId)).toEqual([]);
    expect(await statusOf(caseId, dpId)).toEqual({ case: 'submitted', dp: 'at_panel' });
  });

  it('records a panel member’s decision on a practitioner’s case: approved with conditions', async () => {
    const { caseId, dpId } = await caseAtPanel({ author: 'practitioner' });
    expect((await panel.get(`/panel/${caseId}/decision`)).status).toBe(200);
    const res = await panel.post2(`/panel/${caseId}/decision`, { decision: 'approved_with_conditions', reasons: 'Far cheaper than homecare.', conditions: 'Keep the receipt.' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/panel/${caseId}/decided`);
    expect(await decisionsOn(caseId)).toEqual([{ decision: 'approved_with_conditions', reasons: 'Far cheaper than homecare.', conditions: 'Keep the receipt.', decided_by: ids.user('panel') }]);
    expect(await statusOf(caseId, dpId)).toEqual({ case: 'decided', dp: 'approved' });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'person_id', 'details']).where('entity_id', '=', caseId).where('action', '=', 'decide').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.person_id).toBe(ids.person('Peter'));
    expect(audit[0]!.details).toMatchObject({ decision: 'approved_with_conditions', directPaymentId: dpId });
    // Decided once: a second go changes nothing.
    const again = await panel.post2(`/panel/${caseId}/decision`, { decision: 'declined', reasons: 'Changed my mind' });
    expect(again.status).toBe(303);
    expect(await decisionsOn(caseId)).toHaveLength(1);
    const queue = await panel.get('/panel');
    expect(queue.text).toContain('Approved with conditions');
  });

  it('drops conditions typed for any other decision, and a decline moves the direct payment to declined', async () => {
    const { caseId, dpId } = await caseAtPanel({ author: 'practitioner' });
    expect((await panel.post2(`/panel/${caseId}/decision`, { decision: 'declined', reasons: 'Needs met by the lunch club.', conditions: 'left over' })).status).toBe(303);
    expect(await decisionsOn(caseId)).toEqual([{ decision: 'declined', reasons: 'Needs met by the lunch club.', conditions: null, decided_by: ids.user('panel') }]);
    expect(await statusOf(caseId, dpId)).toEqual({ case: 'decided', dp: 'declined' });
  });

  it('sends a case back for more information; the practitioner adds to it and sends it again', async () => {
    const practitioner = await signedIn(t.app, 'practitioner');
    const { caseId, dpId } = await caseAtPanel({ author: 'practitioner' });
    expect((await panel.post2(`/panel/${caseId}/decision`, { decision: 'more_information', reasons: 'Has an occupational therapist assessed the kitchen?' })).status).toBe(303);
    expect(await statusOf(caseId, dpId)).toEqual({ case: 'draft', dp: 'more_information' });
    const page = await practitioner.get(`/business-cases/${caseId}`);
    expect(page.text).toContain('The funding panel asked for more information');
    expect(page.text).toContain('Has an occupational therapist assessed the kitchen?');
    expect((await practitioner.post2(`/business-cases/${caseId}/context`, { context_family: 'Daughter on Sundays.', context_community: 'Lunch club.', context_agencies: 'The OT assessed the kitchen: safe.' })).status).toBe(303);
    expect((await practitioner.post2(`/business-cases/${caseId}/submit`, {})).status).toBe(303);
    expect(await statusOf(caseId, dpId)).toEqual({ case: 'submitted', dp: 'at_panel' });
    expect((await panel.post2(`/panel/${caseId}/decision`, { decision: 'approved', reasons: 'The OT is content.' })).status).toBe(303);
    expect(await statusOf(caseId, dpId)).toEqual({ case: 'decided', dp: 'approved' });
    expect((await decisionsOn(caseId)).map((d) => d.decision)).toEqual(['more_information', 'approved']);
    expect((await decisionNoticeFor(t.db, dpId))?.decision).toBe('approved');
  });
});

describe('nobody decides a case they wrote', () => {
  it('refuses the manager who wrote the case, on the page and in the use case, and records nothing', async () => {
    const manager = await signedIn(t.app, 'manager');
    const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId: ids.person('Trevor'), createdBy: ids.user('manager') });
    const start = await manager.post2(`/direct-payments/${dp.id}/business-case`, {});
    const caseId = start.headers.location!.split('/').pop()!;
    for (const [path, form] of [
      ['proposal', { proposal: 'A bike', why_necessary: 'To get to work.' }],
      ['context', { context_family: 'None nearby.', context_community: 'A cycling club.', context_agencies: 'None.' }],
      ['outcomes', { outcomes_expected: 'Gets to work.' }],
      ['costs/proposal', { description: 'A bike', one_off: '300', weekly: '0' }],
      ['costs/alternatives/new', { description: 'Taxis', one_off: '0', weekly: '40' }],
      ['submit', {}],
    ] as const) {
      expect((await manager.post2(`/business-cases/${caseId}/${path}`, form)).status, path).toBe(303);
    }
    expect(await statusOf(caseId, dp.id)).toEqual({ case: 'submitted', dp: 'at_panel' });

    const view = await manager.get(`/panel/${caseId}`);
    expect(view.status).toBe(200);
    expect(view.text).toContain('You wrote this case');
    expect(view.text).not.toContain('Record the decision</a>');
    const form = await manager.get(`/panel/${caseId}/decision`);
    expect(form.status).toBe(403);
    expect(form.text).toContain('You cannot decide a case you wrote');
    const post = await manager.post2(`/panel/${caseId}/decision`, { decision: 'approved', reasons: 'Looks fine to me' });
    expect(post.status).toBe(403);
    expect(post.text).toContain('You cannot decide a case you wrote');

    const user = (await loadUser(t, ids.user('manager')))!;
    await expect(recordDecision(t.db, user, caseId, { decision: 'approved', reasons: 'Mine', conditions: null }, t.clock.now())).rejects.toBeInstanceOf(AuthorCannotDecide);
    expect(await decisionsOn(caseId)).toEqual([]);
    expect(await statusOf(caseId, dp.id)).toEqual({ case: 'submitted', dp: 'at_panel' });

    // Someone else on the panel can.
    expect((await panel.post2(`/panel/${caseId}/decision`, { decision: 'approved', reasons: 'Cheaper than taxis.' })).status).toBe(303);
    expect(await statusOf(caseId, dp.id)).toEqual({ case: 'decided', dp: 'approved' });
  });
});

describe('who may use the panel', () => {
  it('answers 404 to another council’s panel', async () => {
    const { caseId } = await caseAtPanel({ author: 'practitioner' });
    const ffion = await signedIn(t.app, 'ffion');
    expect((await ffion.get(`/panel/${caseId}`)).status).toBe(404);
    expect((await ffion.get(`/panel/${caseId}/decision`)).status).toBe(404);
    expect((await ffion.post2(`/panel/${caseId}/decision`, { decision: 'approved', reasons: 'x' })).status).toBe(404);
    expect((await ffion.get('/panel')).text).not.toContain(caseId);
    const user = (await loadUser(t, ids.user('ffion')))!;
    await expect(recordDecision(t.db, user, caseId, { decision: 'approved', reasons: 'x', conditions: null }, t.clock.now())).rejects.toThrow('Not found');
    expect(await decisionsOn(caseId)).toEqual([]);
  });

  it('refuses practitioners, recipients and finance officers (403)', async () => {
    const { caseId } = await caseAtPanel({ author: 'practitioner' });
    for (const username of ['practitioner', 'peter', 'finance']) {
      const agent = await signedIn(t.app, username);
      expect((await agent.get('/panel')).status, username).toBe(403);
      expect((await agent.get(`/panel/${caseId}`)).status, username).toBe(403);
      expect((await agent.post2(`/panel/${caseId}/decision`, { decision: 'approved', reasons: 'x' })).status, username).toBe(403);
    }
    expect(await decisionsOn(caseId)).toEqual([]);
  });
});

describe('telling the person', () => {
  it('prints a plain-English letter with the reasons, conditions and how to complain in England', async () => {
    const { caseId, dpId } = await caseAtPanel({ author: 'practitioner', person: 'Anwen', purpose: 'A year of swimming.' });
    const none = await panel.get(`/direct-payments/${dpId}/decision-letter`);
    expect(none.status).toBe(404);
    await panel.post2(`/panel/${caseId}/decision`, { decision: 'approved_with_conditions', reasons: 'It meets Anwen’s outcomes.', conditions: 'Keep the membership card.' });
    const practitioner = await signedIn(t.app, 'practitioner');
    const letter = await practitioner.get(`/direct-payments/${dpId}/decision-letter`);
    expect(letter.status).toBe(200);
    for (const text of [
      'said yes to your direct payment for “A year of swimming”, with some conditions',
      'It meets Anwen’s outcomes.',
      'Keep the membership card.',
      'What happens next',
      'complaints procedure',
      'Local Government and Social Care Ombudsman',
      'direct.payments@eastmoor.example.gov.uk',
      '0300 123 4567',
      '23 November 2026',
    ]) {
      expect(letter.text, text).toContain(text);
    }
    expect(letter.text).not.toContain('Public Services Ombudsman for Wales');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'username']).where('entity_type', '=', 'decision-letter').where('entity_id', '=', dpId).execute();
    expect(audit).toEqual([{ action: 'view', username: 'practitioner' }]);
    expect((await (await signedIn(t.app, 'anwen')).get(`/direct-payments/${dpId}/decision-letter`)).status).toBe(403);
    expect((await (await signedIn(t.app, 'rhys')).get(`/direct-payments/${dpId}/decision-letter`)).status).toBe(404);
  });

  it('gives the recipient home the notice, naming the Public Services Ombudsman for Wales for a Welsh council', async () => {
    const { caseId, dpId } = await caseAtPanel({ author: 'rhys', person: 'Dewi', council: 'wales', purpose: 'A greyhound' });
    expect(await decisionNoticeFor(t.db, dpId)).toBeNull();
    const ffion = await signedIn(t.app, 'ffion');
    expect((await ffion.post2(`/panel/${caseId}/decision`, { decision: 'declined', reasons: 'The lunch club meets this need.' })).status).toBe(303);
    const notice = await decisionNoticeFor(t.db, dpId);
    expect(notice).toMatchObject({ decision: 'declined', decidedOn: '2026-11-23', reasons: 'The lunch club meets this need.', conditions: null });
    expect(notice!.plainEnglish).toContain('said no to your direct payment for “A greyhound”');
    expect(notice!.plainEnglish).toContain('Your social worker will talk with you about other ways to meet your needs.');
    expect(notice!.howToChallenge).toContain('Public Services Ombudsman for Wales');
    expect(notice!.howToChallenge).toContain('reassess');
    expect(notice!.howToChallenge).toContain('direct.payments@dyffryn.example.gov.uk');
    expect(notice!.howToChallenge).not.toContain('Local Government and Social Care Ombudsman');
    expect(await decisionNoticeFor(t.db, 'not-an-id')).toBeNull();
  });
});
