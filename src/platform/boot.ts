import path from 'node:path';
import { loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.ts';
import { createDatabase, createPool, migrateToLatest } from './db/database.ts';
import { systemClock, type Clock, type Services } from './services.ts';

export type Booted = { services: Services; shutdown: () => Promise<void> };

/**
 * config → database (the operator's, or an embedded one under ./data) → migrations → services.
 * The app, the worker and the CLI all start here.
 */
export async function boot(opts: { config?: Config; clock?: Clock; quiet?: boolean } = {}): Promise<Booted> {
  const config = opts.config ?? loadConfig();
  const logger = createLogger(opts.quiet ? 'silent' : config.logLevel);
  let embedded: EmbeddedServer | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'postgres'), port: config.embeddedPort });
    url = embedded.url;
    logger.info({ dir: config.dataDir, port: config.embeddedPort }, 'started the embedded PostgreSQL server');
  }
  try {
    const applied = await migrateToLatest(url);
    if (applied.length) logger.info({ applied }, 'applied migrations');
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const pool = createPool(url);
  const db = createDatabase(pool);
  const services: Services = { config, db, pool, logger, clock: opts.clock ?? systemClock };
  return {
    services,
    shutdown: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
