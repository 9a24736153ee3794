import express from 'express';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { requireCapability, userOf } from '../http/auth.ts';
import { f, parseForm } from '../http/validation.ts';
import { flashThenRedirect } from '../http/flash.ts';
import { audit } from '../audit.ts';

const form = z.object({ firstLanguage: f.choice(['en', 'cy'] as const, 'Select which language people see first') });

/**
 * The council's first language (councils.first_language): what its people see until they choose
 * with the English / Cymraeg switch. An administrator's setting, on a staff page (in English).
 */
export function firstLanguageRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db } = services;

  router.get('/admin/language', requireCapability('language:manage'), async (req, res) => {
    const user = userOf(req);
    const council = await db.selectFrom('councils').select('first_language').where('id', '=', user.councilId).executeTakeFirstOrThrow();
    res.render('i18n/first-language.njk', { pageTitle: 'Language people see first', values: { firstLanguage: council.first_language } });
  });

  router.post('/admin/language', requireCapability('language:manage'), async (req, res) => {
    const user = userOf(req);
    const parsed = parseForm(form, req.body);
    if (!parsed.ok) {
      res.status(400).render('i18n/first-language.njk', { pageTitle: 'Language people see first', values: req.body ?? {}, errors: parsed.errors });
      return;
    }
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('councils').set({ first_language: parsed.data.firstLanguage }).where('id', '=', user.councilId).execute();
      await audit(trx, user, { action: 'update', entityType: 'council', entityId: user.councilId, details: { firstLanguage: parsed.data.firstLanguage } }, req.ip);
    });
    await flashThenRedirect(req, res, { title: 'Language saved', text: parsed.data.firstLanguage === 'cy' ? 'People will see Welsh first.' : 'People will see English first.' }, '/admin/language');
  });

  return router;
}
