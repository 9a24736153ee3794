import path from 'node:path';
import { isCalendarDate } from '../../domain/dates.ts';
import { reportCouncil } from '../../features/reports/council.ts';
import { auditExport, checkCld, cldCsv, problemsCsv, problemsText, writeCsvFile } from '../../features/reports/cld-export.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

export const reportsCld: Command = {
  name: ['reports', 'cld'],
  summary: 'Write the Client Level Data return (England) for a period as CSV, after checking every row',
  usage: '--from YYYY-MM-DD --to YYYY-MM-DD --out <file.csv> [--council <code>] [--with-problems]',
  help: [
    'Builds one row per event in the period (every direct payment as a Service event, conversations as',
    'Assessments, completed reviews as Reviews, extra reviews asked for as Requests), with the column names and',
    'Release 2 values DHSC expects, and checks each row against the mandatory rules and the defined lists.',
    '',
    'If any mandatory field is missing or invalid, nothing is written: the report lists every problem by person',
    'and event, and the command exits 1. Fix the records (or add a value to a list), then run it again.',
    'With --with-problems the file is written anyway, every row included, and the report is written beside it',
    'as <file>-problems.csv. No row is ever left out; children (not part of the adult return) are counted.',
    '',
    '--council is needed only when the database holds more than one English council.',
    'Example: dp reports cld --from 2026-04-01 --to 2026-06-30 --out cld-2026-q1.csv',
  ].join('\n'),
  options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, council: { type: 'string' }, 'with-problems': { type: 'boolean' } },
  async run({ values }, ctx) {
    const from = values.from, to = values.to, out = values.out;
    if (typeof from !== 'string' || !isCalendarDate(from)) throw new UsageError('--from must be a date, YYYY-MM-DD');
    if (typeof to !== 'string' || !isCalendarDate(to)) throw new UsageError('--to must be a date, YYYY-MM-DD');
    if (to < from) throw new UsageError('--to must be on or after --from');
    if (typeof out !== 'string' || !out) throw new UsageError('--out is missing');
    const file = path.resolve(out);
    const withProblems = values['with-problems'] === true;
    const result = await ctx.withServices(async ({ db }) => {
      const council = await reportCouncil(db, typeof values.council === 'string' ? values.council : undefined);
      if (!council.ok) throw new CommandFailed(council.problem);
      const check = await checkCld(db, council.id, { from, to });
      if (check.problems.length && !withProblems) return { check, written: false };
      await auditExport(db, null, check, 'cli');
      writeCsvFile(file, cldCsv(check));
      if (check.problems.length) writeCsvFile(problemsFile(file), problemsCsv(check));
      return { check, written: true };
    });
    const { check } = result;
    const counts = Object.entries(check.byEventType).map(([k, n]) => `${n} ${k.toLowerCase()}${n === 1 ? '' : 's'}`).join(', ');
    const children = check.childrenLeftOut ? ` ${check.childrenLeftOut} child${check.childrenLeftOut === 1 ? '' : 'ren'} left out: children are not part of the adult return.` : '';
    if (!result.written) {
      throw new CommandFailed(
        `Nothing written: ${check.problems.length} problem${check.problems.length === 1 ? '' : 's'} in ${check.rowsWithProblems} of ${check.records.length} rows (${counts}).${children}\n` +
          `${problemsText(check)}\nFix these records, or run again with --with-problems to write the file and the report anyway.`,
      );
    }
    ctx.out(`Wrote ${check.records.length} row${check.records.length === 1 ? '' : 's'} to ${file} (${counts}).${children}`);
    if (check.problems.length) ctx.out(`${check.problems.length} problem${check.problems.length === 1 ? '' : 's'} in ${check.rowsWithProblems} rows: see ${problemsFile(file)}.`);
  },
};

function problemsFile(file: string): string {
  return file.replace(/(\.csv)?$/i, '-problems.csv');
}
