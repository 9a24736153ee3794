import { MarkPaidRefused, requestMarkPaid } from '../../features/payment-runs/mark-paid.ts';
import { continueRun } from '../../features/payment-runs/run-work.ts';
import { CommandFailed, type Command } from '../command.ts';
import { actingAs, runById } from './payments-shared.ts';

export const paymentsPaid: Command = {
  name: ['payments', 'paid'],
  summary: 'Mark a payment run as paid once the bank confirms it: the money shows as arrived',
  usage: '<run> [--as <username>]',
  help: 'After a crash, running it again carries on from where it stopped.\nExample: dp payments paid 6f1c…-… --as finance',
  options: { as: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values }, ctx) {
    await ctx.withServices(async (services) => {
      const user = values.as === undefined ? null : await actingAs(services, values.as, 'payments:manage', 'mark payment runs as paid');
      const run = await runById(services, positionals[0]!);
      try {
        const outcome = await requestMarkPaid(services.db, { runId: run.id, user });
        const work = await continueRun(services.db, run.id, services.clock.today());
        ctx.out(outcome === 'marked' ? 'Marked as paid.' : 'This run had already been marked as paid.');
        ctx.out(work === 'busy' ? 'Someone else is moving its payments into people’s accounts now.' : 'Every payment has arrived in its account.');
      } catch (err) {
        if (err instanceof MarkPaidRefused) throw new CommandFailed(err.message);
        throw err;
      }
    });
  },
};
