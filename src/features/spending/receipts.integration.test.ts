import fs from 'node:fs';
import crypto from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp, type Agent } from '../../../test/support/app.ts';
import { representativeFor } from '../payments/test-data.ts';
import { receiptStore, localDiskStore } from '../../platform/storage/index.ts';
import { loadUser } from '../../platform/http/auth.ts';
import { recordSpendingWithReceipt } from './record-spending.ts';
import { bigPdfLike, exeRenamed, heicReceipt, jpegReceipt, pdfReceipt, pngReceipt } from './test-files.ts';

let t: TestApp;
let peter: Agent;
let dpId: string;
let personId: string;
beforeAll(async () => {
  t = await startTestApp();
  const person = await t.db.selectFrom('people').select('id').where('given_name', '=', 'Peter').executeTakeFirstOrThrow();
  personId = person.id;
  dpId = (await t.db.selectFrom('direct_payments').select('id').where('person_id', '=', person.id).executeTakeFirstOrThrow()).id;
  peter = await signedIn(t.app, 'peter');
});
afterAll(async () => {
  await t?.stop();
});

const answers = { 'spentOn-day': '20', 'spentOn-month': '11', 'spentOn-year': '2026', amount: '12.50', paidTo: 'Eastmoor Hardware', outcome: '0', note: 'Oven gloves' };

/** Posts the spending form as a browser does: CSRF first, the answers, then the file last. */
async function postWithFile(agent: Agent, file: { bytes: Buffer; name: string; type: string } | null, change: Record<string, string> = {}) {
  let req = agent.post(`/my/direct-payments/${dpId}/spending/new`).field('_csrf', await agent.csrf());
  for (const [k, v] of Object.entries({ ...answers, ...change })) req = req.field(k, v);
  if (file) req = req.attach('file', file.bytes, { filename: file.name, contentType: file.type });
  return req;
}

const counts = async () => ({
  records: (await t.db.selectFrom('spending_records').select('id').where('direct_payment_id', '=', dpId).execute()).length,
  receipts: (await t.db.selectFrom('receipts').select('id').execute()).length,
  files: fs.existsSync(t.config.receiptsDir) ? fs.readdirSync(t.config.receiptsDir).length : 0,
});

