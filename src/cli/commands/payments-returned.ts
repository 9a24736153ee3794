import { RETURN_REASONS, recordReturn, ReturnRefused, type ReturnReason } from '../../features/payment-runs/record-return.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';
import { actingAs, runById } from './payments-shared.ts';

export const paymentsReturned: Command = {
  name: ['payments', 'returned'],
  summary: 'Record that the bank sent a payment of a run back: its money is reversed, once',
  usage: '<run> <line> [--reason <reason>] [--as <username>]',
  help: [
    '<line> is the payment’s number in the run. The payment goes back on the list for the next run.',
    `Reasons: ${Object.keys(RETURN_REASONS).join(', ')} (other if not given).`,
    'Example: dp payments returned 6f1c…-… 12 --reason account_closed',
  ].join('\n'),
  options: { reason: { type: 'string' }, as: { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run({ positionals, values }, ctx) {
    const line = positionals[1]!;
    if (!/^\d{1,9}$/.test(line)) throw new UsageError(`<line> must be the payment’s number in the run, not "${line}"`);
    const reason = (values.reason ?? 'other') as ReturnReason;
    if (!(reason in RETURN_REASONS)) throw new UsageError(`--reason must be one of ${Object.keys(RETURN_REASONS).join(', ')}`);
    await ctx.withServices(async (services) => {
      const user = values.as === undefined ? null : await actingAs(services, values.as, 'payments:manage', 'record returned payments');
      const run = await runById(services, positionals[0]!);
      try {
        const outcome = await recordReturn(services.db, { runId: run.id, lineNumber: Number(line), reason, user, today: services.clock.today() });
        ctx.out(outcome === 'returned'
          ? `Payment ${line} recorded as returned (${RETURN_REASONS[reason].toLowerCase()}). Its money is back in the budget and it will be paid by the next run.`
          : `Payment ${line} had already been recorded as returned. Nothing changed.`);
      } catch (err) {
        if (err instanceof ReturnRefused) throw new CommandFailed(err.message);
        throw err;
      }
    });
  },
};
