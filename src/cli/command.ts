import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../platform/config.ts';
import type { Services } from '../platform/services.ts';

/** One `dp` command. Each lives in its own file under commands/ and is listed in commands/index.ts. */
export type Command = {
  /** The words that name it: ['users', 'add'] is `dp users add`. */
  name: string[];
  /** One line for `dp help`. */
  summary: string;
  /** What follows `dp <name>`, e.g. '<username> --role <role>'. */
  usage: string;
  /** Longer help: what it does, its options, an example. */
  help?: string;
  options?: ParseArgsConfig['options'];
  /** How many words may follow the name. */
  positionals?: { min: number; max: number };
  run: (args: CommandArgs, ctx: CliContext) => Promise<void>;
};

export type CommandArgs = { positionals: string[]; values: Record<string, string | boolean | undefined> };

export type CliContext = {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Everything on standard input, for secrets that must not appear in the shell's history. */
  readStdin: () => Promise<string>;
  config: () => Config;
  /** Boots (starting the embedded database if there is no DATABASE_URL), runs fn, and always shuts down. */
  withServices: <T>(fn: (services: Services, databaseUrl: string) => Promise<T>) => Promise<T>;
  /** A database server's URL without booting the app: for commands that manage the database itself. */
  withDatabaseServer: <T>(fn: (databaseUrl: string) => Promise<T>) => Promise<T>;
};

/** The arguments are wrong: `dp` says why, shows the usage, and exits with 2. */
export class UsageError extends Error {}

/** The arguments were fine but the command could not do its work: `dp` says why and exits with 1. */
export class CommandFailed extends Error {}
