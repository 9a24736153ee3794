import path from 'node:path';
import { exportLedger } from '../../features/payments/ledger-export.ts';
import { UsageError, type Command } from '../command.ts';

export const ledgerExport: Command = {
  name: ['ledger', 'export'],
  summary: 'Write every ledger posting to a CSV file',
  usage: '--out <file.csv>',
  help: 'One row per posting, oldest first, with its transaction and account; debit and credit in pounds.\nExample: dp ledger export --out ledger.csv',
  options: { out: { type: 'string' } },
  async run({ values }, ctx) {
    if (typeof values.out !== 'string' || !values.out) throw new UsageError('--out is missing');
    const out = path.resolve(values.out);
    const rows = await ctx.withServices((services) => exportLedger(services.db, out));
    ctx.out(`Wrote ${rows} posting${rows === 1 ? '' : 's'} to ${out}.`);
  },
};
