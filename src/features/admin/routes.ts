import express from 'express';
import type { Services } from '../../platform/services.ts';
import { usersRoutes } from './users-routes.ts';
import { auditRoutes } from './audit-routes.ts';

/** The administrators' pages: the council's users, and its audit log. */
export function adminRoutes(services: Services): express.Router {
  const router = express.Router();
  router.use(usersRoutes(services));
  router.use(auditRoutes(services));
  return router;
}
