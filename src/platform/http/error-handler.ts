import crypto from 'node:crypto';
import type express from 'express';
import type { Services } from '../services.ts';
import { ForbiddenError, NotFoundError, RedirectError } from './errors.ts';

// Error pages are in the person's language where it is known (res.locals.t, src/platform/i18n).
const say = (res: express.Response, key: string, english: string): string =>
  typeof res.locals.t === 'function' ? res.locals.t(key) : english;

export const notFoundHandler: express.RequestHandler = (_req, res) => {
  res.status(404).render('errors/not-found.njk', { pageTitle: say(res, 'common:errors.notFound.title', 'Page not found') });
};

/** Never a stack trace: a plain page, and the detail in the log under a reference. */
export function errorHandler(services: Services): express.ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof NotFoundError) return notFoundHandler(req, res, _next);
    if (err instanceof RedirectError) return res.redirect(303, err.url);
    if (err instanceof ForbiddenError) return res.status(403).render('errors/forbidden.njk', { pageTitle: say(res, 'common:errors.forbidden.title', 'You cannot use this page') });
    const e = err as { code?: string; status?: number; type?: string };
    if (e.code === 'EBADCSRFTOKEN') {
      return res.status(403).render('errors/problem.njk', {
        pageTitle: say(res, 'common:errors.expired.title', 'Your page had expired'),
        heading: say(res, 'common:errors.expired.title', 'Your page had expired'),
        message: say(res, 'common:errors.expired.body', 'For your security, forms stop working after a while or after you sign in again. Go back, reload the page and try again. Nothing was saved.'),
      });
    }
    if (e.type === 'entity.too.large') {
      return res.status(413).render('errors/problem.njk', { pageTitle: say(res, 'common:errors.tooLarge.title', 'Too much was sent'), heading: say(res, 'common:errors.tooLarge.title', 'Too much was sent'), message: say(res, 'common:errors.tooLarge.body', 'What you sent was too large. Shorten it and try again. Nothing was saved.') });
    }
    const reference = crypto.randomBytes(4).toString('hex').toUpperCase();
    // Only the message, code and stack: a database error's detail can quote a row of personal data.
    const { message, stack } = err instanceof Error ? err : { message: String(err), stack: undefined };
    services.logger.error({ reference, path: req.route?.path ?? 'unknown', error: { message, code: e.code, stack } }, 'request failed');
    res.status(500).render('errors/problem.njk', { pageTitle: say(res, 'common:errors.problem.title', 'Sorry, there is a problem with the service'), reference });
  };
}
