import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestApp, signedIn, csrfFrom, type TestApp, type Agent } from '../../../test/support/app.ts';
import { demoIds, buildPerson } from '../../../test/support/builders.ts';
import { approvedDirectPayment } from '../payments/test-data.ts';
import { giveSignIn, signInHolder } from './sign-ins.ts';
import { personFor } from './access.ts';
import { loadUser } from '../../platform/http/auth.ts';

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

const temporaryFrom = (html: string) => {
  const m = /id="temporary-password">([^<]+)</.exec(html);
  if (!m) throw new Error('No temporary password on the page');
  return m[1]!;
};

/** Signs in through the real form; returns the agent and the response (not following redirects). */
async function signInAs(username: string, password: string) {
  const agent = request.agent(t.app) as Agent;
  const page = await agent.get('/sign-in');
  const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username, password });
  agent.post2 = async (path, form) => agent.post(path).type('form').send({ ...form, _csrf: csrfFrom((await agent.get(path)).text) });
  return { agent, res };
}

const sid = (res: request.Response) => ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('dp.sid='))?.split(';')[0];

describe('who may give a sign-in', () => {
  it('shows "Give <name> a sign-in" on the record to practitioners and managers only', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Olwen', family_name: 'Price' });
    for (const username of ['practitioner', 'manager']) {
      const page = await (await signedIn(t.app, username)).get(`/people/${person.id}`);
      expect(page.text).toContain('Olwen Price does not have a sign-in yet');
      expect(page.text).toContain(`href="/people/${person.id}/sign-in">Give Olwen Price a sign-in</a>`);
    }
    const finance = await (await signedIn(t.app, 'finance')).get(`/people/${person.id}`);
    expect(finance.status).toBe(200);
    expect(finance.text).toContain('Olwen Price does not have a sign-in yet');
    expect(finance.text).not.toContain('Give Olwen Price a sign-in');
  });

  it('answers 403 to other roles and 404 for another council’s person or a made-up id, changing nothing', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Gwen' });
    const form = { username: 'gwen.person', email: '' };
    for (const username of ['finance', 'panel', 'admin', 'peter']) {
      const agent = await signedIn(t.app, username);
      expect((await agent.get(`/people/${person.id}/sign-in`)).status, username).toBe(403);
      expect((await agent.post2(`/people/${person.id}/sign-in`, form)).status, username).toBe(403);
      expect((await agent.post2(`/people/${person.id}/sign-in/turn-off`, {})).status, username).toBe(403);
    }
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/people/${person.id}/sign-in`)).status).toBe(404);
    expect((await rhys.post2(`/people/${person.id}/sign-in`, form)).status).toBe(404);
    expect((await practitioner.get('/people/00000000-0000-4000-8000-000000000000/sign-in')).status).toBe(404);
    expect((await practitioner.get(`/people/${person.id}/representatives/00000000-0000-4000-8000-000000000000/sign-in`)).status).toBe(404);
    expect((await practitioner.get(`/people/${person.id}/representatives/not-an-id/sign-in`)).status).toBe(404);
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'gwen.person').execute()).toEqual([]);
  });

  it('offers no sign-in of their own to someone whose representative receives the money', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Ifan', kind: 'child', date_of_birth: '2015-03-03' });
    await t.db.insertInto('representatives').values({ person_id: person.id, name: 'Mair Jones', relationship: 'Mother', kind: 'parental_responsibility', receives_payment: true, starts_on: '2026-01-01' }).execute();
    const page = await practitioner.get(`/people/${person.id}`);
    expect(page.text).toContain('Only someone who receives the direct payment themselves can have their own sign-in');
    expect(page.text).not.toContain('Give Ifan Person a sign-in');
    expect(page.text).toContain('Give Mair Jones a sign-in');
    expect((await practitioner.get(`/people/${person.id}/sign-in`)).status).toBe(404);
  });
});

describe('giving a person a sign-in', () => {
  it('suggests a free username, and refuses bad details keeping what was typed', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Siôn', family_name: 'Ellis' });
    const form = await practitioner.get(`/people/${person.id}/sign-in`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Give Siôn Ellis a sign-in');
    expect(form.text).toContain('value="sion.ellis"');
    const res = await practitioner.post2(`/people/${person.id}/sign-in`, { username: 'Siôn Ellis', email: 'sion-at-home' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Username must be 2 to 64 letters, numbers');
    expect(res.text).toContain('Enter an email address in the correct format');
    expect(res.text).toContain('value="Siôn Ellis"');
    expect(res.text).toContain('value="sion-at-home"');
    const taken = await practitioner.post2(`/people/${person.id}/sign-in`, { username: 'rhys', email: 'sion@example.com' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('That username is already taken: choose another');
    expect(taken.text).toContain('value="sion@example.com"');
    // Every mistake at once: a taken username is said along with a bad email address.
    const both = await practitioner.post2(`/people/${person.id}/sign-in`, { username: 'rhys', email: 'nope' });
    expect(both.status).toBe(400);
    expect(both.text).toContain('That username is already taken: choose another');
    expect(both.text).toContain('Enter an email address in the correct format');
    expect((await t.db.selectFrom('people').select('user_id').where('id', '=', person.id).executeTakeFirstOrThrow()).user_id).toBeNull();
  });

  it('sets up the sign-in, shows the temporary password once, and records who did it with the person', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Ruth' });
    const res = await practitioner.post2(`/people/${dp.personId}/sign-in`, { username: 'Ruth.Tester', email: 'ruth@example.com' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Ruth Tester has a sign-in');
    expect(res.text).toContain('This is the only time you will see this temporary password');
    const temporary = temporaryFrom(res.text);
    expect(temporary).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const user = await t.db.selectFrom('users').selectAll().where('username', '=', 'ruth.tester').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'recipient', display_name: 'Ruth Tester', email: 'ruth@example.com', council_id: ids.england, must_change_password: true, active: true, preferred_language: 'en' });
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.password_hash).not.toContain(temporary);
    expect((await t.db.selectFrom('people').select('user_id').where('id', '=', dp.personId).executeTakeFirstOrThrow()).user_id).toBe(user.id);
    const audited = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', user.id).where('action', '=', 'create').executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ username: 'practitioner', entity_type: 'user', person_id: dp.personId });
    expect(audited.details).toMatchObject({ username: 'ruth.tester', role: 'recipient', signInFor: 'person' });

    // The record now shows it; the password is nowhere but that one page.
    const record = await practitioner.get(`/people/${dp.personId}`);
    expect(record.text).toContain('ruth.tester');
    expect(record.text).toContain('Not used yet');
    expect(record.text).not.toContain(temporary);
    expect(record.text).not.toContain('Give Ruth Tester a sign-in');
    // One sign-in each: the form is gone, and a second POST is refused in plain English.
    expect((await practitioner.get(`/people/${dp.personId}/sign-in`)).status).toBe(404);
    const again = await practitioner.post2(`/people/${dp.personId}/sign-in`, { username: 'ruth.two', email: '' });
    expect(again.status).toBe(400);
    expect(again.text).toContain('Ruth Tester already has a sign-in, with the username ruth.tester');
    expect(again.text).toContain('value="ruth.two"');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'ruth.two').execute()).toEqual([]);
  });

  it('gives one sign-in when two people set one up at once; the other is refused and leaves nothing behind', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Race' });
    const staff = await loadUser(t, ids.user('practitioner'));
    const row = await personFor(t.db, staff!, person.id, t.clock.today());
    const holder = (await signInHolder(t.db, row, undefined, t.clock.today()))!;
    const results = await Promise.all(
      ['race.one', 'race.two', 'race.three'].map((username) => giveSignIn(t.db, { holder, username, email: null, councilId: ids.england, preferredLanguage: 'en' }, staff!)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(['already_has_one', 'already_has_one']);
    expect(await t.db.selectFrom('users').select('username').where('username', 'like', 'race.%').execute()).toHaveLength(1);
    // And the same username for two people at once: one wins, the other is told it is taken.
    const [a, b] = await Promise.all([buildPerson(t.db, ids.england), buildPerson(t.db, ids.england)]);
    const holders = await Promise.all([a, b].map(async (p) => (await signInHolder(t.db, await personFor(t.db, staff!, p.id, t.clock.today()), undefined, t.clock.today()))!));
    const same = await Promise.all(holders.map((h) => giveSignIn(t.db, { holder: h, username: 'same.name', email: null, councilId: ids.england, preferredLanguage: null }, staff!)));
    expect(same.map((r) => (r.ok ? 'ok' : r.reason)).sort()).toEqual(['ok', 'username_taken']);
  });

  it('refuses, in the database, to link a staff account as someone’s own sign-in', async () => {
    const person = await buildPerson(t.db, ids.england);
    await expect(t.db.updateTable('people').set({ user_id: ids.user('finance') }).where('id', '=', person.id).execute()).rejects.toThrow(/must have the role recipient/);
  });
});

describe('a representative’s sign-in', () => {
  it('gives a current representative a sign-in that sees only the person they act for', async () => {
    const dp = await approvedDirectPayment(t.db, { givenName: 'Dai' });
    const rep = await t.db
      .insertInto('representatives')
      .values({ person_id: dp.personId, name: 'Eleri Tester', relationship: 'Daughter', kind: 'nominated', receives_payment: false, starts_on: '2026-01-01' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const base = `/people/${dp.personId}/representatives/${rep.id}/sign-in`;
    expect((await practitioner.get(`/people/${dp.personId}`)).text).toContain(`href="${base}">Give Eleri Tester a sign-in</a>`);
    const res = await practitioner.post2(base, { username: 'eleri.t', email: '' });
    expect(res.status).toBe(200);
    const temporary = temporaryFrom(res.text);
    const user = await t.db.selectFrom('users').select(['id', 'role', 'preferred_language']).where('username', '=', 'eleri.t').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'representative', preferred_language: null });
    expect((await t.db.selectFrom('representatives').select('user_id').where('id', '=', rep.id).executeTakeFirstOrThrow()).user_id).toBe(user.id);
    const audited = await t.db.selectFrom('audit_log').select(['person_id', 'details']).where('entity_id', '=', user.id).where('action', '=', 'create').executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ person_id: dp.personId, details: { signInFor: 'representative', representativeId: rep.id } });

    const { agent } = await signInAs('eleri.t', temporary);
    await agent.post2('/sign-in/new-password', { password: 'three random words for eleri' });
    const other = await approvedDirectPayment(t.db, { givenName: 'Someone' });
    const home = await agent.get(`/my/direct-payments/${dp.id}`);
    expect(home.status).toBe(200);
    expect(home.text).toContain('You are managing this for Dai Tester');
    expect((await agent.get(`/my/direct-payments/${other.id}`)).status).toBe(404);
  });
});

describe('the first sign-in', () => {
  let dp: Awaited<ReturnType<typeof approvedDirectPayment>>;
  let other: Awaited<ReturnType<typeof approvedDirectPayment>>;
  let temporary: string;
  beforeAll(async () => {
    dp = await approvedDirectPayment(t.db, { givenName: 'Bethan' });
    other = await approvedDirectPayment(t.db, { givenName: 'Other', username: 'other.person' });
    temporary = temporaryFrom((await practitioner.post2(`/people/${dp.personId}/sign-in`, { username: 'bethan', email: '' })).text);
  });

  it('sends them to "Choose a new password", with no other page open until they have', async () => {
    const { agent, res } = await signInAs('bethan', temporary);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in/new-password');
    expect((await agent.get('/my')).headers.location).toBe('/sign-in');
    const page = await agent.get('/sign-in/new-password');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Choose a new password');
    expect(page.text).toContain('Your password must be at least 12 characters long');
    expect(page.text).toContain('put 3 random words together');
    expect(page.text).toContain('autocomplete="new-password"');
  });

  it('refuses a password that is missing, short, the temporary one or the username, never showing it back', async () => {
    const { agent } = await signInAs('bethan', temporary);
    const cases: [string, string][] = [
      ['', 'Enter a new password'],
      ['too short', 'Password must be 12 characters or more'],
      [temporary, 'Your new password must be different from the temporary password'],
      ['bethan', 'Password must be 12 characters or more'],
    ];
    for (const [password, message] of cases) {
      const res = await agent.post2('/sign-in/new-password', { password });
      expect(res.status, password).toBe(400);
      expect(res.text).toContain('There is a problem');
      expect(res.text).toContain(message);
      if (password) expect(res.text).not.toContain(`value="${password}"`);
    }
    await t.db.updateTable('users').set({ username: 'bethan.tester.long' }).where('username', '=', 'bethan').execute();
    const { agent: again } = await signInAs('bethan.tester.long', temporary);
    const sameAsUsername = await again.post2('/sign-in/new-password', { password: 'Bethan.Tester.Long' });
    expect(sameAsUsername.text).toContain('Your password must not be your username');
    await t.db.updateTable('users').set({ username: 'bethan' }).where('username', '=', 'bethan.tester.long').execute();
    expect((await t.db.selectFrom('users').select('must_change_password').where('username', '=', 'bethan').executeTakeFirstOrThrow()).must_change_password).toBe(true);
  });

  it('saves the new password, gives a new session, ends the others, and opens their home with only their direct payment', async () => {
    const { agent: earlier } = await signInAs('bethan', temporary);
    const { agent, res: signIn } = await signInAs('bethan', temporary);
    const before = sid(signIn);
    const page = await agent.get('/sign-in/new-password');
    const res = await agent.post('/sign-in/new-password').type('form').send({ _csrf: csrfFrom(page.text), password: 'kettle orchard lantern' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/my');
    expect(sid(res)).toBeDefined();
    expect(sid(res)).not.toBe(before);
    const user = await t.db.selectFrom('users').select(['id', 'must_change_password']).where('username', '=', 'bethan').executeTakeFirstOrThrow();
    expect(user.must_change_password).toBe(false);
    const audited = await t.db.selectFrom('audit_log').select(['action', 'details']).where('entity_id', '=', user.id).where('user_id', '=', user.id).orderBy('id').execute();
    expect(audited.map((a) => a.action)).toEqual(expect.arrayContaining(['sign_in', 'update']));
    expect(audited.find((a) => a.action === 'update')!.details).toEqual({ password: 'chosen at first sign-in' });

    const home = await agent.get('/my/direct-payments/' + dp.id);
    expect(home.status).toBe(200);
    expect(home.text).toContain('Your new password has been saved');
    expect(home.text).toContain('An accessible cooker');
    const list = await agent.get('/my');
    expect([200, 303]).toContain(list.status);
    if (list.status === 303) expect(list.headers.location).toBe(`/my/direct-payments/${dp.id}`);
    expect((await agent.get(`/my/direct-payments/${other.id}`)).status).toBe(404);
    expect((await agent.get(`/people/${dp.personId}`)).status).toBe(403);
    // The session left half-way at "choose a password" is gone; the temporary password no longer works.
    expect((await earlier.get('/sign-in/new-password')).headers.location).toBe('/sign-in');
    expect((await signInAs('bethan', temporary)).res.status).toBe(400);
    const next = await signInAs('bethan', 'kettle orchard lantern');
    expect(next.res.headers.location).toBe('/my');
  });

  it('turns off a sign-in after asking, ending its sessions, and turns it back on with a new temporary password', async () => {
    const { agent: bethan } = await signInAs('bethan', 'kettle orchard lantern');
    expect((await bethan.get('/my')).headers.location).not.toBe('/sign-in');
    const confirm = await practitioner.get(`/people/${dp.personId}/sign-in/turn-off`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Are you sure you want to turn off Bethan Tester’s sign-in?');
    const off = await practitioner.post2(`/people/${dp.personId}/sign-in/turn-off`, {});
    expect(off.status).toBe(303);
    expect(off.headers.location).toBe(`/people/${dp.personId}#sign-in`);
    const record = await practitioner.get(off.headers.location!);
    expect(record.text).toContain('Bethan Tester’s sign-in has been turned off');
    expect(record.text).toContain('Turned off');
    expect((await bethan.get('/my')).headers.location).toBe('/sign-in');
    expect((await signInAs('bethan', 'kettle orchard lantern')).res.status).toBe(400);
    const user = await t.db.selectFrom('users').select(['id', 'active']).where('username', '=', 'bethan').executeTakeFirstOrThrow();
    expect(user.active).toBe(false);
    const audited = await t.db.selectFrom('audit_log').select(['username', 'person_id', 'details']).where('entity_id', '=', user.id).where('action', '=', 'update').where('username', '=', 'practitioner').execute();
    expect(audited).toEqual([{ username: 'practitioner', person_id: dp.personId, details: { active: false, signInFor: 'person' } }]);

    expect((await practitioner.get(`/people/${dp.personId}/sign-in/reset`)).text).toContain('their sign-in is turned back on');
    const reset = await practitioner.post2(`/people/${dp.personId}/sign-in/reset`, {});
    expect(reset.status).toBe(200);
    expect(reset.text).toContain('New temporary password for Bethan Tester');
    const fresh = temporaryFrom(reset.text);
    expect((await signInAs('bethan', 'kettle orchard lantern')).res.status).toBe(400);
    expect((await signInAs('bethan', fresh)).res.headers.location).toBe('/sign-in/new-password');

    // Someone half way through choosing a password with a temporary one that staff then replace
    // (it may have leaked) cannot finish: the reset ends that session too.
    const { agent: halfway } = await signInAs('bethan', fresh);
    expect((await halfway.get('/sign-in/new-password')).status).toBe(200);
    expect((await practitioner.post2(`/people/${dp.personId}/sign-in/reset`, {})).status).toBe(200);
    expect((await halfway.get('/sign-in/new-password')).headers.location).toBe('/sign-in');
    expect((await t.db.selectFrom('users').select('must_change_password').where('username', '=', 'bethan').executeTakeFirstOrThrow()).must_change_password).toBe(true);
  });

  it('does not treat anyone who must still choose a password as signed in, whatever their session says', async () => {
    const user = await t.db.selectFrom('users').select('id').where('username', '=', 'bethan').executeTakeFirstOrThrow();
    await t.db.updateTable('users').set({ must_change_password: true, active: true }).where('id', '=', user.id).execute();
    expect(await loadUser(t, user.id)).toBeUndefined();
    await t.db.updateTable('users').set({ must_change_password: false }).where('id', '=', user.id).execute();
    expect((await loadUser(t, user.id))?.id).toBe(user.id);
  });

  it('speaks Welsh to a person who prefers it', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Gwenllian' });
    await t.db.updateTable('people').set({ preferred_language: 'cy' }).where('id', '=', person.id).execute();
    const temp = temporaryFrom((await practitioner.post2(`/people/${person.id}/sign-in`, { username: 'gwenllian', email: '' })).text);
    const { agent } = await signInAs('gwenllian', temp);
    const page = await agent.get('/sign-in/new-password');
    expect(page.text).toContain('<html lang="cy"');
    expect(page.text).toContain('Dewiswch gyfrinair newydd');
    const short = await agent.post2('/sign-in/new-password', { password: 'byr' });
    expect(short.text).toContain('Rhaid i’r cyfrinair fod yn 12 nod neu fwy');
  });
});
