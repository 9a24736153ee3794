import express from 'express';
import type { Services } from '../../platform/services.ts';

/** Plain-English information for people before their assessment. Public: no sign-in, nothing personal. */
export function informationRoutes(_services: Services): express.Router {
  const router = express.Router();
  router.get('/information', (_req, res) => {
    res.render('information/views/information.njk', { pageTitle: 'Direct payments: what you need to know before your assessment' });
  });
  router.get('/accessibility', (_req, res) => {
    res.render('information/views/accessibility.njk', { pageTitle: 'Accessibility statement' });
  });
  return router;
}
