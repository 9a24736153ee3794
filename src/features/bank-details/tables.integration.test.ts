import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServices, type TestServices } from '../../../test/support/database.ts';
import { parseValacdos } from '../../domain/modulus-check.ts';
import { currentTableSet, importModulusTables, loadModulusTables, readTableFiles, versionStatedIn, type TableFiles } from './tables.ts';
import { bankDetailsChecker, bankDetailsProblem } from './problems.ts';

const VOCALINK = path.resolve(import.meta.dirname, '../../..', '../shared/reference/vocalink');
const BY = { user: null, label: 'test' };

let t: TestServices;
let reference: TableFiles;
beforeAll(async () => {
  t = await freshServices();
  reference = await readTableFiles(VOCALINK);
});
const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

const counts = async () => ({
  sets: (await t.db.selectFrom('modulus_table_sets').select('id').execute()).length,
  weights: (await t.db.selectFrom('modulus_weights').select('position').execute()).length,
  substitutions: (await t.db.selectFrom('modulus_substitutions').select('sort_code').execute()).length,
});

/** A folder holding a smaller, different set of tables, as a newer download would be. */
function otherFolder(valacdos: string, scsubtab = '938173 938017\r\n'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-vocalink-'));
  folders.push(dir);
  fs.writeFileSync(path.join(dir, 'VALACDOS.TXT'), valacdos);
  fs.writeFileSync(path.join(dir, 'scsubtab.txt'), scsubtab);
  return dir;
}

describe('before any tables are imported', () => {
  it('has none to load, and still spots missing or malformed bank details', async () => {
    expect(await loadModulusTables(t.db)).toBeNull();
    expect(await currentTableSet(t.db)).toBeNull();
    expect(await bankDetailsProblem(t.db, { payment_method: 'bank_account', account_name: 'A', sort_code: '107999', account_number: '88837493' })).toBeNull();
    expect(await bankDetailsProblem(t.db, { payment_method: 'bank_account', account_name: 'A', sort_code: '1079', account_number: '88837493' })).toBe(
      'Bank details fail the modulus check: the sort code must be 6 digits, like 30-96-34',
    );
    expect(await bankDetailsProblem(t.db, { payment_method: 'bank_account', account_name: 'A', sort_code: null, account_number: null })).toBe('No bank details');
  });
});

