import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type express from 'express';
import { startTestApp, signedIn, type TestApp } from '../support/app.ts';

type RouteInfo = { method: 'get' | 'post'; path: string; params: string[] };

/** Every route the app serves, read from Express's own router, so a new route is swept automatically. */
function routesOf(app: express.Express): RouteInfo[] {
  const found: RouteInfo[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const path: string = layer.route.path;
        for (const method of Object.keys(layer.route.methods)) {
          if (method !== 'get' && method !== 'post') continue;
          found.push({ method, path, params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!) });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as any).router.stack);
  return found;
}

let t: TestApp;
let victim: Record<string, string>;
let victimWords: string[];

beforeAll(async () => {
  t = await startTestApp();
  const db = t.ownerDb;
  // Anwen's records are the target: everyone below tries to reach them.
  const person = await db.selectFrom('people').selectAll().where('given_name', '=', 'Anwen').executeTakeFirstOrThrow();
  const dp = await db.selectFrom('direct_payments').selectAll().where('person_id', '=', person.id).executeTakeFirstOrThrow();
  const plan = await db.selectFrom('care_plans').select('id').where('person_id', '=', person.id).executeTakeFirstOrThrow();
  const item = await db.selectFrom('plan_items').select('id').where('plan_id', '=', plan.id).executeTakeFirstOrThrow();
  const conversation = await db.selectFrom('conversations').select('id').where('person_id', '=', person.id).executeTakeFirstOrThrow();
  const bcase = await db.selectFrom('business_cases').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
  const option = await db.selectFrom('business_case_options').select('id').where('business_case_id', '=', bcase.id).executeTakeFirstOrThrow();
  const agreement = await db.selectFrom('agreements').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
  const review = await db.selectFrom('reviews').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
  const payment = await db.selectFrom('payments').select(['id', 'amount_pence']).where('direct_payment_id', '=', dp.id).where('status', '=', 'scheduled').executeTakeFirstOrThrow();
  const spending = await db.selectFrom('spending_records').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
  const contact = await db.selectFrom('contacts').select('id').where('person_id', '=', person.id).executeTakeFirstOrThrow();
  const decision = await db.selectFrom('panel_decisions').select('id').where('business_case_id', '=', bcase.id).executeTakeFirstOrThrow();
  // Anwen's PA, and the Family First Co-operative's pool and member (England: the attackers are not in it).
  const assistant = await db.selectFrom('personal_assistants').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
  const pool = await db.selectFrom('pools').select('id').where('name', '=', 'Family First Co-operative').executeTakeFirstOrThrow();
  const poolMember = await db.selectFrom('pool_members').select('id').where('pool_id', '=', pool.id).executeTakeFirstOrThrow();
  // A payment run holding Anwen's latest payment: its pages show her name and bank details.
  const finance = await db.selectFrom('users').select('id').where('username', '=', 'finance').executeTakeFirstOrThrow();
  const run = await db
    .insertInto('payment_runs')
    .values({ council_id: dp.council_id, payment_date: '2027-01-04', processing_date: '2026-12-31', latest_input_date: '2026-12-30', due_by: '2027-01-04', status: 'draft', created_by: finance.id, line_count: 1, total_pence: payment.amount_pence })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('payment_run_lines')
    .values({ run_id: run.id, line_number: 1, payment_id: payment.id, direct_payment_id: dp.id, amount_pence: payment.amount_pence, sort_code: dp.sort_code!, account_number: dp.account_number!, account_name: dp.account_name!, reference: dp.reference })
    .execute();
  // A contact request and a complaint of Anwen's (CONTACT helper).
  const anwenUser = person.user_id!;
  const contactRequest = await db
    .insertInto('contact_requests')
    .values({ council_id: dp.council_id, person_id: person.id, direct_payment_id: dp.id, kind: 'idea', message: 'Anwen Price would like a gym pass', created_by: anwenUser })
    .returning('id')
    .executeTakeFirstOrThrow();
  const complaint = await db
    .insertInto('complaints')
    .values({ council_id: dp.council_id, person_id: person.id, direct_payment_id: dp.id, received_on: '2026-11-20', received_by: 'online', summary: 'Anwen Price: a late payment', stage_started_on: '2026-11-20', acknowledge_by: '2026-11-25', respond_by: '2027-05-19', logged_by: anwenUser })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Anwen's bank statement: an import, a line (naming her) and the upload it came from (features/statements).
  const statementImport = await db.insertInto('statement_imports').values({ direct_payment_id: dp.id, uploaded_by: person.user_id, via: 'web', format: 'csv', file_name: 'anwen-price.csv', lines_read: 1, lines_added: 1 }).returning('id').executeTakeFirstOrThrow();
  const statementLine = await db.insertInto('statement_lines').values({ direct_payment_id: dp.id, import_id: statementImport.id, posted_on: '2026-11-02', amount_pence: -1234, description: 'TO ANWEN PRICE SAVINGS', fingerprint: 'no-leaks#1' }).returning('id').executeTakeFirstOrThrow();
  const statementUpload = await db.insertInto('statement_uploads').values({ direct_payment_id: dp.id, uploaded_by: person.user_id!, file_name: 'anwen-price.qif', size_bytes: 10, bytes: Buffer.from('!Type:Bank\n'), status: 'needs_date_order' }).returning('id').executeTakeFirstOrThrow();
  victim = {
    requestId: contactRequest.id,
    complaintId: complaint.id,
    runId: run.id,
    lineNumber: '1',
    personId: person.id,
    dpId: dp.id,
    directPaymentId: dp.id,
    planId: plan.id,
    itemId: item.id,
    conversationId: conversation.id,
    caseId: bcase.id,
    businessCaseId: bcase.id,
    optionId: option.id,
    agreementId: agreement.id,
    reviewId: review.id,
    paymentId: payment.id,
    spendingId: spending.id,
    lineId: statementLine.id,
    uploadId: statementUpload.id,
    contactId: contact.id,
    decisionId: decision.id,
    assistantId: assistant.id,
    poolId: pool.id,
    memberId: poolMember.id,
    userId: person.user_id!,
    // The feedback survey after Anwen's first payment (features/feedback).
    moment: 'first-payment',
    // An insight page (features/insight): counts only, for managers and finance.
    slug: 'spend',
  };
  victimWords = ['Anwen', 'Price', person.reference, dp.reference];
});
afterAll(async () => t?.stop());

