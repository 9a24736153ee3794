import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestApp, signedIn, csrfFrom, type TestApp } from '../../../test/support/app.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { audit } from '../../platform/audit.ts';
import { pagination } from './audit-log.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t?.stop();
});

async function signInWith(username: string, password: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/sign-in');
  const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username, password });
  return { agent, res };
}

const newUser = (overrides: Record<string, string> = {}) => ({
  displayName: 'Sam Okoro',
  username: 'S.Okoro',
  email: 'sam.okoro@eastmoor.example.gov.uk',
  role: 'practitioner',
  password: 'correct horse battery',
  ...overrides,
});

describe('administrators’ pages are for administrators only', () => {
  it('answers 403 to everyone else on every /admin page', async () => {
    for (const username of ['practitioner', 'manager', 'panel', 'finance', 'peter', 'rhys']) {
      const agent = await signedIn(t.app, username);
      for (const path of ['/admin/users', '/admin/users/new', `/admin/users/${ids.user('admin')}`, `/admin/users/${ids.user('panel')}/deactivate`, '/admin/audit']) {
        expect((await agent.get(path)).status, `${username} ${path}`).toBe(403);
      }
      expect((await agent.post2('/admin/users/new', newUser({ username: `x${username}` }))).status).toBe(403);
      expect((await agent.post2(`/admin/users/${ids.user('panel')}/deactivate`, {})).status).toBe(403);
    }
    expect(await t.db.selectFrom('users').select('id').where('username', 'like', 'x%').execute()).toHaveLength(0);
    expect((await t.db.selectFrom('users').select('active').where('id', '=', ids.user('panel')).executeTakeFirstOrThrow()).active).toBe(true);
  });

  it('sends someone not signed in to sign in', async () => {
    const res = await request(t.app).get('/admin/audit');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
  });
});

