import express from 'express';
import { sql } from 'kysely';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit, auditEach } from '../../platform/audit.ts';
import { can } from '../../platform/permissions.ts';
import { param } from '../../platform/http/errors.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { verifyPassword } from '../../platform/auth/passwords.ts';
import { earliestArrival } from '../../domain/payment-run.ts';
import { formatDate } from '../../domain/dates.ts';
import { loadHolidays } from '../payments/holidays.ts';
import { createPaymentRun, RunRefused } from './create-run.ts';
import { ApprovalRefused, recordApproval } from './approve-run.ts';
import { CancelRefused, cancelRun } from './cancel-run.ts';
import { continueRun, hasUnfinishedWork, runWorkGoingOn } from './run-work.ts';
import { FILE_FORMATS, FileRefused, runFile } from './bacs-file.ts';
import { MarkPaidRefused, requestMarkPaid, sendsToBank } from './mark-paid.ts';
import { RETURN_REASONS, recordReturn, ReturnRefused } from './record-return.ts';
import { approveForm, fileForm, returnForm, runForm } from './forms.ts';
import { LINES_PER_PAGE, lineFor, lineProgress, listRuns, returnedPayments, runExceptions, runFor, runLines, runOffsets } from './queries.ts';
import { settingsRoutes } from './settings-routes.ts';
import { paymentSettings } from './settings.ts';

// Runs up to this size are sent or paid while the finance officer waits (well under a second);
// larger ones carry on after the page returns, which shows their progress.
const WAIT_FOR_LINES = 2_000;

// Wrong passwords at approval, like wrong passwords at sign-in, are limited.
const MAX_WRONG_PASSWORDS = 5;

