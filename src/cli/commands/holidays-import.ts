import fs from 'node:fs/promises';
import path from 'node:path';
import { MAX_FILE_BYTES, readGovUkBankHolidays } from '../../features/bank-holidays/gov-uk-file.ts';
import { describeImport, importHolidays } from '../../features/bank-holidays/import-holidays.ts';
import { CommandFailed, type Command } from '../command.ts';

export const holidaysImport: Command = {
  name: ['holidays', 'import'],
  summary: 'Import England and Wales bank holidays from GOV.UK’s bank-holidays.json',
  usage: '<file>',
  help: [
    'Reads a copy of https://www.gov.uk/bank-holidays.json and adds its England and Wales dates to',
    'the Bacs calendar, updating any changed titles. Scotland and Northern Ireland are ignored. A file',
    'with anything wrong is refused whole. Importing the same file again changes nothing.',
    'Exit codes: 0 imported, 1 the file could not be read or was refused, 2 bad arguments.',
    'Example: dp holidays import ~/Downloads/bank-holidays.json',
  ].join('\n'),
  positionals: { min: 1, max: 1 },
  async run({ positionals }, ctx) {
    const file = path.resolve(positionals[0]!);
    let bytes: Buffer;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) throw new CommandFailed(`${file} is not a file`);
      // The web page takes at most 1 MB; so does this, rather than reading any size into memory.
      if (stat.size > MAX_FILE_BYTES) throw new CommandFailed(`${file} is larger than 1 MB, so it is not GOV.UK’s bank holidays file. Nothing was imported.`);
      bytes = await fs.readFile(file);
    } catch (err) {
      if (err instanceof CommandFailed) throw err;
      throw new CommandFailed(`Could not read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (err as Error).message}`);
    }
    const read = readGovUkBankHolidays(bytes);
    if (!read.ok) throw new CommandFailed(`${read.problem.replace('The selected file', 'The file')}. Nothing was imported.`);
    const result = await ctx.withServices((services) => importHolidays(services.db, read.holidays, null, { via: 'dp holidays import', fileName: path.basename(file) }));
    ctx.out(`Imported England and Wales bank holidays: ${describeImport(result)}`);
  },
};
