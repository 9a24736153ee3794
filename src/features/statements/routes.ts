import express from 'express';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { audit } from '../../platform/audit.ts';
import { notFound, param } from '../../platform/http/errors.ts';
import { fieldError, parseForm, type FormErrors } from '../../platform/http/validation.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import { allowLargerUploads, type UploadProblem } from '../../platform/http/uploads.ts';
import { can, isUuid } from '../../platform/permissions.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { formatPounds } from '../../domain/money.ts';
import { decodeStatement } from '../../domain/statements/decode.ts';
import { csvShape, plausibleColumns } from '../../domain/statements/csv.ts';
import { StatementError, type ColumnMapping } from '../../domain/statements/index.ts';
import { directPaymentFor, type DirectPaymentRow } from '../payments/direct-payment-access.ts';
import type { Db } from './import-statement.ts';
import { createUpload, MAX_STATEMENT_BYTES, problemOf, startImport, uploadState, waitForImport } from './uploads.ts';
import { importsFor, lineById, lineCounts, linesFor, suggestionsFor, unmatchedLines } from './queries.ts';
import { explainLine, matchLineToSpending } from './explain-line.ts';
import { refreshFlagsFor } from '../monitoring/snapshot.ts';

type Audience = 'own' | 'staff';

const OWN_BASE = '/my';
const dpPath = (a: Audience, dpId: string) => (a === 'own' ? `/my/direct-payments/${dpId}/statements` : `/direct-payments/${dpId}/statements`);
const uploadPath = (a: Audience, id: string) => (a === 'own' ? `${OWN_BASE}/statement-uploads/${id}` : `/statement-uploads/${id}`);

/** How long the upload waits for a small file to be imported before showing the progress page instead. */
const WAIT_MS = 2500;

/**
 * Statements and reconciliation. The person (or their representative) uploads statements of the
 * direct payment's account and explains what the service could not match, under /my, in English
 * or Welsh. Finance officers upload too; practitioners and finance see the lines with the person's
 * explanations. Every id in a URL is checked against what the user may see (404 otherwise).
 */
