import crypto from 'node:crypto';
import PDFDocument from 'pdfkit';
import type { Transaction } from 'kysely';
import type { DB } from '../platform/db/schema.ts';
import type { Services } from '../platform/services.ts';
import { formatPounds } from '../domain/money.ts';
import { newStorageKey, receiptStore } from '../platform/storage/index.ts';

/** A receipt as a shop would print it, as a PDF. */
async function receiptPdf(lines: string[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A6', margin: 24, info: { Title: 'Receipt' } });
  const parts: Buffer[] = [];
  doc.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  for (const line of lines) doc.fontSize(10).text(line);
  doc.end();
  await done;
  return Buffer.concat(parts);
}

/** Receipts kept with the demo's first recorded purchases (Peter's cooker, Anwen's first PA wages). */
export async function seedDemoReceipts(trx: Transaction<DB>, services: Services): Promise<void> {
  const store = receiptStore(services.config);
  for (const given of ['Peter', 'Anwen']) {
    const record = await trx
      .selectFrom('spending_records')
      .innerJoin('direct_payments', 'direct_payments.id', 'spending_records.direct_payment_id')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['spending_records.id', 'spending_records.spent_on', 'spending_records.amount_pence', 'spending_records.paid_to', 'spending_records.recorded_by'])
      .where('people.given_name', '=', given)
      .orderBy('spending_records.spent_on')
      .executeTakeFirst();
    if (!record) continue;
    const bytes = await receiptPdf([record.paid_to, `Date: ${record.spent_on}`, `Total: ${formatPounds(record.amount_pence)}`, 'Paid – thank you']);
    const key = newStorageKey();
    await store.put(key, bytes);
    await trx
      .insertInto('receipts')
      .values({
        spending_record_id: record.id,
        storage_key: key,
        media_type: 'application/pdf',
        size_bytes: bytes.length,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        original_name: 'receipt.pdf',
        uploaded_by: record.recorded_by,
      })
      .execute();
  }
}
