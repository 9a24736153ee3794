import { ascof3d, ascofPeriod, type AscofPart } from '../../domain/ascof.ts';
import { formatDate } from '../../domain/dates.ts';
import { reportCouncil } from '../../features/reports/council.ts';
import { cldData } from '../../features/reports/cld-records.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

export const reportsAscof: Command = {
  name: ['reports', 'ascof'],
  summary: 'ASCOF 3D: self-directed support and direct payments at 31 March of a year',
  usage: '--year YYYY [--json] [--council <code>]',
  help: [
    'Counts, from the same rows as the Client Level Data return for 1 April (the year before) to 31 March:',
    '  part 1a  adults on long-term community support on 31 March who have self-directed support',
    '  part 2a  … who have a direct payment',
    '  part 1b  carers who had carer-specific support in the year and had it self-directed',
    '  part 2b  … as a direct payment',
    'Each with its numerator and denominator. --json prints them as JSON.',
    'Example: dp reports ascof --year 2026',
  ].join('\n'),
  options: { year: { type: 'string' }, json: { type: 'boolean' }, council: { type: 'string' } },
  async run({ values }, ctx) {
    const year = Number(values.year);
    if (typeof values.year !== 'string' || !/^\d{4}$/.test(values.year) || year < 2000 || year > 2100) throw new UsageError('--year must be a year, like 2026');
    const result = await ctx.withServices(async ({ db }) => {
      const council = await reportCouncil(db, typeof values.council === 'string' ? values.council : undefined);
      if (!council.ok) throw new CommandFailed(council.problem);
      const data = await cldData(db, council.id, ascofPeriod(year));
      return { council: council.name, measure: ascof3d(data.records.map((r) => r.row), year) };
    });
    const m = result.measure;
    if (values.json) {
      ctx.out(JSON.stringify({ council: result.council, year, ...m }, null, 2));
      return;
    }
    const line = (label: string, p: AscofPart) => `  ${label.padEnd(44)} ${p.value === null ? 'n/a' : `${p.value.toFixed(1)}%`.padStart(6)}  (${p.numerator} of ${p.denominator})`;
    ctx.out([
      `ASCOF 3D for ${result.council}, at ${formatDate(m.snapshot)}`,
      line('1a  adults: self-directed support', m.part1a),
      line('2a  adults: direct payments', m.part2a),
      line('1b  carers: self-directed support', m.part1b),
      line('2b  carers: direct payments', m.part2b),
    ].join('\n'));
  },
};
