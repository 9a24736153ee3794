import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * Where uploaded files (receipts) are kept: never under the web root, never served by the static
 * middleware, only through a route that checks the user may see the record first. Keys are
 * random UUIDs chosen by the caller, so no name the person typed reaches the file system.
 * The local disk is the default; a council that runs several machines plugs in a shared store
 * (an S3-style bucket) behind the same three calls.
 */
export interface FileStore {
  /** Writes the bytes under a new key; refuses a key already used. */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when there is no such file. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the file if it is there (used to undo a write whose database row was not saved). */
  remove(key: string): Promise<void>;
}

const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new RangeError('A storage key is a lower-case UUID');
  return key;
}

export function newStorageKey(): string {
  return crypto.randomUUID();
}

/**
 * Files in one folder on the local disk, readable by this process's user only. A write goes to a
 * temporary name first and is renamed into place, so a crash never leaves half a file under a key.
 */
export function localDiskStore(dir: string): FileStore {
  let ready: Promise<void> | undefined;
  const ensureDir = () => (ready ??= fs.mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined));
  const fileFor = (key: string) => path.join(dir, checkKey(key));
  return {
    async put(key, bytes) {
      await ensureDir();
      const target = fileFor(key);
      const temp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.part`;
      await fs.writeFile(temp, bytes, { mode: 0o600, flag: 'wx' });
      try {
        // link() refuses to replace an existing file, unlike rename().
        await fs.link(temp, target);
      } finally {
        await fs.rm(temp, { force: true });
      }
    },
    async get(key) {
      try {
        return await fs.readFile(fileFor(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async remove(key) {
      await fs.rm(fileFor(key), { force: true });
    },
  };
}

const stores = new Map<string, FileStore>();

/** The receipt store for this configuration (RECEIPTS_DIR, default `<DATA_DIR>/receipts`). */
export function receiptStore(config: Pick<Config, 'receiptsDir'>): FileStore {
  let store = stores.get(config.receiptsDir);
  if (!store) {
    store = localDiskStore(config.receiptsDir);
    stores.set(config.receiptsDir, store);
  }
  return store;
}
