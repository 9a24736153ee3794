import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp } from '../../../test/support/app.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { DEMO_PASSWORD } from '../../demo/accounts.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let peterDp: string;
let fatimaDp: string;
let dewiDp: string;

const dpOf = async (givenName: string) =>
  (
    await t.db
      .selectFrom('direct_payments')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select('direct_payments.id')
      .where('people.given_name', '=', givenName)
      .executeTakeFirstOrThrow()
  ).id;

const bankOf = (dpId: string) =>
  t.db.selectFrom('direct_payments').select(['account_name', 'sort_code', 'account_number']).where('id', '=', dpId).executeTakeFirstOrThrow();

const PETER_BEFORE = { account_name: 'P WALSH', sort_code: '309634', account_number: '48213377' };
// Vocalink's official case 2: a pass with modulus 11.
const GOOD = { account_name: 'P WALSH', sort_code: '10-79-99', account_number: '8883 7491' };

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  [peterDp, fatimaDp, dewiDp] = await Promise.all([dpOf('Peter'), dpOf('Fatima'), dpOf('Dewi')]);
  await t.db.updateTable('people').set({ phone: '01632 960 001' }).where('id', '=', ids.person('Peter')).execute();
});
afterAll(async () => {
  await t?.stop();
});
beforeEach(async () => {
  await t.db.updateTable('direct_payments').set(PETER_BEFORE).where('id', '=', peterDp).execute();
});

