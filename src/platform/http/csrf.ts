import type express from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * Synchroniser-token CSRF protection: every state-changing request carries the session's token in
 * a hidden `_csrf` field (the `csrfField()` macro puts it there).
 */
export function setUpCsrf(): express.RequestHandler[] {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body?._csrf as string | undefined) ?? (req.headers['x-csrf-token'] as string | undefined),
  });
  return [
    (req, res, next) => {
      res.locals.csrfToken = generateToken(req);
      next();
    },
    csrfSynchronisedProtection,
  ];
}
