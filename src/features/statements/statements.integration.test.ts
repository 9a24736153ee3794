import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { signedIn, startTestApp, type Agent, type TestApp } from '../../../test/support/app.ts';
import { readStatement } from '../../domain/statements/index.ts';
import { importStatement } from './import-statement.ts';
import { lastStatementDate, unmatchedLines } from './queries.ts';
import { createUpload, startImport, waitForImport } from './uploads.ts';
import { runJob } from '../../platform/jobs.ts';
import { flagsFor } from '../monitoring/queries.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../test/fixtures/statements');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

let t: TestApp;
let anwen: { dpId: string; personId: string; userId: string; reference: string };
let peter: { dpId: string; personId: string; councilId: string; createdBy: string };

const HEADER = 'Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance';
const ukDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const pounds = (p: number) => `${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
/** A Lloyds CSV from [date, pence (signed), description]. */
const lloyds = (rows: Array<[string, number, string]>) =>
  Buffer.from([HEADER, ...rows.map(([d, p, desc]) => `${ukDate(d)},DEB,'30-99-50,12345678,${desc},${p < 0 ? pounds(-p) : ''},${p > 0 ? pounds(p) : ''},0.00,`)].join('\r\n') + '\r\n');

async function importBytes(dpId: string, personId: string, bytes: Buffer, fileName = 'statement.csv') {
  const read = readStatement(bytes);
  if (read.kind !== 'lines') throw new Error(read.kind);
  return importStatement(t.db, { directPaymentId: dpId, personId, user: null, via: 'cli', fileName, format: read.format, preset: read.preset, batches: read.batches });
}
const lineCount = async (dpId: string) => Number((await t.ownerDb.selectFrom('statement_lines').select((eb) => eb.fn.countAll<string>().as('n')).where('direct_payment_id', '=', dpId).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await startTestApp();
  const find = async (given: string) => {
    const person = await t.ownerDb.selectFrom('people').select(['id', 'user_id']).where('given_name', '=', given).executeTakeFirstOrThrow();
    const dp = await t.ownerDb.selectFrom('direct_payments').select(['id', 'reference', 'council_id', 'created_by']).where('person_id', '=', person.id).where('status', '=', 'active').executeTakeFirstOrThrow();
    return { dpId: dp.id, personId: person.id, userId: person.user_id!, reference: dp.reference, councilId: dp.council_id, createdBy: dp.created_by };
  };
  anwen = await find('Anwen');
  peter = await find('Peter').catch(() => find('John'));
});
afterAll(async () => t?.stop());

