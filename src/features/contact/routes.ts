import express from 'express';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { directPaymentFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { complaintsForDirectPayment } from '../complaints/queries.ts';
import { CONTACT_KINDS, KIND_NAMES, inbox, requestFor, requestsForDirectPayment, threadOf, type ContactKind, type ContactRequestRow } from './queries.ts';
import { addReply, askCouncil, closeRequest, messageSchema, staffReplySchema } from './messages.ts';

/**
 * Contact requests. The person (or their representative) asks a question, asks for a change, asks
 * about a new idea or asks for a reassessment, about one of their direct payments, and reads the
 * replies; the council's practitioners and managers answer from an inbox, oldest first.
 */
export function contactRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const own = requireCapability('own:read');
  const staff = requireCapability('contact:reply');

  // ---- The person's pages (English and Welsh) ----

  router.get('/my/direct-payments/:directPaymentId/contact', own, async (req, res) => {
    const user = userOf(req);
    const page = await db.transaction().execute(async (trx) => {
      const dp = await contactableFor(trx, user, param(req, 'directPaymentId'), clock.today());
      const requests = await requestsForDirectPayment(trx, dp.id);
      const complaints = await complaintsForDirectPayment(trx, dp.id);
      await audit(trx, user, { action: 'view', entityType: 'own-contact', entityId: dp.id, personId: dp.person_id, details: { requests: requests.length, complaints: complaints.length } }, req.ip);
      return { dp, requests, complaints };
    });
    const t = res.locals.t;
    res.render('contact/views/my-contact.njk', {
      pageTitle: t('contact:hub.title'),
      ...page,
      kinds: CONTACT_KINDS,
      isRepresentative: user.role === 'representative',
      backLink: `/my/direct-payments/${page.dp.id}`,
    });
  });

  for (const kind of CONTACT_KINDS) {
    const path = `/my/direct-payments/:directPaymentId/contact/new/${kind}`;
    router.get(path, own, async (req, res) => {
      const user = userOf(req);
      const dp = await db.transaction().execute(async (trx) => {
        const dp = await contactableFor(trx, user, param(req, 'directPaymentId'), clock.today());
        await audit(trx, user, { action: 'view', entityType: 'contact-form', entityId: dp.id, personId: dp.person_id, details: { kind } }, req.ip);
        return dp;
      });
      res.render('contact/views/my-new.njk', askPage(res, user, dp, kind, {}, undefined));
    });

    router.post(path, own, async (req, res) => {
      const user = userOf(req);
      const t = res.locals.t;
      const dp = await contactableFor(db, user, param(req, 'directPaymentId'), clock.today());
      const parsed = parseForm(messageSchema(t, kind), req.body);
      if (!parsed.ok) {
        res.status(400).render('contact/views/my-new.njk', askPage(res, user, dp, kind, req.body ?? {}, parsed.errors));
        return;
      }
      const id = await db.transaction().execute((trx) => askCouncil(trx, { user, dp, kind, message: parsed.data.message, ip: req.ip }));
      await flashThenRedirect(req, res, { title: t(`contact:kinds.${kind}.sent`), text: t('contact:sent.text') }, `/my/contact/${id}`);
    });
  }

  router.get('/my/contact/:requestId', own, async (req, res) => {
    const user = userOf(req);
    const page = await loadThread(services, req, user);
    res.render('contact/views/my-thread.njk', myThreadPage(res, user, page, {}, undefined));
  });

  router.post('/my/contact/:requestId/reply', own, async (req, res) => {
    const user = userOf(req);
    const t = res.locals.t;
    const request = await requestFor(db, user, param(req, 'requestId'), clock.today());
    const parsed = parseForm(messageSchema(t, 'reply'), req.body);
    if (!parsed.ok) {
      const page = await loadThread(services, req, user);
      res.status(400).render('contact/views/my-thread.njk', myThreadPage(res, user, page, req.body ?? {}, parsed.errors));
      return;
    }
    await db.transaction().execute((trx) => addReply(trx, { user, request, message: parsed.data.message, fromCouncil: false, today: clock.today(), ip: req.ip }));
    await flashThenRedirect(req, res, { title: t('contact:thread.replySent') }, `/my/contact/${request.id}`);
  });

  // ---- Staff: the inbox and the thread ----

  router.get('/contact', staff, async (req, res) => {
    const user = userOf(req);
    const rows = await db.transaction().execute(async (trx) => {
      const rows = await inbox(trx, user.councilId);
      await audit(trx, user, { action: 'view', entityType: 'contact-inbox', details: { open: rows.length } }, req.ip);
      return rows;
    });
    res.render('contact/views/inbox.njk', { pageTitle: 'Contact requests', rows, kindNames: KIND_NAMES });
  });

  router.get('/contact/:requestId', staff, async (req, res) => {
    const user = userOf(req);
    const page = await loadThread(services, req, user);
    res.render('contact/views/thread.njk', staffThreadPage(page, {}, undefined));
  });

  router.post('/contact/:requestId/reply', staff, async (req, res) => {
    const user = userOf(req);
    const request = await requestFor(db, user, param(req, 'requestId'), clock.today());
    const parsed = parseForm(staffReplySchema, req.body);
    if (!parsed.ok) {
      const page = await loadThread(services, req, user);
      res.status(400).render('contact/views/thread.njk', staffThreadPage(page, req.body ?? {}, parsed.errors));
      return;
    }
    await db.transaction().execute((trx) => addReply(trx, { user, request, message: parsed.data.message, fromCouncil: true, today: clock.today(), ip: req.ip }));
    await flashThenRedirect(req, res, { title: 'Reply sent', text: `${request.personName} has been told there is a reply.` }, `/contact/${request.id}`);
  });

  router.post('/contact/:requestId/close', staff, async (req, res) => {
    const user = userOf(req);
    const request = await requestFor(db, user, param(req, 'requestId'), clock.today());
    await db.transaction().execute((trx) => closeRequest(trx, { user, request, ip: req.ip }));
    await flashThenRedirect(req, res, { title: 'Request closed', text: `If ${request.given_name} writes again it will come back to the inbox.` }, '/contact');
  });

  return router;
}

