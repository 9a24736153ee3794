import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { runJob } from '../../platform/jobs.ts';

// Today is Monday 23 November 2026 (TEST_TODAY). Staff log complaints received earlier, so the
// deadlines below cross Christmas, Easter and the May bank holidays from the real bank_holidays table.
let t: TestApp;
let practitioner: Agent;
let manager: Agent;
let rhys: Agent;
let ffion: Agent;
let anwenRef: string;
let dewiRef: string;

const personRef = async (givenName: string) =>
  (await t.db.selectFrom('people').select('reference').where('given_name', '=', givenName).executeTakeFirstOrThrow()).reference;
const dpOf = async (givenName: string) =>
  (await t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select('direct_payments.id').where('people.given_name', '=', givenName).executeTakeFirstOrThrow()).id;
const complaint = (id: string) => t.db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const dateParts = (prefix: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return { [`${prefix}-day`]: String(Number(d)), [`${prefix}-month`]: String(Number(m)), [`${prefix}-year`]: y! };
};

async function log(agent: Agent, reference: string, receivedOn: string, summary = 'The PA agency did not turn up twice') {
  const res = await agent.post2('/complaints/new', { personReference: reference, ...dateParts('receivedOn', receivedOn), receivedBy: 'phone', summary, wantedOutcome: 'An apology' });
  expect(res.status, res.text).toBe(303);
  return res.headers.location!.split('/').pop()!;
}

beforeAll(async () => {
  t = await startTestApp();
  [practitioner, manager, rhys, ffion] = await Promise.all([signedIn(t.app, 'practitioner'), signedIn(t.app, 'manager'), signedIn(t.app, 'rhys'), signedIn(t.app, 'ffion')]);
  [anwenRef, dewiRef] = await Promise.all([personRef('Anwen'), personRef('Dewi')]);
});
afterAll(async () => t?.stop());

