import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, csrfFrom, type TestApp } from '../../../test/support/app.ts';
import { DEMO_PASSWORD } from '../../demo/accounts.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

const htmlLang = (html: string) => /<html lang="([a-z]+)"/.exec(html)?.[1];
const preference = async (username: string) =>
  (await t.db.selectFrom('users').select('preferred_language').where('username', '=', username).executeTakeFirstOrThrow()).preferred_language;

async function signIn(agent: ReturnType<typeof request.agent>, username: string) {
  const page = await agent.get('/sign-in');
  return agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username, password: DEMO_PASSWORD });
}

describe('choosing English or Welsh', () => {
  it('signed out: English first, Welsh on request, error summary and messages in Welsh', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/sign-in');
    expect(htmlLang(page.text)).toBe('en');
    expect(page.text).toContain('action="/language"');
    expect(page.text).toContain('<span aria-current="true">English</span>');

    const switched = await agent.post('/language').type('form').send({ _csrf: csrfFrom(page.text), lang: 'cy', returnTo: '/sign-in' });
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe('/sign-in');
    const welsh = await agent.get('/sign-in');
    expect(htmlLang(welsh.text)).toBe('cy');
    expect(welsh.text).toContain('<h1 class="govuk-heading-l">Mewngofnodi</h1>');
    expect(welsh.text).toContain('Rheoli taliadau uniongyrchol');

    const empty = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(welsh.text), username: '', password: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Mae problem wedi codi');
    expect(empty.text).toContain('Rhowch eich enw defnyddiwr');
    expect(empty.text).toContain('<title>Gwall: Mewngofnodi – Rheoli taliadau uniongyrchol</title>');
  });

  it('needs the CSRF token and never sends the person to another site', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/sign-in');
    expect((await agent.post('/language').type('form').send({ lang: 'cy', returnTo: '/sign-in' })).status).toBe(403);
    for (const returnTo of ['//evil.example', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const res = await agent.post('/language').type('form').send({ _csrf: csrfFrom(page.text), lang: 'cy', returnTo });
      expect(res.headers.location, returnTo).toBe('/');
    }
    const odd = await agent.post('/language').type('form').send({ _csrf: csrfFrom(page.text), lang: 'fr', returnTo: '/sign-in' });
    expect(odd.headers.location).toBe('/sign-in');
  });

  it('a choice made before signing in is carried through sign-in and remembered on the user', async () => {
    expect(await preference('peter')).toBeNull();
    const agent = request.agent(t.app);
    const page = await agent.get('/sign-in');
    await agent.post('/language').type('form').send({ _csrf: csrfFrom(page.text), lang: 'cy', returnTo: '/sign-in' });
    expect((await signIn(agent, 'peter')).status).toBe(303);
    const home = await agent.get('/my');
    expect(htmlLang(home.text)).toBe('cy');
    expect(await preference('peter')).toBe('cy');
    const audited = await t.db.selectFrom('audit_log').select(['action', 'details']).where('entity_type', '=', 'user').where('username', '=', 'peter').where('action', '=', 'update').execute();
    expect(audited.map((a) => a.details)).toContainEqual({ preferredLanguage: 'cy' });

    // Another day, another browser: still Welsh, with nothing chosen on the sign-in page.
    const later = await signedIn(t.app, 'peter');
    expect(htmlLang((await later.get('/my')).text)).toBe('cy');
    // Switching back is remembered too, and the page comes back where it was.
    const back = await later.post2('/language', { lang: 'en', returnTo: '/my' });
    expect(back.headers.location).toBe('/my');
    expect(htmlLang((await later.get('/my')).text)).toBe('en');
    expect(await preference('peter')).toBe('en');
  });

  it("a Welsh-first council's people see Welsh until they choose; staff pages stay English without the switch", async () => {
    const councils = await t.db.selectFrom('councils').select(['code', 'jurisdiction', 'first_language']).execute();
    for (const c of councils) expect(c.first_language).toBe(c.jurisdiction === 'wales' ? 'cy' : 'en');
    expect(await preference('dewi')).toBeNull();
    const dewi = await signedIn(t.app, 'dewi');
    const home = await dewi.get('/my');
    expect(htmlLang(home.text)).toBe('cy');
    expect(home.text).toContain('<span aria-current="true">Cymraeg</span>');
    expect(home.text).toContain('Allgofnodi');

    const rhys = await signedIn(t.app, 'rhys');
    const people = await rhys.get('/people');
    expect(htmlLang(people.text)).toBe('en');
    expect(people.text).not.toContain('action="/language"');
    // Staff may not set a preference through the switch.
    await rhys.post2('/language', { lang: 'cy', returnTo: '/people' });
    expect(await preference('rhys')).toBeNull();
    expect(htmlLang((await rhys.get('/people')).text)).toBe('en');
  });

  it('the council setting defaults to English and takes only en or cy', async () => {
    const row = await t.db.insertInto('councils').values({ code: 'TST', name: 'Test Council', jurisdiction: 'england' }).returning('first_language').executeTakeFirstOrThrow();
    expect(row.first_language).toBe('en');
    await expect(t.db.updateTable('councils').set({ first_language: 'fr' }).where('code', '=', 'TST').execute()).rejects.toThrow(/check/);
    await expect(t.db.updateTable('users').set({ preferred_language: 'de' }).where('username', '=', 'peter').execute()).rejects.toThrow(/check/);
  });

  it("an administrator sets the council's first language; people who have not chosen follow it", async () => {
    const admin = await signedIn(t.app, 'admin');
    const page = await admin.get('/admin/language');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/value="en" checked/);
    const bad = await admin.post2('/admin/language', { firstLanguage: 'fr' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Select which language people see first');
    expect((await admin.post2('/admin/language', { firstLanguage: 'cy' })).status).toBe(303);
    const eastmoor = await t.db.selectFrom('councils').select(['id', 'first_language']).where('code', '=', 'EASTMOOR').executeTakeFirstOrThrow();
    expect(eastmoor.first_language).toBe('cy');
    const audited = await t.db.selectFrom('audit_log').select('details').where('entity_type', '=', 'council').where('entity_id', '=', eastmoor.id).execute();
    expect(audited.map((a) => a.details)).toContainEqual({ firstLanguage: 'cy' });
    // Anwen has not chosen: Welsh now. Peter chose English earlier: still English.
    expect(htmlLang((await (await signedIn(t.app, 'anwen')).get('/my')).text)).toBe('cy');
    expect(htmlLang((await (await signedIn(t.app, 'peter')).get('/my')).text)).toBe('en');
    for (const who of ['practitioner', 'anwen']) expect((await (await signedIn(t.app, who)).get('/admin/language')).status).toBe(403);
    await admin.post2('/admin/language', { firstLanguage: 'en' });
  });

  it('says goodbye in the language the person was using', async () => {
    const dewi = await signedIn(t.app, 'dewi');
    const out = await dewi.post2('/sign-out', {});
    expect(out.headers.location).toBe('/signed-out?lang=cy');
    const page = await dewi.get(out.headers.location!);
    expect(htmlLang(page.text)).toBe('cy');
    expect(page.text).toContain('Rydych chi wedi allgofnodi');
    const english = await (await signedIn(t.app, 'peter')).post2('/sign-out', {});
    expect(english.headers.location).toBe('/signed-out');
  });

  it('error pages are in the person’s language', async () => {
    const dewi = await signedIn(t.app, 'dewi');
    const missing = await dewi.get('/my/direct-payments/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Heb ddod o hyd i’r dudalen');
  });
});
