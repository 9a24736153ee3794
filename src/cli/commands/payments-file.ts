import fs from 'node:fs/promises';
import path from 'node:path';
import { FileRefused, FILE_FORMATS, runFile } from '../../features/payment-runs/bacs-file.ts';
import type { Standard18Format } from '../../domain/bacs-standard18.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';
import { runById } from './payments-shared.ts';

export const paymentsFile: Command = {
  name: ['payments', 'file'],
  summary: 'Write an approved payment run’s Bacs Standard 18 file',
  usage: '<run> --out <path> [--format std18|std18-data]',
  help: [
    'std18 (the default) is the whole file with its labels; std18-data is the payment records only,',
    'for bureau software that adds its own labels. The same run always gives the same bytes.',
    'Example: dp payments file 6f1c…-… --out bacs.txt',
  ].join('\n'),
  options: { out: { type: 'string' }, format: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values }, ctx) {
    if (typeof values.out !== 'string' || !values.out) throw new UsageError('--out is missing');
    const format = (values.format ?? 'std18') as Standard18Format;
    if (!(format in FILE_FORMATS)) throw new UsageError(`--format must be std18 or std18-data, not "${String(values.format)}"`);
    const out = path.resolve(values.out);
    await ctx.withServices(async (services) => {
      const run = await runById(services, positionals[0]!);
      try {
        const file = await runFile(services.db, { runId: run.id, format, user: null });
        // Written beside the target and renamed, so a crash never leaves half a file under its name.
        const partial = `${out}.partial`;
        await fs.writeFile(partial, file.bytes);
        await fs.rename(partial, out);
        ctx.out(`Wrote ${file.bytes.length} bytes to ${out} (${FILE_FORMATS[format]}).`);
      } catch (err) {
        if (err instanceof FileRefused) throw new CommandFailed(err.message);
        throw err;
      }
    });
  },
};
