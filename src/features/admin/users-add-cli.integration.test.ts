import { spawn } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, csrfFrom, type TestApp } from '../../../test/support/app.ts';
import { demoIds, buildPerson } from '../../../test/support/builders.ts';

// `dp users add --role recipient|representative`: a sign-in for a person or their representative,
// run as the real command in its own process against this file's own database.
const DP = path.resolve(import.meta.dirname, '../../cli/dp.ts');
type Run = { code: number | null; stdout: string; stderr: string };

function dp(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.url };
    delete env.DEMO_MODE;
    const child = spawn(process.execPath, [DP, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const noStackTrace = (r: Run) => expect(r.stderr + r.stdout).not.toMatch(/\n\s+at .+:\d+/);
const temporaryFrom = (r: Run) => /Their temporary password is: (\S+)/.exec(r.stdout)?.[1];

async function signIn(username: string, password: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/sign-in');
  return agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username, password });
}

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t?.stop();
});

describe('dp users add for a person', () => {
  it('gives a person a sign-in, printing the temporary password once; they must choose their own', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Alun', family_name: 'Rees' });
    const r = await dp(['users', 'add', '--role', 'recipient', '--person', person.reference.toLowerCase(), '--username', 'Alun.Rees', '--email', 'alun@example.com']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Gave Alun Rees (${person.reference}) a sign-in: alun.rees, Eastmoor County Council.`);
    const temporary = temporaryFrom(r);
    expect(temporary).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const user = await t.db.selectFrom('users').select(['id', 'role', 'must_change_password', 'email']).where('username', '=', 'alun.rees').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'recipient', must_change_password: true, email: 'alun@example.com' });
    expect((await t.db.selectFrom('people').select('user_id').where('id', '=', person.id).executeTakeFirstOrThrow()).user_id).toBe(user.id);
    const audited = await t.db.selectFrom('audit_log').select(['user_id', 'person_id', 'details']).where('entity_id', '=', user.id).where('action', '=', 'create').executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ user_id: null, person_id: person.id, details: { via: 'dp users add', signInFor: 'person', role: 'recipient' } });
    const res = await signIn('alun.rees', temporary!);
    expect(res.headers.location).toBe('/sign-in/new-password');
  });

  it('gives a representative a sign-in by id, or by name with the person’s reference', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Nel' });
    const [byId, byName] = await t.db
      .insertInto('representatives')
      .values([
        { person_id: person.id, name: 'Tomos Lewis', relationship: 'Son', kind: 'nominated', receives_payment: true, starts_on: '2026-01-01' },
        { person_id: person.id, name: 'Cari Lewis', relationship: 'Daughter', kind: 'nominated', receives_payment: false, starts_on: '2026-01-01' },
      ])
      .returning('id')
      .execute();
    const one = await dp(['users', 'add', 'tomos.l', '--role', 'representative', '--representative', byId!.id]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`Gave Tomos Lewis, representative of Nel Person (${person.reference}) a sign-in: tomos.l`);
    const two = await dp(['users', 'add', '--role', 'representative', '--person', person.reference, '--representative', 'cari lewis', '--username', 'cari.l']);
    expect(two.code).toBe(0);
    const reps = await t.db.selectFrom('representatives').innerJoin('users', 'users.id', 'representatives.user_id').select(['representatives.id', 'users.username', 'users.role']).where('person_id', '=', person.id).orderBy('users.username').execute();
    expect(reps).toEqual([
      { id: byName!.id, username: 'cari.l', role: 'representative' },
      { id: byId!.id, username: 'tomos.l', role: 'representative' },
    ]);
    expect((await signIn('cari.l', temporaryFrom(two)!)).headers.location).toBe('/sign-in/new-password');
  });

  it('exits 1 in plain English for an unknown person, a username taken, or someone who already has one, changing nothing', async () => {
    const person = await buildPerson(t.db, ids.england, { given_name: 'Owain' });
    const unknown = await dp(['users', 'add', '--role', 'recipient', '--person', 'P-999999', '--username', 'owain']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No one has the reference P-999999.');
    noStackTrace(unknown);
    const taken = await dp(['users', 'add', '--role', 'recipient', '--person', person.reference, '--username', 'rhys']);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('The username rhys is already taken. Choose another.');
    expect((await t.db.selectFrom('people').select('user_id').where('id', '=', person.id).executeTakeFirstOrThrow()).user_id).toBeNull();
    expect((await dp(['users', 'add', '--role', 'recipient', '--person', person.reference, '--username', 'owain'])).code).toBe(0);
    const twice = await dp(['users', 'add', '--role', 'recipient', '--person', person.reference, '--username', 'owain2']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('Owain Person already has a sign-in, with the username owain.');
    const noRep = await dp(['users', 'add', '--role', 'representative', '--person', person.reference, '--representative', 'Nobody', '--username', 'nobody']);
    expect(noRep.code).toBe(1);
    expect(noRep.stderr).toContain('has no representative called Nobody. They have no representatives.');
    expect(await t.db.selectFrom('users').select('id').where('username', 'in', ['owain2', 'nobody']).execute()).toEqual([]);
  });

  it('exits 2 with the usage for bad arguments', async () => {
    const cases: [string[], string][] = [
      [['users', 'add', '--role', 'recipient', '--username', 'x1'], '--person is missing'],
      [['users', 'add', '--role', 'recipient', '--person', 'Pat', '--username', 'x1'], '--person must be a person reference, like P-000123'],
      [['users', 'add', '--role', 'recipient', '--person', 'P-000001'], 'Something is missing'],
      [['users', 'add', '--role', 'recipient', '--person', 'P-000001', '--username', 'x1', '--name', 'Pat'], '--name is not used with --role recipient'],
      [['users', 'add', '--role', 'representative', '--representative', 'Sam', '--username', 'x1'], '--representative needs --person'],
      [['users', 'add', '--role', 'practitioner', '--person', 'P-000001', '--username', 'x1', '--name', 'X', '--council', 'EASTMOOR'], '--person is only for --role recipient or representative'],
      [['users', 'add', 'x1', '--username', 'x2', '--role', 'recipient', '--person', 'P-000001'], 'Give the username once'],
    ];
    const runs = await Promise.all(cases.map(([args]) => dp(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = runs[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stderr).toMatch(/Usage: dp/);
      noStackTrace(r);
    }
    expect(await t.db.selectFrom('users').select('id').where('username', 'in', ['x1', 'x2']).execute()).toEqual([]);
  });

  it('still adds staff the way it always has, and explains both uses in its help', async () => {
    const r = await dp(['users', 'add', 'cerys.staff', '--role', 'panel', '--name', 'Cerys Staff', '--council', 'EASTMOOR']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Added Cerys Staff (cerys.staff), Funding panel member, to Eastmoor County Council.');
    expect(r.stdout).toMatch(/Their password is: \S{12,}/);
    const user = await t.db.selectFrom('users').select(['role', 'must_change_password']).where('username', '=', 'cerys.staff').executeTakeFirstOrThrow();
    expect(user).toEqual({ role: 'panel', must_change_password: false });
    const help = await dp(['help', 'users', 'add']);
    expect(help.stdout).toContain('Usage: dp users add <username> --role <role>');
    expect(help.stdout).toContain('dp users add --role recipient --person <P-000123> --username <username>');
  });
});
