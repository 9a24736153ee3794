import { sql } from 'kysely';
import type { Services } from '../../platform/services.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { readStatement, StatementError, type ColumnMapping, type DateOrder } from '../../domain/statements/index.ts';
import { importStatement } from './import-statement.ts';
import { refreshFlagsFor } from '../monitoring/snapshot.ts';
import type { Db } from './import-statement.ts';

/** The largest statement file the web page takes (a prepaid card's ten years is a few MB). */
export const MAX_STATEMENT_BYTES = 50 * 1024 * 1024;

/** An import that has said nothing for this long has stopped (its process ended): nothing was kept. */
const STALLED_MS = 2 * 60 * 1000;

// Imports running in this process, so a test (or the POST that started one) can wait for it.
const running = new Map<string, Promise<void>>();

type Actor = Pick<CurrentUser, 'id' | 'username' | 'role'>;

export async function createUpload(db: Db, args: { directPaymentId: string; personId: string; user: Actor; fileName: string; bytes: Buffer; ip?: string }): Promise<string> {
  const row = await db
    .insertInto('statement_uploads')
    .values({
      direct_payment_id: args.directPaymentId,
      uploaded_by: args.user.id,
      file_name: args.fileName.replace(/[\u0000-\u001f]/g, '').slice(0, 200) || 'statement',
      size_bytes: args.bytes.length,
      bytes: args.bytes,
      status: 'importing',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(db, args.user, { action: 'create', entityType: 'statement-upload', entityId: row.id, personId: args.personId, details: { directPaymentId: args.directPaymentId, bytes: args.bytes.length } }, args.ip);
  return row.id;
}

/**
 * Reads and imports an upload in the background of this process; the progress page follows it
 * in the database (lines_done). The outcome is one of: done (with the counts), failed (with the
 * plain-English problem, nothing kept), or a question (columns, or a QIF file's date order).
 * Once imported or refused the file's bytes are cleared: the statement lives on as its lines.
 */
export function startImport(services: Services, uploadId: string, actor: Actor, personId: string, ip?: string): Promise<void> {
  const job = runImport(services, uploadId, actor, personId, ip)
    .catch((err: unknown) => {
      services.logger.error({ err, uploadId }, 'statement import failed unexpectedly');
      return finish(services.db, uploadId, { status: 'failed', problem: 'unexpected' });
    })
    .finally(() => running.delete(uploadId));
  running.set(uploadId, job);
  return job;
}

/** Waits up to `ms` for an import started in this process; true when it has finished. */
export async function waitForImport(uploadId: string, ms: number): Promise<boolean> {
  const job = running.get(uploadId);
  if (!job) return true;
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([job.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return done;
}

export function isRunningHere(uploadId: string): boolean {
  return running.has(uploadId);
}

async function finish(db: Db, uploadId: string, set: { status: 'done' | 'failed' | 'needs_mapping' | 'needs_date_order'; problem?: string; importId?: string; linesRead?: number; linesAdded?: number }) {
  const keepBytes = set.status === 'needs_mapping' || set.status === 'needs_date_order';
  await db
    .updateTable('statement_uploads')
    .set({
      status: set.status,
      problem: set.problem ?? null,
      import_id: set.importId ?? null,
      lines_read: set.linesRead ?? null,
      lines_added: set.linesAdded ?? null,
      ...(keepBytes ? {} : { bytes: null }),
      updated_at: sql`now()`,
    })
    .where('id', '=', uploadId)
    .execute();
}

async function runImport(services: Services, uploadId: string, actor: Actor, personId: string, ip?: string): Promise<void> {
  const { db } = services;
  const up = await db.selectFrom('statement_uploads').selectAll().where('id', '=', uploadId).executeTakeFirstOrThrow();
  if (!up.bytes) return finish(db, uploadId, { status: 'failed', problem: 'unexpected' });
  const saved = await db.selectFrom('statement_mappings').select(['signature', 'mapping']).where('direct_payment_id', '=', up.direct_payment_id).execute();
  const mappings = Object.fromEntries(saved.map((m) => [m.signature, m.mapping as unknown as ColumnMapping]));
  try {
    const read = readStatement(up.bytes, { mappings, mapping: (up.mapping as unknown as ColumnMapping | null) ?? undefined, dateOrder: (up.date_order as DateOrder | null) ?? undefined });
    if (read.kind === 'needs-mapping') return finish(db, uploadId, { status: 'needs_mapping' });
    if (read.kind === 'needs-date-order') return finish(db, uploadId, { status: 'needs_date_order' });
    let lastTold = Date.now();
    let told: Promise<unknown> = Promise.resolve();
    const result = await importStatement(db, {
      directPaymentId: up.direct_payment_id,
      personId,
      user: actor,
      via: 'web',
      fileName: up.file_name,
      format: read.format,
      preset: read.preset,
      batches: read.batches,
      ip,
      // Outside the import's transaction, at most once a second, so the progress page can see it.
      onProgress: (linesRead) => {
        if (Date.now() - lastTold < 1000) return;
        lastTold = Date.now();
        told = told.then(() => db.updateTable('statement_uploads').set({ lines_done: linesRead, updated_at: sql`now()` }).where('id', '=', uploadId).execute()).catch(() => undefined);
      },
    });
    await told;
    // A mapping made for this file is kept for the account's next statement once it has worked.
    if (up.mapping && read.signature) await saveMapping(db, { directPaymentId: up.direct_payment_id, signature: read.signature, mapping: up.mapping as unknown as ColumnMapping, user: actor, personId, ip });
    await finish(db, uploadId, { status: 'done', importId: result.importId, linesRead: result.linesRead, linesAdded: result.linesAdded });
    // New lines can change the direct payment's monitoring flags: store them again now (a short
    // transaction of its own; the hourly refresh catches up should this fail).
    if (result.linesAdded > 0) {
      await refreshFlagsFor(db, up.direct_payment_id, { today: services.clock.today() })
        .catch((err) => services.logger.warn({ err, uploadId }, 'statements: could not refresh the monitoring flags'));
    }
  } catch (err) {
    if (!(err instanceof StatementError)) throw err;
    await finish(db, uploadId, { status: 'failed', problem: JSON.stringify({ line: err.line, code: err.code, vars: err.vars }) });
  }
}

/** An upload as the progress page sees it; an import whose process ended part way is reported as failed. */
export async function uploadState(db: Db, uploadId: string) {
  const up = await db
    .selectFrom('statement_uploads')
    .select(['id', 'direct_payment_id', 'uploaded_by', 'file_name', 'size_bytes', 'status', 'lines_done', 'problem', 'import_id', 'lines_read', 'lines_added', 'updated_at', 'created_at'])
    .where('id', '=', uploadId)
    .executeTakeFirst();
  if (!up) return undefined;
  if (up.status === 'importing' && !isRunningHere(up.id) && Date.now() - new Date(up.updated_at).getTime() > STALLED_MS) {
    await finish(db, up.id, { status: 'failed', problem: 'stalled' });
    return { ...up, status: 'failed', problem: 'stalled' };
  }
  return up;
}

export type Problem = { line: number | null; code: string; vars: Record<string, string | number> } | { line: null; code: 'unexpected' | 'stalled'; vars: Record<string, never> };

export function problemOf(stored: string | null): Problem | null {
  if (!stored) return null;
  if (stored === 'unexpected' || stored === 'stalled') return { line: null, code: stored, vars: {} };
  try {
    return JSON.parse(stored) as Problem;
  } catch {
    return { line: null, code: 'unexpected', vars: {} };
  }
}

/** Saves a column mapping for this account's layout, so its next statement is read without asking. */
export async function saveMapping(db: Db, args: { directPaymentId: string; signature: string; mapping: ColumnMapping; user: Actor; personId: string; ip?: string }) {
  await db
    .insertInto('statement_mappings')
    .values({ direct_payment_id: args.directPaymentId, signature: args.signature.slice(0, 2000), mapping: JSON.stringify(args.mapping), saved_by: args.user.id })
    .onConflict((oc) => oc.columns(['direct_payment_id', 'signature']).doUpdateSet({ mapping: JSON.stringify(args.mapping), saved_by: args.user.id, saved_at: sql`now()` }))
    .execute();
  await audit(db, args.user, { action: 'update', entityType: 'statement-mapping', entityId: args.directPaymentId, personId: args.personId, details: { signature: args.signature.slice(0, 200), mapping: args.mapping } }, args.ip);
}
