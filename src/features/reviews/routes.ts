import express from 'express';
import type { Services } from '../../platform/services.ts';
import { fieldError, type FormErrors } from '../../platform/http/validation.ts';
import { ScheduleChangeRefused } from '../schedules/change-schedule.ts';
import { changeFor } from './support-change.ts';

const CHANGE_WORDS = { more: 'more', less: 'less', different: 'different' } as const;
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { param } from '../../platform/http/errors.ts';
import { formatDate } from '../../domain/dates.ts';
import { formatPounds } from '../../domain/money.ts';
import { EXTRA_REASONS, REVIEW_KIND_NAMES, daysOverdue, type ReviewKind } from '../../domain/review-dates.ts';
import { directPaymentForReview, findReview, listDueReviews, wasRecorded, DUE_WINDOW_DAYS, type ReviewContext } from './queries.ts';
import { CHANGES, MET, canBeReviewed, dueChoices, latestNextReview, parseReviewForm, recordReview } from './record-review.ts';
import { askForExtraReview, parseExtraReviewForm } from './ask-extra-review.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';

export function reviewsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;

  router.get('/reviews', requireCapability('reviews:list'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const show = req.query.show === 'mine' || req.query.show === 'all' ? req.query.show : user.role === 'practitioner' ? 'mine' : 'all';
    const rows = (await listDueReviews(db, user, today, show === 'mine')).map((r) => ({
      ...r,
      kindName: REVIEW_KIND_NAMES[r.kind as ReviewKind],
      overdueDays: daysOverdue(r.due_on, today),
    }));
    await audit(db, user, { action: 'view', entityType: 'reviews-due-list', details: { show, count: rows.length } }, req.ip);
    res.render('reviews/views/due.njk', {
      pageTitle: 'Reviews due',
      show,
      windowDays: DUE_WINDOW_DAYS,
      overdue: rows.filter((r) => r.due_on < today),
      upcoming: rows.filter((r) => r.due_on >= today),
      today,
    });
  });

  router.get('/reviews/:reviewId', requireCapability('reviews:list'), async (req, res) => {
    const user = userOf(req);
    const review = await findReview(db, user, param(req, 'reviewId'), clock.today());
    await audit(db, user, { action: 'view', entityType: 'review', entityId: review.id, personId: review.person_id }, req.ip);
    const change = review.completed_on ? await changeFor(db, review.id) : undefined;
    res.render('reviews/views/review.njk', {
      change,
      changeWords: change ? CHANGE_WORDS[change.change as keyof typeof CHANGE_WORDS] : '',
      pageTitle: review.completed_on ? `Review of ${review.dp_reference}` : `Review due for ${review.dp_reference}`,
      review,
      kindName: REVIEW_KIND_NAMES[review.kind as ReviewKind],
      MET,
      CHANGES,
      overdueDays: review.completed_on ? 0 : daysOverdue(review.due_on, clock.today()),
    });
  });

  const renderRecord = (res: express.Response, ctx: ReviewContext, values: Record<string, unknown>, errors?: FormErrors) => {
    const today = clock.today();
    const oneOff = ctx.kind === 'one_off';
    res.status(errors ? 400 : 200).render('reviews/views/record.njk', {
      pageTitle: oneOff ? 'Record the check-back' : 'Record a review',
      backLink: '/reviews',
      ctx,
      choices: dueChoices(ctx),
      latest: latestNextReview(ctx, today),
      MET,
      CHANGES,
      values,
      errors,
    });
  };

  const renderNothingToReview = (res: express.Response, ctx: ReviewContext) =>
    res.render('reviews/views/nothing-to-review.njk', { pageTitle: 'There is nothing to review yet', ctx, backLink: '/reviews' });

  router.get('/direct-payments/:dpId/reviews/new', requireCapability('reviews:write'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const ctx = await directPaymentForReview(db, user, param(req, 'dpId'), today);
    await audit(db, user, { action: 'view', entityType: 'direct-payment', entityId: ctx.id, personId: ctx.person_id, details: { page: 'record review' } }, req.ip);
    if (!canBeReviewed(ctx)) return renderNothingToReview(res, ctx);
    const choices = dueChoices(ctx);
    const asked = choices.find((c) => c.value === req.query.review);
    const latest = latestNextReview(ctx, today);
    const [year, month, day] = (latest?.dueOn ?? '').split('-');
    renderRecord(res, ctx, {
      dueReview: (asked ?? choices[0]!).value,
      ...(latest ? { 'nextReview-day': String(Number(day)), 'nextReview-month': String(Number(month)), 'nextReview-year': year } : {}),
    });
  });

  router.post('/direct-payments/:dpId/reviews/new', requireCapability('reviews:write'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const ctx = await directPaymentForReview(db, user, param(req, 'dpId'), today);
    if (await wasRecorded(db, ctx.id, req.body?.dueReview)) {
      // Sent twice (a double click, or Back and submit again): the first one counts.
      return flashThenRedirect(req, res, { title: 'This review was already recorded', text: 'Nothing has changed.' }, `/reviews/${req.body.dueReview}`);
    }
    if (!canBeReviewed(ctx)) return renderNothingToReview(res.status(409), ctx);
    const form = parseReviewForm(ctx, req.body, today);
    if (!form.ok) return renderRecord(res, ctx, req.body ?? {}, form.errors);
    let recorded;
    try {
      recorded = await recordReview(db, user, ctx, form.data, today, req.ip);
    } catch (err) {
      // The schedule changed under us (a payment run since the page was shown): say so, keep the answers.
      if (err instanceof ScheduleChangeRefused) {
        return renderRecord(res, ctx, req.body ?? {}, fieldError(err.field === 'from' ? 'newWeeklyFrom' : 'newWeekly', err.message, err.field === 'from' ? '#newWeeklyFrom-day' : '#newWeekly'));
      }
      throw err;
    }
    const flash = recorded.alreadyRecorded
      ? { title: 'This review was already recorded', text: 'Nothing has changed.' }
      : {
          title: ctx.kind === 'one_off' ? 'Check-back recorded' : 'Review recorded',
          text: recorded.nextDueOn
            ? `The next review is due by ${formatDate(recorded.nextDueOn)}.${form.data.newRate ? ` The weekly amount changes to ${formatPounds(form.data.newRate.weeklyAmountPence)} from ${formatDate(form.data.newRate.from)}.` : ''}`
            : recorded.ended
              ? `${ctx.reference} is now closed.`
              : undefined,
        };
    await flashThenRedirect(req, res, flash, `/reviews/${recorded.reviewId}`);
  });

  const renderExtra = (res: express.Response, ctx: ReviewContext, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('reviews/views/extra.njk', {
      pageTitle: 'Ask for an extra review',
      backLink: `/direct-payments/${ctx.id}/reviews/new`,
      ctx,
      reasons: EXTRA_REASONS,
      values,
      errors,
    });

  router.get('/direct-payments/:dpId/reviews/extra', requireCapability('reviews:write'), async (req, res) => {
    const user = userOf(req);
    const ctx = await directPaymentForReview(db, user, param(req, 'dpId'), clock.today());
    await audit(db, user, { action: 'view', entityType: 'direct-payment', entityId: ctx.id, personId: ctx.person_id, details: { page: 'ask for an extra review' } }, req.ip);
    if (!canBeReviewed(ctx)) return renderNothingToReview(res, ctx);
    const [year, month, day] = clock.today().split('-');
    renderExtra(res, ctx, { 'dueOn-day': String(Number(day)), 'dueOn-month': String(Number(month)), 'dueOn-year': year });
  });

  router.post('/direct-payments/:dpId/reviews/extra', requireCapability('reviews:write'), async (req, res) => {
    const user = userOf(req);
    const today = clock.today();
    const ctx = await directPaymentForReview(db, user, param(req, 'dpId'), today);
    if (!canBeReviewed(ctx)) return renderNothingToReview(res.status(409), ctx);
    const form = parseExtraReviewForm(req.body, today);
    if (!form.ok) return renderExtra(res, ctx, req.body ?? {}, form.errors);
    const extra = await askForExtraReview(db, user, ctx, form.data, today, req.ip);
    await flashThenRedirect(req, res, { title: 'Extra review asked for', text: `It is due by ${formatDate(extra.due.dueOn)} and is on the Reviews due list.` }, `/reviews/${extra.id}`);
  });

  return router;
}