async function rowCounts(): Promise<string> {
  const r = await sql<{ counts: string }>`
    select string_agg(format('%s=%s', relname, n_live_tup), ',' order by relname) as counts
    from (select relname, (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I', relname), false, true, '')))[1]::text as n_live_tup
          from pg_stat_user_tables where schemaname = 'public' and relname not in ('audit_log', 'session', 'kysely_migration', 'kysely_migration_lock')) x`.execute(t.ownerDb);
  return r.rows[0]!.counts;
}

describe('nobody reaches a record that is not theirs', () => {
  it('knows how to fill every id a route takes', () => {
    const unknown = routesOf(t.app).flatMap((r) => r.params.filter((p) => !(p in victim)).map((p) => `${r.method.toUpperCase()} ${r.path} (:${p})`));
    expect(unknown, 'routes whose ids this test cannot fill: add them to the victim map').toEqual([]);
  });

  for (const attacker of ['peter', 'non', 'rhys']) {
    it(`${attacker} gets nothing of Anwen's from any route that takes an id`, async () => {
      const agent = await signedIn(t.app, attacker);
      const before = await rowCounts();
      const routes = routesOf(t.app).filter((r) => r.params.length > 0);
      expect(routes.length).toBeGreaterThan(10);
      const leaks: string[] = [];
      for (const route of routes) {
        const url = route.path.replace(/:(\w+)/g, (_m, name: string) => victim[name]!);
        const res = route.method === 'get' ? await agent.get(url) : await agent.post2(url, {});
        const body = res.text ?? '';
        if (![403, 404].includes(res.status)) leaks.push(`${route.method.toUpperCase()} ${route.path} answered ${res.status}`);
        for (const word of victimWords) if (body.includes(word)) leaks.push(`${route.method.toUpperCase()} ${route.path} shows "${word}"`);
        if (res.headers['content-type']?.includes('pdf')) leaks.push(`${route.path} sent a PDF`);
      }
      expect(leaks).toEqual([]);
      expect(await rowCounts(), 'no record was changed').toBe(before);
    });
  }
});
