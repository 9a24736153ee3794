import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';

let t: TestApp;
let anwen: Agent;
let practitioner: Agent;
let rhys: Agent;
let anwensDp: string;
let dewisDp: string;

async function dpOf(givenName: string): Promise<string> {
  const row = await t.db
    .selectFrom('direct_payments')
    .innerJoin('people', 'people.id', 'direct_payments.person_id')
    .select('direct_payments.id')
    .where('people.given_name', '=', givenName)
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  t = await startTestApp();
  [anwen, practitioner, rhys] = await Promise.all([signedIn(t.app, 'anwen'), signedIn(t.app, 'practitioner'), signedIn(t.app, 'rhys')]);
  [anwensDp, dewisDp] = await Promise.all([dpOf('Anwen'), dpOf('Dewi')]);
});
afterAll(async () => t?.stop());

async function requestsOf(dpId: string) {
  return t.db.selectFrom('contact_requests').selectAll().where('direct_payment_id', '=', dpId).orderBy('created_at').execute();
}

describe('asking the council', () => {
  it('a new idea is refused when empty, with the words kept, and saved with its audit row when written', async () => {
    const form = await anwen.get(`/my/direct-payments/${anwensDp}/contact/new/idea`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Ask us about a new idea');
    expect(form.text).toContain('There is no fixed list of what a direct payment can buy');

    const empty = await anwen.post2(`/my/direct-payments/${anwensDp}/contact/new/idea`, { message: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('govuk-error-summary');
    expect(empty.text).toContain('Tell us your idea');
    expect(await requestsOf(anwensDp)).toHaveLength(0);

    const tooLong = await anwen.post2(`/my/direct-payments/${anwensDp}/contact/new/idea`, { message: 'x'.repeat(5001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('5000 characters or fewer');

    const sent = await anwen.post2(`/my/direct-payments/${anwensDp}/contact/new/idea`, { message: 'A gym pass instead of one PA morning a week' });
    expect(sent.status).toBe(303);
    const [saved] = await requestsOf(anwensDp);
    expect(saved).toMatchObject({ kind: 'idea', status: 'waiting', message: 'A gym pass instead of one PA morning a week' });
    expect(sent.headers.location).toBe(`/my/contact/${saved!.id}`);
    const thread = await anwen.get(sent.headers.location!);
    expect(thread.text).toContain('Your idea has been sent');
    expect(thread.text).toContain('A gym pass instead of one PA morning a week');
    const audits = await t.db.selectFrom('audit_log').select(['action', 'entity_type']).where('entity_id', '=', saved!.id).orderBy('id').execute();
    expect(audits.map((a) => `${a.action} ${a.entity_type}`)).toEqual(['create contact-request', 'view contact-request']);
  });

  it('the inbox lists open requests of the council, oldest first; another council sees none of them', async () => {
    await anwen.post2(`/my/direct-payments/${anwensDp}/contact/new/question`, { message: 'When is my next payment?' });
    const inbox = await practitioner.get('/contact');
    expect(inbox.status).toBe(200);
    const idea = inbox.text.indexOf('A new idea');
    const question = inbox.text.indexOf('Question<');
    expect(idea).toBeGreaterThan(0);
    expect(question).toBeGreaterThan(idea);
    expect(inbox.text).toContain('2 open requests');

    const theirs = await rhys.get('/contact');
    expect(theirs.text).not.toContain('Anwen');
    const [first] = await requestsOf(anwensDp);
    expect((await rhys.get(`/contact/${first!.id}`)).status).toBe(404);
    expect((await rhys.post2(`/contact/${first!.id}/reply`, { message: 'Not yours' })).status).toBe(404);
  });

  it('a reply marks the request answered and tells the person in-app, once per reply', async () => {
    const [idea] = await requestsOf(anwensDp);
    const bad = await practitioner.post2(`/contact/${idea!.id}/reply`, { message: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Write your reply');

    const res = await practitioner.post2(`/contact/${idea!.id}/reply`, { message: 'That sounds a good idea. Let us talk on Thursday.' });
    expect(res.status).toBe(303);
    const after = await t.db.selectFrom('contact_requests').select('status').where('id', '=', idea!.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('answered');
    const anwenUser = await t.db.selectFrom('users').select('id').where('username', '=', 'anwen').executeTakeFirstOrThrow();
    const notes = await t.db.selectFrom('notifications').selectAll().where('to_user_id', '=', anwenUser.id).where('template_id', 'like', 'contact-reply-%').execute();
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ template_id: 'contact-reply-en', link: `/my/contact/${idea!.id}` });
    expect(notes[0]!.body).toContain('Eastmoor County Council has replied to your new idea');

    const thread = await anwen.get(`/my/contact/${idea!.id}`);
    expect(thread.text).toContain('That sounds a good idea. Let us talk on Thursday.');
    expect(thread.text).toContain('Eastmoor County Council has replied');
  });

  it('closing takes a request off the inbox; the person writing again brings it back', async () => {
    const [idea] = await requestsOf(anwensDp);
    expect((await practitioner.post2(`/contact/${idea!.id}/close`, {})).status).toBe(303);
    expect((await practitioner.get('/contact')).text).toContain('1 open request');
    const back = await anwen.post2(`/my/contact/${idea!.id}/reply`, { message: 'Thursday is fine, thank you' });
    expect(back.status).toBe(303);
    const row = await t.db.selectFrom('contact_requests').select(['status', 'closed_at']).where('id', '=', idea!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'waiting', closed_at: null });
    expect((await practitioner.get('/contact')).text).toContain('2 open requests');
  });

  it('replies are append-only, even for the database owner', async () => {
    await expect(sql`update contact_request_replies set message = 'rewritten'`.execute(t.ownerDb)).rejects.toThrow();
    await expect(sql`delete from contact_request_replies`.execute(t.ownerDb)).rejects.toThrow();
  });
});

describe('in Welsh', () => {
  it('a Welsh council’s person asks in Welsh and is told of the reply in Welsh', async () => {
    const dewi = await signedIn(t.app, 'dewi');
    const form = await dewi.get(`/my/direct-payments/${dewisDp}/contact/new/reassessment`);
    expect(form.text).toContain('Gofyn am ailasesiad');
    const empty = await dewi.post2(`/my/direct-payments/${dewisDp}/contact/new/reassessment`, {});
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Dywedwch wrthon ni beth sydd wedi newid');
    await dewi.post2(`/my/direct-payments/${dewisDp}/contact/new/reassessment`, { message: 'Mae fy nghoes yn waeth ers yr haf' });
    const [req] = await requestsOf(dewisDp);
    const res = await rhys.post2(`/contact/${req!.id}/reply`, { message: 'Diolch, Dewi. Bydda i’n eich ffonio yfory.' });
    expect(res.status).toBe(303);
    const dewiUser = await t.db.selectFrom('users').select('id').where('username', '=', 'dewi').executeTakeFirstOrThrow();
    const note = await t.db.selectFrom('notifications').selectAll().where('to_user_id', '=', dewiUser.id).executeTakeFirstOrThrow();
    expect(note.template_id).toBe('contact-reply-cy');
    expect(note.body).toContain('wedi ateb eich cais am ailasesiad');
    const thread = await dewi.get(`/my/contact/${req!.id}`);
    expect(thread.text).toContain('Bydda i’n eich ffonio yfory');
    expect(thread.text).toContain('Gallwch chi ysgrifennu’n ôl isod');
  });
});

describe('a representative', () => {
  it('asks on behalf of the person they act for, clearly labelled whose it is, and is the one told of the reply', async () => {
    const non = await signedIn(t.app, 'non');
    await t.db.updateTable('users').set({ preferred_language: 'en' }).where('username', '=', 'non').execute();
    const cerysDp = await dpOf('Cerys');
    const hub = await non.get(`/my/direct-payments/${cerysDp}/contact`);
    expect(hub.status).toBe(200);
    expect(hub.text).toContain('You are managing this for Cerys Morgan');
    const sent = await non.post2(`/my/direct-payments/${cerysDp}/contact/new/change`, { message: 'Could music club move to Sundays?' });
    expect(sent.status).toBe(303);
    const [req] = await requestsOf(cerysDp);
    const nonUser = await t.db.selectFrom('users').select('id').where('username', '=', 'non').executeTakeFirstOrThrow();
    expect(req).toMatchObject({ kind: 'change', created_by: nonUser.id });
    await rhys.post2(`/contact/${req!.id}/reply`, { message: 'Yes, from next month.' });
    const note = await t.db.selectFrom('notifications').select(['template_id', 'to_user_id']).where('link', '=', `/my/contact/${req!.id}`).executeTakeFirstOrThrow();
    expect(note).toEqual({ template_id: 'contact-reply-en', to_user_id: nonUser.id });
  });

  it('once they no longer act for the person, a later reply is not sent to them', async () => {
    const cerysDp = await dpOf('Cerys');
    const [req] = await requestsOf(cerysDp);
    const nonUser = await t.db.selectFrom('users').select('id').where('username', '=', 'non').executeTakeFirstOrThrow();
    const cerys = await t.db.selectFrom('people').select('id').where('given_name', '=', 'Cerys').executeTakeFirstOrThrow();
    await t.db.updateTable('representatives').set({ starts_on: '2000-01-01', ends_on: '2000-12-31' }).where('user_id', '=', nonUser.id).where('person_id', '=', cerys.id).execute();
    expect((await rhys.post2(`/contact/${req!.id}/reply`, { message: 'One more thing about Sundays.' })).status).toBe(303);
    const notes = await t.db.selectFrom('notifications').select(['to_user_id']).where('link', '=', `/my/contact/${req!.id}`).execute();
    expect(notes.filter((n) => n.to_user_id === nonUser.id)).toHaveLength(1);
  });
});

describe('nobody else reads them', () => {
  it('another recipient, a representative for someone else and staff of another council get 404 and change nothing', async () => {
    const [idea] = await requestsOf(anwensDp);
    const before = await t.db.selectFrom('contact_request_replies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const who of ['peter', 'non']) {
      const agent = await signedIn(t.app, who);
      expect((await agent.get(`/my/contact/${idea!.id}`)).status).toBe(404);
      expect((await agent.post2(`/my/contact/${idea!.id}/reply`, { message: 'Hello' })).status).toBe(404);
      expect((await agent.get(`/my/direct-payments/${anwensDp}/contact`)).status).toBe(404);
      expect((await agent.post2(`/my/direct-payments/${anwensDp}/contact/new/question`, { message: 'Hello' })).status).toBe(404);
      // Staff pages are not theirs at all.
      expect((await agent.get(`/contact/${idea!.id}`)).status).toBe(403);
    }
    expect((await rhys.post2(`/contact/${idea!.id}/close`, {})).status).toBe(404);
    const after = await t.db.selectFrom('contact_request_replies').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await requestsOf(anwensDp)).map((r) => r.status)).toEqual(['waiting', 'waiting']);
  });
});
