import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, csrfFrom, type TestApp } from '../support/app.ts';
import { expectNoStackTrace, runDp } from '../support/cli.ts';
import { withDatabase } from '../support/global-database.ts';

/** The real `dp`, against this file's own database unless another is named. */
const dp = (args: string[], opts: { stdin?: string; env?: Record<string, string>; url?: string } = {}) => runDp(args, { databaseUrl: opts.url ?? t.url, stdin: opts.stdin, env: opts.env });

async function signIn(username: string, password: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/sign-in');
  return agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username, password });
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('dp help and bad arguments', () => {
  it('lists the commands with `help`, and exits 0', async () => {
    const r = await dp(['help']);
    expect(r.code).toBe(0);
    for (const name of ['db migrate', 'demo reset', 'users add']) expect(r.stdout).toContain(name);
  });

  it('explains one command with `help users add`', async () => {
    const r = await dp(['help', 'users', 'add']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: dp users add <username> --role <role>');
    expect(r.stdout).toContain('Roles: practitioner, manager, panel, finance, admin');
  });

  it('exits 2 with the usage, and no stack trace, for bad arguments', async () => {
    const cases: [string[], string][] = [
      [[], 'Usage: dp <command>'],
      [['frobnicate'], 'there is no command "frobnicate"'],
      [['users', 'add'], 'Something is missing'],
      [['users', 'add', 'sam', '--role', 'practitioner', '--name', 'Sam'], '--council is missing'],
      [['users', 'add', 'sam', '--role', 'wizard', '--name', 'Sam', '--council', 'EASTMOOR'], 'Role (one of practitioner, manager, panel, finance, admin): Select what they do'],
      [['users', 'add', 'Sam Smith', '--role', 'panel', '--name', 'Sam', '--council', 'EASTMOOR'], 'Username: Username must be 2 to 64'],
      [['users', 'add', 'sam', '--role', 'panel', '--name', 'Sam', '--council', 'EASTMOOR', '--colour', 'blue'], "Unknown option '--colour'"],
      [['db', 'migrate', 'now'], 'Unexpected "now"'],
    ];
    const runs = await Promise.all(cases.map(([args]) => dp(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = runs[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr).toMatch(/Usage: dp/);
      expectNoStackTrace(r);
    }
  });

  it('refuses a password from stdin shorter than 12 characters, with exit 2', async () => {
    const r = await dp(['users', 'add', 'sam', '--role', 'panel', '--name', 'Sam', '--council', 'EASTMOOR', '--password-stdin'], { stdin: 'short\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Password: Password must be 12 characters or more');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'sam').execute()).toHaveLength(0);
  });
});

describe('dp users add', () => {
  it('adds a user with a password from stdin, who can then sign in', async () => {
    const r = await dp(['users', 'add', 'S.Patel', '--role', 'finance', '--name', 'Sita Patel', '--council', 'eastmoor', '--password-stdin'], { stdin: 'a long and private passphrase\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Added Sita Patel (s.patel), Finance officer, to Eastmoor County Council.');
    expect(r.stdout).not.toContain('passphrase');
    const res = await signIn('s.patel', 'a long and private passphrase');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/direct-payments');
    const audited = await t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'user').where('action', '=', 'create').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audited.details).toMatchObject({ username: 's.patel', role: 'finance', via: 'dp users add' });
  });

  it('makes up a password and prints it once when none is given', async () => {
    const r = await dp(['users', 'add', 'bryn', '--role', 'practitioner', '--name', 'Bryn Thomas', '--council', 'DYFFRYN']);
    expect(r.code).toBe(0);
    const password = /Their password is: (\S+)/.exec(r.stdout)?.[1];
    expect(password?.length).toBeGreaterThanOrEqual(12);
    expect((await signIn('bryn', password!)).status).toBe(303);
  });

  it('exits 1 for a username already taken or an unknown council, changing nothing', async () => {
    const taken = await dp(['users', 'add', 'rhys', '--role', 'admin', '--name', 'Someone Else', '--council', 'EASTMOOR']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('The username rhys is already taken');
    const council = await dp(['users', 'add', 'newbie', '--role', 'admin', '--name', 'New Person', '--council', 'NOWHERE']);
    expect(council.code).toBe(1);
    expect(council.stderr).toContain('No council has the code NOWHERE. Councils: DYFFRYN, EASTMOOR.');
    expectNoStackTrace(council);
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'newbie').execute()).toHaveLength(0);
  });
});

describe('dp db migrate', () => {
  it('says the database is up to date when it is', async () => {
    const r = await dp(['db', 'migrate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The database is up to date');
  });

  it('applies every migration to an empty database and lists them', async () => {
    const server = inject('pgServerUrl');
    const name = `dp_cli_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const r = await dp(['db', 'migrate'], { url: withDatabase(server, name) });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Applied \d+ migrations:/);
      expect(r.stdout).toContain('0001_foundation');
      expect(r.stdout).toContain('0500_review_outcomes');
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

describe('dp demo reset', () => {
  it('refuses outside demo mode, with a clear message and nothing changed', async () => {
    const r = await dp(['demo', 'reset']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Not in demo mode, so nothing was changed');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 's.patel').execute()).toHaveLength(1);
  });

  it('empties and reseeds the demo in demo mode', async () => {
    const r = await dp(['demo', 'reset'], { env: { DEMO_MODE: 'true' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('The demo has been reset');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 's.patel').execute()).toHaveLength(0);
    expect((await signIn('practitioner', 'direct-payments')).status).toBe(303);
    const first = await t.db.selectFrom('people').select('reference').orderBy('reference').executeTakeFirstOrThrow();
    expect(first.reference).toBe('P-000001');
  });
});
