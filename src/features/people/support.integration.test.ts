import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp } from '../../../test/support/app.ts';
import { demoIds, buildPerson, buildConversation, buildPlan, buildDirectPayment } from '../../../test/support/builders.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t?.stop();
});

const audits = (entityType: string, personId: string) =>
  t.db.selectFrom('audit_log').selectAll().where('action', '=', 'create').where('entity_type', '=', entityType).where('person_id', '=', personId).execute();

describe('contacts', () => {
  it('records informal support only where the contact is willing and able', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england, { given_name: 'Nia' });
    const husband = await agent.post2(`/people/${person.id}/contacts/new`, { name: 'Huw Price', relationship: 'Husband', phone: '', email: '', informalSupport: 'unknown', supportNotes: '' });
    expect(husband.status).toBe(303);
    const friend = await agent.post2(`/people/${person.id}/contacts/new`, { name: 'Sian', relationship: 'Friend', phone: '07700 900 982', email: '', informalSupport: 'yes', supportNotes: 'Shopping on Saturdays' });
    expect(friend.status).toBe(303);
    const rows = await t.db.selectFrom('contacts').selectAll().where('person_id', '=', person.id).orderBy('created_at').execute();
    expect(rows.map((r) => [r.name, r.gives_informal_support, r.willing_and_able])).toEqual([
      ['Huw Price', false, null],
      ['Sian', true, true],
    ]);
    expect(await audits('contact', person.id)).toHaveLength(2);
    const page = await agent.get(`/people/${person.id}`);
    expect(page.text).toContain('Willing and able to give informal support: Shopping on Saturdays');
    expect(page.text).toContain('Not talked about yet');
  });

  it('asks what support a willing contact gives, keeping what was typed', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england);
    const res = await agent.post2(`/people/${person.id}/contacts/new`, { name: 'Tom', relationship: '', phone: '12', email: '', informalSupport: 'yes', supportNotes: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter how they know the person');
    expect(res.text).toContain('Enter a phone number');
    expect(res.text).toContain('Enter what support they are willing and able to give');
    expect(res.text).toContain('value="Tom"');
    expect(await t.db.selectFrom('contacts').select('id').where('person_id', '=', person.id).execute()).toHaveLength(0);
  });

  it('is refused to finance, and not found for another council', async () => {
    const anwen = ids.person('anwen');
    const form = { name: 'X', relationship: 'Friend', informalSupport: 'no' };
    expect((await (await signedIn(t.app, 'finance')).post2(`/people/${anwen}/contacts/new`, form)).status).toBe(403);
    expect((await (await signedIn(t.app, 'rhys')).post2(`/people/${anwen}/contacts/new`, form)).status).toBe(404);
    expect((await (await signedIn(t.app, 'rhys')).get(`/people/${anwen}/contacts/new`)).status).toBe(404);
  });
});

