import express from 'express';
import type { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { isUuid } from '../../platform/permissions.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { penceToInput } from '../../domain/money.ts';
import { costView, listDecisions, listOptions, visibleCase, visibleDirectPayment, type BusinessCase } from './queries.ts';
import { caseSections } from './sections.ts';
import { contextForm, optionForm, outcomesForm, periodForm, proposalForm } from './forms.ts';
import { removeAlternative, saveOption, saveSection } from './edit-case.ts';
import { needsBusinessCase, startCase } from './start-case.ts';
import { submitCase } from './submit-case.ts';
import { TEXT_SECTIONS } from './text-sections.ts';
import { DECIDED } from '../panel/decisions.ts';

export function businessCasesRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const canWrite = requireCapability('business-cases:write');
  const caseUrl = (c: { id: string }) => `/business-cases/${c.id}`;

  /** The case named in the URL, if the user may see it, with the read of it audited. */
  async function openCase(req: express.Request, page: string): Promise<{ user: CurrentUser; c: BusinessCase }> {
    const user = userOf(req);
    const c = await visibleCase(db, user, param(req, 'caseId'), clock.today());
    await audit(db, user, { action: 'view', entityType: 'business-case', entityId: c.id, personId: c.person_id, details: { page } }, req.ip);
    return { user, c };
  }

  router.get('/direct-payments/:dpId/business-case', canWrite, async (req, res) => {
    const user = userOf(req);
    const dp = await visibleDirectPayment(db, user, param(req, 'dpId'), clock.today());
    if (dp.business_case_id) return res.redirect(303, `/business-cases/${dp.business_case_id}`);
    await audit(db, user, { action: 'view', entityType: 'direct-payment', entityId: dp.id, personId: dp.person_id, details: { page: 'start-business-case' } }, req.ip);
    res.render('business-cases/views/start.njk', { pageTitle: 'Write a business case', dp, canStart: needsBusinessCase(dp.status), backLink: `/direct-payments/${dp.id}` });
  });

  router.post('/direct-payments/:dpId/business-case', canWrite, async (req, res) => {
    const user = userOf(req);
    const dp = await visibleDirectPayment(db, user, param(req, 'dpId'), clock.today());
    if (dp.business_case_id) return res.redirect(303, `/business-cases/${dp.business_case_id}`);
    if (!needsBusinessCase(dp.status)) {
      return res.status(409).render('business-cases/views/start.njk', { pageTitle: 'Write a business case', dp, canStart: false, backLink: `/direct-payments/${dp.id}` });
    }
    const caseId = await startCase(db, user, dp, req.ip);
    res.redirect(303, `/business-cases/${caseId}`);
  });

  router.get('/business-cases/:caseId', canWrite, async (req, res) => {
    const { c } = await openCase(req, 'case');
    const options = await listOptions(db, c.id);
    const sections = caseSections(c, options);
    res.render('business-cases/views/case.njk', {
      pageTitle: `Business case for ${c.given_name} ${c.family_name}`,
      c,
      options,
      sections,
      ready: sections.every((s) => s.done),
      costs: costView(options, c.horizon_months),
      decisions: await listDecisions(db, c.id),
      decidedLabels: DECIDED,
      backLink: `/direct-payments/${c.direct_payment_id}`,
    });
  });

  // What is proposed and why; the context; the outcomes expected: each a page of text boxes.
  for (const section of TEXT_SECTIONS) {
    const render = (res: express.Response, c: BusinessCase, values: Record<string, unknown>, errors?: FormErrors) =>
      res.status(errors ? 400 : 200).render('business-cases/views/text-section.njk', {
        pageTitle: section.title,
        section,
        c,
        values,
        errors,
        backLink: caseUrl(c),
      });

    router.get(`/business-cases/:caseId/${section.slug}`, canWrite, async (req, res) => {
      const { c } = await openCase(req, section.slug);
      if (c.status !== 'draft') return res.redirect(303, caseUrl(c));
      render(res, c, section.initialValues(c));
    });

    router.post(`/business-cases/:caseId/${section.slug}`, canWrite, async (req, res) => {
      const user = userOf(req);
      const c = await visibleCase(db, user, param(req, 'caseId'), clock.today());
      if (c.status !== 'draft') return res.redirect(303, caseUrl(c));
      const form = parseForm(section.schema as z.ZodType<Record<string, string>>, req.body);
      if (!form.ok) return render(res, c, req.body, form.errors);
      await saveSection(db, user, c, section.slug, form.data, clock.now(), req.ip);
      res.redirect(303, caseUrl(c));
    });
  }

  router.get('/business-cases/:caseId/costs', canWrite, async (req, res) => {
    const { c } = await openCase(req, 'costs');
    const options = await listOptions(db, c.id);
    res.render('business-cases/views/costs.njk', {
      pageTitle: 'Alternatives and costs',
      c,
      proposal: options.find((o) => o.proposed),
      alternatives: options.filter((o) => !o.proposed),
      costs: costView(options, c.horizon_months),
      editable: c.status === 'draft',
      backLink: caseUrl(c),
    });
  });

  type OptionPage = { kind: 'proposal' | 'alternative'; optionId?: string };
  const optionPath = (c: BusinessCase, page: OptionPage) =>
    page.kind === 'proposal' ? `${caseUrl(c)}/costs/proposal` : `${caseUrl(c)}/costs/alternatives/${page.optionId ?? 'new'}`;
  const renderOption = (res: express.Response, c: BusinessCase, page: OptionPage, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('business-cases/views/option.njk', {
      pageTitle: page.kind === 'proposal' ? 'The cost of the proposal' : page.optionId ? 'Change an alternative' : 'Add an alternative',
      c,
      page,
      action: optionPath(c, page),
      values,
      errors,
      backLink: `${caseUrl(c)}/costs`,
    });

  async function optionValues(c: BusinessCase, page: OptionPage): Promise<Record<string, unknown> | null> {
    const options = await listOptions(db, c.id);
    const option = page.kind === 'proposal' ? options.find((o) => o.proposed) : page.optionId ? options.find((o) => o.id === page.optionId && !o.proposed) : undefined;
    if (page.optionId && !option) return null;
    if (!option) return page.kind === 'proposal' ? { description: c.dp_purpose } : {};
    return { description: option.description, one_off: penceToInput(option.one_off_cost_pence), weekly: penceToInput(option.weekly_cost_pence), notes: option.notes ?? '' };
  }

  function optionRoutes(path: string, pageOf: (req: express.Request) => OptionPage) {
    router.get(path, canWrite, async (req, res) => {
      const page = pageOf(req);
      const { c } = await openCase(req, `costs-${page.kind}`);
      if (c.status !== 'draft') return res.redirect(303, `${caseUrl(c)}/costs`);
      const values = await optionValues(c, page);
      if (!values) notFound();
      renderOption(res, c, page, values);
    });
    router.post(path, canWrite, async (req, res) => {
      const user = userOf(req);
      const page = pageOf(req);
      const c = await visibleCase(db, user, param(req, 'caseId'), clock.today());
      if (c.status !== 'draft') return res.redirect(303, `${caseUrl(c)}/costs`);
      const form = parseForm(optionForm, req.body);
      if (!form.ok) return renderOption(res, c, page, req.body, form.errors);
      const target = page.kind === 'proposal' ? ({ proposed: true } as const) : ({ proposed: false, optionId: page.optionId ?? null } as const);
      const saved = await saveOption(db, user, c, target, form.data, req.ip);
      if (!saved && page.optionId) notFound();
      res.redirect(303, `${caseUrl(c)}/costs`);
    });
  }
  optionRoutes('/business-cases/:caseId/costs/proposal', () => ({ kind: 'proposal' }));
  optionRoutes('/business-cases/:caseId/costs/alternatives/new', () => ({ kind: 'alternative' }));
  optionRoutes('/business-cases/:caseId/costs/alternatives/:optionId', (req) => {
    const optionId = param(req, 'optionId');
    if (!isUuid(optionId)) notFound();
    return { kind: 'alternative', optionId };
  });

  router.post('/business-cases/:caseId/costs/alternatives/:optionId/remove', canWrite, async (req, res) => {
    const user = userOf(req);
    const c = await visibleCase(db, user, param(req, 'caseId'), clock.today());
    const optionId = param(req, 'optionId');
    if (!isUuid(optionId)) notFound();
    await removeAlternative(db, user, c, optionId, req.ip);
    res.redirect(303, `${caseUrl(c)}/costs`);
  });

  const renderPeriod = (res: express.Response, c: BusinessCase, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('business-cases/views/period.njk', {
      pageTitle: 'How many months should the costs be compared over?',
      c,
      values,
      errors,
      backLink: `${caseUrl(c)}/costs`,
    });

  router.get('/business-cases/:caseId/costs/period', canWrite, async (req, res) => {
    const { c } = await openCase(req, 'costs-period');
    if (c.status !== 'draft') return res.redirect(303, `${caseUrl(c)}/costs`);
    renderPeriod(res, c, { horizon_months: String(c.horizon_months) });
  });

  router.post('/business-cases/:caseId/costs/period', canWrite, async (req, res) => {
    const user = userOf(req);
    const c = await visibleCase(db, user, param(req, 'caseId'), clock.today());
    if (c.status !== 'draft') return res.redirect(303, `${caseUrl(c)}/costs`);
    const form = parseForm(periodForm, req.body);
    if (!form.ok) return renderPeriod(res, c, req.body, form.errors);
    await saveSection(db, user, c, 'costs-period', form.data, clock.now(), req.ip);
    res.redirect(303, `${caseUrl(c)}/costs`);
  });

  async function renderCheck(res: express.Response, c: BusinessCase, errors?: FormErrors) {
    const options = await listOptions(db, c.id);
    const sections = caseSections(c, options);
    res.status(errors ? 400 : 200).render('business-cases/views/check.njk', {
      pageTitle: 'Check the business case before sending it to the panel',
      c,
      options,
      sections,
      missing: sections.filter((s) => !s.done),
      costs: costView(options, c.horizon_months),
      errors,
      backLink: caseUrl(c),
    });
  }

  router.get('/business-cases/:caseId/submit', canWrite, async (req, res) => {
    const { c } = await openCase(req, 'check-answers');
    if (c.status !== 'draft') return res.redirect(303, caseUrl(c));
    await renderCheck(res, c);
  });

  router.post('/business-cases/:caseId/submit', canWrite, async (req, res) => {
    const user = userOf(req);
    const c = await visibleCase(db, user, param(req, 'caseId'), clock.today());
    const result = await submitCase(db, user, c.id, clock.now(), req.ip);
    if (result.ok) return res.redirect(303, `${caseUrl(c)}/submitted`);
    if ('notDraft' in result) return res.redirect(303, caseUrl(c));
    const errors: FormErrors = {
      list: result.missing.map((s) => ({ text: s.missing, href: `#section-${s.id}` })),
      fields: {},
    };
    await renderCheck(res, c, errors);
  });

  router.get('/business-cases/:caseId/submitted', canWrite, async (req, res) => {
    const { c } = await openCase(req, 'submitted');
    if (c.status !== 'submitted') return res.redirect(303, caseUrl(c));
    res.render('business-cases/views/submitted.njk', { pageTitle: 'Business case sent to the funding panel', c });
  });

  return router;
}
