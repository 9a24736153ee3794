import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp } from '../../../test/support/app.ts';
import { demoIds, buildPerson } from '../../../test/support/builders.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t?.stop();
});

const newPerson = {
  givenName: 'Mair',
  familyName: 'Roberts',
  preferredName: '',
  'dateOfBirth-day': '2',
  'dateOfBirth-month': '7',
  'dateOfBirth-year': '1950',
  kind: 'adult',
  address: '1 High Street\nEastmoor',
  postcode: 'sy1 1aa',
  phone: '01632 960 001',
  email: 'mair@example.com',
  preferredLanguage: 'cy',
  communicationNeeds: 'Needs time to answer',
  hasCapacity: 'yes',
};

async function auditRows(action: string, entityType: string, personId?: string) {
  let q = t.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('entity_type', '=', entityType);
  if (personId) q = q.where('person_id', '=', personId);
  return q.execute();
}

async function countPeople() {
  const r = await t.db.selectFrom('people').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('the people list', () => {
  it('offers a practitioner "Add a person", and a finance officer only the list', async () => {
    const practitioner = await signedIn(t.app, 'practitioner');
    expect((await practitioner.get('/people')).text).toContain('href="/people/new"');
    const finance = await signedIn(t.app, 'finance');
    const res = await finance.get('/people');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Anwen');
    expect(res.text).not.toContain('href="/people/new"');
  });
});

describe('adding a person', () => {
  it('shows the form', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.get('/people/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Add a person');
  });

  it('refuses bad input with an error summary, keeps what was typed and saves nothing', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const before = await countPeople();
    const res = await agent.post2('/people/new', { ...newPerson, givenName: '', 'dateOfBirth-day': '31', 'dateOfBirth-month': '2', email: 'not-an-email', postcode: 'nowhere' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Enter their first name');
    expect(res.text).toContain('Date of birth must be a real date');
    expect(res.text).toContain('Enter an email address in the correct format');
    expect(res.text).toContain('Enter a real postcode');
    expect(res.text).toContain('href="#dateOfBirth-day"');
    expect(res.text).toContain('value="Roberts"');
    expect(res.text).toContain('value="31"');
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).toMatch(/<title>Error: /);
    expect(await countPeople()).toBe(before);
  });

  it('refuses a child aged 18 or over, and an adult under 18', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const child = await agent.post2('/people/new', { ...newPerson, kind: 'child' });
    expect(child.status).toBe(400);
    expect(child.text).toContain('A child must be under 18');
    const adult = await agent.post2('/people/new', { ...newPerson, 'dateOfBirth-year': '2015' });
    expect(adult.status).toBe(400);
    expect(adult.text).toContain('An adult must be 18 or over');
  });

  it('refuses a date of birth in the future', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2('/people/new', { ...newPerson, 'dateOfBirth-year': '2027' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Date of birth must be in the past');
  });

  it('saves the person in the user’s council, with an audit row, and shows their record', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2('/people/new', newPerson);
    expect(res.status).toBe(303);
    const personId = /^\/people\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')?.[1];
    expect(personId).toBeTruthy();
    const row = await t.db.selectFrom('people').selectAll().where('id', '=', personId!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ council_id: ids.england, given_name: 'Mair', date_of_birth: '1950-07-02', postcode: 'SY1 1AA', preferred_language: 'cy', has_capacity: true, practitioner_id: ids.user('practitioner') });
    expect(row.reference).toMatch(/^P-\d{6}$/);
    expect(await auditRows('create', 'person', personId)).toHaveLength(1);
    const page = await agent.get(`/people/${personId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Mair Roberts');
    expect(page.text).toContain('Welsh (Cymraeg)');
    expect(page.text).toContain('Mair can receive a direct payment themselves.');
  });

  it('does not let finance or panel members add people', async () => {
    for (const who of ['finance', 'panel']) {
      const agent = await signedIn(t.app, who);
      expect((await agent.get('/people/new')).status).toBe(403);
      const before = await countPeople();
      expect((await agent.post2('/people/new', newPerson)).status).toBe(403);
      expect(await countPeople()).toBe(before);
    }
  });
});

describe('a person’s record', () => {
  it('is shown to a practitioner with an audit row, and the links to change it', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const anwen = ids.person('anwen');
    const before = (await auditRows('view', 'person', anwen)).length;
    const res = await agent.get(`/people/${anwen}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Anwen Price');
    for (const href of ['/edit', '/contacts/new', '/representatives/new', '/advocacy/new', '/information/new', '/conversations/new']) {
      expect(res.text).toContain(`href="/people/${anwen}${href}"`);
    }
    expect((await auditRows('view', 'person', anwen)).length).toBe(before + 1);
  });

  it('is shown to finance and panel members without any links to change it', async () => {
    const anwen = ids.person('anwen');
    for (const who of ['finance', 'panel']) {
      const agent = await signedIn(t.app, who);
      const res = await agent.get(`/people/${anwen}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(`/people/${anwen}/edit`);
      expect(res.text).not.toContain('/contacts/new');
      expect(res.text).not.toContain('/conversations/new');
    }
  });

  it('is not found for another council’s practitioner (rhys, in Wales, asking for Anwen in England)', async () => {
    const rhys = await signedIn(t.app, 'rhys');
    const anwen = ids.person('anwen');
    expect((await rhys.get(`/people/${anwen}`)).status).toBe(404);
    expect((await rhys.get(`/people/${anwen}/edit`)).status).toBe(404);
    expect((await rhys.post2(`/people/${anwen}/edit`, newPerson)).status).toBe(404);
    const name = await t.db.selectFrom('people').select('given_name').where('id', '=', anwen).executeTakeFirstOrThrow();
    expect(name.given_name).toBe('Anwen');
  });

  it('is refused to a recipient asking for someone else’s record (peter asking for Anwen)', async () => {
    const peter = await signedIn(t.app, 'peter');
    const res = await peter.get(`/people/${ids.person('anwen')}`);
    expect([403, 404]).toContain(res.status);
    expect(res.text).not.toContain('Anwen Price');
  });

  it('answers 404 for a malformed or unknown id', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    expect((await agent.get('/people/not-an-id/edit')).status).toBe(404);
    expect((await agent.get('/people/00000000-0000-4000-8000-000000000000/contacts/new')).status).toBe(404);
  });
});

describe('changing a person’s details', () => {
  it('shows what is stored, saves a change with an audit row naming the fields changed', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england, { given_name: 'Edith', family_name: 'Jones', date_of_birth: '1940-01-15' });
    const form = await agent.get(`/people/${person.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Edith"');
    expect(form.text).toContain('value="15"');
    const res = await agent.post2(`/people/${person.id}/edit`, { ...newPerson, givenName: 'Edith', familyName: 'Jones', 'dateOfBirth-day': '15', 'dateOfBirth-month': '1', 'dateOfBirth-year': '1940', hasCapacity: 'no' });
    expect(res.status).toBe(303);
    const row = await t.db.selectFrom('people').selectAll().where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row.has_capacity).toBe(false);
    const [change] = await auditRows('update', 'person', person.id);
    expect(change?.details).toMatchObject({ changed: expect.arrayContaining(['has_capacity', 'postcode']) });
    expect(JSON.stringify(change?.details)).not.toContain('SY1');
  });

  it('keeps what was typed when something is wrong, and changes nothing', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const person = await buildPerson(t.db, ids.england, { given_name: 'Olwen' });
    const res = await agent.post2(`/people/${person.id}/edit`, { ...newPerson, givenName: 'Olwen-changed', familyName: '', hasCapacity: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter their last name');
    expect(res.text).toContain('Select yes if they have capacity');
    expect(res.text).toContain('value="Olwen-changed"');
    const row = await t.db.selectFrom('people').select('given_name').where('id', '=', person.id).executeTakeFirstOrThrow();
    expect(row.given_name).toBe('Olwen');
  });

  it('does not let a panel member change details', async () => {
    const panel = await signedIn(t.app, 'panel');
    const person = await buildPerson(t.db, ids.england, { given_name: 'Gwen' });
    expect((await panel.post2(`/people/${person.id}/edit`, { ...newPerson, givenName: 'Changed' })).status).toBe(403);
  });
});

describe('searching for a person', () => {
  it('finds people by name without putting the name in the URL', async () => {
    const t = await startTestApp();
    try {
      const agent = await signedIn(t.app, 'practitioner');
      const res = await agent.post2('/people', { search: 'okafor' });
      expect(res.status).toBe(200);
      expect(res.text).toContain('Jemima Okafor');
      expect(res.text).not.toContain('Anwen Price');
      expect(res.text).toContain('value="okafor"');
      expect(res.text).toContain('<form method="post" action="/people"');
    } finally {
      await t.stop();
    }
  });
});
