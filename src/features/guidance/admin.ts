import type express from 'express';
import type { Services } from '../../platform/services.ts';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { isUuid } from '../../platform/permissions.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { setFlash } from '../../platform/http/flash.ts';
import { listGuidance } from './queries.ts';
import { guidanceFor } from './welsh.ts';
import { parseGuidanceForm, type GuidanceItemInput } from './forms.ts';
import { defaultGuidance } from './default-guidance.ts';

const manage = requireCapability('guidance:manage');

/** One example a line, blank lines dropped. */
function tidyExamples(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('\n');
}

/** The columns a saved form writes: Welsh left empty is stored as null ("not written in Welsh"). */
function columnsFrom(data: GuidanceItemInput) {
  const welsh = data.title_cy !== '' && data.body_cy !== '';
  return {
    title: data.title,
    body: data.body,
    examples: tidyExamples(data.examples),
    title_cy: welsh ? data.title_cy : null,
    body_cy: welsh ? data.body_cy : null,
    examples_cy: welsh && tidyExamples(data.examples_cy) !== '' ? tidyExamples(data.examples_cy) : null,
  };
}

async function itemFor(db: Database, user: CurrentUser, itemId: string) {
  if (!isUuid(itemId)) notFound();
  const item = await db.selectFrom('guidance_items').selectAll().where('id', '=', itemId).where('council_id', '=', user.councilId).executeTakeFirst();
  if (!item) notFound();
  return item;
}

/** Administrators keep the guidance: add, change, put in order, remove. */
export function guidanceAdminRoutes(router: express.Router, services: Services): void {
  const { db } = services;

  router.get('/admin/guidance', manage, async (req, res) => {
    const user = userOf(req);
    const items = await listGuidance(db, user.councilId);
    // Where a Welsh reader's words come from: the council's own Welsh, the suggested guidance's
    // published Welsh (while the item reads as suggested), or nowhere (they see the English).
    const shown = guidanceFor('cy', items);
    const guidance = items.map((item, i) => ({ ...item, welshSource: item.hasWelsh ? 'own' : shown[i]!.englishOnly ? 'none' : 'suggested' }));
    res.render('guidance/views/admin-list.njk', { pageTitle: 'Guidance on what direct payments can buy', guidance });
  });

  // A council starting out can begin from the suggested guidance, then make it its own.
  router.post('/admin/guidance/defaults', manage, async (req, res) => {
    const user = userOf(req);
    await db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('guidance_items').select('id').where('council_id', '=', user.councilId).limit(1).forUpdate().execute();
      if (existing.length) return;
      await trx
        .insertInto('guidance_items')
        .values(defaultGuidance().map((g, i) => ({ council_id: user.councilId, position: i + 1, ...g, updated_by: user.id })))
        .execute();
      await audit(trx, user, { action: 'create', entityType: 'guidance-item', details: { suggested: defaultGuidance().length } }, req.ip);
    });
    await setFlash(req, 'Suggested guidance added', 'Change it to fit your council.');
    res.redirect(303, '/admin/guidance');
  });

  router.get('/admin/guidance/new', manage, (_req, res) => {
    res.render('guidance/views/admin-form.njk', { pageTitle: 'Add guidance', values: {}, backLink: '/admin/guidance' });
  });

  router.post('/admin/guidance/new', manage, async (req, res) => {
    const user = userOf(req);
    const form = parseGuidanceForm(req.body);
    if (!form.ok) {
      res.status(400).render('guidance/views/admin-form.njk', { pageTitle: 'Add guidance', values: req.body, errors: form.errors, backLink: '/admin/guidance' });
      return;
    }
    await db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('guidance_items').select((eb) => eb.fn.max('position').as('max')).where('council_id', '=', user.councilId).executeTakeFirst();
      const row = await trx
        .insertInto('guidance_items')
        .values({ council_id: user.councilId, position: Number(last?.max ?? 0) + 1, ...columnsFrom(form.data), updated_by: user.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'create', entityType: 'guidance-item', entityId: row.id, details: { title: form.data.title, welsh: columnsFrom(form.data).title_cy !== null } }, req.ip);
    });
    await setFlash(req, 'Guidance added');
    res.redirect(303, '/admin/guidance');
  });

  router.get('/admin/guidance/:itemId/edit', manage, async (req, res) => {
    const item = await itemFor(db, userOf(req), param(req, 'itemId'));
    res.render('guidance/views/admin-form.njk', { pageTitle: 'Change guidance', item, values: item, backLink: '/admin/guidance' });
  });

  router.post('/admin/guidance/:itemId/edit', manage, async (req, res) => {
    const user = userOf(req);
    const item = await itemFor(db, user, param(req, 'itemId'));
    const form = parseGuidanceForm(req.body);
    if (!form.ok) {
      res.status(400).render('guidance/views/admin-form.njk', { pageTitle: 'Change guidance', item, values: req.body, errors: form.errors, backLink: '/admin/guidance' });
      return;
    }
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('guidance_items')
        .set({ ...columnsFrom(form.data), updated_by: user.id, updated_at: new Date() })
        .where('id', '=', item.id)
        .execute();
      await audit(trx, user, { action: 'update', entityType: 'guidance-item', entityId: item.id, details: { title: form.data.title, welsh: columnsFrom(form.data).title_cy !== null } }, req.ip);
    });
    await setFlash(req, 'Guidance changed');
    res.redirect(303, '/admin/guidance');
  });

  router.get('/admin/guidance/:itemId/remove', manage, async (req, res) => {
    const item = await itemFor(db, userOf(req), param(req, 'itemId'));
    res.render('guidance/views/admin-remove.njk', { pageTitle: 'Remove this guidance?', item, backLink: '/admin/guidance' });
  });

  router.post('/admin/guidance/:itemId/remove', manage, async (req, res) => {
    const user = userOf(req);
    const item = await itemFor(db, user, param(req, 'itemId'));
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('guidance_items').where('id', '=', item.id).execute();
      await audit(trx, user, { action: 'delete', entityType: 'guidance-item', entityId: item.id, details: { title: item.title } }, req.ip);
    });
    await setFlash(req, 'Guidance removed');
    res.redirect(303, '/admin/guidance');
  });

  router.post('/admin/guidance/:itemId/move', manage, async (req, res) => {
    const user = userOf(req);
    const item = await itemFor(db, user, param(req, 'itemId'));
    const step = req.body?.direction === 'up' ? -1 : req.body?.direction === 'down' ? 1 : 0;
    if (!step) return res.redirect(303, '/admin/guidance');
    await db.transaction().execute(async (trx) => {
      // Lock the council's guidance and number it afresh 1..n in the new order, so gaps left by
      // removals (or two edits at once) can never leave two items in the same place.
      const rows = await trx.selectFrom('guidance_items').select(['id', 'position']).where('council_id', '=', user.councilId).orderBy('position').orderBy('title').forUpdate().execute();
      const from = rows.findIndex((r) => r.id === item.id);
      const to = from + step;
      if (from < 0 || to < 0 || to >= rows.length) return;
      [rows[from], rows[to]] = [rows[to]!, rows[from]!];
      for (const [i, row] of rows.entries()) {
        if (row.position !== i + 1) await trx.updateTable('guidance_items').set({ position: i + 1 }).where('id', '=', row.id).execute();
      }
      await audit(trx, user, { action: 'update', entityType: 'guidance-item', entityId: item.id, details: { moved: step < 0 ? 'up' : 'down' } }, req.ip);
    });
    res.redirect(303, `/admin/guidance#item-${item.id}`);
  });
}