describe('users', () => {
  it('lists the council’s users and no one else’s', async () => {
    const admin = await signedIn(t.app, 'admin');
    const res = await admin.get('/admin/users');
    expect(res.status).toBe(200);
    for (const name of ['Gareth Hughes', 'Jo Clarke', 'Chris Lee', 'Peter Walsh']) expect(res.text).toContain(name);
    expect(res.text).not.toContain('Rhys Evans');
    expect(res.text).not.toContain('Dewi');
  });

  it('refuses a new user with bad details, keeping all but the password', async () => {
    const admin = await signedIn(t.app, 'admin');
    const res = await admin.post2('/admin/users/new', newUser({ displayName: '', username: 'sam okoro', email: 'sam-at-eastmoor', role: '', password: 'too short' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Enter their full name');
    expect(res.text).toContain('Username must be 2 to 64 letters, numbers');
    expect(res.text).toContain('Enter an email address in the correct format');
    expect(res.text).toContain('Select what they do');
    expect(res.text).toContain('Password must be 12 characters or more');
    expect(res.text).toContain('value="sam okoro"');
    expect(res.text).toContain('value="sam-at-eastmoor"');
    expect(res.text).not.toContain('too short');
  });

  it('refuses a username someone already has, in any council', async () => {
    const admin = await signedIn(t.app, 'admin');
    const res = await admin.post2('/admin/users/new', newUser({ username: 'rhys' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('That username is already taken');
    expect(res.text).toContain('value="Sam Okoro"');
  });

  it('adds a user who can then sign in, and records who added them', async () => {
    const admin = await signedIn(t.app, 'admin');
    const res = await admin.post2('/admin/users/new', newUser());
    expect(res.status).toBe(303);
    const row = await t.db.selectFrom('users').selectAll().where('username', '=', 's.okoro').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ display_name: 'Sam Okoro', role: 'practitioner', council_id: ids.england, active: true, email: 'sam.okoro@eastmoor.example.gov.uk' });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(res.headers.location).toBe(`/admin/users/${row.id}`);
    const page = await admin.get(res.headers.location!);
    expect(page.text).toContain('Sam Okoro has been added');
    expect(page.text).toContain('They can now sign in as s.okoro');
    const audited = await t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'user').where('entity_id', '=', row.id).executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ action: 'create', username: 'admin' });

    const { agent, res: signIn } = await signInWith('s.okoro', 'correct horse battery');
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/people');
    expect((await agent.get('/reviews')).status).toBe(200);
  });

  it('deactivates a user after asking, who then cannot sign in', async () => {
    const admin = await signedIn(t.app, 'admin');
    const sam = await t.db.selectFrom('users').select('id').where('username', '=', 's.okoro').executeTakeFirstOrThrow();
    const { agent: samsSession } = await signInWith('s.okoro', 'correct horse battery');
    const confirm = await admin.get(`/admin/users/${sam.id}/deactivate`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Are you sure you want to deactivate Sam Okoro?');
    const res = await admin.post2(`/admin/users/${sam.id}/deactivate`, {});
    expect(res.status).toBe(303);
    expect((await admin.get(res.headers.location!)).text).toContain('Sam Okoro has been deactivated');
    expect((await signInWith('s.okoro', 'correct horse battery')).res.status).toBe(400);
    // A session already open is signed out on its next request.
    expect((await samsSession.get('/people')).status).toBe(303);
    const audited = await t.db.selectFrom('audit_log').select('details').where('entity_id', '=', sam.id).where('action', '=', 'update').executeTakeFirstOrThrow();
    expect(audited.details).toEqual({ active: false });
  });

  it('audits turning off a recipient’s sign-in against the person whose record it is', async () => {
    const admin = await signedIn(t.app, 'admin');
    const peter = await t.db.selectFrom('users').innerJoin('people', 'people.user_id', 'users.id').select(['users.id', 'people.id as person_id']).where('users.username', '=', 'peter').executeTakeFirstOrThrow();
    expect((await admin.post2(`/admin/users/${peter.id}/deactivate`, {})).status).toBe(303);
    const audited = await t.db.selectFrom('audit_log').select(['person_id', 'details']).where('entity_id', '=', peter.id).where('action', '=', 'update').execute();
    expect(audited).toEqual([{ person_id: peter.person_id, details: { active: false } }]);
  });

  it('does not let administrators deactivate themselves', async () => {
    const admin = await signedIn(t.app, 'admin');
    const me = ids.user('admin');
    expect((await admin.get(`/admin/users/${me}`)).text).toContain('This is you');
    expect((await admin.get(`/admin/users/${me}/deactivate`)).status).toBe(303);
    await admin.post2(`/admin/users/${me}/deactivate`, {});
    expect((await t.db.selectFrom('users').select('active').where('id', '=', me).executeTakeFirstOrThrow()).active).toBe(true);
  });

  it('answers 404 for another council’s users and made-up ids', async () => {
    const admin = await signedIn(t.app, 'admin');
    expect((await admin.get(`/admin/users/${ids.user('rhys')}`)).status).toBe(404);
    expect((await admin.get(`/admin/users/${ids.user('rhys')}/deactivate`)).status).toBe(404);
    expect((await admin.post2(`/admin/users/${ids.user('rhys')}/deactivate`, {})).status).toBe(404);
    expect((await admin.get('/admin/users/nobody')).status).toBe(404);
    expect((await t.db.selectFrom('users').select('active').where('id', '=', ids.user('rhys')).executeTakeFirstOrThrow()).active).toBe(true);
  });
});

describe('the audit log', () => {
  it('shows the council’s entries newest first, with who, what and the person’s reference', async () => {
    const practitioner = await signedIn(t.app, 'practitioner');
    await practitioner.get(`/people/${ids.person('peter')}`);
    const rhys = await signedIn(t.app, 'rhys');
    await rhys.get(`/people/${ids.person('dewi')}`);
    const admin = await signedIn(t.app, 'admin');
    const res = await admin.get('/admin/audit');
    expect(res.status).toBe(200);
    const peter = await t.db.selectFrom('people').select('reference').where('id', '=', ids.person('peter')).executeTakeFirstOrThrow();
    const dewi = await t.db.selectFrom('people').select('reference').where('id', '=', ids.person('dewi')).executeTakeFirstOrThrow();
    expect(res.text).toContain(peter.reference);
    expect(res.text).not.toContain(dewi.reference);
    expect(res.text).not.toMatch(/>\s*rhys<br>/);
    // The most recent entry (the admin signing in) comes before the practitioner's earlier view.
    expect(res.text.indexOf('>admin<br>')).toBeLessThan(res.text.indexOf('>practitioner<br>'));
  });

  it('filters by username, action, kind of record and person reference, and keeps the filters in the form', async () => {
    const admin = await signedIn(t.app, 'admin');
    const peter = await t.db.selectFrom('people').select('reference').where('id', '=', ids.person('peter')).executeTakeFirstOrThrow();
    const byPerson = await admin.get(`/admin/audit?person=${peter.reference.toLowerCase()}&action=view&entityType=person&username=practitioner`);
    expect(byPerson.status).toBe(200);
    expect(byPerson.text).toContain(`value="${peter.reference}"`);
    expect(byPerson.text).toMatch(/<option value="person" selected>/);
    expect(byPerson.text).toMatch(/1 entry/);
    expect(byPerson.text).toContain('Clear filters');
    const none = await admin.get('/admin/audit?username=nobody-at-all');
    expect(none.text).toContain('Nothing in the log matches these filters');
    const logged = await t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'audit-log').where('person_id', '=', ids.person('peter')).executeTakeFirstOrThrow();
    expect(logged).toMatchObject({ action: 'view', username: 'admin' });
    expect(logged.details).toMatchObject({ person: peter.reference, username: 'practitioner', found: 1 });
  });

  it('refuses a person reference in the wrong form, or from another council', async () => {
    const admin = await signedIn(t.app, 'admin');
    const wrong = await admin.get('/admin/audit?person=Peter+Walsh');
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Enter a person reference in the correct format, like P-000001');
    const dewi = await t.db.selectFrom('people').select('reference').where('id', '=', ids.person('dewi')).executeTakeFirstOrThrow();
    const welsh = await admin.get(`/admin/audit?person=${dewi.reference}`);
    expect(welsh.status).toBe(400);
    expect(welsh.text).toContain(`No one in Eastmoor County Council has the reference ${dewi.reference}`);
  });

  it('pages 50 entries at a time, keeping the filters in the page links', async () => {
    const panel = { id: ids.user('panel'), username: 'panel', role: 'panel' as const };
    for (let i = 0; i < 120; i++) await audit(t.db, panel, { action: 'view', entityType: 'business-case', details: { i } });
    const admin = await signedIn(t.app, 'admin');
    const first = await admin.get('/admin/audit?username=panel&entityType=business-case');
    expect(first.text).toContain('120 entries, showing 1 to 50');
    expect(first.text).toContain('href="/admin/audit?username=panel&amp;entityType=business-case&amp;page=2"');
    const last = await admin.get('/admin/audit?username=panel&entityType=business-case&page=3');
    expect(last.text).toContain('120 entries, showing 101 to 120');
    expect(last.text).toContain('aria-current="page"');
  });

  it('builds GOV.UK pagination with gaps', () => {
    const href = (n: number) => `?page=${n}`;
    expect(pagination(1, 1, href)).toBeUndefined();
    const p = pagination(5, 10, href)!;
    expect(p.items.map((i) => (i.ellipsis ? '…' : String(i.number)))).toEqual(['1', '…', '4', '5', '6', '…', '10']);
    expect(p.previous?.href).toBe('?page=4');
    expect(p.next?.href).toBe('?page=6');
    expect(pagination(10, 10, href)!.next).toBeUndefined();
  });
});
