import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../../platform/services.ts';
import { importModulusTables, readTableFiles } from './tables.ts';

// Vocalink's files carry no open licence, so they are never in the repository: the demo uses the
// reference copy kept beside it, when there is one.
const REFERENCE_TABLES = path.resolve(import.meta.dirname, '../../..', '../shared/reference/vocalink');

/** Gives the demo modulus-checking tables when the reference copy is there; otherwise says so and carries on. */
export async function importDemoModulusTables(services: Services, dir = REFERENCE_TABLES): Promise<void> {
  if (!fs.existsSync(dir)) {
    services.logger.info({ dir }, 'no Vocalink tables found, so the demo has no modulus checking: import them with dp bank tables import <dir>');
    return;
  }
  const outcome = await importModulusTables(services.db, await readTableFiles(dir), { user: null, label: 'demo seed' });
  services.logger.info({ version: outcome.version, weightRows: outcome.weightRows }, 'imported the Vocalink modulus-checking tables for the demo');
}