describe('importing is idempotent and all-or-nothing', () => {
  it('imports every preset and format, and the same file twice adds nothing', async () => {
    const files = ['lloyds.csv', 'nationwide.csv', 'barclays.csv', 'hsbc.csv', 'natwest.csv', 'starling.csv', 'monzo.csv', 'ofx1.ofx', 'ofx2.ofx', 'camt053.xml', 'statement-us.qif'];
    for (const name of files) {
      // Each file is a different account's: a direct payment of its own.
      const dp = await t.ownerDb.insertInto('direct_payments').values({ council_id: peter.councilId, person_id: peter.personId, kind: 'one_off', status: 'active', purpose: name, amount_pence: 123400, payment_method: 'bank_account', created_by: peter.createdBy }).returning('id').executeTakeFirstOrThrow();
      const first = await importBytes(dp.id, peter.personId, fixture(name), name);
      expect(first.linesRead, name).toBeGreaterThan(1);
      expect(first.linesAdded, name).toBe(first.linesRead);
      expect(await lineCount(dp.id), name).toBe(first.linesRead);
      const again = await importBytes(dp.id, peter.personId, fixture(name), name);
      expect(again, name).toMatchObject({ linesRead: first.linesRead, linesAdded: 0, alreadyPresent: first.linesRead });
      expect(await lineCount(dp.id), name).toBe(first.linesRead);
      if (name === 'lloyds.csv') peter.dpId = dp.id;
    }
    // Two identical lines on one day (two swimming lessons at £45) are both kept.
    const swims = await t.ownerDb.selectFrom('statement_lines').select('fingerprint').where('direct_payment_id', '=', peter.dpId).where('description', '=', 'SWIM ACADEMY CD 4821').execute();
    expect(swims).toHaveLength(2);
    expect(await lastStatementDate(t.db, peter.dpId)).toBe('2026-11-17');
  });

  it('overlapping statements never duplicate a line, even identical ones on the same day', async () => {
    const dp = anwen.dpId;
    const october: Array<[string, number, string]> = [
      ['2026-10-01', -250, 'COFFEE CORNER'],
      ['2026-10-15', -250, 'COFFEE CORNER'],
      ['2026-10-15', -250, 'COFFEE CORNER'],
      ['2026-10-20', -1999, 'ARGOS LTD'],
    ];
    const overlapping: Array<[string, number, string]> = [
      ['2026-10-15', -250, 'COFFEE CORNER'],
      ['2026-10-15', -250, 'COFFEE CORNER'],
      ['2026-10-20', -1999, 'ARGOS LTD'],
      ['2026-10-28', -4500, 'SWIM ACADEMY'],
    ];
    const before = await lineCount(dp);
    expect(await importBytes(dp, anwen.personId, lloyds(october))).toMatchObject({ linesRead: 4, linesAdded: 4 });
    expect(await importBytes(dp, anwen.personId, lloyds(overlapping))).toMatchObject({ linesRead: 4, linesAdded: 1, alreadyPresent: 3 });
    expect(await lineCount(dp)).toBe(before + 5);
  });

  it('a bank id given twice in one file is kept once, and a second file with it adds nothing twice, across batches', async () => {
    const head = 'Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,Local currency,Notes and #tags,Address,Receipt,Description,Category split,Money Out,Money In';
    const row = (id: string, d: string, pence: number, name: string) => `${id},${ukDate(d)},10:00:00,Card payment,${name},,shopping,${(pence / 100).toFixed(2)},GBP,${(pence / 100).toFixed(2)},GBP,,,,${name},,,`;
    const rows: string[] = [];
    for (let i = 0; i < 12_000; i++) rows.push(row(`tx_${i % 11_000}`, '2026-09-01', -(100 + i), `SHOP ${i}`));
    const bytes = Buffer.from([head, ...rows].join('\n') + '\n');
    const read = readStatement(bytes);
    expect(read.kind === 'lines' && read.preset).toBe('monzo');
    // A direct payment of its own (a draft), so its 11,000 lines stay out of the other tests' way.
    const base = await t.ownerDb.selectFrom('direct_payments').selectAll().where('id', '=', anwen.dpId).executeTakeFirstOrThrow();
    const dp = (await t.ownerDb.insertInto('direct_payments').values({ council_id: base.council_id, person_id: base.person_id, kind: 'ongoing', status: 'draft', purpose: 'Bank ids', weekly_amount_pence: 10_000, frequency: 'four_weekly', payment_method: 'bank_account', created_by: base.created_by }).returning('id').executeTakeFirstOrThrow()).id;
    const before = await lineCount(dp);
    expect(await importBytes(dp, anwen.personId, bytes)).toMatchObject({ linesRead: 12_000, linesAdded: 11_000, alreadyPresent: 1_000 });
    expect(await lineCount(dp)).toBe(before + 11_000);
    // The first 1,000 ids again (now in other batches) and 500 new ones.
    const again = Buffer.from([head, ...rows.slice(0, 1_000), ...Array.from({ length: 500 }, (_, i) => row(`new_${i}`, '2026-09-02', -100, 'NEW'))].join('\n') + '\n');
    expect(await importBytes(dp, anwen.personId, again)).toMatchObject({ linesRead: 1_500, linesAdded: 500, alreadyPresent: 1_000 });
    expect(await lineCount(dp)).toBe(before + 11_500);
  });

  it('a file broken part way keeps nothing: no lines, no import row, no audit row', async () => {
    const rows: Array<[string, number, string]> = [];
    for (let i = 0; i < 30_000; i++) rows.push(['2025-01-02', -(100 + i), `SHOP ${i}`]);
    const bytes = Buffer.from(lloyds(rows).toString().replace('02/01/2025,DEB,\'30-99-50,12345678,SHOP 29000,', '30/02/2025,DEB,\'30-99-50,12345678,SHOP 29000,'));
    const counts = async () => Promise.all(['statement_lines', 'statement_imports', 'audit_log'].map(async (table) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.ownerDb)).rows[0]!.n)));
    const before = await counts();
    await expect(importBytes(anwen.dpId, anwen.personId, bytes)).rejects.toThrow('Line 29002: the date “30/02/2025” is not a date we can read');
    expect(await counts()).toEqual(before);
  });

  it('matches money in to council payments and money out to recorded spending', async () => {
    const payments = await t.ownerDb.selectFrom('payments').innerJoin('ledger_transactions', 'ledger_transactions.id', 'payments.ledger_transaction_id').select(['payments.id', 'payments.amount_pence', 'ledger_transactions.effective_on']).where('payments.direct_payment_id', '=', anwen.dpId).where('payments.status', '=', 'paid').orderBy('ledger_transactions.effective_on').execute();
    const spending = await t.ownerDb.selectFrom('spending_records').select(['id', 'amount_pence', 'spent_on', 'paid_to']).where('direct_payment_id', '=', anwen.dpId).orderBy('spent_on').execute();
    expect(payments.length).toBeGreaterThan(2);
    expect(spending.length).toBeGreaterThan(2);
    const rows: Array<[string, number, string]> = [
      // The payment shows a day after it was paid; the PA's wages two days after they were recorded.
      ...payments.slice(0, 2).map((p): [string, number, string] => [addDays(p.effective_on, 1), p.amount_pence, 'EASTMOOR CC DP PAYMENT']),
      ...spending.slice(0, 2).map((s): [string, number, string] => [addDays(s.spent_on, 2), -s.amount_pence, 'EASTMOOR PAYROLL SERVICES']),
      // Nothing recorded for these.
      ['2026-11-02', -3120, 'BOOTS PHARMACY'],
    ];
    const r = await importBytes(anwen.dpId, anwen.personId, lloyds(rows));
    expect(r.matched).toBe(4);
    const lines = await t.ownerDb.selectFrom('statement_lines').select(['description', 'match_kind', 'payment_id', 'spending_record_id']).where('import_id', '=', r.importId).orderBy('posted_on').execute();
    expect(lines.filter((l) => l.match_kind === 'council_payment').map((l) => l.payment_id).sort()).toEqual(payments.slice(0, 2).map((p) => p.id).sort());
    expect(lines.filter((l) => l.match_kind === 'spending').map((l) => l.spending_record_id).sort()).toEqual(spending.slice(0, 2).map((s) => s.id).sort());
    const open = await unmatchedLines(t.db, anwen.dpId);
    expect(open.map((l) => l.description)).toContain('BOOTS PHARMACY');
    // Finance see the match, and the receipt of the spending it matched.
    await t.ownerDb.insertInto('receipts').values({ spending_record_id: spending[0]!.id, storage_key: '00000000-0000-4000-8000-000000000001', media_type: 'application/pdf', size_bytes: 10, sha256: 'a'.repeat(64), original_name: 'payslip.pdf', uploaded_by: anwen.userId }).onConflict((oc) => oc.column('spending_record_id').doNothing()).execute();
    const finance = await signedIn(t.app, 'finance');
    const page = await finance.get(`/direct-payments/${anwen.dpId}/statements`);
    expect(page.text).toContain(`Spending recorded: ${spending[0]!.paid_to}`);
    expect(page.text).toContain(`/direct-payments/${anwen.dpId}/spending/${spending[0]!.id}/receipt`);
    expect(page.text).toContain('The council’s payment for');
  });

  it('the app role cannot delete lines or imports, nor change what a line says; a line belongs to its import’s direct payment', async () => {
    await expect(sql`delete from statement_lines where direct_payment_id = ${anwen.dpId}`.execute(t.db)).rejects.toThrow(/permission denied/);
    await expect(sql`delete from statement_imports where direct_payment_id = ${anwen.dpId}`.execute(t.db)).rejects.toThrow(/permission denied/);
    await expect(sql`update statement_lines set amount_pence = 1 where direct_payment_id = ${anwen.dpId}`.execute(t.db)).rejects.toThrow(/permission denied/);
    await expect(sql`update statement_lines set description = 'x' where direct_payment_id = ${anwen.dpId}`.execute(t.db)).rejects.toThrow(/permission denied/);
    const imp = await t.ownerDb.selectFrom('statement_imports').select('id').where('direct_payment_id', '=', anwen.dpId).executeTakeFirstOrThrow();
    await expect(sql`insert into statement_lines (direct_payment_id, import_id, posted_on, amount_pence, description, fingerprint) values (${peter.dpId}, ${imp.id}, '2026-11-01', 100, 'x', 'x#1')`.execute(t.db)).rejects.toThrow(/must belong to an import of the same direct payment/);
  });
});

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe('the pages', () => {
  let a: Agent;
  const upload = async (agent: Agent, url: string, bytes: Buffer, name: string) => {
    const csrf = await agent.csrf();
    return agent.post(url).field('_csrf', csrf).attach('file', bytes, name);
  };
  beforeAll(async () => {
    a = await signedIn(t.app, 'anwen');
  });

  it('an upload and an explanation each store the direct payment’s monitoring flags again at once', async () => {
    const stored = async () => {
      const rows = await t.db.selectFrom('monitoring_flags').select(['rule', 'evidence']).where('direct_payment_id', '=', anwen.dpId).where('rule', '=', 'unexplained_spending').execute();
      return Number((rows[0]?.evidence as { unexplainedPence?: number } | undefined)?.unexplainedPence ?? 0);
    };
    const live = async () => Number((await flagsFor(t.db, anwen.dpId, { today: t.clock.today() })).find((f) => f.rule === 'unexplained_spending')?.evidence.unexplainedPence ?? 0);
    const res = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, lloyds([['2026-11-21', -60_000, 'MYSTERY PAYMENT 9911']]), 'mystery.csv');
    expect(res.status).toBe(303);
    const withLine = await stored();
    expect(withLine).toBeGreaterThanOrEqual(60_000);
    expect(withLine).toBe(await live());
    const line = await t.ownerDb.selectFrom('statement_lines').select('id').where('description', '=', 'MYSTERY PAYMENT 9911').executeTakeFirstOrThrow();
    expect((await a.post2(`/my/statement-lines/${line.id}`, { explanation: 'A new wheelchair cushion' })).status).toBe(303);
    const after = await stored();
    expect(after).toBeLessThan(withLine);
    expect(after).toBe(await live());
  });

  it('a recipient uploads a statement, then explains a line in a sentence', async () => {
    const page = await a.get(`/my/direct-payments/${anwen.dpId}/statements`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Your bank statements');
    const res = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, lloyds([['2026-11-20', -1234, 'GARDEN CENTRE EASTMOOR']]), 'november.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location!).toBe(`/my/direct-payments/${anwen.dpId}/statements`);
    const after = await a.get(res.headers.location!);
    expect(after.text).toContain('Statement imported');
    expect(after.text).toContain('1 lines read: 1 new, 0 already here.');
    const line = await t.ownerDb.selectFrom('statement_lines').select('id').where('description', '=', 'GARDEN CENTRE EASTMOOR').executeTakeFirstOrThrow();
    const list = await a.get(`/my/direct-payments/${anwen.dpId}/statements/to-explain`);
    expect(list.text).toContain('GARDEN CENTRE EASTMOOR');
    expect(list.text).toContain(`/my/statement-lines/${line.id}`);

    const empty = await a.post2(`/my/statement-lines/${line.id}`, { explanation: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Say what the money was for, in a sentence');
    const saved = await a.post2(`/my/statement-lines/${line.id}`, { explanation: 'Plants for the garden, which my PA and I look after together' });
    expect(saved.status).toBe(303);
    const row = await t.ownerDb.selectFrom('statement_lines').select(['match_kind', 'explanation', 'matched_by']).where('id', '=', line.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ match_kind: 'explained', explanation: 'Plants for the garden, which my PA and I look after together', matched_by: anwen.userId });
    const audit = await t.ownerDb.selectFrom('audit_log').select('action').where('entity_type', '=', 'statement-line').where('entity_id', '=', line.id).execute();
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['view', 'update']));

    // The finance officer and the practitioner see the line with the person's own words.
    for (const staffUser of ['finance', 'practitioner']) {
      const s = await signedIn(t.app, staffUser);
      const staffPage = await s.get(`/direct-payments/${anwen.dpId}/statements`);
      expect(staffPage.status, staffUser).toBe(200);
      expect(staffPage.text).toContain('Plants for the garden, which my PA and I look after together');
    }
  });

  it('a refused file is reported on the form, in Welsh for a Welsh speaker, with nothing kept', async () => {
    const before = await lineCount(anwen.dpId);
    const res = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, fixture('broken/missing-column.csv'), 'missing-column.csv');
    expect(res.status).toBe(400);
    expect(res.text).toContain('We could not import missing-column.csv: line 3: this row has 7 values but the heading row has 8: a column is missing. Nothing was saved.');
    await t.ownerDb.updateTable('users').set({ preferred_language: 'cy' }).where('id', '=', anwen.userId).execute();
    try {
      const cy = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, fixture('broken/bad-dates.csv'), 'bad-dates.csv');
      expect(cy.status).toBe(400);
      expect(cy.text).toContain('Nid oedd modd i ni fewnforio bad-dates.csv: llinell 3: nid yw’r dyddiad “31/02/2026” yn ddyddiad y gallwn ei ddarllen');
    } finally {
      await t.ownerDb.updateTable('users').set({ preferred_language: null }).where('id', '=', anwen.userId).execute();
    }
    expect(await lineCount(anwen.dpId)).toBe(before);
  });

  it('refuses a file over 50 MB with a clear message', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 1, 'a');
    const res = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, big, 'huge.csv');
    expect(res.status).toBe(400);
    expect(res.text).toContain('The selected file must be smaller than 50 MB');
    const notAStatement = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, fixture('broken/not-a-statement.csv'), 'contacts.csv');
    expect(notAStatement.status).toBe(400);
    expect(notAStatement.text).toContain('it is not a statement we can read: it has no column of dates');
  });

  it('asks which column is which for an unknown CSV, and remembers it for next time', async () => {
    const res = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, fixture('prepaid-card.csv'), 'card.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location!).toMatch(/^\/my\/statement-uploads\/[0-9a-f-]{36}\/columns$/);
    const form = await a.get(res.headers.location!);
    expect(form.text).toContain('Which column is which?');
    expect(form.text).toContain('Txn Date (for example 2026-11-02)');
    const missing = await a.post2(res.headers.location!, { date: '', dateOrder: 'dmy', description: '2', amountKind: 'signed', amount: '3' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Choose the column with the date');
    const done = await a.post2(res.headers.location!, { date: '1', dateOrder: 'dmy', description: '2', counterparty: '', amountKind: 'signed', amount: '3' });
    expect(done.status, done.text.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0]).toBe(303);
    expect(done.headers.location).toBe(`/my/direct-payments/${anwen.dpId}/statements`);
    expect(await t.ownerDb.selectFrom('statement_lines').select('amount_pence').where('description', '=', 'CHESTNUT CARE AGENCY').executeTakeFirstOrThrow()).toEqual({ amount_pence: -42000 });
    // The next statement from the same card is read without asking.
    const next = Buffer.from(fixture('prepaid-card.csv').toString().replace('ASDA SUPERSTORE,-31.45', 'LIDL,-12.10'));
    const second = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, next, 'card-december.csv');
    expect(second.headers.location).toBe(`/my/direct-payments/${anwen.dpId}/statements`);
    expect(await t.ownerDb.selectFrom('statement_lines').select('amount_pence').where('description', '=', 'LIDL').executeTakeFirstOrThrow()).toEqual({ amount_pence: -1210 });
  });

  it('asks a QIF file’s date order', async () => {
    const res = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, fixture('statement.qif'), 'money.qif');
    expect(res.headers.location!).toMatch(/\/dates$/);
    const page = await a.get(res.headers.location!);
    expect(page.text).toContain('How are the dates written in this file?');
    expect(page.text).toContain('02/11/2026, 03/11/2026, 10/11/2026');
    expect((await a.post2(res.headers.location!, {})).status).toBe(400);
    const done = await a.post2(res.headers.location!, { dateOrder: 'dmy' });
    expect(done.status).toBe(303);
    expect(await t.ownerDb.selectFrom('statement_lines').select('posted_on').where('direct_payment_id', '=', anwen.dpId).where('description', '=', 'NEST PENSIONS').executeTakeFirstOrThrow()).toEqual({ posted_on: '2026-11-10' });
  });

  it('shows a long import’s progress, then its result', async () => {
    const rows: Array<[string, number, string]> = [];
    for (let i = 0; i < 60_000; i++) rows.push(['2024-03-01', -(100 + (i % 5000)), `CARD PAYMENT ${i}`]);
    const user = { id: anwen.userId, username: 'anwen', role: 'recipient' as const };
    const id = await createUpload(t.db, { directPaymentId: anwen.dpId, personId: anwen.personId, user, fileName: 'years.csv', bytes: lloyds(rows) });
    const job = startImport(t, id, user, anwen.personId);
    const during = await a.get(`/my/statement-uploads/${id}`);
    expect(during.status).toBe(200);
    expect(during.text).toContain('Importing your statement');
    expect(during.text).toContain('Check progress');
    await job;
    expect(await waitForImport(id, 10)).toBe(true);
    const after = await a.get(`/my/statement-uploads/${id}`);
    expect(after.text).toContain('Statement imported');
    expect(after.text).toContain('60000 lines read: 60000 new, 0 already here.');
    const stored = await t.ownerDb.selectFrom('statement_uploads').select(['bytes', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ bytes: null, status: 'done' });
  }, 60_000);

  it('a line can be matched to a suggested spending record, only one of this direct payment’s', async () => {
    const spending = await t.ownerDb.selectFrom('spending_records').select(['id', 'amount_pence', 'spent_on', 'paid_to']).where('direct_payment_id', '=', anwen.dpId).where(({ not, exists, selectFrom }) => not(exists(selectFrom('statement_lines').select('statement_lines.id').whereRef('statement_lines.spending_record_id', '=', 'spending_records.id')))).orderBy('spent_on', 'desc').executeTakeFirstOrThrow();
    // Twelve days after it was recorded: too far to match by itself, near enough to suggest.
    const r = await importBytes(anwen.dpId, anwen.personId, lloyds([[addDays(spending.spent_on, 12), -spending.amount_pence, 'FPO EASTMOOR PAYROLL']]));
    expect(r.matched).toBe(0);
    const line = await t.ownerDb.selectFrom('statement_lines').select('id').where('import_id', '=', r.importId).executeTakeFirstOrThrow();
    const page = await a.get(`/my/statement-lines/${line.id}`);
    expect(page.text).toContain('Is it something already recorded?');
    expect(page.text).toContain(`name="spendingId" value="${spending.id}"`);
    // Someone else's spending record is refused: the line stays as it was.
    const other = await t.ownerDb.selectFrom('spending_records').select('id').where('direct_payment_id', '<>', anwen.dpId).executeTakeFirstOrThrow();
    const refused = await a.post2(`/my/statement-lines/${line.id}`, { spendingId: other.id });
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toBe(`/my/statement-lines/${line.id}`);
    expect(await t.ownerDb.selectFrom('statement_lines').select('match_kind').where('id', '=', line.id).executeTakeFirstOrThrow()).toEqual({ match_kind: null });
    const chosen = await a.post2(`/my/statement-lines/${line.id}`, { spendingId: spending.id });
    expect(chosen.status).toBe(303);
    expect(await t.ownerDb.selectFrom('statement_lines').select(['match_kind', 'spending_record_id', 'matched_automatically']).where('id', '=', line.id).executeTakeFirstOrThrow()).toEqual({ match_kind: 'spending', spending_record_id: spending.id, matched_automatically: false });
  });

  it('a representative uploads for the person they act for, and only for them', async () => {
    const non = await signedIn(t.app, 'non');
    const cerys = await t.ownerDb.selectFrom('people').innerJoin('direct_payments', 'direct_payments.person_id', 'people.id').select('direct_payments.id').where('people.given_name', '=', 'Cerys').where('direct_payments.status', '<>', 'draft').executeTakeFirstOrThrow();
    const res = await upload(non, `/my/direct-payments/${cerys.id}/statements`, fixture('starling.csv'), 'starling.csv');
    expect(res.status).toBe(303);
    expect(await lineCount(cerys.id)).toBe(3);
    const page = await non.get(`/my/direct-payments/${cerys.id}/statements`);
    expect(page.text).toMatch(/Cerys/);
    expect((await upload(non, `/my/direct-payments/${anwen.dpId}/statements`, fixture('starling.csv'), 'starling.csv')).status).toBe(404);
  });

  it('forgets a file left waiting for an answer for a week', async () => {
    const res = await upload(a, `/my/direct-payments/${anwen.dpId}/statements`, fixture('statement.qif'), 'left.qif');
    const id = res.headers.location!.split('/')[3]!;
    expect(await runJob(t, 'statements.forget-abandoned-uploads')).toEqual({ processed: 0 });
    await t.ownerDb.updateTable('statement_uploads').set({ updated_at: sql`now() - interval '8 days'` }).where('id', '=', id).execute();
    expect(await runJob(t, 'statements.forget-abandoned-uploads')).toEqual({ processed: 1 });
    expect(await t.ownerDb.selectFrom('statement_uploads').select(['bytes', 'status']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ bytes: null, status: 'failed' });
    const page = await a.get(`/my/statement-uploads/${id}`);
    expect(page.text).toContain('the import stopped before it finished. Upload the file again');
  });

  it('a practitioner may read but not upload; another recipient gets nothing', async () => {
    const p = await signedIn(t.app, 'practitioner');
    const page = await p.get(`/direct-payments/${anwen.dpId}/statements`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Upload statement');
    const refused = await upload(p, `/direct-payments/${anwen.dpId}/statements`, fixture('lloyds.csv'), 'x.csv');
    expect(refused.status).toBe(403);
    const other = await signedIn(t.app, 'peter');
    const before = await lineCount(anwen.dpId);
    expect((await other.get(`/my/direct-payments/${anwen.dpId}/statements`)).status).toBe(404);
    expect((await upload(other, `/my/direct-payments/${anwen.dpId}/statements`, fixture('lloyds.csv'), 'x.csv')).status).toBe(404);
    const line = await t.ownerDb.selectFrom('statement_lines').select('id').where('direct_payment_id', '=', anwen.dpId).executeTakeFirstOrThrow();
    expect((await other.get(`/my/statement-lines/${line.id}`)).status).toBe(404);
    expect((await other.post2(`/my/statement-lines/${line.id}`, { explanation: 'not mine' })).status).toBe(404);
    expect(await lineCount(anwen.dpId)).toBe(before);
  });
});
