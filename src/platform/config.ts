import path from 'node:path';

export type Config = {
  port: number;
  /** A PostgreSQL connection string; when absent the app starts its own embedded server. */
  databaseUrl: string | undefined;
  /** Where the embedded server keeps its files. */
  dataDir: string;
  /** Where receipts (photos and PDFs) are kept, outside the web root (src/platform/storage). */
  receiptsDir: string;
  embeddedPort: number;
  /** Demo mode seeds the demo councils and people and lists demo sign-ins on /sign-in. */
  demoMode: boolean;
  sessionSecret: string;
  secureCookies: boolean;
  logLevel: string;
  timeZone: 'Europe/London';
};

export class ConfigError extends Error {}

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  throw new ConfigError(`Expected true or false but got "${value}"`);
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name} must be a port number, got "${value}"`);
  return n;
}

/** An empty variable counts as not set, for every variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  // Demo mode is the default only on the embedded database: an operator's own database never gets
  // demo people in it unless DEMO_MODE=true says so.
  const production = env.NODE_ENV === 'production';
  const demoMode = flag(env.DEMO_MODE) ?? (databaseUrl === undefined && !production);
  const sessionSecret = env.SESSION_SECRET || (production ? '' : 'dev-only-session-secret-change-me');
  if (production && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET must be set to at least 32 characters in production');
  }
  return {
    port: integer('PORT', env.PORT, 3000),
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || 'data'),
    receiptsDir: path.resolve(env.RECEIPTS_DIR || path.join(env.DATA_DIR || 'data', 'receipts')),
    embeddedPort: integer('EMBEDDED_PG_PORT', env.EMBEDDED_PG_PORT, 54329),
    demoMode,
    sessionSecret,
    secureCookies: flag(env.SECURE_COOKIES) ?? production,
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    timeZone: 'Europe/London',
  };
}