describe('who may see and change bank details', () => {
  it('shows the details on record masked, to a practitioner and a finance officer, and audits the view', async () => {
    for (const username of ['practitioner', 'finance']) {
      const agent = await signedIn(t.app, username);
      const res = await agent.get(`/direct-payments/${peterDp}/bank-details`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('••-••-34');
      expect(res.text).toContain('••••3377');
      expect(res.text).toContain('P WALSH');
      expect(res.text).not.toContain('48213377');
      expect(res.text).not.toContain('309634');
      expect(res.text).toContain('Fraudsters pretend to be the people we pay');
    }
    const audited = await t.db.selectFrom('audit_log').select(['username', 'person_id']).where('entity_type', '=', 'bank-details').where('entity_id', '=', peterDp).where('action', '=', 'view').execute();
    expect(audited.map((a) => a.username)).toEqual(expect.arrayContaining(['practitioner', 'finance']));
    expect(audited.every((a) => a.person_id === ids.person('Peter'))).toBe(true);
  });

  it('refuses (403) a recipient, and staff whose role may not change bank details', async () => {
    for (const username of ['peter', 'manager', 'panel', 'admin']) {
      const agent = await signedIn(t.app, username);
      expect((await agent.get(`/direct-payments/${peterDp}/bank-details`)).status, username).toBe(403);
      expect((await agent.post2(`/direct-payments/${peterDp}/bank-details`, GOOD)).status, username).toBe(403);
      expect((await agent.post2(`/direct-payments/${peterDp}/bank-details/check`, { verified: 'yes', password: DEMO_PASSWORD })).status, username).toBe(403);
    }
    expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
  });

  it('answers 404 for another council’s direct payment, an unknown id and a malformed one', async () => {
    const rhys = await signedIn(t.app, 'rhys');
    expect((await rhys.get(`/direct-payments/${peterDp}/bank-details`)).status).toBe(404);
    expect((await rhys.post2(`/direct-payments/${peterDp}/bank-details`, GOOD)).status).toBe(404);
    expect((await rhys.post2(`/direct-payments/${peterDp}/bank-details/check`, { verified: 'yes', password: DEMO_PASSWORD })).status).toBe(404);
    const gareth = await signedIn(t.app, 'practitioner');
    expect((await gareth.get(`/direct-payments/${dewiDp}/bank-details`)).status).toBe(404);
    expect((await gareth.get('/direct-payments/00000000-0000-4000-8000-000000000000/bank-details')).status).toBe(404);
    expect((await gareth.get('/direct-payments/not-an-id/bank-details')).status).toBe(404);
    expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
  });

  it('explains that a direct payment paid by prepaid card has no bank details, and takes none', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const page = await agent.get(`/direct-payments/${fatimaDp}/bank-details`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('not into a bank account, so it has no bank details to change');
    expect(page.text).not.toContain('name="sort_code"');
    expect((await agent.post2(`/direct-payments/${fatimaDp}/bank-details`, GOOD)).status).toBe(404);
  });
});

describe('entering new details', () => {
  it('keeps what was typed, with the GOV.UK messages, when the format is wrong', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/direct-payments/${peterDp}/bank-details`, { account_name: ' ', sort_code: '12-34', account_number: '1234-56a8' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error:');
    expect(res.text).toContain('Enter the name on the account');
    expect(res.text).toContain('Enter a valid sort code, like 309430');
    expect(res.text).toContain('Enter a valid account number, 6 to 10 digits, like 00733445');
    expect(res.text).toContain('value="12-34"');
    expect(res.text).toContain('value="1234-56a8"');
    expect(res.text).toContain('href="#sort_code"');
    expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
  });

  it('refuses details that fail the modulus check, in plain English, keeping them to correct', async () => {
    const agent = await signedIn(t.app, 'finance');
    const res = await agent.post2(`/direct-payments/${peterDp}/bank-details`, { ...GOOD, account_number: '88837493' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The account number does not match the sort code: check both for a typing mistake.');
    expect(res.text).toContain('href="#account_number"');
    expect(res.text).toContain('value="10-79-99"');
    expect(res.text).toContain('value="88837493"');
    const audited = await t.db.selectFrom('audit_log').select('details').where('entity_type', '=', 'bank-details').where('username', '=', 'finance').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audited.details).toMatchObject({ step: 'new details entered', accepted: false, modulusCheck: 'failed' });
    expect(JSON.stringify(audited.details)).not.toContain('88837493');
  });

  it('refuses the details already on record', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/direct-payments/${peterDp}/bank-details`, { account_name: 'p walsh', sort_code: '309634', account_number: '48213377' });
    // The demo's own number fails the check; make it pass first, to reach the "same details" rule.
    expect(res.status).toBe(400);
    await t.db.updateTable('direct_payments').set({ sort_code: '107999', account_number: '88837491' }).where('id', '=', peterDp).execute();
    const same = await agent.post2(`/direct-payments/${peterDp}/bank-details`, GOOD);
    expect(same.status).toBe(400);
    expect(same.text).toContain('These are the bank details already on record');
  });

  it('saves nothing until the second step, then shows the new details in full to read back', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/direct-payments/${peterDp}/bank-details`, GOOD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/direct-payments/${peterDp}/bank-details/check`);
    expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
    const check = await agent.get(res.headers.location!);
    expect(check.status).toBe(200);
    expect(check.text).toContain('Check the new bank details');
    expect(check.text).toContain('10-79-99');
    expect(check.text).toContain('88837491');
    expect(check.text).toContain('Passed: the account number matches the sort code');
    expect(check.text).toContain('••••3377');
    expect(check.text).not.toContain('48213377');
    expect(check.text).toContain('Peter Walsh: 01632 960 001');
    // Going back to change something shows what was typed, not the details on record.
    const back = await agent.get(`/direct-payments/${peterDp}/bank-details`);
    expect(back.text).toContain('value="10-79-99"');
    expect(back.text).toContain('value="88837491"');
    expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
  });

  it('accepts a sort code that is not in the tables, saying it could not be checked', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/direct-payments/${peterDp}/bank-details`, { account_name: 'P WALSH', sort_code: '99-99-99', account_number: '12345678' });
    expect(res.status).toBe(303);
    const check = await agent.get(res.headers.location!);
    expect(check.text).toContain('Not checked: the sort code is not in the modulus-checking tables');
    expect(check.text).toContain('take extra care');
  });

  it('sends the check page back to the form when nothing is waiting to be confirmed', async () => {
    const agent = await signedIn(t.app, 'finance');
    const res = await agent.get(`/direct-payments/${peterDp}/bank-details/check`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/direct-payments/${peterDp}/bank-details`);
    const post = await agent.post2(`/direct-payments/${peterDp}/bank-details/check`, { verified: 'yes', password: DEMO_PASSWORD });
    expect(post.status).toBe(303);
    expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
  });
});

