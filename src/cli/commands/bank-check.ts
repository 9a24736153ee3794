import { checkAccount, digitsOnly } from '../../domain/modulus-check.ts';
import { loadModulusTables } from '../../features/bank-details/tables.ts';
import { CommandFailed, UsageError, type Command } from '../command.ts';

/** The check ran and the details failed it: exit 1, the result already printed on standard output. */
class NotValid extends CommandFailed {}

export const bankCheck: Command = {
  name: ['bank', 'check'],
  summary: 'Check a sort code and account number with Vocalink’s modulus checking',
  usage: '<sortcode> <account> [--json]',
  help: [
    'Prints `valid` or `invalid: <reason>`; with --json, {"valid": true|false, "reason": "..."}.',
    'Exit codes: 0 valid, 1 invalid, 2 for bad arguments or when no tables have been imported.',
    'A sort code is 6 digits and an account number 6 to 10 digits; spaces and hyphens are ignored.',
    'A sort code that is not in the tables cannot be checked, and is reported valid with that reason.',
    'Example: dp bank check 30-96-34 12345678 --json',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  positionals: { min: 2, max: 2 },
  async run({ positionals, values }, ctx) {
    const [sortCode, accountNumber] = positionals as [string, string];
    if (!/^\d{6}$/.test(digitsOnly(sortCode))) throw new UsageError(`"${sortCode}" is not a sort code: it must be 6 digits, like 30-96-34`);
    if (!/^\d{6,10}$/.test(digitsOnly(accountNumber))) throw new UsageError('The account number must be 6 to 10 digits');
    const tables = await ctx.withServices((services) => loadModulusTables(services.db));
    if (!tables) {
      throw new UsageError('No modulus-checking tables have been imported, so nothing can be checked. Run `dp bank tables import <dir>` with the folder holding Vocalink’s valacdos.txt and scsubtab.txt first');
    }
    const result = checkAccount(tables, sortCode, accountNumber);
    ctx.out(values.json ? JSON.stringify({ valid: result.valid, reason: result.reason }) : result.valid ? 'valid' : `invalid: ${result.reason}`);
    // Standard output keeps its exact form for tools; a person is also told when nothing was checked.
    if (result.valid && !result.checked && !values.json) ctx.err(`Note: ${result.reason}.`);
    if (!result.valid) throw new NotValid('not valid (see above)');
  },
};
