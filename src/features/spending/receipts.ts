import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Translate } from '../../platform/i18n/index.ts';
import { audit } from '../../platform/audit.ts';
import { newStorageKey, type FileStore } from '../../platform/storage/index.ts';
import type { UploadProblem } from '../../platform/http/uploads.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;

/**
 * What a receipt may be, decided by the file's content (its magic bytes), never by its name or the
 * type the browser claims: a photo from a phone or a scanner, or a PDF.
 */
const ACCEPTED: Record<string, { kind: 'photo' | 'pdf'; ext: string }> = {
  'image/jpeg': { kind: 'photo', ext: 'jpg' },
  'image/png': { kind: 'photo', ext: 'png' },
  'image/heic': { kind: 'photo', ext: 'heic' },
  'image/heif': { kind: 'photo', ext: 'heic' },
  'image/webp': { kind: 'photo', ext: 'webp' },
  'application/pdf': { kind: 'pdf', ext: 'pdf' },
};

export function receiptKind(mediaType: string): 'photo' | 'pdf' {
  return ACCEPTED[mediaType]?.kind ?? 'photo';
}

export type CheckedReceipt = { bytes: Buffer; mediaType: string; originalName: string };
export type ReceiptCheck = { ok: true; receipt: CheckedReceipt | null } | { ok: false; message: string };

type UploadedFile = { buffer: Buffer; size: number; originalname: string } | undefined;

/** Checks an uploaded receipt (optional): its size, and its type by content. */
export async function checkReceipt(file: UploadedFile, problem: UploadProblem | undefined, t: Translate): Promise<ReceiptCheck> {
  if (problem === 'too-large') return { ok: false, message: t('spending:errors.receiptTooBig') };
  if (problem) return { ok: false, message: t('spending:errors.receiptUnreadable') };
  // A form sent with no file chosen carries an empty part with no name.
  if (!file || (file.size === 0 && !file.originalname)) return { ok: true, receipt: null };
  if (file.size === 0) return { ok: false, message: t('spending:errors.receiptEmpty') };
  if (file.size > MAX_RECEIPT_BYTES) return { ok: false, message: t('spending:errors.receiptTooBig') };
  const found = await fileTypeFromBuffer(file.buffer);
  if (!found || !ACCEPTED[found.mime]) return { ok: false, message: t('spending:errors.receiptType') };
  const originalName = file.originalname.replace(/[\u0000-\u001f\u007f]/g, '').slice(-255) || `receipt.${ACCEPTED[found.mime]!.ext}`;
  return { ok: true, receipt: { bytes: file.buffer, mediaType: found.mime, originalName } };
}

/**
 * Keeps a receipt with its spending record, inside the caller's transaction. The file is written
 * before the row; if anything after fails, the caller's catch removes the file (see
 * `recordSpendingWithReceipt`), so a receipt is never half-saved either way.
 */
export async function saveReceipt(
  trx: Transaction<DB>,
  store: FileStore,
  args: { spendingRecordId: string; receipt: CheckedReceipt; user: CurrentUser; personId: string; ip?: string; written: string[] },
): Promise<string> {
  const key = newStorageKey();
  await store.put(key, args.receipt.bytes);
  args.written.push(key);
  const row = await trx
    .insertInto('receipts')
    .values({
      spending_record_id: args.spendingRecordId,
      storage_key: key,
      media_type: args.receipt.mediaType,
      size_bytes: args.receipt.bytes.length,
      sha256: crypto.createHash('sha256').update(args.receipt.bytes).digest('hex'),
      original_name: args.receipt.originalName,
      uploaded_by: args.user.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, {
    action: 'create',
    entityType: 'receipt',
    entityId: row.id,
    personId: args.personId,
    details: { spendingRecordId: args.spendingRecordId, mediaType: args.receipt.mediaType, sizeBytes: args.receipt.bytes.length },
  }, args.ip);
  return row.id;
}

/** The receipt kept with one spending record of one direct payment, if there is one. */
export async function receiptOf(db: Db, directPaymentId: string, spendingRecordId: string) {
  return db
    .selectFrom('receipts')
    .innerJoin('spending_records', 'spending_records.id', 'receipts.spending_record_id')
    .select(['receipts.id', 'receipts.storage_key', 'receipts.media_type', 'receipts.size_bytes', 'receipts.sha256', 'spending_records.spent_on'])
    .where('spending_records.direct_payment_id', '=', directPaymentId)
    .where('spending_records.id', '=', spendingRecordId)
    .executeTakeFirst();
}

export function receiptFileName(mediaType: string, spentOn: string): string {
  return `receipt-${spentOn}.${ACCEPTED[mediaType]?.ext ?? 'bin'}`;
}