/** The person's direct payment, once it is more than a draft (a draft is not theirs to see yet). */
async function contactableFor(db: Parameters<typeof directPaymentFor>[0], user: CurrentUser, dpId: string, today: string): Promise<DirectPaymentRow> {
  const dp = await directPaymentFor(db, user, dpId, today);
  if (dp.status === 'draft') notFound();
  return dp;
}

async function loadThread(services: Services, req: express.Request, user: CurrentUser) {
  return services.db.transaction().execute(async (trx) => {
    const request = await requestFor(trx, user, param(req, 'requestId'), services.clock.today());
    const thread = await threadOf(trx, request);
    await audit(trx, user, { action: 'view', entityType: 'contact-request', entityId: request.id, personId: request.person_id }, req.ip);
    return { request, thread };
  });
}

function askPage(res: express.Response, user: CurrentUser, dp: DirectPaymentRow, kind: ContactKind, values: Record<string, unknown>, errors: FormErrors | undefined) {
  return {
    pageTitle: res.locals.t(`contact:kinds.${kind}.title`),
    dp,
    kind,
    isRepresentative: user.role === 'representative',
    values,
    errors,
    backLink: `/my/direct-payments/${dp.id}/contact`,
  };
}

function myThreadPage(res: express.Response, user: CurrentUser, page: { request: ContactRequestRow; thread: Awaited<ReturnType<typeof threadOf>> }, values: Record<string, unknown>, errors: FormErrors | undefined) {
  return {
    pageTitle: res.locals.t(`contact:kinds.${page.request.kind}.name`),
    ...page,
    me: user.id,
    isRepresentative: user.role === 'representative',
    values,
    errors,
    backLink: `/my/direct-payments/${page.request.direct_payment_id}/contact`,
  };
}

function staffThreadPage(page: { request: ContactRequestRow; thread: Awaited<ReturnType<typeof threadOf>> }, values: Record<string, unknown>, errors: FormErrors | undefined) {
  return {
    pageTitle: `${KIND_NAMES[page.request.kind]} from ${page.request.personName}`,
    ...page,
    kindName: KIND_NAMES[page.request.kind],
    values,
    errors,
    backLink: '/contact',
  };
}
