import express from 'express';
import type { Services } from '../../platform/services.ts';
import { fieldError, type FormErrors } from '../../platform/http/validation.ts';
import { requireCapability, userOf } from '../../platform/http/auth.ts';
import { flashThenRedirect } from '../../platform/http/flash.ts';
import type { UploadProblem } from '../../platform/http/uploads.ts';
import { holidaysKnownUntil } from '../payments/holidays.ts';
import { readGovUkBankHolidays } from './gov-uk-file.ts';
import { describeImport, importHolidays } from './import-holidays.ts';
import { lastImport, upcomingHolidays } from './queries.ts';
import { addMonths } from '../../domain/dates.ts';

const UPLOAD_PROBLEMS: Record<UploadProblem, string> = {
  'too-large': 'The selected file must be smaller than 1 MB',
  unreadable: 'The selected file could not be uploaded. Try again',
};

/** Administrators keep the England and Wales bank holidays up to date, which move Bacs payment dates. */
export function bankHolidaysRoutes(services: Services): express.Router {
  const router = express.Router();
  const { db, clock } = services;
  const manage = requireCapability('holidays:manage');

  const render = async (req: express.Request, res: express.Response, errors?: FormErrors) => {
    const today = clock.today();
    const [holidays, knownUntil, last] = await Promise.all([upcomingHolidays(db, today), holidaysKnownUntil(db), lastImport(db, userOf(req))]);
    res.status(errors ? 400 : 200).render('bank-holidays/views/bank-holidays.njk', {
      pageTitle: 'Bank holidays',
      holidays,
      knownUntil,
      // GOV.UK publishes the next year's dates well ahead; under a year left means it is time to import.
      runningOut: !knownUntil || knownUntil < addMonths(today, 12),
      last,
      errors,
    });
  };

  router.get('/admin/bank-holidays', manage, (req, res) => render(req, res));

  router.post('/admin/bank-holidays', manage, async (req, res) => {
    const problem = res.locals.uploadProblem as UploadProblem | undefined;
    if (problem) return render(req, res, fieldError('file', UPLOAD_PROBLEMS[problem]));
    if (!req.file || req.file.size === 0) return render(req, res, fieldError('file', req.file ? 'The selected file is empty' : 'Select the bank-holidays.json file from GOV.UK'));
    const file = readGovUkBankHolidays(req.file.buffer);
    if (!file.ok) return render(req, res, fieldError('file', file.problem));
    const result = await importHolidays(db, file.holidays, userOf(req), { ip: req.ip, via: 'web', fileName: req.file.originalname.slice(0, 200) });
    await flashThenRedirect(req, res, { title: 'Bank holidays imported', text: describeImport(result) }, '/admin/bank-holidays');
  });

  return router;
}