describe('representatives', () => {
  const rep = { name: 'Mary Price', relationship: 'Sister', kind: 'nominated', 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '', receivesPayment: 'yes', notes: '' };

  it('offers authorised person in England and suitable person in Wales', async () => {
    const england = await (await signedIn(t.app, 'practitioner')).get(`/people/${ids.person('anwen')}/representatives/new`);
    expect(england.text).toContain('value="authorised"');
    expect(england.text).not.toContain('value="suitable"');
    const wales = await (await signedIn(t.app, 'rhys')).get(`/people/${ids.person('dewi')}/representatives/new`);
    expect(wales.text).toContain('value="suitable"');
    expect(wales.text).not.toContain('value="authorised"');
  });

  it('lets a person with capacity have a nominated person, who then receives the payment', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england, { given_name: 'Rhian' });
    const res = await agent.post2(`/people/${person.id}/representatives/new`, rep);
    expect(res.status).toBe(303);
    const row = await t.db.selectFrom('representatives').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'nominated', receives_payment: true, starts_on: '2026-11-23' });
    expect(await audits('representative', person.id)).toHaveLength(1);
    expect((await agent.get(`/people/${person.id}`)).text).toContain('Mary Price (nominated person) receives a direct payment for Rhian.');
  });

  it('refuses an authorised person for someone who has capacity', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england);
    const res = await agent.post2(`/people/${person.id}/representatives/new`, { ...rep, kind: 'authorised' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('An authorised person acts only for someone who lacks capacity');
    expect(res.text).toContain('value="Mary Price"');
  });

  it('in Wales, records a suitable person for someone who lacks capacity and refuses the English term', async () => {
    const rhys = await signedIn(t.app, 'rhys');
    const person = await t.db
      .insertInto('people')
      .values({ council_id: ids.wales, given_name: 'Gethin', family_name: 'Lloyd', date_of_birth: '1960-02-02', kind: 'adult', has_capacity: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    const english = await rhys.post2(`/people/${person.id}/representatives/new`, { ...rep, kind: 'authorised' });
    expect(english.status).toBe(400);
    expect(english.text).toContain('Select what kind of representative they are');
    const nominated = await rhys.post2(`/people/${person.id}/representatives/new`, rep);
    expect(nominated.status).toBe(400);
    expect(nominated.text).toContain('choose suitable person');
    const before = (await rhys.get(`/people/${person.id}`)).text;
    expect(before).toContain('a suitable person receives it for them');
    expect((await rhys.post2(`/people/${person.id}/representatives/new`, { ...rep, kind: 'suitable' })).status).toBe(303);
    expect((await rhys.get(`/people/${person.id}`)).text).toContain('Mary Price (suitable person) receives a direct payment for Gethin.');
  });

  it('for a disabled child: a person with parental responsibility, aged 16 or over to receive the payment, and only one receiver', async () => {
    const rhys = await signedIn(t.app, 'rhys');
    const { id: cerys } = await t.db
      .insertInto('people')
      .values({ council_id: ids.wales, given_name: 'Cerys', family_name: 'Owen', date_of_birth: '2017-06-11', kind: 'child', preferred_language: 'cy' })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await rhys.get(`/people/${cerys}`)).text).toContain('A child under 18 cannot receive a direct payment themselves');
    const young = await rhys.post2(`/people/${cerys}/representatives/new`, { ...rep, name: 'Owain', kind: 'parental_responsibility', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': '2011' });
    expect(young.status).toBe(400);
    expect(young.text).toContain('Someone who receives a direct payment must be 16 or over');
    expect(young.text).toContain('href="#dateOfBirth-day"');
    const mother = await rhys.post2(`/people/${cerys}/representatives/new`, { ...rep, name: 'Elin Morgan', relationship: 'Mother', kind: 'parental_responsibility', 'dateOfBirth-day': '3', 'dateOfBirth-month': '4', 'dateOfBirth-year': '1988' });
    expect(mother.status).toBe(303);
    const father = await rhys.post2(`/people/${cerys}/representatives/new`, { ...rep, name: 'Ifan Morgan', relationship: 'Father', kind: 'parental_responsibility' });
    expect(father.status).toBe(400);
    expect(father.text).toContain('Elin Morgan already receives the direct payment');
    expect((await rhys.post2(`/people/${cerys}/representatives/new`, { ...rep, name: 'Ifan Morgan', relationship: 'Father', kind: 'parental_responsibility', receivesPayment: 'no' })).status).toBe(303);
    expect((await rhys.get(`/people/${cerys}`)).text).toContain('Elin Morgan (person with parental responsibility) receives a direct payment for Cerys.');
  });
});