describe('importing Vocalink’s tables', () => {
  it('reads the version from the folder’s README, and the files whatever the case of their names', async () => {
    expect(reference.version).toBe('7.70 (25 March 2024)');
    expect(versionStatedIn('no version here')).toBeNull();
    const dir = otherFolder(reference.valacdos);
    expect((await readTableFiles(dir)).valacdos).toBe(reference.valacdos);
    expect((await readTableFiles(dir)).version).toBeNull();
    await expect(readTableFiles(path.join(dir, 'nowhere'))).rejects.toThrow('Cannot read the folder');
    fs.rmSync(path.join(dir, 'scsubtab.txt'));
    await expect(readTableFiles(dir)).rejects.toThrow(`There is no scsubtab.txt in ${dir}`);
  });

  it('stores every row with the version, a checksum and who imported it, and audits the import', async () => {
    const outcome = await importModulusTables(t.db, reference, BY);
    expect(outcome).toMatchObject({ imported: true, version: '7.70 (25 March 2024)', weightRows: 1138, substitutionRows: 21, replaced: null });
    expect(outcome.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(await counts()).toEqual({ sets: 1, weights: 1138, substitutions: 21 });
    const tables = await loadModulusTables(t.db);
    expect(tables?.version).toBe('7.70 (25 March 2024)');
    expect(tables?.rows).toEqual(parseValacdos(reference.valacdos));
    expect(tables?.substitutions.get('938600')).toBe('938611');
    const set = await t.db.selectFrom('modulus_table_sets').selectAll().executeTakeFirstOrThrow();
    expect(set).toMatchObject({ checksum: outcome.checksum, imported_by: 'test', weight_rows: 1138, substitution_rows: 21 });
    const audited = await t.db.selectFrom('audit_log').select(['action', 'details']).where('entity_type', '=', 'modulus-tables').execute();
    expect(audited).toEqual([{ action: 'update', details: expect.objectContaining({ version: '7.70 (25 March 2024)', weightRows: 1138, replaced: null, via: 'test' }) }]);
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await currentTableSet(t.db);
    const outcome = await importModulusTables(t.db, reference, { ...BY, version: 'another label' });
    expect(outcome).toMatchObject({ imported: false, version: '7.70 (25 March 2024)' });
    expect((await currentTableSet(t.db))?.id).toBe(before?.id);
  });

  it('replaces the whole previous set with a new one, and names the one it replaced', async () => {
    const firstTen = reference.valacdos.split(/\r?\n/).slice(0, 10).join('\r\n');
    const files = await readTableFiles(otherFolder(firstTen));
    const outcome = await importModulusTables(t.db, files, { ...BY, version: '9.00' });
    expect(outcome).toMatchObject({ imported: true, version: '9.00', weightRows: 10, substitutionRows: 1, replaced: '7.70 (25 March 2024)' });
    expect(await counts()).toEqual({ sets: 1, weights: 10, substitutions: 1 });
    const tables = await loadModulusTables(t.db);
    expect(tables?.version).toBe('9.00');
    expect(tables?.rows).toHaveLength(10);
  });

  it('leaves the tables in use untouched when a file is malformed', async () => {
    const before = await currentTableSet(t.db);
    const broken = `${reference.valacdos.split(/\r?\n/)[0]}\n010004 016715 MOD99 0 0 0 0 0 0 8 7 6 5 4 3 2 1\n`;
    await expect(importModulusTables(t.db, { valacdos: broken, scsubtab: reference.scsubtab, version: null }, BY)).rejects.toThrow('valacdos.txt line 2: unknown method "MOD99"');
    expect((await currentTableSet(t.db))?.id).toBe(before?.id);
    expect(await counts()).toEqual({ sets: 1, weights: 10, substitutions: 1 });
  });

  it('runs imports one at a time, ending with exactly one complete set', async () => {
    const outcomes = await Promise.all([
      importModulusTables(t.db, reference, BY),
      importModulusTables(t.db, { ...reference, valacdos: reference.valacdos.split(/\r?\n/).slice(0, 20).join('\n') }, BY),
    ]);
    expect(outcomes.every((o) => o.imported)).toBe(true);
    const now = await counts();
    expect(now.sets).toBe(1);
    expect([1138, 20]).toContain(now.weights);
    expect((await loadModulusTables(t.db))?.rows).toHaveLength(now.weights);
  });

  it('loads inside a caller’s transaction too', async () => {
    await importModulusTables(t.db, reference, BY);
    const rows = await t.db.transaction().execute(async (trx) => (await loadModulusTables(trx))?.rows.length);
    expect(rows).toBe(1138);
  });
});

describe('bank details problems, for the payment run', () => {
  it('names what would stop a payment, and nothing for details that pass or need none', async () => {
    await importModulusTables(t.db, reference, BY);
    const bank = (sort_code: string | null, account_number: string | null, account_name: string | null = 'P WALSH') => ({ payment_method: 'bank_account', account_name, sort_code, account_number });
    expect(await bankDetailsProblem(t.db, bank('107999', '88837491'))).toBeNull();
    expect(await bankDetailsProblem(t.db, bank('107999', '88837493'))).toBe('Bank details fail the modulus check: the account number does not match the sort code: check both for a typing mistake');
    expect(await bankDetailsProblem(t.db, bank('999999', '12345678'))).toBeNull();
    expect(await bankDetailsProblem(t.db, bank(null, '88837491'))).toBe('No bank details');
    expect(await bankDetailsProblem(t.db, bank('107999', '88837491', ' '))).toBe('No bank details');
    expect(await bankDetailsProblem(t.db, { payment_method: 'prepaid_card', sort_code: null, account_number: null })).toBeNull();
    const check = await bankDetailsChecker(t.db);
    expect(check(bank('089999', '66374959'))).toMatch(/^Bank details fail the modulus check/);
    expect(check({ payment_method: 'bank_account', sort_code: '089999', account_number: '66374958' })).toBeNull();
  });
});
