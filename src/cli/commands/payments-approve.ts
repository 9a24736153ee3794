import { ApprovalRefused, recordApproval } from '../../features/payment-runs/approve-run.ts';
import { continueRun } from '../../features/payment-runs/run-work.ts';
import { CommandFailed, type Command } from '../command.ts';
import { actingAs, describeRun, runById } from './payments-shared.ts';

export const paymentsApprove: Command = {
  name: ['payments', 'approve'],
  summary: 'Approve a payment run (not by the person who created it) and send it through the ledger',
  usage: '<run> --as <username>',
  help: [
    'Records the approval and fixes what the Bacs file will say, then sends each payment through the',
    'ledger (budget to in transit). Approving twice changes nothing; after a crash, running it again',
    'carries on from where it stopped.',
    'Example: dp payments approve 6f1c…-… --as manager',
  ].join('\n'),
  options: { as: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values }, ctx) {
    await ctx.withServices(async (services) => {
      const user = await actingAs(services, values.as, 'payments:approve', 'approve payment runs');
      const run = await runById(services, positionals[0]!);
      if (run.council_id !== user.councilId) throw new CommandFailed(`${user.username} works for another council and cannot approve this run.`);
      try {
        const outcome = await recordApproval(services.db, { runId: run.id, user, today: services.clock.today() });
        const work = await continueRun(services.db, run.id, services.clock.today());
        ctx.out(describeRun(run));
        ctx.out(outcome === 'approved' ? `Approved by ${user.displayName}.` : 'This run had already been approved.');
        ctx.out(work === 'busy' ? 'Someone else is sending its payments through the ledger now.' : 'Every payment has been sent through the ledger. Next: dp payments file.');
      } catch (err) {
        if (err instanceof ApprovalRefused) throw new CommandFailed(err.message);
        throw err;
      }
    });
  },
};
