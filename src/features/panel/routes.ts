import express from 'express';
import type { Services } from '../../platform/services.ts';
import { londonDate } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import type { FormErrors } from '../../platform/http/validation.ts';
import { ageOn, daysBetween } from '../../domain/dates.ts';
import { costView, listDecisions, listOptions, visibleCase, visibleDirectPayment, type BusinessCase } from '../business-cases/queries.ts';
import { panelQueue, personOutcomes, recentlyDecided } from './queries.ts';
import { readDecision } from './forms.ts';
import { AuthorCannotDecide, NotWithThePanel, recordDecision } from './record-decision.ts';
import { decisionNoticeFor } from './decision-notice.ts';
import { DECIDED, DECISIONS } from './decisions.ts';

export function panelRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const canDecide = requireCapability('panel:decide');

  /** A case that has reached the panel, in the user's council, with the read audited; otherwise 404. */
  async function openCase(req: express.Request, page: string): Promise<{ user: CurrentUser; c: BusinessCase }> {
    const user = userOf(req);
    const c = await visibleCase(db, user, param(req, 'caseId'), clock.today());
    if (!c.submitted_at) notFound();
    await audit(db, user, { action: 'view', entityType: 'business-case', entityId: c.id, personId: c.person_id, details: { page } }, req.ip);
    return { user, c };
  }

  const refuseAuthor = (res: express.Response, c: BusinessCase) =>
    res.status(403).render('panel/views/own-case.njk', { pageTitle: 'You cannot decide a case you wrote', c, backLink: `/panel/${c.id}` });

  router.get('/panel', canDecide, async (req, res) => {
    const user = userOf(req);
    const waiting = await panelQueue(db, user, clock.today());
    const decided = await recentlyDecided(db, user);
    await audit(db, user, { action: 'view', entityType: 'panel-queue', details: { waiting: waiting.length, decided: decided.length } }, req.ip);
    res.render('panel/views/queue.njk', { pageTitle: 'Funding panel', waiting, decided, decidedLabels: DECIDED });
  });

  router.get('/panel/:caseId', canDecide, async (req, res) => {
    const { user, c } = await openCase(req, 'panel-case');
    const options = await listOptions(db, c.id);
    const today = clock.today();
    res.render('panel/views/case.njk', {
      pageTitle: `Business case for ${c.given_name} ${c.family_name}`,
      c,
      options,
      costs: costView(options, c.horizon_months),
      decisions: await listDecisions(db, c.id),
      outcomes: await personOutcomes(db, c.person_id, c.plan_id),
      age: ageOn(c.date_of_birth, today),
      daysWaiting: c.submitted_at ? Math.max(0, daysBetween(londonDate(new Date(c.submitted_at)), today)) : 0,
      writtenByYou: c.author_id === user.id,
      decidedLabels: DECIDED,
      backLink: '/panel',
    });
  });

  const renderDecision = (res: express.Response, c: BusinessCase, costs: ReturnType<typeof costView>, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('panel/views/decision.njk', {
      pageTitle: 'Record the panel’s decision',
      c,
      costs,
      values,
      errors,
      decisions: DECISIONS,
      backLink: `/panel/${c.id}`,
    });

  router.get('/panel/:caseId/decision', canDecide, async (req, res) => {
    const { user, c } = await openCase(req, 'decision-form');
    if (c.author_id === user.id) return refuseAuthor(res, c);
    if (c.status !== 'submitted') return res.redirect(303, `/panel/${c.id}`);
    renderDecision(res, c, costView(await listOptions(db, c.id), c.horizon_months), {});
  });

  router.post('/panel/:caseId/decision', canDecide, async (req, res) => {
    const user = userOf(req);
    const c = await visibleCase(db, user, param(req, 'caseId'), clock.today());
    if (c.author_id === user.id) return refuseAuthor(res, c);
    if (c.status !== 'submitted') return res.redirect(303, `/panel/${c.id}`);
    const form = readDecision(req.body);
    if (!form.ok) return renderDecision(res, c, costView(await listOptions(db, c.id), c.horizon_months), req.body, form.errors);
    try {
      await recordDecision(db, user, c.id, form.data, clock.now(), req.ip);
    } catch (err) {
      if (err instanceof AuthorCannotDecide) return refuseAuthor(res, c);
      if (err instanceof NotWithThePanel) return res.redirect(303, `/panel/${c.id}`);
      throw err;
    }
    res.redirect(303, `/panel/${c.id}/decided`);
  });

  router.get('/panel/:caseId/decided', canDecide, async (req, res) => {
    const { c } = await openCase(req, 'decided');
    const [latest] = await listDecisions(db, c.id);
    if (!latest) return res.redirect(303, `/panel/${c.id}`);
    res.render('panel/views/decided.njk', { pageTitle: 'Decision recorded', c, latest, decidedLabels: DECIDED });
  });

  // The letter telling the person the decision: any staff member who may see the person can print it.
  router.get('/direct-payments/:dpId/decision-letter', requireCapability('people:read'), async (req, res) => {
    const user = userOf(req);
    const dp = await visibleDirectPayment(db, user, param(req, 'dpId'), clock.today());
    const notice = await decisionNoticeFor(db, dp.id);
    if (!notice) notFound();
    const council = await db.selectFrom('councils').select(['name', 'contact_email', 'contact_phone']).where('id', '=', dp.council_id).executeTakeFirstOrThrow();
    await audit(db, user, { action: 'view', entityType: 'decision-letter', entityId: dp.id, personId: dp.person_id }, req.ip);
    res.render('panel/views/letter.njk', {
      pageTitle: `Decision letter for ${dp.given_name} ${dp.family_name}`,
      dp,
      notice,
      council,
      backLink: `/direct-payments/${dp.id}`,
    });
  });

  return router;
}
