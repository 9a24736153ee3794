import { isCalendarDate } from '../../domain/dates.ts';
import { LEVEL_NAMES } from '../../domain/monitoring.ts';
import { audit } from '../../platform/audit.ts';
import { worklist } from '../../features/monitoring/queries.ts';
import { asAtText, ensureSnapshot, refreshCouncilFlags, storedWorklist } from '../../features/monitoring/snapshot.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

export const monitoringFlags: Command = {
  name: ['monitoring', 'flags'],
  summary: 'List the direct payments the monitoring rules flag today, with the reason for each flag',
  usage: '[--json] [--council <code>] [--now] [--date YYYY-MM-DD]',
  help: [
    'Applies each council’s monitoring rules (set at /monitoring/settings) to every direct payment being paid,',
    'and lists only the flagged ones: the direct payment’s reference, its level (medium or high) and, for each',
    'flag, the rule and its one-sentence reason. Direct payments no rule flags are low risk and not listed.',
    '',
    'It reads the stored flags (worked out every hour by the job monitoring.refresh-flags, and at once for a',
    'direct payment when a concern is recorded) and says when they were worked out ("as at"); a council whose',
    'flags were never worked out is worked out first. --now works them out again first (and stores them);',
    '--date applies the rules as on another day, live, and stores nothing.',
    '',
    'With --json it prints one JSON array of flags: council, directPaymentId, reference, level (the direct',
    'payment’s), rule, flagLevel, reason and evidence. --council limits it to one council; --date applies the rules',
    'as on another day. Names are left out: look a reference up in the service.',
    'Exit codes: 0 listed (even when nothing is flagged), 1 failed, 2 bad arguments.',
    'Example: dp monitoring flags --council EASTMOOR --json > flags.json',
  ].join('\n'),
  options: { json: { type: 'boolean' }, council: { type: 'string' }, date: { type: 'string' }, now: { type: 'boolean' } },
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
      const live = date !== undefined && date !== clock.today();
      for (const council of list) {
        if (live) {
          out.push({ council, asAt: null, entries: await worklist(db, council.id, { today }) });
          continue;
        }
        const snapshot = values.now ? await refreshCouncilFlags(db, council.id, { today }) : await ensureSnapshot(db, council.id, { today });
        out.push({ council, asAt: snapshot.evaluatedAt, entries: (await storedWorklist(db, council.id)).entries });
      }
      const count = out.reduce((n, c) => n + c.entries.length, 0);
      await audit(db, null, { action: 'view', entityType: 'monitoring-flags', details: { via: 'dp monitoring flags', today, directPayments: count } });
      return { today, out };
    });
    if (values.json) {
      ctx.out(JSON.stringify(result.out.flatMap(({ council, asAt, entries }) => entries.flatMap((e) => e.flags.map((f) => ({
        council: council.code, asAt: asAt?.toISOString() ?? null, directPaymentId: e.directPaymentId, reference: e.reference, level: e.level, rule: f.rule, flagLevel: f.level, reason: f.reason, evidence: f.evidence,
      })))), null, 2));
      return;
    }
    for (const { council, asAt, entries } of result.out) {
      const when = asAt ? `${result.today}, as at ${asAtText(asAt)}` : `${result.today} (worked out now)`;
      ctx.out(`${council.name} (${council.code}), ${when}: ${entries.length} direct payment${entries.length === 1 ? '' : 's'} flagged`);
      for (const e of entries) {
        ctx.out(`  ${e.reference}  ${LEVEL_NAMES[e.level]}`);
        for (const f of e.flags) ctx.out(`    - ${f.rule}: ${f.reason}`);
      }
    }
  },
};
