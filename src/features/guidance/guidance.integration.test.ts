import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { demoIds } from '../../../test/support/builders.ts';
import { defaultGuidance } from './default-guidance.ts';

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
