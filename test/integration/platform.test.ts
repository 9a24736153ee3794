import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { sql } from 'kysely';
import { startTestApp, signedIn, csrfFrom, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('the platform', () => {
  it('answers /health with ok while the database answers', async () => {
    const res = await request(t.app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('lists a demo sign-in for every role, with the password, in demo mode', async () => {
    const res = await request(t.app).get('/sign-in');
    for (const username of ['practitioner', 'manager', 'panel', 'finance', 'admin', 'peter', 'anwen', 'fatima', 'kate']) {
      expect(res.text).toContain(`>${username}<`);
    }
    expect(res.text).toContain('direct-payments');
  });

  it('rejects a wrong password with an error summary and keeps the username', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/sign-in');
    const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username: 'practitioner', password: 'wrong' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Enter a correct username and password');
    expect(res.text).toContain('value="practitioner"');
  });

  it('refuses a form posted without the CSRF token', async () => {
    const res = await request(t.app).post('/sign-in').type('form').send({ username: 'practitioner', password: 'direct-payments' });
    expect(res.status).toBe(403);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('gives a new session id at sign-in, with HttpOnly SameSite cookies', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/sign-in');
    const before = /dp\.sid=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username: 'practitioner', password: 'direct-payments' });
    const cookie = String(res.headers['set-cookie']);
    const after = /dp\.sid=([^;]+)/.exec(cookie)?.[1];
    expect(before).toBeTruthy();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('sends Cache-Control: no-store on personal pages', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.get('/people');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('shows a 404 page, not an error, for an unknown or malformed person id', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    expect((await agent.get('/people/not-a-uuid')).status).toBe(404);
    expect((await agent.get('/people/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('does not let the application change or delete audit rows', async () => {
    await expect(sql`update audit_log set action = 'x'`.execute(t.db)).rejects.toThrow();
    await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow();
    const count = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThan(0);
  });
});

describe('signing in safely', () => {
  it('stops password guessing after five failures for one username', async () => {
    const agent = request.agent(t.app);
    for (let i = 0; i < 5; i++) {
      const page = await agent.get('/sign-in');
      const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username: 'finance', password: `guess-${i}` });
      expect(res.status).toBe(400);
    }
    const page = await agent.get('/sign-in');
    const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username: 'finance', password: 'direct-payments' });
    expect(res.status).toBe(429);
    expect(res.text).toContain('tried to sign in too many times');
  });

  it('keeps a NUL character typed into a form from reaching the database', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/sign-in');
    const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username: 'prac\u0000titioner', password: 'direct-payments' });
    expect(res.status).toBe(303);
  });
});
