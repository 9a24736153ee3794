import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { f, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { isUuid } from '../../platform/permissions.ts';
import { addDays, formatDate } from '../../domain/dates.ts';
import { formatDateIn } from '../../platform/i18n/index.ts';
import { feedbackSummary, openFeedbackFor, saveFeedback, type FeedbackOffer } from './queries.ts';
import { EASY, HELPS, LISTENED, MOMENTS, QUESTIONS, momentFromSlug, slugOf, type Moment, type Question } from './questions.ts';

const PERIODS = [
  { value: '3', text: 'The last 3 months', days: 91 },
  { value: '12', text: 'The last 12 months', days: 365 },
  { value: '36', text: 'The last 3 years', days: 3 * 365 + 1 },
];

type T = (key: string, vars?: Record<string, unknown>) => string;

const surveyForm = (t: T) =>
  z.object({
    helps: f.choice(HELPS, t('feedback:errors.helps')),
    easy: f.choice(EASY, t('feedback:errors.easy')),
    listened: f.choice(LISTENED, t('feedback:errors.listened')),
    better: f.optionalText(1000, t('feedback:errors.betterTooLong')),
  });

/** The survey's answers as radio items, labelled in the page's language. */
function itemsFor(t: T, question: Question) {
  return Object.fromEntries(QUESTIONS[question].map((a) => [a, t(`feedback:q.${question}.${a}`)]));
}

export function feedbackRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  const offerLink = (o: FeedbackOffer) => `/my/feedback/${o.directPaymentId}/${slugOf(o.momentKey)}`;
  const momentText = (t: T, lang: 'en' | 'cy', o: FeedbackOffer) =>
    t(`feedback:moment.${o.moment}`, { date: formatDateIn(lang, o.on) });

  // The person's open surveys: one for each recent moment not yet answered.
  router.get('/my/feedback', requireCapability('own:read'), async (req, res) => {
    const user = userOf(req);
    const t = res.locals.t;
    const offers = await openFeedbackFor(db, user, clock.today());
    await audit(db, user, { action: 'view', entityType: 'feedback-offers', details: { open: offers.length } }, req.ip);
    res.render('feedback/views/offers.njk', {
      pageTitle: t('feedback:offers.title'),
      offers: offers.map((o) => ({ ...o, href: offerLink(o), text: momentText(t, res.locals.lang, o) })),
      isRepresentative: user.role === 'representative',
    });
  });

  async function openOffer(req: express.Request) {
    const user = userOf(req);
    const dpId = param(req, 'dpId');
    const moment = momentFromSlug(param(req, 'moment'));
    if (!isUuid(dpId) || !moment) notFound();
    const offers = await openFeedbackFor(db, user, clock.today());
    const offer = offers.find((o) => o.directPaymentId === dpId && o.momentKey === moment.momentKey);
    return { user, dpId, moment, offer };
  }

  const renderSurvey = (res: express.Response, offer: FeedbackOffer, isRepresentative: boolean, values: Record<string, unknown>, errors?: FormErrors) => {
    const t = res.locals.t;
    res.status(errors ? 400 : 200).render('feedback/views/survey.njk', {
      pageTitle: t('feedback:survey.title'),
      backLink: '/my/feedback',
      action: offerLink(offer),
      about: momentText(t, res.locals.lang, offer),
      helpsLegend: isRepresentative ? t('feedback:q.helps.legendFor', { name: offer.personName }) : t('feedback:q.helps.legend'),
      items: { helps: itemsFor(t, 'helps'), easy: itemsFor(t, 'easy'), listened: itemsFor(t, 'listened') },
      values,
      errors,
    });
  };

  router.get('/my/feedback/:dpId/:moment', requireCapability('own:read'), async (req, res) => {
    const { user, offer } = await openOffer(req);
    if (!offer) {
      // Answered already, too long ago, or not theirs: answered looks like the others to a stranger.
      notFound();
    }
    await audit(db, user, { action: 'view', entityType: 'feedback-survey', entityId: offer.directPaymentId, personId: offer.personId, details: { moment: offer.momentKey } }, req.ip);
    renderSurvey(res, offer, user.role === 'representative', {});
  });

  router.post('/my/feedback/:dpId/:moment', requireCapability('own:read'), async (req, res) => {
    const { user, offer } = await openOffer(req);
    const t = res.locals.t;
    if (!offer) notFound();
    const form = parseForm(surveyForm(t), req.body);
    if (!form.ok) return renderSurvey(res, offer, user.role === 'representative', req.body ?? {}, form.errors);
    await db.transaction().execute(async (trx) => {
      const saved = await saveFeedback(trx, offer, form.data, { role: user.role === 'representative' ? 'representative' : 'recipient', language: res.locals.lang });
      if (saved.created) {
        await audit(trx, user, { action: 'create', entityType: 'feedback', entityId: saved.id, personId: offer.personId, details: { moment: offer.momentKey } }, req.ip);
      }
    });
    await flashThenRedirect(req, res, { title: t('feedback:thanks.title'), text: t('feedback:thanks.text') }, '/my/feedback');
  });

  // Managers: what people said, added up, by period and moment.
  router.get('/feedback', requireCapability('feedback:read'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string).trim() : '');
    const moment = (MOMENTS as readonly string[]).includes(q('moment')) ? (q('moment') as Moment) : '';
    const period = PERIODS.find((p) => p.value === q('period')) ?? PERIODS[1]!;
    const from = addDays(today, -period.days);
    const to = today;
    const summary = await feedbackSummary(db, user.councilId, { from, to, moment });
    await audit(db, user, { action: 'view', entityType: 'feedback-results', details: { from, to, moment, total: summary.total } }, req.ip);
    const en = (key: string, vars?: Record<string, unknown>) => res.locals.t(key, vars);
    res.render('feedback/views/results.njk', {
      pageTitle: 'Feedback from people',
      summary: {
        ...summary,
        questions: summary.questions.map((s) => ({
          ...s,
          title: en(`feedback:q.${s.question}.summary`),
          counts: s.counts.map((c) => ({ ...c, label: en(`feedback:q.${s.question}.${c.answer}`) })),
        })),
        comments: summary.comments.map((c) => ({ ...c, momentName: c.moment === 'review' ? 'After a review' : 'After the first payment' })),
      },
      filters: { period: period.value, moment, fromText: formatDate(from), toText: formatDate(to) },
      periodItems: PERIODS.map((p) => ({ value: p.value, text: p.text, selected: p === period })),
      momentItems: [
        { value: '', text: 'After any moment', selected: !moment },
        { value: 'first_payment', text: 'After the first payment', selected: moment === 'first_payment' },
        { value: 'review', text: 'After a review', selected: moment === 'review' },
      ],
    });
  });

  return router;
}