export function paymentRunsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock, logger } = services;

  /** Sends or pays the run's lines: while the user waits when the run is small, otherwise in the background. */
  async function work(runId: string, lines: number): Promise<void> {
    const going = continueRun(db, runId, clock.today());
    if (lines <= WAIT_FOR_LINES) {
      await going;
      return;
    }
    going.catch((err: unknown) => logger.error({ err, runId }, 'payment run work stopped; it carries on from where it stopped when asked again'));
  }

  router.get('/payment-runs', requireCapability('payments:approve'), async (req, res) => {
    const user = userOf(req);
    const [runs, returned] = await Promise.all([listRuns(db, user.councilId), returnedPayments(db, user.councilId)]);
    await audit(db, user, { action: 'view', entityType: 'payment-runs', details: { runs: runs.length, returned: returned.length } }, req.ip);
    res.render('payment-runs/views/list.njk', { pageTitle: 'Payment runs', runs, returned, canManage: can(user, 'payments:manage') });
  });

  router.use(settingsRoutes(services));

  const newRunPage = async (res: express.Response, values: Record<string, unknown>, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('payment-runs/views/new.njk', {
      pageTitle: 'Start a payment run',
      values,
      errors,
      earliest: earliestArrival(clock.today(), await loadHolidays(db)),
      backLink: '/payment-runs',
    });

  router.get('/payment-runs/new', requireCapability('payments:manage'), async (_req, res) => newRunPage(res, {}));

  router.post('/payment-runs', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const values = { ...(req.body as Record<string, unknown>) };
    delete values._csrf;
    const form = parseForm(runForm, req.body, { dates: ['paymentDate'] });
    if (!form.ok) return newRunPage(res, values, form.errors);
    try {
      const { run, created } = await createPaymentRun(db, { user, wanted: form.data.paymentDate, today: clock.today(), ip: req.ip });
      const title = created ? 'Payment run created' : 'There is already a payment run for that day';
      await flashThenRedirect(req, res, { title, text: created ? 'Check the payments and the exceptions, then ask someone else to approve it.' : undefined }, `/payment-runs/${run.id}`);
    } catch (err) {
      if (!(err instanceof RunRefused)) throw err;
      return newRunPage(res, values, fieldError('paymentDate', err.message, '#paymentDate-day'));
    }
  });

  async function runPage(req: express.Request, res: express.Response, user: CurrentUser, errors?: FormErrors) {
    const run = await runFor(db, user, param(req, 'runId'));
    const page = Math.max(1, Math.min(Number(req.query.page) || 1, Math.ceil(run.line_count / LINES_PER_PAGE) || 1));
    const [progress, lines, exceptions, going, settings, offsets] = await Promise.all([
      lineProgress(db, run.id),
      runLines(db, run.id, page),
      runExceptions(db, run.id),
      runWorkGoingOn(db, run.id),
      paymentSettings(db, run.council_id),
      runOffsets(db, run.id),
    ]);
    // Names and (masked) account details of every person on this page: one audit row each.
    await auditEach(db, user, { action: 'view', entityType: 'payment-run', entityId: run.id, details: { page } }, [...lines, ...exceptions].map((l) => l.person_id), req.ip);
    const unfinished = hasUnfinishedWork(run);
    res.status(errors ? 400 : 200).render('payment-runs/views/run.njk', {
      pageTitle: `Payment run for ${formatDate(run.payment_date)}`,
      run,
      progress,
      lines,
      offsets,
      exceptions,
      page,
      pages: Math.ceil(run.line_count / LINES_PER_PAGE),
      working: unfinished && going,
      stalled: unfinished && !going,
      lateToSend: run.latest_input_date < clock.today() && (run.status === 'draft' || run.status === 'approved'),
      bacsReady: settings.bacs !== null,
      formats: FILE_FORMATS,
      values: { format: 'std18' },
      errors,
      isCreator: run.created_by === user.id,
      canManage: can(user, 'payments:manage'),
      canApprove: can(user, 'payments:approve'),
      backLink: '/payment-runs',
    });
  }

  router.get('/payment-runs/:runId', requireCapability('payments:approve'), async (req, res) => runPage(req, res, userOf(req)));

  // Approval: a second person, who re-enters their password.
  const approvePage = (res: express.Response, run: Awaited<ReturnType<typeof runFor>>, user: CurrentUser, errors?: FormErrors, status?: number) =>
    res.status(status ?? (errors ? 400 : 200)).render('payment-runs/views/approve.njk', {
      pageTitle: 'Approve the payment run',
      run,
      isCreator: run.created_by === user.id,
      errors,
      values: {},
      backLink: `/payment-runs/${run.id}`,
    });

  router.get('/payment-runs/:runId/approve', requireCapability('payments:approve'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    if (run.status !== 'draft') return res.redirect(303, `/payment-runs/${run.id}`);
    approvePage(res, run, user, undefined, run.created_by === user.id ? 403 : 200);
  });

  router.post('/payment-runs/:runId/approve', requireCapability('payments:approve'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    if (run.created_by === user.id) return approvePage(res, run, user, undefined, 403);
    const form = parseForm(approveForm, req.body);
    if (!form.ok) return approvePage(res, run, user, form.errors);
    if (await wrongPasswords(user) >= MAX_WRONG_PASSWORDS) {
      return approvePage(res, run, user, fieldError('password', 'You have entered the wrong password too many times. Wait 15 minutes, then try again.'));
    }
    const stored = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(stored.password_hash, form.data.password))) {
      await audit(db, user, { action: 'approve', entityType: 'payment-run', entityId: run.id, details: { refused: 'password' } }, req.ip);
      return approvePage(res, run, user, fieldError('password', 'The password is not right. Enter the password you sign in with.'));
    }
    try {
      const outcome = await recordApproval(db, { runId: run.id, user, today: clock.today(), ip: req.ip });
      await work(run.id, run.line_count);
      const title = outcome === 'approved' ? 'Payment run approved' : 'This payment run had already been approved';
      await flashThenRedirect(req, res, { title, text: outcome === 'approved' ? 'The payments have been sent to the ledger. Create the Bacs file next.' : undefined }, `/payment-runs/${run.id}`);
    } catch (err) {
      if (!(err instanceof ApprovalRefused)) throw err;
      return approvePage(res, run, user, fieldError('password', err.message));
    }
  });

  async function wrongPasswords(user: CurrentUser): Promise<number> {
    const row = await db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('user_id', '=', user.id)
      .where('action', '=', 'approve')
      .where(sql<boolean>`details->>'refused' = 'password'`)
      .where('at', '>', sql<Date>`now() - interval '15 minutes'`)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  router.post('/payment-runs/:runId/cancel', requireCapability('payments:approve'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    try {
      const outcome = await cancelRun(db, { runId: run.id, user, ip: req.ip });
      const text = 'Its payments are free to go on another run: prepare a new run for the day once what was wrong is put right.';
      await flashThenRedirect(req, res, { title: outcome === 'cancelled' ? 'Payment run cancelled' : 'This payment run had already been cancelled', text }, `/payment-runs/${run.id}`);
    } catch (err) {
      if (!(err instanceof CancelRefused)) throw err;
      return runPage(req, res, user, fieldError('paid', err.message));
    }
  });

  // After a crash or restart, a run part-way through sending or paying carries on from where it stopped.
  router.post('/payment-runs/:runId/continue', requireCapability('payments:approve'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    await audit(db, user, { action: 'update', entityType: 'payment-run', entityId: run.id, details: { continued: true } }, req.ip);
    await work(run.id, run.line_count);
    res.redirect(303, `/payment-runs/${run.id}`);
  });

  router.post('/payment-runs/:runId/file', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    const form = parseForm(fileForm, req.body);
    if (!form.ok) return runPage(req, res, user, form.errors);
    try {
      const file = await runFile(db, { runId: run.id, format: form.data.format, user, ip: req.ip });
      res.attachment(file.filename).type('text/plain').send(file.bytes);
    } catch (err) {
      if (!(err instanceof FileRefused)) throw err;
      return runPage(req, res, user, fieldError('format', err.message));
    }
  });

  router.get('/payment-runs/:runId/paid', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    const noFile = run.status === 'approved' && run.posted_at !== null && !(await sendsToBank(db, run.id));
    if ((run.status !== 'file_generated' && !noFile) || run.paid_requested_at) return res.redirect(303, `/payment-runs/${run.id}`);
    res.render('payment-runs/views/paid.njk', { pageTitle: 'Mark the run as paid', run, backLink: `/payment-runs/${run.id}` });
  });

  router.post('/payment-runs/:runId/paid', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    try {
      const outcome = await requestMarkPaid(db, { runId: run.id, user, ip: req.ip });
      await work(run.id, run.line_count);
      await flashThenRedirect(req, res, { title: outcome === 'marked' ? 'Payment run marked as paid' : 'This payment run had already been marked as paid' }, `/payment-runs/${run.id}`);
    } catch (err) {
      if (!(err instanceof MarkPaidRefused)) throw err;
      return runPage(req, res, user, fieldError('paid', err.message));
    }
  });

  const returnPage = (res: express.Response, locals: Record<string, unknown> & { values: Record<string, unknown> }, errors?: FormErrors) =>
    res.status(errors ? 400 : 200).render('payment-runs/views/returned.njk', { pageTitle: 'Record a returned payment', reasons: RETURN_REASONS, errors, ...locals });

  router.get('/payment-runs/:runId/lines/:lineNumber/returned', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    const line = await lineFor(db, run.id, param(req, 'lineNumber'));
    await audit(db, user, { action: 'view', entityType: 'payment-run-line', entityId: run.id, personId: line.person_id, details: { lineNumber: line.line_number } }, req.ip);
    returnPage(res, { run, line, values: {}, backLink: `/payment-runs/${run.id}` });
  });

  router.post('/payment-runs/:runId/lines/:lineNumber/returned', requireCapability('payments:manage'), async (req, res) => {
    const user = userOf(req);
    const run = await runFor(db, user, param(req, 'runId'));
    const line = await lineFor(db, run.id, param(req, 'lineNumber'));
    const values = { reason: req.body?.reason };
    const form = parseForm(returnForm, req.body);
    if (!form.ok) return returnPage(res, { run, line, values, backLink: `/payment-runs/${run.id}` }, form.errors);
    try {
      const outcome = await recordReturn(db, { runId: run.id, lineNumber: line.line_number, reason: form.data.reason, user, today: clock.today(), ip: req.ip });
      const title = outcome === 'returned' ? `Payment ${line.line_number} recorded as returned` : `Payment ${line.line_number} had already been recorded as returned`;
      await flashThenRedirect(req, res, { title, text: outcome === 'returned' ? 'Its money has been put back in the budget, and the payment is on the list to pay again.' : undefined }, `/payment-runs/${run.id}`);
    } catch (err) {
      if (!(err instanceof ReturnRefused)) throw err;
      return returnPage(res, { run, line, values, backLink: `/payment-runs/${run.id}` }, fieldError('reason', err.message));
    }
  });

  return router;
}
