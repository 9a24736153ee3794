import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn, startTestApp, type Agent, type TestApp } from '../../../test/support/app.ts';
import { holidaysKnownUntil, loadHolidays } from '../payments/holidays.ts';
import { bacsDates } from '../../domain/bacs-calendar.ts';
import { ENGLAND_AND_WALES_2027, ENGLAND_AND_WALES_2028, govUkFile } from './test-files.ts';

let t: TestApp;
let admin: Agent;
beforeAll(async () => {
  t = await startTestApp();
  admin = await signedIn(t.app, 'admin');
});
afterAll(async () => {
  await t?.stop();
});

/** Posts the upload form as a browser does: the CSRF token first, then the file. */
async function upload(agent: Agent, content: string | Buffer | null, filename = 'bank-holidays.json') {
  const req = agent.post('/admin/bank-holidays').field('_csrf', await agent.csrf());
  return content === null ? req : req.attach('file', Buffer.from(content), { filename, contentType: 'application/json' });
}

const holidayRows = () => t.ownerDb.selectFrom('bank_holidays').selectAll().orderBy('falls_on').execute();
const importsAudited = async () =>
  (await t.ownerDb.selectFrom('audit_log').select('details').where('entity_type', '=', 'bank-holidays').orderBy('id').execute()).map((r) => r.details as Record<string, unknown>);

// The reference table (calendar-and-rates.md), typed in again: the migration must have every date.
const REFERENCE: Record<string, string> = {
  2018: '01-01 03-30 04-02 05-07 05-28 08-27 12-25 12-26',
  2020: '01-01 04-10 04-13 05-08 05-25 08-31 12-25 12-28',
  2021: '01-01 04-02 04-05 05-03 05-31 08-30 12-27 12-28',
  2022: '01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27',
  2023: '01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26',
  2024: '01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26',
  2025: '01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26',
  2026: '01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28',
  2027: '01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28',
};

describe('the holidays the service starts with', () => {
  it('are every England and Wales date of the reference table for 2018 to 2027, and 2019 too', async () => {
    const holidays = await loadHolidays(t.db);
    const reference = Object.entries(REFERENCE).flatMap(([year, days]) => days.split(' ').map((d) => `${year}-${d}`));
    for (const date of reference) expect(holidays.has(date), date).toBe(true);
    const notInReference = [...holidays].filter((d) => !reference.includes(d)).sort();
    expect(notInReference).toEqual(['2019-01-01', '2019-04-19', '2019-04-22', '2019-05-06', '2019-05-27', '2019-08-26', '2019-12-25', '2019-12-26']);
    expect(await holidaysKnownUntil(t.db)).toBe('2027-12-28');
  });

  it('give the Bacs calendar what it needs for a real Christmas', async () => {
    expect(bacsDates('2026-12-29', await loadHolidays(t.db))).toEqual({ arrival: '2026-12-29', processing: '2026-12-24', latestInput: '2026-12-23' });
  });
});

describe('the bank holidays page', () => {
  it('lists the upcoming holidays from today, for an administrator, with a link in the navigation', async () => {
    const res = await admin.get('/admin/bank-holidays');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Bank holidays – Manage direct payments</title>');
    expect(res.text).toMatch(/class="govuk-service-navigation__link" href="\/admin\/bank-holidays" aria-current="true">[\s\S]{0,200}Bank holidays/);
    expect(res.text).toContain('25 December 2026');
    expect(res.text).toMatch(/28 December 2026<\/td>\s*<td[^>]*>Boxing Day <span[^>]*>\(substitute day\)/);
    expect(res.text).not.toContain('31 August 2026'); // already past on 23 November 2026
    expect(res.text).toContain('The service knows bank holidays up to 28 December 2027');
    expect(res.text).toContain('Not imported yet');
    expect(res.text).toContain('enctype="multipart/form-data"');
  });

  it('is not for anyone else: staff and recipients get 403, and nothing is imported', async () => {
    for (const username of ['practitioner', 'manager', 'finance', 'panel', 'peter']) {
      const agent = await signedIn(t.app, username);
      expect((await agent.get('/admin/bank-holidays')).status, username).toBe(403);
      expect((await upload(agent, govUkFile())).status, username).toBe(403);
    }
    expect(await holidaysKnownUntil(t.db)).toBe('2027-12-28');
  });

  it('sends someone signed out to sign in', async () => {
    const res = await request(t.app).get('/admin/bank-holidays');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/sign-in/);
  });

  it('refuses an upload without the CSRF token', async () => {
    const res = await admin.post('/admin/bank-holidays').attach('file', Buffer.from(govUkFile()), 'bank-holidays.json');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Your page had expired');
    expect(await holidaysKnownUntil(t.db)).toBe('2027-12-28');
  });
});

