import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { defaultGuidance } from './default-guidance.ts';
import { listGuidance } from './queries.ts';
import { guidanceFor } from './welsh.ts';
import { translator } from '../../platform/i18n/index.ts';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let chris: Agent;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  chris = await signedIn(t.app, 'admin');
});
afterAll(async () => {
  await t?.stop();
});

const ADVISORY = 'be open to new ideas and be as flexible as possible';
const englishGuidance = () => t.db.selectFrom('guidance_items').selectAll().where('council_id', '=', ids.england).orderBy('position').execute();
const resetGuidance = async (titles: string[] = []) => {
  await t.db.deleteFrom('guidance_items').where('council_id', '=', ids.england).execute();
  if (titles.length) await t.db.insertInto('guidance_items').values(titles.map((title, i) => ({ council_id: ids.england, position: (i + 1) * 10, title, body: `About ${title}` }))).execute();
};
const titles = async () => (await englishGuidance()).map((g) => g.title);

describe('administrators keep the guidance', () => {
  it('can start from the suggested guidance once, when there is none', async () => {
    await resetGuidance();
    const empty = await chris.get('/admin/guidance');
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('Start from the suggested guidance');
    expect(empty.text).toContain(ADVISORY);
    expect((await chris.post2('/admin/guidance/defaults', {})).status).toBe(303);
    expect((await chris.post2('/admin/guidance/defaults', {})).status).toBe(303);
    const rows = await englishGuidance();
    expect(rows.map((r) => r.title)).toEqual(defaultGuidance().map((g) => g.title));
    expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));
    const list = await chris.get('/admin/guidance');
    expect(list.text).toContain('Suggested guidance added');
    expect(list.text).not.toContain('Start from the suggested guidance');
  });

  it('adds guidance, tidying the examples to one a line', async () => {
    await resetGuidance(['First']);
    const res = await chris.post2('/admin/guidance/new', { title: 'Holidays and short breaks', body: 'A short break can give a carer a rest.', examples: '  A weekend away \r\n\r\n A day trip  ' });
    expect(res.status).toBe(303);
    const added = (await englishGuidance()).at(-1)!;
    expect(added).toMatchObject({ title: 'Holidays and short breaks', examples: 'A weekend away\nA day trip', updated_by: ids.user('admin') });
    expect(added.position).toBeGreaterThan(10);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'guidance-item').where('entity_id', '=', added.id).execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'create', username: 'admin' })]);
  });

  it('re-shows the form with the errors and what was typed, saving nothing', async () => {
    await resetGuidance(['First']);
    const res = await chris.post2('/admin/guidance/new', { title: ' ', body: 'Body kept', examples: 'Example kept' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter a title');
    expect(res.text).toContain('Body kept');
    expect(res.text).toContain('Example kept');
    expect(await titles()).toEqual(['First']);
    const long = await chris.post2('/admin/guidance/new', { title: 'x'.repeat(201), body: '' });
    expect(long.status).toBe(400);
    expect(long.text).toContain('The title must be 200 characters or fewer');
    expect(long.text).toContain('Enter what the guidance says');
  });

  it('changes guidance', async () => {
    await resetGuidance(['First']);
    const [item] = await englishGuidance();
    const form = await chris.get(`/admin/guidance/${item!.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="First"');
    const bad = await chris.post2(`/admin/guidance/${item!.id}/edit`, { title: 'Changed', body: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('value="Changed"');
    expect(await titles()).toEqual(['First']);
    expect((await chris.post2(`/admin/guidance/${item!.id}/edit`, { title: 'Changed', body: 'New body', examples: '' })).status).toBe(303);
    expect(await englishGuidance()).toEqual([expect.objectContaining({ title: 'Changed', body: 'New body', examples: '' })]);
  });

  it('moves guidance up and down, and not past either end', async () => {
    await resetGuidance(['A', 'B', 'C']);
    const [a, b, c] = await englishGuidance();
    expect((await chris.post2(`/admin/guidance/${c!.id}/move`, { direction: 'up' })).status).toBe(303);
    expect(await titles()).toEqual(['A', 'C', 'B']);
    await chris.post2(`/admin/guidance/${a!.id}/move`, { direction: 'down' });
    expect(await titles()).toEqual(['C', 'A', 'B']);
    await chris.post2(`/admin/guidance/${c!.id}/move`, { direction: 'up' });
    await chris.post2(`/admin/guidance/${b!.id}/move`, { direction: 'down' });
    await chris.post2(`/admin/guidance/${b!.id}/move`, { direction: 'sideways' });
    expect(await titles()).toEqual(['C', 'A', 'B']);
    expect((await englishGuidance()).map((g) => g.position)).toEqual([1, 2, 3]);
    const list = await chris.get('/admin/guidance');
    expect(list.text.match(/Move up/g)?.length).toBe(2);
    expect(list.text.match(/Move down/g)?.length).toBe(2);
  });

  it('removes guidance after asking', async () => {
    await resetGuidance(['Keep', 'Remove me']);
    const [, item] = await englishGuidance();
    const confirm = await chris.get(`/admin/guidance/${item!.id}/remove`);
    expect(confirm.text).toContain('Remove this guidance?');
    expect((await chris.post2(`/admin/guidance/${item!.id}/remove`, {})).status).toBe(303);
    expect(await titles()).toEqual(['Keep']);
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'guidance-item').where('entity_id', '=', item!.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['delete']);
  });

  it('cannot touch another council’s guidance', async () => {
    const welsh = await t.db.insertInto('guidance_items').values({ council_id: ids.wales, position: 1, title: 'Canllaw', body: 'Welsh guidance' }).returning('id').executeTakeFirstOrThrow();
    expect((await chris.get(`/admin/guidance/${welsh.id}/edit`)).status).toBe(404);
    expect((await chris.post2(`/admin/guidance/${welsh.id}/edit`, { title: 'Taken', body: 'x' })).status).toBe(404);
    expect((await chris.post2(`/admin/guidance/${welsh.id}/remove`, {})).status).toBe(404);
    expect((await chris.post2(`/admin/guidance/${welsh.id}/move`, { direction: 'up' })).status).toBe(404);
    expect((await chris.get('/admin/guidance/not-an-id/edit')).status).toBe(404);
    expect((await t.db.selectFrom('guidance_items').select('title').where('id', '=', welsh.id).executeTakeFirstOrThrow()).title).toBe('Canllaw');
    expect((await chris.get('/admin/guidance')).text).not.toContain('Canllaw');
  });

  it('is only for administrators', async () => {
    await resetGuidance(['Only one']);
    const [item] = await englishGuidance();
    for (const username of ['practitioner', 'manager', 'anwen']) {
      const agent = await signedIn(t.app, username);
      expect((await agent.get('/admin/guidance')).status).toBe(403);
      expect((await agent.post2('/admin/guidance/new', { title: 'x', body: 'y' })).status).toBe(403);
      expect((await agent.post2(`/admin/guidance/${item!.id}/remove`, {})).status).toBe(403);
    }
    expect(await titles()).toEqual(['Only one']);
  });
});

describe('reading the guidance', () => {
  it('shows practitioners their council’s guidance, saying it is advisory', async () => {
    await resetGuidance(['Equipment that increases independence']);
    await t.db.deleteFrom('guidance_items').where('council_id', '=', ids.wales).execute();
    await t.db.insertInto('guidance_items').values({ council_id: ids.wales, position: 1, title: 'Canllaw Dyffryn', body: 'Welsh guidance' }).execute();
    const gareth = await signedIn(t.app, 'practitioner');
    const page = await gareth.get('/guidance');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Equipment that increases independence');
    expect(page.text).toContain('goes to the funding panel');
    expect(page.text).toContain(ADVISORY);
    expect(page.text).not.toContain('Canllaw Dyffryn');
    const rhys = await signedIn(t.app, 'rhys');
    const welsh = await rhys.get('/guidance');
    expect(welsh.text).toContain('Canllaw Dyffryn');
    expect(welsh.text).not.toContain('Equipment that increases independence');
  });

  it('shows recipients the guidance on their own pages, in words for them', async () => {
    await resetGuidance(['A year’s swimming']);
    const anwen = await signedIn(t.app, 'anwen');
    const page = await anwen.get('/my/guidance');
    expect(page.status).toBe(200);
    expect(page.text).toContain('A year’s swimming');
    expect(page.text).toContain('talk to your social worker');
    expect(page.text).toContain(ADVISORY);
    expect((await anwen.get('/guidance')).status).toBe(403);
    expect((await (await signedIn(t.app, 'practitioner')).get('/my/guidance')).status).toBe(403);
  });

  it('says so when there is no guidance yet', async () => {
    await resetGuidance();
    const page = await (await signedIn(t.app, 'practitioner')).get('/guidance');
    expect(page.text).toContain('The council has not published any guidance yet');
    expect(page.text).toContain(ADVISORY);
  });
});

describe('guidance in Welsh', () => {
  const welshItem = { title: 'Short breaks', body: 'A short break can give a carer a rest.', examples: 'A weekend away', title_cy: 'Seibiannau byr', body_cy: 'Gall seibiant byr roi cyfle i ofalwr orffwys.', examples_cy: 'Penwythnos i ffwrdd\n\n  Diwrnod allan ' };

  it('adds guidance with its Welsh, tidying the Welsh examples too', async () => {
    await resetGuidance();
    const form = await chris.get('/admin/guidance/new');
    expect(form.text).toContain('In Welsh (optional)');
    expect(form.text).toMatch(/id="title_cy" name="title_cy" type="text" lang="cy"|lang="cy"[^>]*id="title_cy"|id="title_cy"[^>]*lang="cy"/);
    expect((await chris.post2('/admin/guidance/new', welshItem)).status).toBe(303);
    expect(await englishGuidance()).toEqual([expect.objectContaining({ title: 'Short breaks', title_cy: 'Seibiannau byr', body_cy: 'Gall seibiant byr roi cyfle i ofalwr orffwys.', examples_cy: 'Penwythnos i ffwrdd\nDiwrnod allan' })]);
    const list = await chris.get('/admin/guidance');
    expect(list.text).toContain('<span lang="cy">Seibiannau byr</span>');
  });

  it('keeps Welsh empty as "not written in Welsh", and says so on the list', async () => {
    await resetGuidance();
    expect((await chris.post2('/admin/guidance/new', { title: 'English only', body: 'Only English', examples: '', title_cy: ' ', body_cy: '', examples_cy: '' })).status).toBe(303);
    expect(await englishGuidance()).toEqual([expect.objectContaining({ title: 'English only', title_cy: null, body_cy: null, examples_cy: null })]);
    expect((await chris.get('/admin/guidance')).text).toContain('Not written in Welsh');
  });

  it('tells the administrator when Welsh readers see the suggested guidance’s Welsh, until the English changes', async () => {
    await resetGuidance();
    await t.db.insertInto('guidance_items').values({ council_id: ids.england, position: 1, ...defaultGuidance()[0]! }).execute();
    const list = await chris.get('/admin/guidance');
    expect(list.text).toContain('The suggested guidance’s Welsh, while the English stays as suggested');
    expect(list.text).not.toContain('Not written in Welsh');
    const [item] = await englishGuidance();
    await chris.post2(`/admin/guidance/${item!.id}/edit`, { title: 'Equipment', body: item!.body, examples: item!.examples });
    expect((await chris.get('/admin/guidance')).text).toContain('Not written in Welsh');
  });

  it('refuses half the Welsh, re-showing every error at once with what was typed', async () => {
    await resetGuidance(['First']);
    const res = await chris.post2('/admin/guidance/new', { title: '', body: 'English body kept', examples: '', title_cy: 'Teitl wedi’i gadw', body_cy: '', examples_cy: 'Enghraifft wedi’i chadw' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Error:');
    const summary = res.text.slice(res.text.indexOf('govuk-error-summary'));
    expect(summary.indexOf('Enter a title')).toBeGreaterThan(-1);
    expect(summary.indexOf('Enter what the guidance says in Welsh')).toBeGreaterThan(summary.indexOf('Enter a title'));
    expect(res.text).toContain('href="#body_cy"');
    expect(res.text).toContain('English body kept');
    expect(res.text).toContain('value="Teitl wedi’i gadw"');
    expect(res.text).toContain('Enghraifft wedi’i chadw');
    expect(await titles()).toEqual(['First']);
    const tooLong = await chris.post2('/admin/guidance/new', { title: 'Fine', body: 'Fine', title_cy: 'x'.repeat(201), body_cy: 'Iawn' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('The Welsh title must be 200 characters or fewer');
  });

  it('changes the Welsh, and taking it out leaves the English for Welsh readers', async () => {
    await resetGuidance();
    await chris.post2('/admin/guidance/new', welshItem);
    const [item] = await englishGuidance();
    const form = await chris.get(`/admin/guidance/${item!.id}/edit`);
    expect(form.text).toContain('value="Seibiannau byr"');
    const bad = await chris.post2(`/admin/guidance/${item!.id}/edit`, { ...welshItem, title_cy: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter the title in Welsh, or leave all the Welsh fields empty');
    expect(bad.text).toContain('Gall seibiant byr roi cyfle i ofalwr orffwys.');
    expect((await englishGuidance())[0]!.title_cy).toBe('Seibiannau byr');
    expect((await chris.post2(`/admin/guidance/${item!.id}/edit`, { ...welshItem, title_cy: '', body_cy: '', examples_cy: '' })).status).toBe(303);
    expect((await englishGuidance())[0]).toMatchObject({ title_cy: null, body_cy: null, examples_cy: null });
    const audit = await t.db.selectFrom('audit_log').select(['action', 'details']).where('entity_type', '=', 'guidance-item').where('entity_id', '=', item!.id).orderBy('id').execute();
    expect(audit.map((a) => [a.action, (a.details as { welsh?: boolean }).welsh])).toEqual([['create', true], ['update', false]]);
  });

  it('shows a person the Welsh, or the English marked as English, in the page’s language', async () => {
    await resetGuidance();
    await chris.post2('/admin/guidance/new', welshItem);
    await chris.post2('/admin/guidance/new', { title: 'Only in English', body: 'Written in English only.', examples: 'An English example' });
    const suggested = defaultGuidance()[0]!;
    await t.db.insertInto('guidance_items').values({ council_id: ids.england, position: 3, ...suggested }).execute();
    const items = await listGuidance(t.db, ids.england);
    const render = (lang: 'en' | 'cy') =>
      new Promise<string>((resolve, reject) =>
        t.app.render('guidance/views/_for-person.njk', { guidance: guidanceFor(lang, items), lang, t: translator(lang) }, (err, html) => (err ? reject(err) : resolve(html!))),
      );
    const cy = await render('cy');
    expect(cy).toContain('Seibiannau byr');
    expect(cy).toContain('<li>Diwrnod allan</li>');
    expect(cy).not.toContain('Short breaks');
    // Not written in Welsh: the English, marked lang="en", with the Welsh note once.
    expect(cy).toMatch(/<h3 class="govuk-heading-s" lang="en">Only in English<\/h3>\s*<p class="govuk-body-s">Dim ond yn Saesneg mae hwn ar gael<\/p>/);
    expect(cy).toMatch(/<p class="govuk-body app-pre-line app-wrap" lang="en">Written in English only.<\/p>/);
    expect(cy).toMatch(/<ul class="govuk-list govuk-list--bullet app-wrap" lang="en">\s*<li>An English example<\/li>/);
    expect(cy.match(/Dim ond yn Saesneg/g)).toHaveLength(1);
    // Still the suggested words: their published Welsh.
    expect(cy).toContain('Offer sy’n cynyddu annibyniaeth');
    expect(cy).toContain('Er enghraifft:');
    const en = await render('en');
    expect(en).toContain('Short breaks');
    expect(en).toContain('Only in English');
    expect(en).toContain(suggested.title);
    expect(en).not.toContain('Seibiannau');
    expect(en).not.toContain('lang=');
    expect(en).not.toContain('Dim ond yn Saesneg');
  });
});

describe('guidance in Welsh on the person’s own page', () => {
  it('shows Dewi the council’s Welsh on /my/guidance, and English marked as English', async () => {
    await t.db.deleteFrom('guidance_items').where('council_id', '=', ids.wales).execute();
    await t.db.insertInto('guidance_items').values([
      { council_id: ids.wales, position: 1, title: 'Short breaks', body: 'A rest for carers.', title_cy: 'Seibiannau byr', body_cy: 'Seibiant i ofalwyr.' },
      { council_id: ids.wales, position: 2, title: 'Only in English', body: 'Written in English only.' },
    ]).execute();
    const dewi = await signedIn(t.app, 'dewi');
    const cy = await dewi.get('/my/guidance');
    expect(cy.text).toContain('Seibiannau byr');
    expect(cy.text).not.toContain('Short breaks');
    expect(cy.text).toMatch(/<h3 class="govuk-heading-s" lang="en">Only in English<\/h3>\s*<p class="govuk-body-s">Dim ond yn Saesneg mae hwn ar gael<\/p>/);
    await dewi.post2('/language', { lang: 'en', returnTo: '/my/guidance' });
    const en = await dewi.get('/my/guidance');
    expect(en.text).toContain('Short breaks');
    expect(en.text).not.toContain('Dim ond yn Saesneg');
  });
});