describe('England: deadlines from the 2009 Regulations', () => {
  it('a complaint received just before Christmas is acknowledged within 3 working days, skipping Christmas and Boxing Day', async () => {
    // Tuesday 23 December 2025: Wed 24 (1), Thu 25 and Fri 26 bank holidays, weekend, Mon 29 (2), Tue 30 (3).
    const id = await log(practitioner, anwenRef, '2025-12-23');
    expect(await complaint(id)).toMatchObject({ stage: 'stage_1', received_on: '2025-12-23', acknowledge_by: '2025-12-30', respond_by: '2026-06-22', received_by: 'phone' });
    const events = await t.db.selectFrom('complaint_events').select(['event', 'stage']).where('complaint_id', '=', id).execute();
    expect(events).toEqual([{ event: 'received', stage: 'stage_1' }]);
  });

  it('a complaint received on a Saturday counts from the Monday', async () => {
    const id = await log(practitioner, anwenRef, '2026-11-21');
    expect(await complaint(id)).toMatchObject({ acknowledge_by: '2026-11-25', respond_by: '2027-05-20' });
  });

  it("the manager's list puts overdue first, then due soon, and says so", async () => {
    const list = await manager.get('/complaints');
    expect(list.status).toBe(200);
    expect(list.text).toContain('1 overdue · 1 due in the next 3 working days · 2 open');
    const overdue = list.text.indexOf('Acknowledge by 30 December 2025');
    const soon = list.text.indexOf('Acknowledge by 25 November 2026');
    expect(overdue).toBeGreaterThan(0);
    expect(soon).toBeGreaterThan(overdue);
    expect(list.text).toContain('govuk-tag--red');
    // Another council's manager sees none of them.
    expect((await ffion.get('/complaints')).text).not.toContain('Anwen');
  });

  it('the daily job tells each manager once about what is overdue and due soon, however often it runs', async () => {
    const managers = await t.db.selectFrom('users').innerJoin('councils', 'councils.id', 'users.council_id').select('users.id').where('councils.code', '=', 'EASTMOOR').where('role', '=', 'manager').where('active', '=', true).execute();
    const [a, b] = await Promise.all([runJob(t, 'complaints.reminders'), runJob(t, 'complaints.reminders')]);
    expect(a.processed + b.processed).toBe(2 * managers.length);
    expect((await runJob(t, 'complaints.reminders')).processed).toBe(0);
    const jo = await t.db.selectFrom('users').select('id').where('username', '=', 'manager').executeTakeFirstOrThrow();
    const notes = await t.db.selectFrom('notifications').select(['template_id', 'subject', 'body']).where('to_user_id', '=', jo.id).where('template_id', 'like', 'complaint-%').orderBy('template_id').execute();
    expect(notes.map((n) => n.template_id)).toEqual(['complaint-due-soon', 'complaint-overdue']);
    expect(notes[0]!.subject).toMatch(/^Complaint C-\d{6}: acknowledge it by 25 November 2026$/);
    expect(notes[1]!.body).toContain('had to acknowledge it by 30 December 2025');
    expect(notes.map((n) => n.body).join(' ')).not.toContain('Anwen');
  });

  it('the person can agree a response date at acknowledgement; escalation goes straight to the Ombudsman', async () => {
    const id = await log(practitioner, anwenRef, '2026-11-02');
    // A practitioner may log and read, not take it through its stages.
    expect((await practitioner.post2(`/complaints/${id}/acknowledge`, dateParts('on', '2026-11-03'))).status).toBe(403);
    const early = await manager.post2(`/complaints/${id}/acknowledge`, dateParts('on', '2026-10-30'));
    expect(early.status).toBe(400);
    expect(early.text).toContain('The date must be on or after 2 November 2026');
    expect(early.text).toContain('href="#acknowledge-on-day"');
    expect((await complaint(id)).acknowledged_on).toBeNull();

    expect((await manager.post2(`/complaints/${id}/acknowledge`, { ...dateParts('on', '2026-11-03'), ...dateParts('agreedRespondBy', '2026-12-01') })).status).toBe(303);
    expect(await complaint(id)).toMatchObject({ acknowledged_on: '2026-11-03', respond_by: '2026-12-01', respond_by_agreed: true });
    expect((await manager.post2(`/complaints/${id}/escalate`, dateParts('on', '2026-11-20'))).status).toBe(303);
    // Not answered and not overdue yet: nothing moved.
    expect((await complaint(id)).stage).toBe('stage_1');

    const missing = await manager.post2(`/complaints/${id}/respond`, dateParts('on', '2026-11-20'));
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Choose the outcome');
    expect((await manager.post2(`/complaints/${id}/respond`, { ...dateParts('on', '2026-11-20'), outcome: 'partly_upheld', summary: 'The agency missed two visits.', remedy: 'An apology and £50 towards the missed support' })).status).toBe(303);
    expect(await complaint(id)).toMatchObject({ responded_on: '2026-11-20', outcome: 'partly_upheld', remedy: 'An apology and £50 towards the missed support' });

    expect((await manager.post2(`/complaints/${id}/escalate`, dateParts('on', '2026-11-23'))).status).toBe(303);
    const k = await complaint(id);
    expect(k).toMatchObject({ stage: 'ombudsman', stage_started_on: '2026-11-23', acknowledge_by: null, respond_by: null, responded_on: null, outcome: null });
    const history = await t.db.selectFrom('complaint_events').select(['event', 'stage', 'details']).where('complaint_id', '=', id).orderBy('created_at').execute();
    expect(history.map((h) => `${h.event}:${h.stage}`)).toEqual(['received:stage_1', 'acknowledged:stage_1', 'responded:stage_1', 'escalated:ombudsman']);
    expect((history[3]!.details as { previous: { outcome: string } }).previous.outcome).toBe('partly_upheld');
    await expect(sql`update complaint_events set event = 'closed'`.execute(t.ownerDb)).rejects.toThrow();
  });
});

describe('closing', () => {
  it('a complaint closes only once answered, and then shows as recently closed', async () => {
    const id = await log(practitioner, anwenRef, '2026-11-16', 'Closing test complaint');
    expect((await manager.post2(`/complaints/${id}/close`, dateParts('on', '2026-11-20'))).status).toBe(303);
    expect((await complaint(id)).closed_on).toBeNull();
    await manager.post2(`/complaints/${id}/acknowledge`, dateParts('on', '2026-11-17'));
    await manager.post2(`/complaints/${id}/respond`, { ...dateParts('on', '2026-11-19'), outcome: 'withdrawn', summary: 'Sorted out on the phone.' });
    const early = await manager.post2(`/complaints/${id}/close`, dateParts('on', '2026-11-18'));
    expect(early.status).toBe(400);
    expect(early.text).toContain('on or after the response on 19 November 2026');
    expect((await manager.post2(`/complaints/${id}/close`, dateParts('on', '2026-11-20'))).status).toBe(303);
    expect((await complaint(id)).closed_on).toBe('2026-11-20');
    const list = await manager.get('/complaints');
    const closedAt = list.text.indexOf('Recently closed');
    expect(closedAt).toBeGreaterThan(0);
    expect(list.text.indexOf((await complaint(id)).reference, closedAt)).toBeGreaterThan(closedAt);
  });
});

