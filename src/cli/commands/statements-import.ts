import fs from 'node:fs/promises';
import path from 'node:path';
import { CommandFailed, UsageError, type Command } from '../command.ts';
import { FORMATS, PRESETS, readStatement, StatementError, type ColumnMapping, type DateOrder, type PresetId, type StatementFormat } from '../../domain/statements/index.ts';
import { importStatement } from '../../features/statements/import-statement.ts';

/** Larger than the web page's 50 MB: an operator may load years of a busy account at once. */
const MAX_CLI_BYTES = 250 * 1024 * 1024;

export const statementsImport: Command = {
  name: ['statements', 'import'],
  summary: 'Import a bank statement into a direct payment’s account (CSV, OFX, QIF or camt.053)',
  usage: '<direct-payment-reference> <file> [--format auto|csv|ofx|qif|camt053] [--preset <bank>] [--date-order dmy|mdy]',
  help: [
    'Reads a statement of the direct payment’s own account and stores its lines, all or none: a file',
    'with anything wrong is refused whole, naming the line. Lines already imported (the same file',
    'again, or an overlapping statement) are recognised and not added twice. New lines are matched',
    'to the council’s payments and to the spending the person recorded.',
    `  --format      what the file is (default auto: found from its content). One of auto, ${FORMATS.join(', ')}`,
    `  --preset      a CSV layout: ${PRESETS.join(', ')} (default: found from the heading row; a layout`,
    '                mapped on the web page for this direct payment is used too)',
    '  --date-order  QIF only: dmy (UK, day first) or mdy (US, month first), asked when the dates read both ways',
    'Prints the lines read, added and already present.',
    'Exit codes: 0 imported, 1 the file was refused (nothing imported), 2 bad arguments.',
    'Example: dp statements import DP-000123 ~/Downloads/statement.csv',
  ].join('\n'),
  options: { format: { type: 'string' }, preset: { type: 'string' }, 'date-order': { type: 'string' } },
  positionals: { min: 2, max: 2 },
  async run({ positionals, values }, ctx) {
    const [reference, fileArg] = positionals as [string, string];
    const format = (values.format as string | undefined) ?? 'auto';
    if (format !== 'auto' && !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be auto, ${FORMATS.join(', ')}, not "${format}"`);
    const preset = values.preset as string | undefined;
    if (preset !== undefined && !(PRESETS as readonly string[]).includes(preset)) throw new UsageError(`--preset must be one of ${PRESETS.join(', ')}, not "${preset}"`);
    const dateOrder = values['date-order'] as string | undefined;
    if (dateOrder !== undefined && dateOrder !== 'dmy' && dateOrder !== 'mdy') throw new UsageError(`--date-order must be dmy or mdy, not "${dateOrder}"`);
    if (!/^DP-\d{1,12}$/i.test(reference)) throw new UsageError(`"${reference}" is not a direct payment reference (like DP-000123)`);

    const file = path.resolve(fileArg);
    let bytes: Buffer;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) throw new CommandFailed(`${file} is not a file. Nothing was imported.`);
      if (stat.size > MAX_CLI_BYTES) throw new CommandFailed(`${file} is larger than ${MAX_CLI_BYTES / 1024 / 1024} MB. Split the statement into shorter periods. Nothing was imported.`);
      bytes = await fs.readFile(file);
    } catch (err) {
      if (err instanceof CommandFailed) throw err;
      throw new CommandFailed(`Could not read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (err as Error).message}. Nothing was imported.`);
    }

    const result = await ctx.withServices(async ({ db }) => {
      const dp = await db.selectFrom('direct_payments').select(['id', 'person_id', 'reference']).where('reference', '=', reference.toUpperCase()).executeTakeFirst();
      if (!dp) throw new CommandFailed(`There is no direct payment ${reference.toUpperCase()}. Nothing was imported.`);
      const saved = await db.selectFrom('statement_mappings').select(['signature', 'mapping']).where('direct_payment_id', '=', dp.id).execute();
      try {
        const read = readStatement(bytes, {
          format: format as 'auto' | StatementFormat,
          preset: preset as PresetId | undefined,
          dateOrder: dateOrder as DateOrder | undefined,
          mappings: Object.fromEntries(saved.map((m) => [m.signature, m.mapping as unknown as ColumnMapping])),
        });
        if (read.kind === 'needs-date-order') throw new CommandFailed('The dates in this QIF file read both ways (day first or month first). Nothing was imported. Run it again saying which with --date-order dmy or --date-order mdy.');
        if (read.kind === 'needs-mapping') {
          throw new CommandFailed(
            `${path.basename(file)} is a CSV laid out in a way we do not know (headings: ${read.shape.headings.join(', ') || 'none'}). ` +
              `Give --preset <bank> if it is one of ${PRESETS.join(', ')}, or upload it once on the web page to say which column is which; ` +
              'the mapping is then used here too. Nothing was imported.',
          );
        }
        // A long import says how far it has got, every few seconds, when someone is watching.
        let told = Date.now();
        const onProgress = process.stderr.isTTY
          ? (n: number) => {
              if (Date.now() - told < 3000) return;
              told = Date.now();
              ctx.err(`… ${n.toLocaleString('en-GB')} lines read`);
            }
          : undefined;
        return await importStatement(db, { directPaymentId: dp.id, personId: dp.person_id, user: null, via: 'cli', fileName: path.basename(file), format: read.format, preset: read.preset, batches: read.batches, onProgress });
      } catch (err) {
        if (err instanceof StatementError) throw new CommandFailed(`${path.basename(file)} was refused: ${err.message}. Nothing was imported.`);
        throw err;
      }
    });
    ctx.out([`lines read: ${result.linesRead}`, `added: ${result.linesAdded}`, `already present: ${result.alreadyPresent}`, `matched to payments and spending: ${result.matched}`].join('\n'));
  },
};
