import type express from 'express';
import type { Services } from '../services.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { ROLE_NAMES, type Role } from '../auth/roles.ts';
import { can, type Capability } from '../permissions.ts';
import { ForbiddenError } from './errors.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: CurrentUser;
    }
  }
}

export async function loadUser(services: Services, userId: string): Promise<CurrentUser | undefined> {
  const row = await services.db
    .selectFrom('users')
    .innerJoin('councils', 'councils.id', 'users.council_id')
    .select([
      'users.id', 'users.username', 'users.display_name', 'users.role', 'users.council_id', 'users.team_id',
      'users.active', 'councils.name as council_name', 'councils.jurisdiction',
      'users.preferred_language', 'councils.first_language', 'users.must_change_password',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  // A user who must still choose their own password (a temporary one was given or reset) is not
  // signed in, even on a session that outlived the reset.
  if (!row || !row.active || row.must_change_password) return undefined;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    councilId: row.council_id,
    councilName: row.council_name,
    jurisdiction: row.jurisdiction as 'england' | 'wales',
    teamId: row.team_id,
    preferredLanguage: row.preferred_language === 'cy' || row.preferred_language === 'en' ? row.preferred_language : null,
    councilFirstLanguage: row.first_language === 'cy' ? 'cy' : 'en',
  };
}

const MAX_SESSION_MS = 12 * 60 * 60 * 1000;

/** Puts the signed-in user (if any) on the request and in every template. */
export function setUpCurrentUser(services: Services): express.RequestHandler {
  return async (req, res, next) => {
    // However active a session is, it ends 12 hours after sign-in: a shared or forgotten computer
    // does not stay signed in to care records for days.
    if (req.session.userId && Date.now() - (req.session.signedInAt ?? 0) > MAX_SESSION_MS) {
      delete req.session.userId;
    }
    if (req.session.userId) {
      const user = await loadUser(services, req.session.userId);
      if (user) {
        req.user = user;
        res.locals.currentUser = { ...user, roleName: ROLE_NAMES[user.role] };
      } else {
        delete req.session.userId;
      }
    }
    next();
  };
}

/** Sends anyone not signed in to the sign-in page. */
export const requireSignIn: express.RequestHandler = (req, res, next) => {
  if (!req.user) {
    res.redirect(303, '/sign-in');
    return;
  }
  next();
};

/** Lets through only users whose role has the capability (after requireSignIn). */
export function requireCapability(capability: Capability): express.RequestHandler {
  return (req, res, next) => {
    if (!req.user) {
      res.redirect(303, '/sign-in');
      return;
    }
    if (!can(req.user, capability)) throw new ForbiddenError();
    next();
  };
}

/** The signed-in user, for handlers behind requireSignIn. */
export function userOf(req: express.Request): CurrentUser {
  if (!req.user) throw new ForbiddenError();
  return req.user;
}
