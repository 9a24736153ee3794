import { isCalendarDate } from '../../domain/dates.ts';
import { LEVEL_NAMES } from '../../domain/monitoring.ts';
import { audit } from '../../platform/audit.ts';
import { worklist } from '../../features/monitoring/queries.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

export const monitoringFlags: Command = {
  name: ['monitoring', 'flags'],
  summary: 'List the direct payments the monitoring rules flag today, with the reason for each flag',
  usage: '[--json] [--council <code>] [--date YYYY-MM-DD]',
  help: [
    'Applies each council’s monitoring rules (set at /monitoring/settings) to every direct payment being paid,',
    'and lists only the flagged ones: the direct payment’s reference, its level (medium or high) and, for each',
    'flag, the rule and its one-sentence reason. Direct payments no rule flags are low risk and not listed.',
    '',
    'With --json it prints one JSON array of flags: council, directPaymentId, reference, level (the direct',
    'payment’s), rule, flagLevel, reason and evidence. --council limits it to one council; --date applies the rules',
    'as on another day. Names are left out: look a reference up in the service.',
    'Exit codes: 0 listed (even when nothing is flagged), 1 failed, 2 bad arguments.',
    'Example: dp monitoring flags --council EASTMOOR --json > flags.json',
  ].join('\n'),
  options: { json: { type: 'boolean' }, council: { type: 'string' }, date: { type: 'string' } },
  async run({ values }, ctx) {
    const date = typeof values.date === 'string' ? values.date : undefined;
    if (date !== undefined && !isCalendarDate(date)) throw new UsageError('--date must be a date, YYYY-MM-DD');
    const result = await ctx.withServices(async ({ db, clock }) => {
      const today = date ?? clock.today();
      let councils = db.selectFrom('councils').select(['id', 'code', 'name']).orderBy('code');
      if (typeof values.council === 'string') councils = councils.where('code', '=', values.council.toUpperCase());
      const list = await councils.execute();
      if (typeof values.council === 'string' && !list.length) throw new CommandFailed(`There is no council with the code ${values.council}`);
      const out = [];
      for (const council of list) out.push({ council, entries: await worklist(db, council.id, { today }) });
      const count = out.reduce((n, c) => n + c.entries.length, 0);
      await audit(db, null, { action: 'view', entityType: 'monitoring-flags', details: { via: 'dp monitoring flags', today, directPayments: count } });
      return { today, out };
    });
    if (values.json) {
      ctx.out(JSON.stringify(result.out.flatMap(({ council, entries }) => entries.flatMap((e) => e.flags.map((f) => ({
        council: council.code, directPaymentId: e.directPaymentId, reference: e.reference, level: e.level, rule: f.rule, flagLevel: f.level, reason: f.reason, evidence: f.evidence,
      })))), null, 2));
      return;
    }
    for (const { council, entries } of result.out) {
      ctx.out(`${council.name} (${council.code}), ${result.today}: ${entries.length} direct payment${entries.length === 1 ? '' : 's'} flagged`);
      for (const e of entries) {
        ctx.out(`  ${e.reference}  ${LEVEL_NAMES[e.level]}`);
        for (const f of e.flags) ctx.out(`    - ${f.rule}: ${f.reason}`);
      }
    }
  },
};