describe('a bad file is refused whole, with what is wrong in plain English', () => {
  const cases: [string, string | Buffer | null, string][] = [
    ['no file', null, 'Select the bank-holidays.json file from GOV.UK'],
    ['an empty file', '', 'The selected file is empty'],
    ['not JSON', '<html>GOV.UK</html>', 'The selected file was not imported because it is not a JSON file. Download bank-holidays.json from GOV.UK and select that file'],
    ['not text at all', Buffer.from([0xff, 0xfe, 0x00, 0x7b]), 'it is not a JSON file'],
    ['JSON but not a list of holidays', '[1, 2, 3]', 'The selected file was not imported because it is not a list of bank holidays'],
    ['no England and Wales section', JSON.stringify({ scotland: { division: 'scotland', events: [] } }), 'it has no England and Wales section (&quot;england-and-wales&quot;)'],
    ['the wrong division', JSON.stringify({ 'england-and-wales': { division: 'scotland', events: ENGLAND_AND_WALES_2028 } }), 'does not say &quot;division&quot;: &quot;england-and-wales&quot;'],
    ['no events', govUkFile([]), 'the England and Wales section lists no bank holidays'],
    ['one impossible date among good ones', govUkFile([...ENGLAND_AND_WALES_2028.slice(0, 2), { title: 'Leap day', date: '2028-02-30' }, ...ENGLAND_AND_WALES_2028.slice(2)]), 'England and Wales bank holiday 3 (2028-02-30) has a problem: its date is not a real date written like 2027-12-27'],
    ['a date written the British way', govUkFile([{ title: 'Boxing Day', date: '26/12/2028' }]), 'bank holiday 1 (26/12/2028) has a problem: its date is not a real date'],
    ['a holiday with no title', govUkFile([...ENGLAND_AND_WALES_2028, { date: '2028-12-27' }]), 'England and Wales bank holiday 9 (2028-12-27) has a problem: it has no title'],
    ['a blank title', govUkFile([{ title: '   ', date: '2028-12-27' }]), 'its title is empty'],
    ['the same date twice', govUkFile([...ENGLAND_AND_WALES_2028, ENGLAND_AND_WALES_2028[0]]), 'it lists 2028-01-03 twice for England and Wales'],
    ['a file over 1 MB', Buffer.alloc(1024 * 1024 + 1, 0x20), 'The selected file must be smaller than 1 MB'],
  ];

  for (const [what, content, message] of cases) {
    it(`${what}: 400, the error summary and the field error, and nothing imported`, async () => {
      const before = await holidayRows();
      const auditsBefore = (await importsAudited()).length;
      const res = await upload(admin, content);
      expect(res.status).toBe(400);
      expect(res.text).toContain('<title>Error: Bank holidays – Manage direct payments</title>');
      expect(res.text).toContain('There is a problem');
      expect(res.text).toContain('href="#file"');
      expect(res.text).toContain('id="file-error"');
      expect(res.text).toContain(message);
      expect(await holidayRows()).toEqual(before);
      expect(await importsAudited()).toHaveLength(auditsBefore);
    });
  }
});

describe('importing a good file', () => {
  it('adds the new dates, keeps the rest, ignores Scotland and Northern Ireland, and says what it did', async () => {
    const res = await upload(admin, govUkFile());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/bank-holidays');

    const page = await admin.get('/admin/bank-holidays');
    expect(page.text).toContain('Bank holidays imported');
    expect(page.text).toContain('8 dates added, 8 already known. The file covers 1 January 2027 to 26 December 2028.');
    expect(page.text).toContain('3 January 2028');
    expect(page.text).toContain('26 December 2028');
    expect(page.text).toContain('The service knows bank holidays up to 26 December 2028');
    expect(page.text).toContain('Last imported on');
    expect(page.text).toContain('by Chris Lee');
    expect(page.text).not.toContain('St Andrew');

    const holidays = await loadHolidays(t.db);
    for (const h of ENGLAND_AND_WALES_2028) expect(holidays.has(h.date)).toBe(true);
    expect(holidays.has('2028-11-30')).toBe(false); // Scotland's
    expect(holidays.has('2028-07-12')).toBe(false); // Northern Ireland's
    expect(holidays.has('2018-01-01')).toBe(true); // older years are kept
    expect(holidays.size).toBe(83 + 8);

    const row = (await holidayRows()).find((r) => r.falls_on === '2028-01-03')!;
    expect(row).toMatchObject({ title: 'New Year’s Day', notes: 'Substitute day', source: 'GOV.UK file' });
    expect(await importsAudited()).toEqual([expect.objectContaining({ added: 8, updated: 0, unchanged: 8, via: 'web', fileName: 'bank-holidays.json' })]);
    // Payments around New Year 2028 now allow for the substitute day.
    expect(bacsDates('2028-01-04', holidays)).toEqual({ arrival: '2028-01-04', processing: '2027-12-31', latestInput: '2027-12-30' });
  });

  it('changes nothing when the same file is imported again, but still records that it was', async () => {
    const before = await holidayRows();
    await upload(admin, govUkFile());
    const page = await admin.get('/admin/bank-holidays');
    expect(page.text).toContain('0 dates added, 16 already known.');
    expect(await holidayRows()).toEqual(before);
    expect(await importsAudited()).toHaveLength(2);
  });

  it('updates a title GOV.UK has changed', async () => {
    const renamed = ENGLAND_AND_WALES_2027.map((e) => (e.date === '2027-05-03' ? { ...e, title: 'Early May bank holiday (a new name)' } : e));
    await upload(admin, govUkFile(renamed));
    const page = await admin.get('/admin/bank-holidays');
    expect(page.text).toContain('0 dates added, 1 title changed, 7 already known.');
    expect(page.text).toContain('Early May bank holiday (a new name)');
  });

  it('shows another council’s administrator the import without naming who did it', async () => {
    await t.ownerDb.insertInto('users').values({
      username: 'dyffryn-admin', display_name: 'Nia Evans', role: 'admin', password_hash: (await t.ownerDb.selectFrom('users').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow()).password_hash,
      council_id: (await t.ownerDb.selectFrom('users').select('council_id').where('username', '=', 'rhys').executeTakeFirstOrThrow()).council_id,
    }).execute();
    const welsh = await signedIn(t.app, 'dyffryn-admin');
    const page = await welsh.get('/admin/bank-holidays');
    expect(page.text).toContain('by an administrator at another council');
    expect(page.text).not.toContain('Chris Lee');
  });
});
