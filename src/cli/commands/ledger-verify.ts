import { verifyLedger } from '../../features/payments/ledger.ts';
import { CommandFailed, type Command } from '../command.ts';

export const ledgerVerify: Command = {
  name: ['ledger', 'verify'],
  summary: 'Check every rule of the ledger: balanced, append-only, and agreeing with every payment',
  usage: '',
  help: [
    'Checks that every transaction balances with two or more postings; the append-only and balance',
    'triggers are in place; reversals are exact; no posting crosses councils; each payment run line and',
    'each payment has exactly the postings its state needs (so nothing is paid twice); and the money in',
    'transit and in each direct payment’s account agrees with the payments.',
    'Exit codes: 0 all hold, 1 with a report of what does not.',
  ].join('\n'),
  async run(_args, ctx) {
    const problems = await ctx.withServices((services) => verifyLedger(services.db));
    if (problems.length) throw new CommandFailed(`The ledger breaks ${problems.length} rule${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    ctx.out('The ledger holds: every rule checked.');
  },
};
