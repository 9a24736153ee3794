import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { parseScsubtab, parseValacdos, type Algorithm, type ModulusTables } from '../../domain/modulus-check.ts';

/** Vocalink's files as a council downloads them, read from one folder. */
export type TableFiles = { valacdos: string; scsubtab: string; version: string | null };

/** A problem with the folder or its files, in words for whoever ran the import. */
export class TablesFolderProblem extends Error {}

/**
 * Reads valacdos.txt and scsubtab.txt from a folder (whatever the case of their names). The
 * version comes from a README in the folder when it states one, as the shared reference copy does;
 * Vocalink's own downloads do not, so an operator can name it instead.
 */
export async function readTableFiles(dir: string): Promise<TableFiles> {
  const names = await fs.readdir(dir).catch(() => {
    throw new TablesFolderProblem(`Cannot read the folder ${dir}`);
  });
  const find = (wanted: string) => names.find((n) => n.toLowerCase() === wanted);
  const read = async (wanted: string) => {
    const name = find(wanted);
    if (!name) throw new TablesFolderProblem(`There is no ${wanted} in ${dir}`);
    return fs.readFile(path.join(dir, name), 'latin1');
  };
  const [valacdos, scsubtab] = await Promise.all([read('valacdos.txt'), read('scsubtab.txt')]);
  const readme = find('readme.md') ?? find('readme.txt');
  const version = readme ? versionStatedIn(await fs.readFile(path.join(dir, readme), 'utf8')) : null;
  return { valacdos, scsubtab, version };
}

/** "… (version 7.70, 25 March 2024)" → "7.70 (25 March 2024)". */
export function versionStatedIn(text: string): string | null {
  const m = /version\s+(\d+(?:\.\d+)+)(?:,\s*([^)\n]+))?/i.exec(text);
  if (!m) return null;
  return m[2] ? `${m[1]} (${m[2].trim()})` : m[1]!;
}

export type ImportOutcome = {
  imported: boolean;
  version: string;
  checksum: string;
  weightRows: number;
  substitutionRows: number;
  /** The version replaced, if there was one. */
  replaced: string | null;
};

/**
 * Stores a new set of tables in place of the old, all in one transaction: checks never see a
 * mixture, and a failed import leaves the previous set in use. Importing the same files again
 * changes nothing.
 */
export async function importModulusTables(
  db: Database,
  files: TableFiles,
  by: { user: Pick<CurrentUser, 'id' | 'username' | 'role'> | null; label: string; version?: string | null },
): Promise<ImportOutcome> {
  const rows = parseValacdos(files.valacdos);
  const substitutions = parseScsubtab(files.scsubtab);
  const checksum = crypto.createHash('sha256').update(files.valacdos, 'latin1').update('\0').update(files.scsubtab, 'latin1').digest('hex');
  const version = by.version?.trim() || files.version || 'not stated';
  const outcome = { version, checksum, weightRows: rows.length, substitutionRows: substitutions.size };

  return db.transaction().execute(async (trx) => {
    // One import at a time: a second waits, then finds the first's set in place.
    await sql`select pg_advisory_xact_lock(hashtext('modulus_table_sets'))`.execute(trx);
    const current = await trx.selectFrom('modulus_table_sets').select(['version', 'checksum']).executeTakeFirst();
    if (current?.checksum === checksum) return { ...outcome, version: current.version, imported: false, replaced: null };

    await trx.deleteFrom('modulus_table_sets').execute();
    const set = await trx
      .insertInto('modulus_table_sets')
      .values({ version, checksum, weight_rows: rows.length, substitution_rows: substitutions.size, imported_by: by.user?.username ?? by.label })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < rows.length; i += 500) {
      await trx
        .insertInto('modulus_weights')
        .values(
          rows.slice(i, i + 500).map((r, k) => ({
            set_id: set.id, position: i + k + 1, range_start: r.start, range_end: r.end, algorithm: r.algorithm, weights: r.weights, exception: r.exception,
          })),
        )
        .execute();
    }
    if (substitutions.size) {
      await trx
        .insertInto('modulus_substitutions')
        .values([...substitutions].map(([sortCode, substitute]) => ({ set_id: set.id, sort_code: sortCode, substitute })))
        .execute();
    }
    await audit(trx, by.user, {
      action: 'update',
      entityType: 'modulus-tables',
      entityId: set.id,
      details: { ...outcome, replaced: current?.version ?? null, via: by.label },
    });
    return { ...outcome, imported: true, replaced: current?.version ?? null };
  });
}

export type TableSetSummary = { id: string; version: string; checksum: string; importedAt: Date; weightRows: number };

/** What is imported now, if anything. */
export async function currentTableSet(db: Database): Promise<TableSetSummary | null> {
  const set = await db
    .selectFrom('modulus_table_sets')
    .select(['id', 'version', 'checksum', 'imported_at', 'weight_rows'])
    .orderBy('imported_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return set ? { id: set.id, version: set.version, checksum: set.checksum, importedAt: new Date(set.imported_at), weightRows: set.weight_rows } : null;
}

// A set's rows never change (an import makes a new set), so the last one read can be kept.
let lastRead: { setId: string; tables: ModulusTables } | undefined;

/** The current tables, or null when none have been imported. */
export async function loadModulusTables(db: Database): Promise<ModulusTables | null> {
  // One snapshot for the set and its rows, so an import committing meanwhile cannot mix the two.
  if (db.isTransaction) return readTables(db);
  return db.transaction().setIsolationLevel('repeatable read').execute(readTables);
}

async function readTables(db: Database): Promise<ModulusTables | null> {
  const set = await currentTableSet(db);
  if (!set) return null;
  if (lastRead?.setId === set.id) return lastRead.tables;
  const weights = await db
    .selectFrom('modulus_weights')
    .select(['range_start', 'range_end', 'algorithm', 'weights', 'exception'])
    .where('set_id', '=', set.id)
    .orderBy('position')
    .execute();
  const substitutions = await db.selectFrom('modulus_substitutions').select(['sort_code', 'substitute']).where('set_id', '=', set.id).execute();
  const tables: ModulusTables = {
    rows: weights.map((w) => ({ start: w.range_start, end: w.range_end, algorithm: w.algorithm as Algorithm, weights: w.weights, exception: w.exception })),
    substitutions: new Map(substitutions.map((s) => [s.sort_code, s.substitute])),
    version: set.version,
  };
  lastRead = { setId: set.id, tables };
  return tables;
}
