import { isCalendarDate } from '../../domain/dates.ts';
import { createPaymentRun, RunRefused } from '../../features/payment-runs/create-run.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';
import { actingAs, describeRun } from './payments-shared.ts';

export const paymentsRun: Command = {
  name: ['payments', 'run'],
  summary: 'Create the payment run for the day money should arrive, or show the one already made',
  usage: '--date YYYY-MM-DD --as <username>',
  help: [
    'Lists every payment due by that day (ongoing payments in advance, one-off payments waiting) and',
    'the exceptions, and fixes them as the run’s lines. Asking again for the same day gives the same run.',
    'Prints the run’s id, how many payments and the total. Another person approves it: dp payments approve.',
    'Exit codes: 0 done, 1 refused (too late for that day, not allowed), 2 bad arguments.',
    'Example: dp payments run --date 2026-11-27 --as finance',
  ].join('\n'),
  options: { date: { type: 'string' }, as: { type: 'string' } },
  async run({ values }, ctx) {
    const wanted = typeof values.date === 'string' ? values.date.trim() : '';
    if (!wanted) throw new UsageError('--date is missing');
    if (!isCalendarDate(wanted)) throw new UsageError(`--date must be a real date written YYYY-MM-DD, not "${wanted}"`);
    await ctx.withServices(async (services) => {
      const user = await actingAs(services, values.as, 'payments:manage', 'create payment runs');
      try {
        const { run, created } = await createPaymentRun(services.db, { user, wanted, today: services.clock.today() });
        ctx.out(describeRun(run));
        ctx.out(created ? 'Created. Next: someone else approves it with dp payments approve.' : 'This run had already been created.');
      } catch (err) {
        if (err instanceof RunRefused) throw new CommandFailed(err.message);
        throw err;
      }
    });
  },
};
