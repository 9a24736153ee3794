import path from 'node:path';
import express from 'express';
import type { Services } from './platform/services.ts';
import { setUpNunjucks, GOVUK_DIST, SRC } from './platform/http/nunjucks.ts';
import { setUpWebSecurity } from './platform/http/security.ts';
import { setUpWebSession } from './platform/http/session.ts';
import { setUpCsrf } from './platform/http/csrf.ts';
import { setUpUploads } from './platform/http/uploads.ts';
import { setUpCurrentUser, requireSignIn } from './platform/http/auth.ts';
import { setUpNavigation, homeFor } from './platform/http/navigation.ts';
import { showFlash } from './platform/http/flash.ts';
import { cleanInput } from './platform/http/clean-input.ts';
import { errorHandler, notFoundHandler } from './platform/http/error-handler.ts';
import { databaseAnswers } from './platform/db/database.ts';
import { signInRoutes } from './platform/auth/routes.ts';
import { setUpLanguage, languageRoutes } from './platform/i18n/middleware.ts';
import { firstLanguageRoutes } from './platform/i18n/admin.ts';
import { features } from './features/index.ts';

/** The composition root: middleware, then one router per feature. Services come in as plain arguments. */
export function createApp(services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  setUpNunjucks(app);

  app.get('/health', async (_req, res) => {
    const ok = await databaseAnswers(services.db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable' });
  });

  app.use(setUpWebSecurity());
  const staticOptions = { index: false, maxAge: '1d', fallthrough: true } as const;
  app.use('/assets', express.static(path.join(GOVUK_DIST, 'govuk/assets'), staticOptions));
  app.use('/assets', express.static(path.join(GOVUK_DIST, 'govuk'), { ...staticOptions, extensions: [] }));
  app.use('/public', express.static(path.join(SRC, 'platform/public'), staticOptions));

  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 }));
  app.use(cleanInput);
  app.use(setUpWebSession(services));
  app.use(setUpCurrentUser(services));
  app.use(setUpLanguage);
  app.use(setUpUploads());
  app.use(setUpCsrf());
  app.use(setUpNavigation);
  app.use(showFlash);

  app.use(signInRoutes(services));
  app.use(languageRoutes(services));
  app.use(firstLanguageRoutes(services));
  app.get('/', requireSignIn, (req, res) => res.redirect(303, homeFor(req.user!.role)));
  for (const feature of features) app.use(feature(services));

  app.use(notFoundHandler);
  app.use(errorHandler(services));
  return app;
}
