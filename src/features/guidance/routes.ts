import express from 'express';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { listGuidance } from './queries.ts';
import { guidanceAdminRoutes } from './admin.ts';

/**
 * What direct payments can buy: the council's own guidance, shown to practitioners and to the
 * people receiving direct payments. It is advisory, and every page says so.
 */
export function guidanceRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db } = services;

  router.get('/guidance', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    res.render('guidance/views/guidance.njk', { pageTitle: 'What direct payments can buy', guidance: await listGuidance(db, user.councilId) });
  });

  // The person's own view of this guidance, in English or Welsh with real stories and a way to ask
  // about a new idea, is /my/guidance in features/recipient-home.

  guidanceAdminRoutes(router, services);
  return router;
}
