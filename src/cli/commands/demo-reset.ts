import { createDatabase, createPool } from '../../platform/db/database.ts';
import { resetDemo } from '../../demo/seed.ts';
import { CommandFailed, type Command } from '../command.ts';
import { ignoreClosingConnections } from '../context.ts';

export const demoReset: Command = {
  name: ['demo', 'reset'],
  summary: 'Empty the demo database and seed the demo councils and people again',
  usage: '',
  help: 'Deletes everything in the database, the audit log included, so it only runs in demo mode (DEMO_MODE=true, or the embedded database with no DATABASE_URL).',
  async run(_args, ctx) {
    if (!ctx.config().demoMode) {
      throw new CommandFailed(
        'Not in demo mode, so nothing was changed. `dp demo reset` deletes everything in the database; it only runs when DEMO_MODE=true (the default for the embedded database).',
      );
    }
    await ctx.withServices(async (services, url) => {
      // Emptying the tables needs the owner: the app's own role may not truncate the audit log.
      const ownerPool = createPool(url, { max: 1, appRole: false });
      ignoreClosingConnections(ownerPool);
      const ownerDb = createDatabase(ownerPool);
      try {
        await resetDemo(services, ownerDb);
      } finally {
        await ownerDb.destroy();
      }
    });
    ctx.out('The demo has been reset: every table was emptied and the demo councils, staff and people seeded again.');
  },
};