describe('advocacy', () => {
  it('records an offer of an advocate, accepted, with an audit row', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england);
    const res = await agent.post2(`/people/${person.id}/advocacy/new`, { 'offeredOn-day': '2', 'offeredOn-month': '9', 'offeredOn-year': '2026', accepted: 'yes', advocateName: 'Sam Bell', organisation: 'Eastmoor Advocacy', notes: '' });
    expect(res.status).toBe(303);
    const row = await t.db.selectFrom('advocacy').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ offered_on: '2026-09-02', accepted: true, advocate_name: 'Sam Bell', recorded_by: ids.user('practitioner') });
    expect(await audits('advocacy', person.id)).toHaveLength(1);
    expect((await agent.get(`/people/${person.id}`)).text).toContain('Eastmoor Advocacy');
  });

  it('refuses a missing answer and a date in the future, keeping what was typed', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england);
    const res = await agent.post2(`/people/${person.id}/advocacy/new`, { 'offeredOn-day': '2', 'offeredOn-month': '9', 'offeredOn-year': '2027', advocateName: 'Sam Bell', organisation: '', notes: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Date offered must be today or in the past');
    expect(res.text).toContain('Select yes if they accepted an advocate');
    expect(res.text).toContain('value="2027"');
    expect(res.text).toContain('value="Sam Bell"');
  });

  it('is refused to a panel member', async () => {
    const panel = await signedIn(t.app, 'panel');
    expect((await panel.post2(`/people/${ids.person('anwen')}/advocacy/new`, { accepted: 'no' })).status).toBe(403);
  });
});

describe('information given before the assessment', () => {
  it('records the date and how it was given', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england);
    expect((await agent.get(`/people/${person.id}/information/new`)).status).toBe(200);
    const res = await agent.post2(`/people/${person.id}/information/new`, { 'givenOn-day': '20', 'givenOn-month': '11', 'givenOn-year': '2026', format: 'easy_read' });
    expect(res.status).toBe(303);
    const row = await t.db.selectFrom('information_given').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ given_on: '2026-11-20', format: 'easy_read' });
    expect(await audits('information-given', person.id)).toHaveLength(1);
    expect((await agent.get(`/people/${person.id}`)).text).toContain('Easy read');
  });

  it('refuses a missing date and format', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england);
    const res = await agent.post2(`/people/${person.id}/information/new`, { 'givenOn-day': '', 'givenOn-month': '', 'givenOn-year': '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter the date the information was given');
    expect(res.text).toContain('Select how the information was given');
  });
});

describe('the record links to every step of the journey', () => {
  it('lists conversations, plans, direct payments and reviews, with a plan link once a completed conversation finds them eligible', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england, { given_name: 'Jac' });
    const practitioner = ids.user('practitioner');
    const draft = await buildConversation(t.db, person.id, practitioner);
    expect((await agent.get(`/people/${person.id}`)).text).not.toContain(`/people/${person.id}/plans/new`);
    const done = await buildConversation(t.db, person.id, practitioner, { status: 'completed', eligible: true });
    const plan = await buildPlan(t.db, person.id, practitioner, { conversation_id: done.id });
    const dp = await buildDirectPayment(t.db, { councilId: ids.england, personId: person.id, createdBy: practitioner, planId: plan.id }, { status: 'active' });
    const due = await t.db.insertInto('reviews').values({ direct_payment_id: dp.id, kind: 'first', due_on: '2026-12-01' }).returning('id').executeTakeFirstOrThrow();
    const past = await t.db.insertInto('reviews').values({ direct_payment_id: dp.id, kind: 'check_back', due_on: '2026-06-01', completed_on: '2026-06-03' }).returning('id').executeTakeFirstOrThrow();
    const page = (await agent.get(`/people/${person.id}`)).text;
    expect(page).toContain(`href="/conversations/${draft.id}"`);
    expect(page).toContain(`href="/conversations/${done.id}"`);
    expect(page).toContain(`href="/people/${person.id}/plans/new"`);
    expect(page).toContain(`href="/plans/${plan.id}"`);
    expect(page).toContain(`href="/direct-payments/${dp.id}"`);
    expect(page).toMatch(new RegExp(`>${dp.reference}<`));
    expect(page).toContain(`href="/direct-payments/${dp.id}/reviews/new"`);
    expect(page).toContain(`href="/reviews/${past.id}"`);
    expect(page).not.toContain(`href="/reviews/${due.id}"`);

    const finance = (await (await signedIn(t.app, 'finance')).get(`/people/${person.id}`)).text;
    expect(finance).toContain(`href="/direct-payments/${dp.id}"`);
    expect(finance).not.toContain('/plans/new');
    expect(finance).not.toContain('/reviews/new');
  });
});
