import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'a-production-secret-of-32-chars!';
const PG = 'postgres://dp@db.example:5432/dp';

/** The error loadConfig throws for `env`, or a failure when it throws none. */
function errorOf(env: NodeJS.ProcessEnv): Error {
  try {
    loadConfig(env);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('demo mode', () => {
  it('is on by default on the embedded database outside production', () => {
    expect(loadConfig({}).demoMode).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).demoMode).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).demoMode).toBe(true);
  });

  it('is off on an operator’s own database (DATABASE_URL) unless DEMO_MODE=true says so', () => {
    expect(loadConfig({ DATABASE_URL: PG }).demoMode).toBe(false);
    expect(loadConfig({ DATABASE_URL: PG, NODE_ENV: 'development' }).demoMode).toBe(false);
    expect(loadConfig({ DATABASE_URL: PG, DEMO_MODE: 'true' }).demoMode).toBe(true);
    expect(loadConfig({ DATABASE_URL: PG, DEMO_MODE: 'false' }).demoMode).toBe(false);
  });

  it('is off in production by default, even on the embedded database', () => {
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }).demoMode).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, DATABASE_URL: PG }).demoMode).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, DEMO_MODE: 'true' }).demoMode).toBe(true);
  });

  it('can be turned off on the embedded database', () => {
    expect(loadConfig({ DEMO_MODE: 'false' }).demoMode).toBe(false);
  });

  it('reads the usual spellings of true and false, and refuses anything else plainly', () => {
    for (const yes of ['1', 'true', 'TRUE', 'yes', 'On']) expect(loadConfig({ DATABASE_URL: PG, DEMO_MODE: yes }).demoMode, yes).toBe(true);
    for (const no of ['0', 'false', 'False', 'no', 'OFF']) expect(loadConfig({ DEMO_MODE: no }).demoMode, no).toBe(false);
    const err = errorOf({ DEMO_MODE: 'maybe' });
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('Expected true or false but got "maybe"');
  });

  it('treats an empty DATABASE_URL or DEMO_MODE as not set', () => {
    const c = loadConfig({ DATABASE_URL: '', DEMO_MODE: '' });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demoMode).toBe(true);
    expect(loadConfig({ DATABASE_URL: PG }).databaseUrl).toBe(PG);
  });
});

describe('SESSION_SECRET', () => {
  it('is required in production, with a plain error that names it and never echoes the value', () => {
    for (const env of [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', SESSION_SECRET: '' }, { NODE_ENV: 'production', SESSION_SECRET: 'short-secret-31-characters-long' }]) {
      const err = errorOf(env);
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toBe('SESSION_SECRET must be set to at least 32 characters in production');
    }
  });

  it('is used as given when long enough', () => {
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }).sessionSecret).toBe(SECRET);
    expect(loadConfig({ SESSION_SECRET: 'dev' }).sessionSecret).toBe('dev');
  });

  it('has a development default outside production, also when set but empty', () => {
    expect(loadConfig({}).sessionSecret).toBe('dev-only-session-secret-change-me');
    // An empty value counts as not set, as for every other variable: an empty secret would make
    // every request fail in express-session ("secret option required for sessions").
    expect(loadConfig({ SESSION_SECRET: '' }).sessionSecret).toBe('dev-only-session-secret-change-me');
  });
});

describe('ports', () => {
  it('PORT defaults to 3000 and EMBEDDED_PG_PORT to 54329, also when empty', () => {
    expect(loadConfig({}).port).toBe(3000);
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
    expect(loadConfig({}).embeddedPort).toBe(54329);
    expect(loadConfig({ EMBEDDED_PG_PORT: '' }).embeddedPort).toBe(54329);
  });

  it('reads whole numbers from 0 to 65535', () => {
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    expect(loadConfig({ EMBEDDED_PG_PORT: '5433' }).embeddedPort).toBe(5433);
  });

  it('refuses anything else with a plain error naming the variable and the value', () => {
    for (const bad of ['abc', '80a', '-1', '65536', '3000.5', 'NaN']) {
      const err = errorOf({ PORT: bad });
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect(err.message).toBe(`PORT must be a port number, got "${bad}"`);
    }
    expect(errorOf({ EMBEDDED_PG_PORT: 'x' }).message).toBe('EMBEDDED_PG_PORT must be a port number, got "x"');
  });
});

describe('cookies, logging, folders and time zone', () => {
  it('cookies are Secure in production by default, and SECURE_COOKIES overrides either way', () => {
    expect(loadConfig({}).secureCookies).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }).secureCookies).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
    expect(loadConfig({ SECURE_COOKIES: 'yes' }).secureCookies).toBe(true);
    expect(errorOf({ SECURE_COOKIES: 'sometimes' })).toBeInstanceOf(ConfigError);
  });

  it('logs at info, silent under test, or at LOG_LEVEL (empty counts as not set)', () => {
    expect(loadConfig({}).logLevel).toBe('info');
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET }).logLevel).toBe('info');
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
  });

  it('keeps data in ./data and receipts in its receipts folder unless DATA_DIR or RECEIPTS_DIR say otherwise', () => {
    expect(loadConfig({}).dataDir).toBe(path.resolve('data'));
    expect(loadConfig({}).receiptsDir).toBe(path.resolve('data', 'receipts'));
    expect(loadConfig({ DATA_DIR: '/var/lib/dp' }).dataDir).toBe('/var/lib/dp');
    expect(loadConfig({ DATA_DIR: '/var/lib/dp' }).receiptsDir).toBe('/var/lib/dp/receipts');
    expect(loadConfig({ DATA_DIR: 'here' }).dataDir).toBe(path.resolve('here'));
    expect(loadConfig({ DATA_DIR: '/var/lib/dp', RECEIPTS_DIR: '/srv/receipts' }).receiptsDir).toBe('/srv/receipts');
  });

  it('treats an empty DATA_DIR or RECEIPTS_DIR as not set, never as the current folder', () => {
    expect(loadConfig({ DATA_DIR: '' }).dataDir).toBe(path.resolve('data'));
    expect(loadConfig({ DATA_DIR: '', RECEIPTS_DIR: '' }).receiptsDir).toBe(path.resolve('data', 'receipts'));
  });

  it('always works in the council’s time zone', () => {
    expect(loadConfig({}).timeZone).toBe('Europe/London');
  });

  it('reads process.env when given nothing', () => {
    // Vitest runs with NODE_ENV=test (vitest.config.ts).
    expect(loadConfig().logLevel).toBe(process.env.LOG_LEVEL || 'silent');
  });
});
