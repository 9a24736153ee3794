import express from 'express';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import type { Database } from '../../platform/db/database.ts';
import { directPaymentFor } from '../payments/direct-payment-access.ts';
import { sendAgreementPdf } from '../agreements/pdf.ts';
import { listGuidance } from '../guidance/queries.ts';
import { homeFor, myDirectPayments, statusKey } from './queries.ts';
import { guidanceFor } from '../guidance/welsh.ts';
import { STORIES } from './stories.ts';

/** The idea form (features/contact) for one direct payment: "ask us about a new idea". */
export const ideaPath = (directPaymentId: string) => `/my/direct-payments/${directPaymentId}/contact/new/idea`;

export function recipientHomeRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  // One direct payment: straight to it. Several, or several people (a representative): a list first.
  router.get('/my', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const t = res.locals.t;
    const people = await myDirectPayments(db, user, today);
    const all = people.flatMap((p) => p.directPayments);
    if (all.length === 1 && people.length === 1) {
      await renderHome(db, req, res, user, all[0]!.id, today, false);
      return;
    }
    await audit(db, user, { action: 'view', entityType: 'own-direct-payments', details: { people: people.length, directPayments: all.length } }, req.ip);
    const contact = await db.selectFrom('councils').select(['name', 'contact_email', 'contact_phone']).where('id', '=', user.councilId).executeTakeFirstOrThrow();
    res.render('recipient-home/views/list.njk', {
      pageTitle: user.role === 'representative' ? t('home:listTitleRep') : t('home:listTitle'),
      people,
      anyDirectPayments: all.length > 0,
      isRepresentative: user.role === 'representative',
      contact,
    });
  });

  router.get('/my/direct-payments/:dpId', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    await renderHome(db, req, res, user, param(req, 'dpId'), clock.today(), true);
  });

  // "What can I spend it on?": the council's guidance, real stories, and a way to ask about an idea.
  router.get('/my/guidance', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    const t = res.locals.t;
    const people = await myDirectPayments(db, user, clock.today());
    const directPayments = people.flatMap((p) => p.directPayments.map((dp) => ({ ...dp, personName: p.name })));
    await audit(db, user, { action: 'view', entityType: 'spending-guide', details: { directPayments: directPayments.length } }, req.ip);
    const council = await db.selectFrom('councils').select(['name', 'contact_email', 'contact_phone']).where('id', '=', user.councilId).executeTakeFirstOrThrow();
    res.render('recipient-home/views/guide.njk', {
      pageTitle: t('home:guide.title'),
      isRepresentative: user.role === 'representative',
      guidance: guidanceFor(res.locals.lang, await listGuidance(db, user.councilId)),
      stories: STORIES,
      ideas: directPayments.map((dp) => ({ href: ideaPath(dp.id), purpose: dp.purpose, personName: dp.personName })),
      council,
      backLink: directPayments.length === 1 ? `/my/direct-payments/${directPayments[0]!.id}` : '/my',
    });
  });

  router.get('/my/direct-payments/:dpId/agreement/pdf', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const { dp, agreement } = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const agreement = await trx
        .selectFrom('agreements')
        .selectAll()
        .where('direct_payment_id', '=', dp.id)
        .where('signed_on', 'is not', null)
        .orderBy('version', 'desc')
        .executeTakeFirst();
      if (!agreement) notFound();
      await audit(trx, user, { action: 'download', entityType: 'agreement', entityId: agreement.id, personId: dp.person_id }, req.ip);
      return { dp, agreement };
    });
    await sendAgreementPdf(res, agreement, dp);
  });

  return router;
}

async function renderHome(db: Database, req: express.Request, res: express.Response, user: CurrentUser, dpId: string, today: string, fromList: boolean) {
  const page = await db.transaction().execute(async (trx) => {
    const dp = await directPaymentFor(trx, user, dpId, today);
    if (dp.status === 'draft') notFound();
    const home = await homeFor(trx, dp, today);
    await audit(trx, user, { action: 'view', entityType: 'own-direct-payment', entityId: dp.id, personId: dp.person_id }, req.ip);
    return { dp, ...home };
  });
  const t = res.locals.t;
  const forSomeoneElse = user.role === 'representative';
  res.render('recipient-home/views/direct-payment.njk', {
    pageTitle: forSomeoneElse ? t('home:titleFor', { name: page.dp.personName }) : t('home:title'),
    ...page,
    isRepresentative: forSomeoneElse,
    statusKey: statusKey(page.dp.status, page.dp.kind, forSomeoneElse),
    ideaHref: ideaPath(page.dp.id),
    recorded: req.query.recorded === 'yes' || req.query.recorded === 'receipt',
    recordedWithReceipt: req.query.recorded === 'receipt',
    backLink: fromList ? '/my' : undefined,
  });
}
