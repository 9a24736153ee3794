import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localDiskStore, newStorageKey } from './index.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-store-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the local disk store', () => {
  const store = localDiskStore(path.join(dir, 'receipts'));

  it('keeps bytes under a key, readable by this user only, and gives them back exactly', async () => {
    const key = newStorageKey();
    const bytes = Buffer.from([0, 1, 2, 255, 254]);
    await store.put(key, bytes);
    expect(await store.get(key)).toEqual(bytes);
    expect(fs.statSync(path.join(dir, 'receipts', key)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dir, 'receipts'))).toEqual([key]);
  });

  it('never replaces a file already stored under a key', async () => {
    const key = newStorageKey();
    await store.put(key, Buffer.from('first'));
    await expect(store.put(key, Buffer.from('second'))).rejects.toThrow();
    expect((await store.get(key))!.toString()).toBe('first');
    expect(fs.readdirSync(path.join(dir, 'receipts')).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('answers null for a missing file and removes quietly', async () => {
    const key = newStorageKey();
    expect(await store.get(key)).toBeNull();
    await store.remove(key);
    await store.put(key, Buffer.from('x'));
    await store.remove(key);
    expect(await store.get(key)).toBeNull();
  });

  it('takes only UUID keys, so no typed name or path reaches the disk', async () => {
    for (const key of ['../etc/passwd', 'receipt.pdf', '', 'A1B2C3D4-0000-4000-8000-000000000000', `${newStorageKey()}/x`]) {
      await expect(store.put(key, Buffer.from('x')), key).rejects.toThrow(RangeError);
      await expect(store.get(key), key).rejects.toThrow(RangeError);
    }
  });
});