export function statementsRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  allowLargerUploads(/^\/my\/direct-payments\/[^/]+\/statements$/, MAX_STATEMENT_BYTES);
  allowLargerUploads(/^\/direct-payments\/[^/]+\/statements$/, MAX_STATEMENT_BYTES);

  const own = requireCapability('own:read');
  const staff = requireCapability('statements:read');
  const upload = requireCapability('statements:upload');

  /** The direct payment, if this user may see it through this audience's pages. */
  const dpFor = async (trx: Db, user: CurrentUser, dpId: string, a: Audience) => {
    const dp = await directPaymentFor(trx, user, dpId, clock.today());
    if (a === 'own' && dp.status === 'draft') notFound();
    return dp;
  };

  // ---- The overview: upload, imports, how the lines stand (and, for staff, the lines) ----
  const overview = (a: Audience) => async (req: express.Request, res: express.Response, errors?: FormErrors) => {
    const user = userOf(req);
    const page = await db.transaction().execute(async (trx) => {
      const dp = await dpFor(trx, user, param(req, a === 'own' ? 'dpId' : 'directPaymentId'), a);
      const onlyUnexplained = a === 'staff' && req.query.show === 'unexplained';
      // One connection: one query at a time.
      const imports = await importsFor(trx, dp.id);
      const counts = await lineCounts(trx, dp.id);
      const lines = a === 'staff' ? await linesFor(trx, dp.id, { onlyUnmatched: onlyUnexplained, limit: 300 }) : [];
      await audit(trx, user, { action: 'view', entityType: 'statements', entityId: dp.id, personId: dp.person_id }, req.ip);
      return { dp, imports, counts, lines, onlyUnexplained };
    });
    const t = res.locals.t;
    res.status(errors ? 400 : 200).render('statements/views/overview.njk', {
      pageTitle: a === 'staff' || user.role === 'representative' ? t('statements:overview.titleFor', { name: page.dp.personName }) : t('statements:overview.title'),
      ...page,
      audience: a,
      isRepresentative: user.role === 'representative',
      canUpload: can(user, 'statements:upload'),
      action: dpPath(a, page.dp.id),
      toExplainUrl: a === 'own' ? `${dpPath(a, page.dp.id)}/to-explain` : `${dpPath(a, page.dp.id)}?show=unexplained`,
      backLink: a === 'own' ? `/my/direct-payments/${page.dp.id}` : `/direct-payments/${page.dp.id}`,
      maxMb: MAX_STATEMENT_BYTES / 1024 / 1024,
      errors,
    });
  };

  const receive = (a: Audience) => async (req: express.Request, res: express.Response) => {
    const user = userOf(req);
    const t = res.locals.t;
    const dp = await dpFor(db, user, param(req, a === 'own' ? 'dpId' : 'directPaymentId'), a);
    const problem = res.locals.uploadProblem as UploadProblem | undefined;
    if (problem) return overview(a)(req, res, fieldError('file', problem === 'too-large' ? t('statements:upload.tooLarge', { mb: MAX_STATEMENT_BYTES / 1024 / 1024 }) : t('statements:upload.unreadable')));
    if (!req.file) return overview(a)(req, res, fieldError('file', t('statements:upload.choose')));
    if (req.file.size === 0) return overview(a)(req, res, fieldError('file', t('statements:upload.empty')));
    const id = await db.transaction().execute((trx) =>
      createUpload(trx, { directPaymentId: dp.id, personId: dp.person_id, user, fileName: req.file!.originalname, bytes: req.file!.buffer, ip: req.ip }),
    );
    void startImport(services, id, user, dp.person_id, req.ip);
    await settle(req, res, a, id, dp);
  };

  /** After an upload or an answer: a small file is done in a moment, so go straight to where it ended up. */
  const settle = async (req: express.Request, res: express.Response, a: Audience, uploadId: string, dp: DirectPaymentRow) => {
    const finished = await waitForImport(uploadId, WAIT_MS);
    const state = finished ? await uploadState(db, uploadId) : undefined;
    if (state?.status === 'failed') {
      // Refused straight away: say so on the upload form, as any other mistake in a form.
      return overview(a)(req, res, fieldError('file', describeProblem(res.locals.t, state.problem, state.file_name)));
    }
    if (state?.status === 'needs_mapping') return res.redirect(303, `${uploadPath(a, uploadId)}/columns`);
    if (state?.status === 'needs_date_order') return res.redirect(303, `${uploadPath(a, uploadId)}/dates`);
    if (state?.status === 'done') {
      const t = res.locals.t;
      return flashThenRedirect(req, res, { title: t('statements:done.title'), text: t('statements:done.counts', { read: state.lines_read, added: state.lines_added, already: (state.lines_read ?? 0) - (state.lines_added ?? 0) }) }, dpPath(a, dp.id));
    }
    res.redirect(303, uploadPath(a, uploadId));
  };

  // ---- An upload on its way: progress, and the questions (columns, QIF date order) ----
  const uploadFor = async (req: express.Request, a: Audience) => {
    const user = userOf(req);
    const id = param(req, 'uploadId');
    if (!isUuid(id)) notFound();
    const up = await uploadState(db, id);
    // An upload is its uploader's: someone else who can see the direct payment still gets a 404.
    if (!up || up.uploaded_by !== user.id) notFound();
    const dp = await dpFor(db, user, up.direct_payment_id, a);
    return { up, dp, user };
  };

  const progress = (a: Audience) => async (req: express.Request, res: express.Response) => {
    const { up, dp, user } = await uploadFor(req, a);
    await audit(db, user, { action: 'view', entityType: 'statement-upload', entityId: up.id, personId: dp.person_id }, req.ip);
    if (up.status === 'needs_mapping') return res.redirect(303, `${uploadPath(a, up.id)}/columns`);
    if (up.status === 'needs_date_order') return res.redirect(303, `${uploadPath(a, up.id)}/dates`);
    const t = res.locals.t;
    res.render('statements/views/progress.njk', {
      pageTitle: up.status === 'importing' ? t('statements:progress.importingTitle') : up.status === 'done' ? t('statements:done.title') : t('statements:progress.failedTitle'),
      up,
      dp,
      problem: up.status === 'failed' ? describeProblem(t, up.problem, up.file_name) : null,
      already: (up.lines_read ?? 0) - (up.lines_added ?? 0),
      statementsUrl: dpPath(a, dp.id),
      selfUrl: uploadPath(a, up.id),
    });
  };

  const columnsPage = async (req: express.Request, res: express.Response, a: Audience, errors?: FormErrors, values?: Record<string, unknown>) => {
    const { up, dp, user } = await uploadFor(req, a);
    if (up.status !== 'needs_mapping') return res.redirect(303, uploadPath(a, up.id));
    const shape = await shapeOf(up.id);
    const cols = plausibleColumns(shape);
    await audit(db, user, { action: 'view', entityType: 'statement-upload-columns', entityId: up.id, personId: dp.person_id }, req.ip);
    const t = res.locals.t;
    const columns = Array.from({ length: shape.width }, (_v, i) => {
      const heading = shape.headings[i] || t('statements:columns.columnN', { n: i + 1 });
      const example = shape.sample.map((r) => (r[i] ?? '').trim()).find((v) => v !== '');
      return { value: String(i), text: example ? t('statements:columns.option', { heading, example }) : heading };
    });
    const guess = {
      date: String(cols.dates[0] ?? ''),
      // The description is the wordiest column that is neither dates nor amounts.
      description: String(
        columns
          .map((_c, i) => ({ i, letters: shape.sample.reduce((n, r) => n + ((r[i] ?? '').match(/[A-Za-z]/g)?.length ?? 0), 0) }))
          .filter((c) => !cols.dates.includes(c.i) && !cols.amounts.includes(c.i))
          .sort((x, y) => y.letters - x.letters)[0]?.i ?? '',
      ),
      amount: String(cols.amounts[0] ?? ''),
      amountKind: 'signed',
      dateOrder: 'dmy',
    };
    res.status(errors ? 400 : 200).render('statements/views/columns.njk', {
      pageTitle: t('statements:columns.title'),
      up,
      dp,
      columns,
      sample: shape.sample.slice(0, 3),
      headings: shape.headings.length ? shape.headings : columns.map((c) => c.text),
      values: values ?? guess,
      errors,
      backLink: dpPath(a, dp.id),
    });
  };

  const saveColumns = (a: Audience) => async (req: express.Request, res: express.Response) => {
    const { up, dp } = await uploadFor(req, a);
    if (up.status !== 'needs_mapping') return res.redirect(303, uploadPath(a, up.id));
    const shape = await shapeOf(up.id);
    const t = res.locals.t;
    const column = (missing: string, optional = false) =>
      z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), optional ? z.string() : z.string().min(1, { error: missing }))
        .refine((v) => (optional && v === '') || (/^\d+$/.test(v) && Number(v) < shape.width), { error: missing });
    const split = req.body?.amountKind === 'split';
    const schema = z.object({
      date: column(t('statements:columns.errors.date')),
      dateOrder: z.enum(['dmy', 'mdy'], { error: t('statements:columns.errors.dateOrder') }),
      description: column(t('statements:columns.errors.description')),
      counterparty: column('', true),
      amountKind: z.enum(['signed', 'split'], { error: t('statements:columns.errors.amountKind') }),
      amount: split ? z.unknown().optional() : column(t('statements:columns.errors.amount')),
      moneyOut: split ? column(t("statements:columns.errors.moneyOut")) : z.unknown().optional(),
      moneyIn: split ? column(t("statements:columns.errors.moneyIn")) : z.unknown().optional(),
    });
    const parsed = parseForm(schema, req.body);
    if (!parsed.ok) return columnsPage(req, res, a, parsed.errors, req.body ?? {});
    const f = parsed.data;
    const mapping: ColumnMapping = {
      date: Number(f.date),
      dateOrder: f.dateOrder,
      description: Number(f.description),
      counterparty: f.counterparty === '' ? null : Number(f.counterparty),
      bankId: null,
      amount: f.amountKind === 'split' ? { kind: 'split', moneyOut: Number(f.moneyOut), moneyIn: Number(f.moneyIn) } : { kind: 'signed', column: Number(f.amount) },
    };
    // Only the request that moves the upload on starts its import (a double click starts one).
    const claimed = await db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('statement_uploads').set({ mapping: JSON.stringify(mapping), status: 'importing', lines_done: 0 }).where('id', '=', up.id).where('status', '=', 'needs_mapping').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await audit(trx, userOf(req), { action: 'update', entityType: 'statement-upload', entityId: up.id, personId: dp.person_id, details: { mapping } }, req.ip);
      return true;
    });
    if (claimed) void startImport(services, up.id, userOf(req), dp.person_id, req.ip);
    await settle(req, res, a, up.id, dp);
  };

  const datesPage = async (req: express.Request, res: express.Response, a: Audience, errors?: FormErrors) => {
    const { up, dp, user } = await uploadFor(req, a);
    if (up.status !== 'needs_date_order') return res.redirect(303, uploadPath(a, up.id));
    const bytes = await bytesOf(up.id);
    await audit(db, user, { action: 'view', entityType: 'statement-upload-dates', entityId: up.id, personId: dp.person_id }, req.ip);
    const examples = [...decodeStatement(bytes).text.matchAll(/^D(.+)$/gm)].slice(0, 3).map((m) => m[1]!.trim());
    res.status(errors ? 400 : 200).render('statements/views/dates.njk', { pageTitle: res.locals.t('statements:dates.title'), up, dp, examples, errors, backLink: dpPath(a, dp.id) });
  };

  const saveDates = (a: Audience) => async (req: express.Request, res: express.Response) => {
    const { up, dp } = await uploadFor(req, a);
    if (up.status !== 'needs_date_order') return res.redirect(303, uploadPath(a, up.id));
    const parsed = parseForm(z.object({ dateOrder: z.enum(['dmy', 'mdy'], { error: res.locals.t('statements:dates.error') }) }), req.body);
    if (!parsed.ok) return datesPage(req, res, a, parsed.errors);
    // Only the request that moves the upload on starts its import (a double click starts one).
    const claimed = await db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('statement_uploads').set({ date_order: parsed.data.dateOrder, status: 'importing', lines_done: 0 }).where('id', '=', up.id).where('status', '=', 'needs_date_order').executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await audit(trx, userOf(req), { action: 'update', entityType: 'statement-upload', entityId: up.id, personId: dp.person_id, details: { dateOrder: parsed.data.dateOrder } }, req.ip);
      return true;
    });
    if (claimed) void startImport(services, up.id, userOf(req), dp.person_id, req.ip);
    await settle(req, res, a, up.id, dp);
  };

  const shapeOf = async (uploadId: string) => csvShape(decodeStatement(await bytesOf(uploadId)).text.replace(/^\uFEFF/, ''));
  const bytesOf = async (uploadId: string) => {
    const row = await db.selectFrom('statement_uploads').select('bytes').where('id', '=', uploadId).executeTakeFirst();
    if (!row?.bytes) notFound();
    return row.bytes;
  };

  for (const a of ['own', 'staff'] as const) {
    const see = a === 'own' ? own : staff;
    const dpRoute = a === 'own' ? '/my/direct-payments/:dpId/statements' : '/direct-payments/:directPaymentId/statements';
    const upRoute = a === 'own' ? '/my/statement-uploads/:uploadId' : '/statement-uploads/:uploadId';
    router.get(dpRoute, see, (req, res) => overview(a)(req, res));
    router.post(dpRoute, see, upload, receive(a));
    router.get(upRoute, see, upload, progress(a));
    router.get(`${upRoute}/columns`, see, upload, (req, res) => columnsPage(req, res, a));
    router.post(`${upRoute}/columns`, see, upload, saveColumns(a));
    router.get(`${upRoute}/dates`, see, upload, (req, res) => datesPage(req, res, a));
    router.post(`${upRoute}/dates`, see, upload, saveDates(a));
  }

  // ---- The person explains what the service could not match ----
  router.get('/my/direct-payments/:dpId/statements/to-explain', own, async (req, res) => {
    const user = userOf(req);
    const page = await db.transaction().execute(async (trx) => {
      const dp = await dpFor(trx, user, param(req, 'dpId'), 'own');
      const lines = await unmatchedLines(trx, dp.id, 200);
      await audit(trx, user, { action: 'view', entityType: 'statement-lines', entityId: dp.id, personId: dp.person_id, details: { unmatched: lines.length } }, req.ip);
      return { dp, lines };
    });
    res.render('statements/views/to-explain.njk', {
      pageTitle: res.locals.t('statements:toExplain.title'),
      ...page,
      isRepresentative: user.role === 'representative',
      backLink: dpPath('own', page.dp.id),
    });
  });

  const linePage = async (req: express.Request, res: express.Response, errors?: FormErrors, values?: Record<string, unknown>) => {
    const user = userOf(req);
    const page = await db.transaction().execute(async (trx) => {
      const { line, dp } = await lineFor(trx, user, param(req, 'lineId'));
      const suggestions = await suggestionsFor(trx, line);
      await audit(trx, user, { action: 'view', entityType: 'statement-line', entityId: line.id, personId: dp.person_id }, req.ip);
      return { line, dp, suggestions };
    });
    res.status(errors ? 400 : 200).render('statements/views/line.njk', {
      pageTitle: res.locals.t('statements:line.title'),
      ...page,
      amountText: formatPounds(Math.abs(page.line.amount_pence)),
      isRepresentative: user.role === 'representative',
      values: values ?? { explanation: page.line.explanation ?? '' },
      errors,
      backLink: `${dpPath('own', page.dp.id)}/to-explain`,
    });
  };

  const lineFor = async (trx: Db, user: CurrentUser, lineId: string) => {
    if (!isUuid(lineId)) notFound();
    const line = await lineById(trx, lineId);
    if (!line) notFound();
    const dp = await dpFor(trx, user, line.direct_payment_id, 'own');
    return { line, dp };
  };

  router.get('/my/statement-lines/:lineId', own, (req, res) => linePage(req, res));

  router.post('/my/statement-lines/:lineId', own, async (req, res) => {
    const user = userOf(req);
    const t = res.locals.t;
    const lineId = param(req, 'lineId');
    const { line, dp } = await lineFor(db, user, lineId);
    const back = `${dpPath('own', dp.id)}/to-explain`;
    if (typeof req.body?.spendingId === 'string' && req.body.spendingId !== '') {
      if (!isUuid(req.body.spendingId)) notFound();
      await db.transaction().execute(async (trx) => {
      await matchLineToSpending(trx, { lineId: line.id, directPaymentId: dp.id, spendingId: req.body.spendingId, personId: dp.person_id, user, ip: req.ip, backTo: `/my/statement-lines/${line.id}` });
      await refreshFlagsFor(trx, dp.id, { today: services.clock.today() });
    });
      return flashThenRedirect(req, res, { title: t('statements:line.saved') }, back);
    }
    const schema = z.object({
      explanation: z.preprocess(
        (v) => (typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : ''),
        z.string().min(1, { error: t('statements:line.errors.empty') }).max(500, { error: t('statements:line.errors.tooLong') }),
      ),
    });
    const parsed = parseForm(schema, req.body);
    if (!parsed.ok) return linePage(req, res, parsed.errors, req.body ?? {});
    await db.transaction().execute(async (trx) => {
      await explainLine(trx, { lineId: line.id, personId: dp.person_id, explanation: parsed.data.explanation, user, ip: req.ip });
      // An explained line is no longer unexplained spending: the stored monitoring flags follow.
      await refreshFlagsFor(trx, dp.id, { today: services.clock.today() });
    });
    await flashThenRedirect(req, res, { title: t('statements:line.saved') }, back);
  });

  return router;
}

/** A stored problem in the page's language: "We could not import x.csv. Line 3: …". */
export function describeProblem(t: Translate, stored: string | null, fileName: string): string {
  const p = problemOf(stored);
  if (!p) return t('statements:problems.unexpected');
  const text = t(`statements:problems.${p.code}`, p.vars);
  const where = p.line === null ? text : t('statements:problems.onLine', { line: p.line, problem: text });
  return t('statements:problems.frame', { file: fileName, problem: where });
}

export { StatementError };
