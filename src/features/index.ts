import type express from 'express';
import type { Services } from '../platform/services.ts';
import { notificationsRoutes } from './notifications/routes.ts';
import { informationRoutes } from './information/routes.ts';
import { peopleRoutes } from './people/routes.ts';
import { conversationsRoutes } from './conversations/routes.ts';
import { plansRoutes } from './plans/routes.ts';
import { guidanceRoutes } from './guidance/routes.ts';
import { directPaymentsRoutes } from './direct-payments/routes.ts';
import { bankDetailsRoutes } from './bank-details/routes.ts';
import { businessCasesRoutes } from './business-cases/routes.ts';
import { panelRoutes } from './panel/routes.ts';
import { agreementsRoutes } from './agreements/routes.ts';
import { paymentsRoutes } from './payments/routes.ts';
import { paymentRunsRoutes } from './payment-runs/routes.ts';
import { recipientHomeRoutes } from './recipient-home/routes.ts';
import { spendingRoutes } from './spending/routes.ts';
import { statementsRoutes } from './statements/routes.ts';
import { reviewsRoutes } from './reviews/routes.ts';
import { feedbackRoutes } from './feedback/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { bankHolidaysRoutes } from './bank-holidays/routes.ts';
import { reportsRoutes } from './reports/routes.ts';
import { insightRoutes } from './insight/routes.ts';
import { contactRoutes } from './contact/routes.ts';
import { complaintsRoutes } from './complaints/routes.ts';
import { employersRoutes } from './employers/routes.ts';
import { poolsRoutes } from './pools/routes.ts';
import { monitoringRoutes } from './monitoring/routes.ts';
import { surplusRoutes } from './surplus/routes.ts';

/** One router per step of the journey, in the order a direct payment lives through them. */
export const features: Array<(services: Services) => express.Router> = [
  // First: it adds the Notifications link (with the unread count) to every signed-in page.
  notificationsRoutes,
  informationRoutes,
  peopleRoutes,
  conversationsRoutes,
  plansRoutes,
  guidanceRoutes,
  directPaymentsRoutes,
  bankDetailsRoutes,
  businessCasesRoutes,
  panelRoutes,
  agreementsRoutes,
  paymentsRoutes,
  paymentRunsRoutes,
  recipientHomeRoutes,
  spendingRoutes,
  statementsRoutes,
  reviewsRoutes,
  feedbackRoutes,
  adminRoutes,
  bankHolidaysRoutes,
  reportsRoutes,
  insightRoutes,
  contactRoutes,
  complaintsRoutes,
  employersRoutes,
  poolsRoutes,
  monitoringRoutes,
  surplusRoutes,
];
