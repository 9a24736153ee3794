import express from 'express';
import { can } from '../../platform/permissions.ts';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { param } from '../../platform/http/errors.ts';
import { DIRECT_PAYMENT_STATUSES, describeStatus, isDirectPaymentStatus, statusName } from '../../domain/direct-payment-status.ts';
import { ongoingAmounts } from '../../domain/personal-budget.ts';

import { directPaymentFor, latestPanelDecision, listDirectPayments, outcomesMetByDirectPayment } from './queries.ts';
import { newDirectPaymentRoutes } from './new-direct-payment.ts';
import { FREQUENCY_NAMES, KIND_NAMES, MEETS_NEEDS_NAMES, PAYMENT_METHOD_NAMES, amountText, statusTagClass } from './labels.ts';
import { maskAccountNumber, maskSortCode } from './bank-details.ts';
import { nextSteps } from './steps.ts';

export function directPaymentsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  router.get('/direct-payments', requireCapability('direct-payments:list'), async (req, res) => {
    const user = userOf(req);
    const status = isDirectPaymentStatus(req.query.status) ? req.query.status : null;
    const rows = await listDirectPayments(db, user.councilId, status);
    await audit(db, user, { action: 'view', entityType: 'direct-payments-list', details: { status: status ?? 'all', count: rows.length } }, req.ip);
    res.render('direct-payments/views/list.njk', {
      pageTitle: 'Direct payments',
      status,
      statusOptions: [['', 'All statuses'], ...DIRECT_PAYMENT_STATUSES.map((s) => [s, statusName(s)])],
      directPayments: rows.map((dp) => ({ ...dp, kindName: KIND_NAMES[dp.kind], statusName: statusName(dp.status), tagClass: statusTagClass(dp.status), amount: amountText(dp) })),
    });
  });

  newDirectPaymentRoutes(router, services);

  router.get('/direct-payments/:dpId', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const { account_number, sort_code, ...dp } = await directPaymentFor(db, user, param(req, 'dpId'), clock.today());
    const [outcomes, decision] = await Promise.all([outcomesMetByDirectPayment(db, dp.plan_id), latestPanelDecision(db, dp.id)]);
    await audit(db, user, { action: 'view', entityType: 'direct-payment', entityId: dp.id, personId: dp.person_id }, req.ip);
    const ongoing =
      dp.kind === 'ongoing' ? ongoingAmounts(dp.weekly_amount_pence ?? 0, dp.weekly_contribution_pence, dp.frequency === 'weekly' ? 'weekly' : 'four_weekly') : null;
    res.render('direct-payments/views/direct-payment.njk', {
      pageTitle: `Direct payment ${dp.reference}`,
      // The bank details go to the page only masked.
      dp,
      personName: `${dp.given_name} ${dp.family_name}`,
      statusName: statusName(dp.status),
      statusTagClass: statusTagClass(dp.status),
      whatNext: describeStatus(dp.status, dp.kind),
      kindName: KIND_NAMES[dp.kind],
      meetsNeeds: MEETS_NEEDS_NAMES[dp.meets_needs],
      method: PAYMENT_METHOD_NAMES[dp.payment_method],
      frequencyName: FREQUENCY_NAMES[dp.frequency],
      amount: amountText(dp),
      ongoing,
      payee: dp.payee === 'representative' ? `${dp.representative_name} (${dp.representative_relationship})` : dp.payee === 'provider' ? `${dp.provider_name}, the managed-account provider` : `${dp.given_name} ${dp.family_name}`,
      canChangeBankDetails: can(user, 'bank-details:change'),
      canReadStatements: can(user, 'statements:read'),
      canReadMonitoring: can(user, 'monitoring:read'),
      canManageSurplus: can(user, 'surplus:manage'),
      bank: dp.payment_method === 'bank_account' ? { name: dp.account_name, sortCode: maskSortCode(sort_code), accountNumber: maskAccountNumber(account_number) } : null,
      outcomes,
      decision,
      steps: nextSteps(dp, user),
      backLink: dp.plan_id ? `/plans/${dp.plan_id}` : undefined,
    });
  });

  return router;
}