describe('Wales: deadlines from the 2014 Regulations', () => {
  it('stage 1 over Easter, an early acknowledgement, then a formal investigation over the May bank holidays', async () => {
    // Thursday 2 April 2026: Good Friday and Easter Monday fall in the two working days.
    const id = await log(rhys, dewiRef, '2026-04-02');
    expect(await complaint(id)).toMatchObject({ acknowledge_by: '2026-04-08', respond_by: '2026-04-22' });
    expect((await ffion.post2(`/complaints/${id}/acknowledge`, dateParts('on', '2026-04-07'))).status).toBe(303);
    // The discussion is due 10 working days after the acknowledgement it actually got.
    expect(await complaint(id)).toMatchObject({ acknowledged_on: '2026-04-07', respond_by: '2026-04-21', respond_by_agreed: false });
    expect((await ffion.post2(`/complaints/${id}/respond`, { ...dateParts('on', '2026-04-20'), outcome: 'not_upheld', summary: 'We talked it through.' })).status).toBe(303);

    // The person asks for stage 2 on Friday 1 May: Monday 4 May and Monday 25 May are bank holidays.
    expect((await ffion.post2(`/complaints/${id}/escalate`, dateParts('on', '2026-05-01'))).status).toBe(303);
    expect(await complaint(id)).toMatchObject({ stage: 'stage_2', stage_started_on: '2026-05-01', acknowledge_by: '2026-05-06', respond_by: '2026-06-09', acknowledged_on: null, responded_on: null });

    // The stage 2 response is long overdue (today is 23 November): the person need not wait, so it can move on.
    expect((await ffion.post2(`/complaints/${id}/escalate`, dateParts('on', '2026-11-23'))).status).toBe(303);
    expect((await complaint(id)).stage).toBe('ombudsman');
    const page = await ffion.get(`/complaints/${id}`);
    expect(page.text).toContain('Record the Ombudsman’s decision');
  });

  it('a person in Wales asks for the formal investigation themself, and is told about the Public Services Ombudsman for Wales', async () => {
    const dewi = await signedIn(t.app, 'dewi');
    await t.db.updateTable('users').set({ preferred_language: 'en' }).where('username', '=', 'dewi').execute();
    const dp = await dpOf('Dewi');
    const res = await dewi.post2(`/my/direct-payments/${dp}/complaints/new`, { summary: 'Nobody told me the sessions had stopped' });
    expect(res.status).toBe(303);
    const id = res.headers.location!.split('/').pop()!;
    expect(await complaint(id)).toMatchObject({ received_on: '2026-11-23', received_by: 'online', acknowledge_by: '2026-11-25', respond_by: '2026-12-09' });
    let page = await dewi.get(`/my/complaints/${id}`);
    expect(page.text).toContain('Public Services Ombudsman for Wales');
    expect(page.text).toContain('ombudsman.wales');
    expect(page.text).not.toContain('Local Government and Social Care Ombudsman');
    expect(page.text).not.toContain('Ask for a formal investigation');
    // Not answered yet: the person cannot move it on.
    expect((await dewi.post2(`/my/complaints/${id}/escalate`, {})).status).toBe(404);

    await ffion.post2(`/complaints/${id}/acknowledge`, dateParts('on', '2026-11-23'));
    await ffion.post2(`/complaints/${id}/respond`, { ...dateParts('on', '2026-11-23'), outcome: 'upheld', summary: 'We are sorry: the sessions start again on Monday.' });
    const user = await t.db.selectFrom('users').select('id').where('username', '=', 'dewi').executeTakeFirstOrThrow();
    const notes = await t.db.selectFrom('notifications').select(['template_id', 'link']).where('to_user_id', '=', user.id).where('link', '=', `/my/complaints/${id}`).orderBy('created_at').execute();
    // The complaint logged by phone earlier was told to Dewi too, in his council's first language before he chose English.
    const earlier = await t.db.selectFrom('notifications').select('template_id').where('to_user_id', '=', user.id).where('link', '<>', `/my/complaints/${id}`).orderBy('created_at').execute();
    expect(earlier.map((n) => n.template_id)).toEqual(['complaint-acknowledged-cy', 'complaint-responded-cy']);
    expect(notes).toEqual([
      { template_id: 'complaint-acknowledged-en', link: `/my/complaints/${id}` },
      { template_id: 'complaint-responded-en', link: `/my/complaints/${id}` },
    ]);
    page = await dewi.get(`/my/complaints/${id}`);
    expect(page.text).toContain('We agreed with your complaint');
    expect(page.text).toContain('Ask for a formal investigation');
    expect((await dewi.post2(`/my/complaints/${id}/escalate`, {})).status).toBe(303);
    // Asked today, Monday 23 November 2026: 25 working days skip Christmas Day and the Boxing Day substitute.
    expect(await complaint(id)).toMatchObject({ stage: 'stage_2', stage_started_on: '2026-11-23', acknowledge_by: '2026-11-25', respond_by: '2026-12-30' });
  });
});

