import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { can } from '../../platform/permissions.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { f, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { formatDateIn, isLang, type Lang } from '../../platform/i18n/index.ts';
import { formatPounds } from '../../domain/money.ts';
import { formatDate } from '../../domain/dates.ts';
import { METHODS, REASONS, STATUS_NAMES, nextStep, type CaseStatus } from '../../domain/surplus.ts';
import { directPaymentFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import { surplusNow } from './calculate.ts';
import {
  SurplusStepRefused, currentCase, decideChallenge, openCase, postRecovery, recordChallenge, recordCommitment, recordConversation, recordRefund, sendNotice,
  type SurplusCase,
} from './cases.ts';
import { challengeDecisionSchema, commitmentSchema, conversationSchema } from './forms.ts';
import { noticeText, sendNoticePdf, statusText, type NoticeContext } from './notice.ts';
import { offsetProgress } from './offsets.ts';
import { statementFor } from '../payments/statement.ts';

function contextOf(dp: DirectPaymentRow): NoticeContext {
  return { reference: dp.reference, personName: dp.personName, councilName: dp.council_name, contactEmail: dp.contact_email, contactPhone: dp.contact_phone, kind: dp.kind };
}

/** The case if the person has been given written notice of it, else null. */
function noticed(c: SurplusCase | null): SurplusCase | null {
  return c?.notice_sent_on ? c : null;
}

export function surplusRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  const staffPage = async (req: express.Request, res: express.Response, form: { values?: Record<string, unknown>; errors?: FormErrors; problem?: string } = {}) => {
    const user = userOf(req);
    const today = clock.today();
    const page = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const sum = await surplusNow(trx, dp.id, today);
      const c = await currentCase(trx, dp.id);
      // What the case's offset has taken off payments so far, and what is left.
      const progress = c?.method === 'reduce_payments' && c.recovered_on ? await offsetProgress(trx, dp.id, c.id) : null;
      await audit(trx, user, { action: 'view', entityType: 'surplus', entityId: dp.id, personId: dp.person_id }, req.ip);
      return { dp, sum, c, progress };
    });
    const { dp, sum, c } = page;
    const open = c && !['no_recovery', 'refunded', 'offsetting'].includes(c.status) ? c : null;
    const step = open ? nextStep({ ...open, status: open.status as CaseStatus }, today) : null;
    const errors = form.errors ?? (form.problem ? { list: [{ text: form.problem, href: '#main-content' }], fields: {} } : undefined);
    res.status(errors ? 400 : 200).render('surplus/views/staff.njk', {
      pageTitle: `Money left unspent: ${dp.reference}`,
      dp,
      sum,
      case: c ? { ...c, statusName: STATUS_NAMES[c.status as CaseStatus], reasonName: c.conversation_reason ? REASONS[c.conversation_reason as keyof typeof REASONS] : null, methodName: c.method ? METHODS[c.method as keyof typeof METHODS] : null } : null,
      open,
      step,
      progress: page.progress,
      notice: open && open.recover_pence ? noticeText(open, contextOf(dp), 'en') : null,
      canManage: can(user, 'surplus:manage'),
      canRecordRefund: can(user, 'payments:manage'),
      reasons: REASONS,
      methods: METHODS,
      values: form.values ?? {},
      errors,
      backLink: `/direct-payments/${dp.id}/monitoring`,
    });
  };

  router.get('/direct-payments/:dpId/surplus', requireCapability('monitoring:read'), (req, res) => staffPage(req, res));

  // Each step: find the direct payment (404 if not the user's to see) before reading the form.
  const step = (
    path: string,
    capability: 'surplus:manage' | 'payments:manage',
    run: (ctx: { req: express.Request; res: express.Response; dp: DirectPaymentRow; today: string }) => Promise<{ flash: string; text?: string } | 'rendered'>,
  ) => {
    router.post(`/direct-payments/:dpId/surplus${path}`, requireCapability(capability), async (req, res) => {
      const user = userOf(req);
      const today = clock.today();
      const dp = await directPaymentFor(db, user, param(req, 'dpId'), today);
      try {
        const done = await run({ req, res, dp, today });
        if (done === 'rendered') return;
        await flashThenRedirect(req, res, { title: done.flash, text: done.text }, `/direct-payments/${dp.id}/surplus`);
      } catch (err) {
        if (!(err instanceof SurplusStepRefused)) throw err;
        await staffPage(req, res, { problem: err.message });
      }
    });
  };

  step('/committed', 'surplus:manage', async ({ req, res, dp, today }) => {
    const form = parseForm(commitmentSchema, req.body);
    if (!form.ok) {
      await staffPage(req, res, { values: req.body ?? {}, errors: form.errors });
      return 'rendered';
    }
    await db.transaction().execute((trx) => recordCommitment(trx, { dp, amountPence: form.data.amount, committedFor: form.data.committedFor, user: userOf(req), today, ip: req.ip }));
    return { flash: 'Committed money recorded', text: `${formatPounds(form.data.amount)} for ${form.data.committedFor}` };
  });

  step('', 'surplus:manage', async ({ req, dp, today }) => {
    await db.transaction().execute((trx) => openCase(trx, { dp, user: userOf(req), today, ip: req.ip }));
    return { flash: 'Surplus opened', text: 'Next, talk with the person about why the money is unspent. Nothing is recovered without that conversation and written notice.' };
  });

  step('/conversation', 'surplus:manage', async ({ req, res, dp, today }) => {
    const c = await currentCase(db, dp.id);
    if (!c || c.status !== 'conversation_due') throw new SurplusStepRefused('There is no conversation to record');
    const form = parseForm(conversationSchema(c.surplus_pence, today), req.body, { dates: ['heldOn'] });
    if (!form.ok) {
      await staffPage(req, res, { values: req.body ?? {}, errors: form.errors });
      return 'rendered';
    }
    const updated = await db.transaction().execute((trx) => recordConversation(trx, { dp, input: form.data, user: userOf(req), ip: req.ip }));
    return updated.keep_money
      ? { flash: 'Conversation recorded', text: 'The person keeps the money. Nothing will be recovered.' }
      : { flash: 'Conversation recorded', text: `Next, send the person written notice of the ${formatPounds(updated.recover_pence!)} to recover.` };
  });

  step('/notice', 'surplus:manage', async ({ req, dp, today }) => {
    const c = await db.transaction().execute((trx) => sendNotice(trx, { dp, user: userOf(req), today, ip: req.ip }));
    return { flash: 'Notice sent', text: `The person can read it in the service and download the letter. They can challenge it until ${formatDate(c.challenge_ends_on)}.` };
  });

  step('/challenge-decision', 'surplus:manage', async ({ req, res, dp, today }) => {
    const form = parseForm(challengeDecisionSchema, req.body);
    if (!form.ok) {
      await staffPage(req, res, { values: req.body ?? {}, errors: form.errors });
      return 'rendered';
    }
    await db.transaction().execute((trx) => decideChallenge(trx, { dp, upheld: form.data.upheld, decision: form.data.decision, user: userOf(req), today, ip: req.ip }));
    return { flash: 'Decision recorded', text: form.data.upheld ? 'The challenge is upheld: nothing will be recovered.' : 'Recovery can be posted once the challenge period has ended.' };
  });

  step('/recovery', 'surplus:manage', async ({ req, dp, today }) => {
    const done = await db.transaction().execute((trx) => postRecovery(trx, { dp, user: userOf(req), today, ip: req.ip }));
    return { flash: 'Recovery posted', text: `${formatPounds(done.recoveredPence)} moved from the direct payment's account to money owed back.` };
  });

  step('/refund', 'payments:manage', async ({ req, dp, today }) => {
    await db.transaction().execute((trx) => recordRefund(trx, { dp, user: userOf(req), today, ip: req.ip }));
    return { flash: 'Refund recorded', text: 'The money owed back has been returned to the budget.' };
  });

  router.get('/direct-payments/:dpId/surplus/letter', requireCapability('monitoring:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const { dp, c, lang } = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const c = noticed(await currentCase(trx, dp.id));
      if (!c) notFound();
      const person = await trx.selectFrom('people').select('preferred_language').where('id', '=', dp.person_id).executeTakeFirstOrThrow();
      await audit(trx, user, { action: 'download', entityType: 'surplus-notice', entityId: c.id, personId: dp.person_id }, req.ip);
      return { dp, c, lang: (isLang(person.preferred_language) ? person.preferred_language : 'en') as Lang };
    });
    await sendNoticePdf(res, c, contextOf(dp), lang);
  });

  // The person's own pages, in their language.
  const challengeSchema = (t: (k: string) => string) =>
    z.object({ challenge: f.text(t('surplus:form.missing'), 2000, t('surplus:form.tooLong')) });

  const myPage = async (req: express.Request, res: express.Response, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}) => {
    const user = userOf(req);
    const today = clock.today();
    const lang = res.locals.lang ?? 'en';
    const { dp, c, progress, next } = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const c = noticed(await currentCase(trx, dp.id));
      if (!c) notFound();
      const progress = c.method === 'reduce_payments' && c.recovered_on ? await offsetProgress(trx, dp.id, c.id) : null;
      const next = progress && progress.leftPence > 0 ? (await statementFor(trx, dp.id, today)).next : null;
      await audit(trx, user, { action: 'view', entityType: 'surplus-notice', entityId: c.id, personId: dp.person_id }, req.ip);
      return { dp, c, progress, next };
    });
    const tr = res.locals.t;
    // "Reduce future payments": how much has come off so far, what is left, and the next payment.
    const taken = progress
      ? [
          progress.leftPence > 0 ? tr('surplus:progress.taken', { taken: formatPounds(progress.takenPence) }) : tr('surplus:progress.done', { amount: formatPounds(progress.amountPence) }),
          ...(progress.leftPence > 0 ? [tr('surplus:progress.left', { left: formatPounds(progress.leftPence) })] : []),
          ...(next && next.offsetPence > 0 ? [tr('surplus:progress.nextLess', { date: formatDateIn(lang, next.dueOn), net: formatPounds(next.amountPence), amount: formatPounds(next.offsetPence) })] : []),
        ]
      : [];
    const notice = noticeText(c, contextOf(dp), lang);
    res.status(form.errors ? 400 : 200).render('surplus/views/my-notice.njk', {
      pageTitle: notice.title,
      dp,
      notice,
      status: statusText(c, lang),
      taken,
      mayChallenge: c.status === 'notice_sent' && !c.challenge_decided_on && today <= c.challenge_ends_on!,
      isRepresentative: user.role === 'representative',
      values: form.values ?? {},
      errors: form.errors,
      backLink: `/my/direct-payments/${dp.id}`,
    });
  };

  router.get('/my/direct-payments/:dpId/surplus', requireCapability('own:read'), (req, res) => myPage(req, res));

  router.post('/my/direct-payments/:dpId/surplus/challenge', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const t = res.locals.t;
    const dp = await directPaymentFor(db, user, param(req, 'dpId'), today);
    if (!noticed(await currentCase(db, dp.id))) notFound();
    const form = parseForm(challengeSchema(t), req.body);
    if (!form.ok) return myPage(req, res, { values: req.body ?? {}, errors: form.errors });
    try {
      await db.transaction().execute((trx) => recordChallenge(trx, { dp, text: form.data.challenge, user, today, ip: req.ip }));
    } catch (err) {
      if (!(err instanceof SurplusStepRefused)) throw err;
      return myPage(req, res, { values: req.body ?? {}, errors: { list: [{ text: t('surplus:form.closed'), href: '#challenge' }], fields: { challenge: { text: t('surplus:form.closed') } } } });
    }
    await flashThenRedirect(req, res, { title: t('surplus:sent') }, `/my/direct-payments/${dp.id}/surplus`);
  });

  router.get('/my/direct-payments/:dpId/surplus/letter', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const { dp, c } = await db.transaction().execute(async (trx) => {
      const dp = await directPaymentFor(trx, user, param(req, 'dpId'), today);
      const c = noticed(await currentCase(trx, dp.id));
      if (!c) notFound();
      await audit(trx, user, { action: 'download', entityType: 'surplus-notice', entityId: c.id, personId: dp.person_id }, req.ip);
      return { dp, c };
    });
    await sendNoticePdf(res, c, contextOf(dp), res.locals.lang ?? 'en');
  });

  return router;
}
