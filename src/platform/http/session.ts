import type express from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { Services } from '../services.ts';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    signedInAt: number;
    flash: { title: string; text?: string } | undefined;
  }
}

/** Sessions live in PostgreSQL, so any number of web processes can serve any request. */
export function setUpWebSession(services: Services): express.RequestHandler {
  const PgStore = connectPgSimple(session);
  return session({
    name: 'dp.sid',
    store: new PgStore({ pool: services.pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
    secret: services.config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: services.config.secureCookies,
      maxAge: 2 * 60 * 60 * 1000,
    },
  });
}