describe('the person makes a complaint online (England)', () => {
  it('is refused when empty, then saved with its deadlines and the LGSCO information', async () => {
    const anwen = await signedIn(t.app, 'anwen');
    const dp = await dpOf('Anwen');
    const before = await t.db.selectFrom('complaints').select('id').execute();
    const empty = await anwen.post2(`/my/direct-payments/${dp}/complaints/new`, { summary: '', wantedOutcome: 'Just an explanation' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Tell us what has gone wrong');
    expect(empty.text).toContain('Just an explanation');
    expect(await t.db.selectFrom('complaints').select('id').execute()).toHaveLength(before.length);

    const res = await anwen.post2(`/my/direct-payments/${dp}/complaints/new`, { summary: 'My payment came a week late', wantedOutcome: '' });
    const id = res.headers.location!.split('/').pop()!;
    expect(await complaint(id)).toMatchObject({ received_on: '2026-11-23', acknowledge_by: '2026-11-26', respond_by: '2027-05-22', direct_payment_id: dp });
    const page = await anwen.get(`/my/complaints/${id}`);
    expect(page.text).toContain('Your complaint has been sent');
    expect(page.text).toContain('Local Government and Social Care Ombudsman');
    expect(page.text).toContain('0300 061 0614');
    expect(page.text).not.toContain('Ask for a formal investigation');
    const audits = await t.db.selectFrom('audit_log').select(['action', 'entity_type']).where('entity_id', '=', id).orderBy('id').execute();
    expect(audits.map((a) => a.action)).toEqual(['create', 'view']);

    // Nobody else reads it: another recipient, a representative of someone else, staff of another council.
    for (const who of ['peter', 'non']) {
      const agent = await signedIn(t.app, who);
      expect((await agent.get(`/my/complaints/${id}`)).status).toBe(404);
      expect((await agent.post2(`/my/complaints/${id}/escalate`, {})).status).toBe(404);
      expect((await agent.get(`/my/direct-payments/${dp}/complaints/new`)).status).toBe(404);
      expect((await agent.get(`/complaints/${id}`)).status).toBe(403);
    }
    expect((await rhys.get(`/complaints/${id}`)).status).toBe(404);
    expect((await ffion.post2(`/complaints/${id}/acknowledge`, dateParts('on', '2026-11-23'))).status).toBe(404);
    expect((await complaint(id)).acknowledged_on).toBeNull();
  });

  it('staff cannot log a complaint for someone outside their council', async () => {
    const count = (await t.db.selectFrom('complaints').select('id').execute()).length;
    const res = await rhys.post2('/complaints/new', { personReference: anwenRef, ...dateParts('receivedOn', '2026-11-20'), receivedBy: 'letter', summary: 'x' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is no one with that reference in your council');
    const future = await practitioner.post2('/complaints/new', { personReference: anwenRef, ...dateParts('receivedOn', '2026-11-24'), receivedBy: 'letter', summary: 'x' });
    expect(future.status).toBe(400);
    expect(future.text).toContain('today or in the past');
    expect((await t.db.selectFrom('complaints').select('id').execute()).length).toBe(count);
  });
});

describe('a representative who made a complaint', () => {
  it('is no longer told about it once they stop acting for the person', async () => {
    const non = await signedIn(t.app, 'non');
    const dp = await dpOf('Cerys');
    const res = await non.post2(`/my/direct-payments/${dp}/complaints/new`, { summary: 'The music club sessions were cancelled without notice' });
    expect(res.status).toBe(303);
    const id = res.headers.location!.split('/').pop()!;
    const nonUser = await t.db.selectFrom('users').select('id').where('username', '=', 'non').executeTakeFirstOrThrow();
    const cerys = await t.db.selectFrom('people').select('id').where('given_name', '=', 'Cerys').executeTakeFirstOrThrow();
    await t.db.updateTable('representatives').set({ starts_on: '2000-01-01', ends_on: '2000-12-31' }).where('user_id', '=', nonUser.id).where('person_id', '=', cerys.id).execute();
    expect((await ffion.post2(`/complaints/${id}/acknowledge`, dateParts('on', '2026-11-23'))).status).toBe(303);
    const notes = await t.db.selectFrom('notifications').select('to_user_id').where('link', '=', `/my/complaints/${id}`).execute();
    expect(notes.filter((n) => n.to_user_id === nonUser.id)).toEqual([]);
  });
});
