import path from 'node:path';
import type pg from 'pg';
import { boot } from '../platform/boot.ts';
import { loadConfig, type Config } from '../platform/config.ts';
import { startEmbeddedPostgres } from '../platform/db/embedded.ts';
import { CommandFailed, type CliContext } from './command.ts';

/** What a command leans on, for a real run from the shell. */
export function cliContext(): CliContext {
  let config: Config | undefined;
  const getConfig = () => (config ??= loadConfig());

  // Without DATABASE_URL, `dp` starts the embedded server in ./data, which `npm start` may hold.
  const explain = (err: unknown): never => {
    const message = (err as Error).message ?? String(err);
    if (!getConfig().databaseUrl && /already using/.test(message)) {
      throw new CommandFailed(
        `The embedded database in ${path.join(getConfig().dataDir, 'postgres')} is in use, probably by \`npm start\`. ` +
          'Stop the app first, or set DATABASE_URL to point at a PostgreSQL server.',
      );
    }
    throw new CommandFailed(`Could not reach the database: ${message}`);
  };

  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString('utf8');
    },
    config: getConfig,
    withServices: async (fn) => {
      const booted = await boot({ config: getConfig(), quiet: true }).catch(explain);
      ignoreClosingConnections(booted.services.pool);
      try {
        return await fn(booted.services, booted.services.pool.options.connectionString ?? '');
      } finally {
        await booted.shutdown();
      }
    },
    withDatabaseServer: async (fn) => {
      const cfg = getConfig();
      if (cfg.databaseUrl) return fn(cfg.databaseUrl);
      const server = await startEmbeddedPostgres({ dir: path.join(cfg.dataDir, 'postgres'), port: cfg.embeddedPort }).catch(explain);
      try {
        return await fn(server.url);
      } finally {
        await server.stop();
      }
    },
  };
}

/**
 * Stopping the embedded server straight after closing a pool can reach a connection that is still
 * saying goodbye; the pool reports that as an error, which would crash a command that has finished.
 */
export function ignoreClosingConnections(pool: pg.Pool): void {
  pool.on('error', () => undefined);
}