describe('a receipt with what was bought', () => {
  it('takes a photo (JPEG, PNG, HEIC) or a PDF, checked by content, and keeps it outside the web root', async () => {
    const pdf = await pdfReceipt();
    const files = [
      { bytes: jpegReceipt(), name: 'IMG_0042.JPG', type: 'image/jpeg', media: 'image/jpeg' },
      { bytes: pngReceipt(), name: 'receipt.png', type: 'image/png', media: 'image/png' },
      { bytes: heicReceipt(), name: 'IMG_0043.HEIC', type: 'image/heic', media: 'image/heic' },
      // The browser's claim and the name are not what decides: this PDF says it is a JPEG.
      { bytes: pdf, name: 'scan.jpg', type: 'image/jpeg', media: 'application/pdf' },
    ];
    for (const file of files) {
      const before = await counts();
      const res = await postWithFile(peter, file, { paidTo: `Shop for ${file.name}` });
      expect(res.status, file.name).toBe(303);
      expect(res.headers.location).toBe(`/my/direct-payments/${dpId}?recorded=receipt`);
      const after = await counts();
      expect(after).toEqual({ records: before.records + 1, receipts: before.receipts + 1, files: before.files + 1 });
      const row = await t.db
        .selectFrom('receipts')
        .innerJoin('spending_records', 'spending_records.id', 'receipts.spending_record_id')
        .select(['receipts.media_type', 'receipts.sha256', 'receipts.size_bytes', 'receipts.storage_key', 'receipts.original_name'])
        .where('spending_records.paid_to', '=', `Shop for ${file.name}`)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ media_type: file.media, size_bytes: file.bytes.length, sha256: crypto.createHash('sha256').update(file.bytes).digest('hex'), original_name: file.name });
      // Stored under a random key in the receipts folder, which is not inside the app's source or public folders.
      expect(fs.readFileSync(`${t.config.receiptsDir}/${row.storage_key}`)).toEqual(file.bytes);
    }
    expect(t.config.receiptsDir.startsWith(process.cwd())).toBe(false);
    const home = await peter.get(`/my/direct-payments/${dpId}?recorded=receipt`);
    expect(home.text).toContain('The receipt has been saved with it.');
    expect(home.text).toContain('See the receipt (photo)');
    expect(home.text).toContain('See the receipt (PDF)');
  });

  it('saves the record without a receipt when none is chosen', async () => {
    const before = await counts();
    const res = await postWithFile(peter, null);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/my/direct-payments/${dpId}?recorded=yes`);
    expect(await counts()).toEqual({ ...before, records: before.records + 1 });
  });

  it('refuses a renamed program or text file, an empty file and one over 10 MB, keeping what was typed and saving nothing', async () => {
    const cases: Array<[{ bytes: Buffer; name: string; type: string }, string]> = [
      [{ bytes: exeRenamed(), name: 'receipt.jpg', type: 'image/jpeg' }, 'The receipt must be a photo (JPEG, PNG or HEIC) or a PDF'],
      [{ bytes: exeRenamed(), name: 'setup.exe', type: 'application/x-msdownload' }, 'The receipt must be a photo (JPEG, PNG or HEIC) or a PDF'],
      [{ bytes: Buffer.from('Paid £12.50 to Eastmoor Hardware\n'), name: 'receipt.pdf', type: 'application/pdf' }, 'The receipt must be a photo (JPEG, PNG or HEIC) or a PDF'],
      [{ bytes: Buffer.alloc(0), name: 'empty.png', type: 'image/png' }, 'The receipt file is empty'],
      [{ bytes: bigPdfLike(10 * 1024 * 1024 + 1), name: 'big-scan.pdf', type: 'application/pdf' }, 'The receipt must be smaller than 10 MB'],
    ];
    const before = await counts();
    for (const [file, message] of cases) {
      const res = await postWithFile(peter, file);
      expect(res.status, file.name).toBe(400);
      expect(res.text).toContain('There is a problem');
      expect(res.text).toContain(message);
      expect(res.text).toContain('href="#file"');
      expect(res.text).toContain('value="Eastmoor Hardware"');
      expect(res.text).toContain('Oven gloves');
      expect(res.text).toContain('If you chose a receipt, choose it again');
    }
    // Exactly 10 MB is allowed.
    const limit = await postWithFile(peter, { bytes: bigPdfLike(10 * 1024 * 1024), name: 'limit.pdf', type: 'application/pdf' }, { paidTo: 'Limit' });
    expect(limit.status).toBe(303);
    expect(await counts()).toEqual({ records: before.records + 1, receipts: before.receipts + 1, files: before.files + 1 });
  });

  it('a bad answer with a good receipt saves nothing either', async () => {
    const before = await counts();
    const res = await postWithFile(peter, { bytes: pngReceipt(), name: 'r.png', type: 'image/png' }, { amount: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter how much you paid');
    expect(await counts()).toEqual(before);
  });

  it('never half-saves: when the database refuses the receipt row, the record goes and the file is removed', async () => {
    const user = (await loadUser(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'peter').executeTakeFirstOrThrow()).id))!;
    const before = await counts();
    await expect(
      recordSpendingWithReceipt(t.db, receiptStore(t.config), {
        directPaymentId: dpId, personId, user, choices: ['x'],
        form: { spentOn: '2026-11-20', amount: 100, paidTo: 'Half', outcome: '0', note: '' },
        // A type the database does not allow: the insert fails after the file is written.
        receipt: { bytes: pngReceipt(), mediaType: 'image/gif', originalName: 'r.gif' },
      }),
    ).rejects.toThrow();
    expect(await counts()).toEqual(before);
  });

  it('shows a receipt only to those who may see the direct payment', async () => {
    const record = await t.db
      .selectFrom('receipts')
      .innerJoin('spending_records', 'spending_records.id', 'receipts.spending_record_id')
      .select(['spending_records.id', 'receipts.id as receipt_id', 'receipts.storage_key', 'receipts.media_type'])
      .where('spending_records.direct_payment_id', '=', dpId)
      .where('receipts.media_type', '=', 'application/pdf')
      .executeTakeFirstOrThrow();
    const own = `/my/direct-payments/${dpId}/spending/${record.id}/receipt`;
    const staff = `/direct-payments/${dpId}/spending/${record.id}/receipt`;
    const stored = await localDiskStore(t.config.receiptsDir).get(record.storage_key);

    const mine = await peter.get(own).buffer(true);
    expect(mine.status).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.headers['cache-control']).toBe('no-store');
    expect(mine.headers['content-disposition']).toMatch(/^inline; filename="receipt-\d{4}-\d{2}-\d{2}\.pdf"$/);
    expect(Buffer.from(mine.body)).toEqual(stored);

    await representativeFor(t.db, 'sam', [personId]);
    expect((await (await signedIn(t.app, 'sam')).get(own)).status).toBe(200);
    const finance = await signedIn(t.app, 'finance');
    expect((await finance.get(staff)).status).toBe(200);
    // Staff reach it from the payments statement's spending table.
    expect((await finance.get(`/direct-payments/${dpId}/payments`)).text).toContain(`href="${staff}"`);

    // Another recipient, another person's representative, staff of another council, the wrong route for the role.
    expect((await (await signedIn(t.app, 'anwen')).get(own)).status).toBe(404);
    expect((await (await signedIn(t.app, 'non')).get(own)).status).toBe(404);
    expect((await (await signedIn(t.app, 'rhys')).get(staff)).status).toBe(404);
    expect((await peter.get(staff)).status).toBe(403);
    expect((await (await signedIn(t.app, 'finance')).get(own)).status).toBe(403);
    // The right direct payment with a spending record of another one, or a record with no receipt.
    const anwenDp = await t.db.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id').select('direct_payments.id').where('people.given_name', '=', 'Anwen').executeTakeFirstOrThrow();
    expect((await (await signedIn(t.app, 'anwen')).get(`/my/direct-payments/${anwenDp.id}/spending/${record.id}/receipt`)).status).toBe(404);
    const bare = await t.db.selectFrom('spending_records').leftJoin('receipts', 'receipts.spending_record_id', 'spending_records.id').select('spending_records.id').where('spending_records.direct_payment_id', '=', dpId).where('receipts.id', 'is', null).executeTakeFirstOrThrow();
    expect((await peter.get(`/my/direct-payments/${dpId}/spending/${bare.id}/receipt`)).status).toBe(404);
    expect((await request(t.app).get(own)).status).toBe(303);
    // Not reachable as a static file.
    expect((await peter.get(`/public/${record.storage_key}`)).status).toBe(404);

    const audited = await t.db.selectFrom('audit_log').select(['username', 'person_id']).where('action', '=', 'download').where('entity_type', '=', 'receipt').where('entity_id', '=', record.receipt_id).execute();
    expect(audited.map((a) => a.username).sort()).toEqual(['finance', 'peter', 'sam']);
    expect(audited.every((a) => a.person_id === personId)).toBe(true);
  });

  it('says it all in Welsh to someone who chose Cymraeg', async () => {
    await peter.post2('/language', { lang: 'cy', returnTo: '/my' });
    const form = await peter.get(`/my/direct-payments/${dpId}/spending/new`);
    expect(form.text).toContain('Cofnodi beth wnaethoch chi ei brynu');
    expect(form.text).toContain('Llun neu PDF o’r dderbynneb (dewisol)');
    const res = await postWithFile(peter, { bytes: bigPdfLike(10 * 1024 * 1024 + 10), name: 'big.pdf', type: 'application/pdf' }, { amount: 'lots' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Mae problem wedi codi');
    expect(res.text).toContain('Rhaid i’r dderbynneb fod yn llai na 10 MB');
    expect(res.text).toContain('Rhowch y swm mewn punnoedd, fel 24.99');
    await peter.post2('/language', { lang: 'en', returnTo: '/my' });
  });
});
