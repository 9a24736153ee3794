import path from 'node:path';
import { importModulusTables, readTableFiles, TablesFolderProblem } from '../../features/bank-details/tables.ts';
import { CommandFailed, type Command } from '../command.ts';

export const bankTablesImport: Command = {
  name: ['bank', 'tables', 'import'],
  summary: 'Import Vocalink’s modulus-checking tables, used to check bank details',
  usage: '<dir> [--version <version>]',
  help: [
    'Reads valacdos.txt and scsubtab.txt, as downloaded from Vocalink, from the folder <dir> and',
    'replaces the tables in use, all at once. The version is taken from a README in the folder when',
    'it states one; name it with --version otherwise. Importing the same files again changes nothing.',
    'Example: dp bank tables import ~/Downloads/vocalink --version "7.70 (25 March 2024)"',
  ].join('\n'),
  options: { version: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run({ positionals, values }, ctx) {
    const dir = path.resolve(positionals[0]!);
    let files;
    try {
      files = await readTableFiles(dir);
    } catch (err) {
      if (err instanceof TablesFolderProblem) throw new CommandFailed(`${err.message}. Nothing was imported.`);
      throw err;
    }
    const outcome = await ctx.withServices(async (services) => {
      try {
        return await importModulusTables(services.db, files, { user: null, label: 'dp bank tables import', version: typeof values.version === 'string' ? values.version : null });
      } catch (err) {
        // A malformed file: say which line, and that the tables in use are untouched.
        if (/^(valacdos|scsubtab)\.txt/.test((err as Error).message)) throw new CommandFailed(`${(err as Error).message}. Nothing was imported; the tables in use are unchanged.`);
        throw err;
      }
    });
    if (!outcome.imported) {
      ctx.out(`These tables are already imported (version ${outcome.version}, checksum ${outcome.checksum}). Nothing changed.`);
      return;
    }
    ctx.out(`Imported Vocalink modulus-checking tables, version ${outcome.version}:`);
    ctx.out(`  ${outcome.weightRows} weight rows from valacdos.txt`);
    ctx.out(`  ${outcome.substitutionRows} sort-code substitutions from scsubtab.txt`);
    ctx.out(`  checksum (sha256) ${outcome.checksum}`);
    ctx.out(outcome.replaced ? `They replace version ${outcome.replaced}.` : 'No tables were in use before.');
  },
};