describe('confirming the change', () => {
  const start = async (username: string) => {
    const agent = await signedIn(t.app, username);
    expect((await agent.post2(`/direct-payments/${peterDp}/bank-details`, GOOD)).status).toBe(303);
    return agent;
  };
  const confirmPath = () => `/direct-payments/${peterDp}/bank-details/check`;

  it('asks for the phone check and the password, keeping the box ticked and never echoing the password', async () => {
    const agent = await start('practitioner');
    const none = await agent.post2(confirmPath(), {});
    expect(none.status).toBe(400);
    expect(none.text).toContain('Confirm that you phoned Peter Walsh on a number already on our records');
    expect(none.text).toContain('Enter your password');
    const ticked = await agent.post2(confirmPath(), { verified: 'yes', password: '' });
    expect(ticked.status).toBe(400);
    expect(ticked.text).toMatch(/value="yes" checked/);
    expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
  });

  it('refuses a wrong password, saves nothing, and audits the failed attempt', async () => {
    const agent = await start('practitioner');
    const res = await agent.post2(confirmPath(), { verified: 'yes', password: 'not-my-password' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The password is not right');
    expect(res.text).not.toContain('not-my-password');
    expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
    const failed = await t.db.selectFrom('audit_log').select(['action', 'person_id']).where('entity_type', '=', 'bank-details').where('action', '=', 'sign_in_failed').execute();
    expect(failed.length).toBeGreaterThan(0);
  });

  it('saves the new details once confirmed, in one go with an audit row holding only masked values', async () => {
    const agent = await start('finance');
    const res = await agent.post2(confirmPath(), { verified: 'yes', password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/direct-payments/${peterDp}/bank-details`);
    expect(await bankOf(peterDp)).toEqual({ account_name: 'P WALSH', sort_code: '107999', account_number: '88837491' });
    const page = await agent.get(res.headers.location!);
    expect(page.text).toContain('Bank details changed');
    expect(page.text).toContain('Payments will now go to the account ending 7491');
    expect(page.text).toContain('••••7491');
    expect(page.text).not.toContain('88837491');
    const row = await t.db
      .selectFrom('audit_log')
      .select(['details', 'person_id', 'username'])
      .where('entity_type', '=', 'bank-details')
      .where('action', '=', 'update')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ person_id: ids.person('Peter'), username: 'finance' });
    expect(row.details).toEqual({
      from: { sortCode: '••-••-34', accountNumber: '••••3377' },
      to: { sortCode: '••-••-99', accountNumber: '••••7491' },
      nameChanged: false,
      modulusCheck: 'passed',
      confirmedByPhoneOnRecord: true,
      passwordReentered: true,
    });
    const everything = JSON.stringify(await t.db.selectFrom('audit_log').select('details').where('entity_type', '=', 'bank-details').execute());
    for (const secret of ['88837491', '107999', '48213377', '309634']) expect(everything).not.toContain(secret);
    // The change is used up: confirming again does nothing more.
    const again = await agent.post2(confirmPath(), { verified: 'yes', password: DEMO_PASSWORD });
    expect(again.status).toBe(303);
    const updates = await t.db.selectFrom('audit_log').select('id').where('entity_type', '=', 'bank-details').where('action', '=', 'update').where('entity_id', '=', peterDp).execute();
    expect(updates).toHaveLength(1);
  });

  it('does not overwrite a change someone else confirmed meanwhile', async () => {
    const agent = await start('practitioner');
    await t.db.updateTable('direct_payments').set({ sort_code: '089999', account_number: '66374958' }).where('id', '=', peterDp).execute();
    const res = await agent.post2(confirmPath(), { verified: 'yes', password: DEMO_PASSWORD });
    expect(res.status).toBe(409);
    expect(res.text).toContain('Someone else changed these bank details while you were checking yours, so nothing was saved');
    expect(res.text).toContain('••••4958');
    expect(await bankOf(peterDp)).toMatchObject({ sort_code: '089999', account_number: '66374958' });
  });

  it('cannot be confirmed when there is no phone number on record to check with', async () => {
    await t.db.updateTable('people').set({ phone: null }).where('id', '=', ids.person('Peter')).execute();
    try {
      const agent = await start('practitioner');
      const check = await agent.get(confirmPath());
      expect(check.text).toContain('There is no phone number on our records for Peter Walsh or their contacts');
      expect(check.text).not.toContain('name="password"');
      const res = await agent.post2(confirmPath(), { verified: 'yes', password: DEMO_PASSWORD });
      expect(res.status).toBe(400);
      expect(await bankOf(peterDp)).toEqual(PETER_BEFORE);
    } finally {
      await t.db.updateTable('people').set({ phone: '01632 960 001' }).where('id', '=', ids.person('Peter')).execute();
    }
  });

  it('accepts a contact’s number on record as one to phone', async () => {
    await t.db.updateTable('people').set({ phone: null }).where('id', '=', ids.person('Peter')).execute();
    const contact = await t.db.insertInto('contacts').values({ person_id: ids.person('Peter'), name: 'Sue Walsh', relationship: 'Sister', phone: '07700 900 982' }).returning('id').executeTakeFirstOrThrow();
    try {
      const agent = await start('practitioner');
      expect((await agent.get(confirmPath())).text).toContain('Sue Walsh (Sister): 07700 900 982');
    } finally {
      await t.db.updateTable('people').set({ phone: '01632 960 001' }).where('id', '=', ids.person('Peter')).execute();
      await t.db.deleteFrom('contacts').where('id', '=', contact.id).execute();
    }
  });
});
