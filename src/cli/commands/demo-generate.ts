import { generateCouncil } from '../../demo/generate.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

export const demoGenerate: Command = {
  name: ['demo', 'generate'],
  summary: 'Add a national-scale generated council (people on direct payments, five years of history) for benchmarks',
  usage: '--people N [--years Y] [--payment-months M] [--code CODE]',
  help: [
    'Adds one English council with N people on direct payments and as many again on council-arranged support,',
    'written set-based in one database transaction: conversations, plans, direct payments started over Y years',
    '(default 5), business cases for one-off payments, reviews on England’s schedule, and the last M months',
    '(default 12) of payments posted through the ledger, so `dp ledger verify` holds. Staff sign in as',
    '<code>-manager, <code>-finance and <code>-practitioner with the demo password. Demo mode only.',
    'Example: dp demo generate --people 120000',
  ].join('\n'),
  options: { people: { type: 'string' }, years: { type: 'string' }, 'payment-months': { type: 'string' }, code: { type: 'string' } },
  async run({ values }, ctx) {
    const int = (v: unknown, name: string, min: number, max: number, fallback?: number): number => {
      if (v === undefined && fallback !== undefined) return fallback;
      const n = Number(v);
      if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`${name} must be a whole number from ${min} to ${max}`);
      return n;
    };
    const people = int(values.people, '--people', 1, 1_000_000);
    const years = int(values.years, '--years', 1, 20, 5);
    const paymentMonths = int(values['payment-months'], '--payment-months', 0, 120, 12);
    const code = typeof values.code === 'string' ? values.code.toUpperCase() : undefined;
    if (code !== undefined && !/^[A-Z0-9-]{2,20}$/.test(code)) throw new UsageError('--code must be 2 to 20 letters, digits or dashes');
    const r = await ctx.withServices(async (services) => {
      if (!services.config.demoMode) throw new CommandFailed('Generating data is for demo mode only: set DEMO_MODE=true on a database you can throw away');
      const taken = await services.db.selectFrom('councils').select('id').where('code', '=', code ?? `GEN${people}`).executeTakeFirst();
      if (taken) throw new CommandFailed(`There is already a council with the code ${code ?? `GEN${people}`}: choose another with --code`);
      return generateCouncil(services.db, { people, years, paymentMonths, code, today: services.clock.today() });
    });
    ctx.out(`Generated ${r.code}: ${r.people.toLocaleString('en-GB')} people, ${r.directPayments.toLocaleString('en-GB')} direct payments, ${r.payments.toLocaleString('en-GB')} payments, ${r.reviews.toLocaleString('en-GB')} reviews, ${r.conversations.toLocaleString('en-GB')} conversations in ${(r.ms / 1000).toFixed(1)} s.`);
    ctx.out(`Sign in as ${r.usernames.manager} or ${r.usernames.finance} (demo password).`);
  },
};
