import { migrateToLatest } from '../../platform/db/database.ts';
import type { Command } from '../command.ts';

export const dbMigrate: Command = {
  name: ['db', 'migrate'],
  summary: 'Bring the database up to date, and say which migrations were applied',
  usage: '',
  help: 'Applies every migration not yet applied, in order, as the database owner. Safe to run again: it applies nothing when the database is up to date.',
  async run(_args, ctx) {
    const applied = await ctx.withDatabaseServer((url) => migrateToLatest(url));
    if (!applied.length) {
      ctx.out('The database is up to date: no migrations to apply.');
      return;
    }
    ctx.out(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:`);
    for (const name of applied) ctx.out(`  ${name}`);
  },
};
