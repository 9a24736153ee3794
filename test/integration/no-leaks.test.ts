import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import type express from 'express';
import { startTestApp, signedIn, type Agent, type TestApp } from '../support/app.ts';

/*
 * Three attackers (peter, a recipient in the same council; non, a representative in Wales; rhys, a
 * Wales practitioner) try to reach Anwen's records through every route the app serves:
 *  1. every id in the path is Anwen's (and her ids are in the query string too): 403 or 404;
 *  2. mixed ids: their own parent record (direct payment, plan, case, person) with Anwen's child
 *     record (payment, spending, item, option, representative), and the other way round;
 *  3. their own pages, with Anwen's ids in the query string; then every form on those pages whose
 *     fields carry an id (hidden, radio, checkbox, select) and every link with an id in its query
 *     string, sent again with each id swapped for Anwen's id in the same table.
 * After every request, nothing of hers may be shown and no table may have changed (a per-table
 * fingerprint, so an UPDATE shows as well as an INSERT or DELETE).
 */
type RouteInfo = { method: 'get' | 'post'; path: string; params: string[] };
type Ids = Record<string, string>;

/** Every route the app serves, read from Express's own router, so a new route is swept automatically. */
function routesOf(app: express.Express): RouteInfo[] {
  const found: RouteInfo[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        // A route may answer several paths (an array), e.g. a person's sign-in and their representative's.
        for (const path of [layer.route.path].flat() as string[]) {
          for (const method of Object.keys(layer.route.methods)) {
            if (method !== 'get' && method !== 'post') continue;
            found.push({ method, path, params: [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!) });
          }
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as any).router.stack);
  return found;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** A form field that carries an id: the id itself, or a kind and an id (`representative:<id>`). */
const ID_VALUE = /^(?:[a-z_-]+:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Ids that name a record holding others: in the mixed passes these are one side, the rest the other. */
const PARENTS = new Set(['personId', 'dpId', 'directPaymentId', 'planId', 'caseId', 'businessCaseId', 'runId']);
/**
 * Tables that change on requests for good reasons: the audit trail (every read is audited),
 * sessions, job bookkeeping, the migrator's own, and the council's monitoring snapshot and flags
 * (worked out again when a practitioner opens /monitoring). Every other table in the public schema must hold
 * exactly the same rows after an attacker's request.
 */
const CHANGING_TABLES = ['audit_log', 'session', 'job_runs', 'kysely_migration', 'kysely_migration_lock', 'monitoring_snapshots', 'monitoring_flags'];

let t: TestApp;
let victim: Ids;
/** What would give Anwen away: on pages that should be 404s, even her first name or surname alone. */
let victimWords: string[];
/** On the attacker's own pages (where a guidance story may name an "Anwen"): what identifies her. */
let victimIdentifiers: string[];
/** Query-string names the routes read ids or filters from, with the victim's value for each. */
let victimQuery: string;
const own: Record<string, Ids> = {};
/** For each table, one of the victim's ids in it: what a form's id is swapped for. */
const victimByTable = new Map<string, string>();
/** A connection of the test's own, as the owner, for the fingerprints (prepared once, so cheap to repeat). */
let probe: pg.Client;
let watchedTables: string[];
let versionsQuery: string;
let whichTableQuery: string;
const tableOfId = new Map<string, string | null>();

/** The ids of one person's records, of the kinds the routes take; missing kinds are left out. */
async function idsOf(personId: string): Promise<Ids> {
  const db = t.ownerDb;
  const ids: Ids = { personId };
  const put = (keys: string[], row: { id: string } | undefined) => {
    if (row) for (const k of keys) ids[k] = row.id;
  };
  const dp = await db.selectFrom('direct_payments').select('id').where('person_id', '=', personId).orderBy('created_at').executeTakeFirst();
  put(['dpId', 'directPaymentId'], dp);
  const plan = await db.selectFrom('care_plans').select('id').where('person_id', '=', personId).orderBy('created_at').executeTakeFirst();
  put(['planId'], plan);
  if (plan) put(['itemId'], await db.selectFrom('plan_items').select('id').where('plan_id', '=', plan.id).orderBy('id').executeTakeFirst());
  put(['conversationId'], await db.selectFrom('conversations').select('id').where('person_id', '=', personId).orderBy('id').executeTakeFirst());
  put(['representativeId'], await db.selectFrom('representatives').select('id').where('person_id', '=', personId).orderBy('id').executeTakeFirst());
  put(['contactId'], await db.selectFrom('contacts').select('id').where('person_id', '=', personId).orderBy('id').executeTakeFirst());
  if (dp) {
    const bcase = await db.selectFrom('business_cases').select('id').where('direct_payment_id', '=', dp.id).orderBy('id').executeTakeFirst();
    put(['caseId', 'businessCaseId'], bcase);
    if (bcase) {
      put(['optionId'], await db.selectFrom('business_case_options').select('id').where('business_case_id', '=', bcase.id).orderBy('position').executeTakeFirst());
      put(['decisionId'], await db.selectFrom('panel_decisions').select('id').where('business_case_id', '=', bcase.id).orderBy('id').executeTakeFirst());
    }
    put(['agreementId'], await db.selectFrom('agreements').select('id').where('direct_payment_id', '=', dp.id).orderBy('id').executeTakeFirst());
    put(['reviewId'], await db.selectFrom('reviews').select('id').where('direct_payment_id', '=', dp.id).orderBy('due_on').executeTakeFirst());
    put(['paymentId'], await db.selectFrom('payments').select('id').where('direct_payment_id', '=', dp.id).orderBy('status', 'desc').orderBy('due_on', 'desc').executeTakeFirst());
    put(['spendingId'], await db.selectFrom('spending_records').select('id').where('direct_payment_id', '=', dp.id).orderBy('spent_on').executeTakeFirst());
    put(['lineId'], await db.selectFrom('statement_lines').select('id').where('direct_payment_id', '=', dp.id).orderBy('posted_on').executeTakeFirst());
    put(['uploadId'], await db.selectFrom('statement_uploads').select('id').where('direct_payment_id', '=', dp.id).orderBy('id').executeTakeFirst());
    put(['assistantId'], await db.selectFrom('personal_assistants').select('id').where('direct_payment_id', '=', dp.id).orderBy('id').executeTakeFirst());
    put(['requestId'], await db.selectFrom('contact_requests').select('id').where('direct_payment_id', '=', dp.id).orderBy('id').executeTakeFirst());
    put(['complaintId'], await db.selectFrom('complaints').select('id').where('direct_payment_id', '=', dp.id).orderBy('id').executeTakeFirst());
  }
  return ids;
}

/** The attacker's own spending, an unexplained statement line that suggests it, and (staff) a business case. */
async function giveOwnRecords(personId: string, recordedBy: string, withCase: boolean) {
  const db = t.ownerDb;
  const dp = await db.selectFrom('direct_payments').select(['id']).where('person_id', '=', personId).orderBy('created_at').executeTakeFirstOrThrow();
  await db.insertInto('spending_records').values({ direct_payment_id: dp.id, amount_pence: 4321, paid_to: 'Music club', spent_on: '2026-11-02', recorded_by: recordedBy }).execute();
  const imp = await db.insertInto('statement_imports').values({ direct_payment_id: dp.id, uploaded_by: recordedBy, via: 'web', format: 'csv', file_name: 'own.csv', lines_read: 1, lines_added: 1 }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('statement_lines').values({ direct_payment_id: dp.id, import_id: imp.id, posted_on: '2026-11-03', amount_pence: -4321, description: 'MUSIC CLUB', fingerprint: `no-leaks#own#${dp.id}` }).execute();
  if (withCase) {
    const bcase = await db.insertInto('business_cases').values({ direct_payment_id: dp.id, author_id: recordedBy, proposal: 'Own proposal', why_necessary: 'Own reasons', outcomes_expected: 'Own outcomes' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('business_case_options').values({ business_case_id: bcase.id, description: 'Own alternative', position: 1, weekly_cost_pence: 5000 }).execute();
  }
}

/** Which table an id belongs to (tables with a uuid `id` column), or null. */
async function tableOf(id: string): Promise<string | null> {
  if (!tableOfId.has(id)) {
    const r = await sql<{ t: string }>`${sql.raw(whichTableQuery.replaceAll('$ID', `'${id}'::uuid`))}`.execute(t.ownerDb);
    tableOfId.set(id, r.rows[0]?.t ?? null);
  }
  return tableOfId.get(id)!;
}

/**
 * A per-table fingerprint: the md5 of every row as text, in a fixed order, so any INSERT, UPDATE or
 * DELETE shows. Working it out for every table after every request would double the test's time,
 * so each request is followed by a cheap look at each table's row count and newest row version
 * (xmin: every inserted or updated row gets a newer one); only a table whose look changed has its
 * md5 worked out again and compared with the one before.
 */
async function contentOf(tables: string[]): Promise<Record<string, string>> {
  if (!tables.length) return {};
  const q = tables.map((name) => `select '${name}' as name, (select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from public."${name}" x) as v`).join(' union all ');
  const r = await probe.query<{ name: string; v: string }>(q);
  return Object.fromEntries(r.rows.map((row) => [row.name, row.v]));
}
async function versions(): Promise<Record<string, string>> {
  const r = await probe.query<{ name: string; v: string }>({ name: 'no-leaks-versions', text: versionsQuery });
  return Object.fromEntries(r.rows.map((row) => [row.name, row.v]));
}
class Fingerprint {
  private content: Record<string, string> = {};
  private versions: Record<string, string> = {};
  static async take(): Promise<Fingerprint> {
    const f = new Fingerprint();
    f.versions = await versions();
    f.content = await contentOf(watchedTables);
    return f;
  }
  /** The tables whose rows changed since the last call. */
  async changed(): Promise<string[]> {
    const now = await versions();
    const moved = watchedTables.filter((name) => now[name] !== this.versions[name]);
    this.versions = now;
    const content = await contentOf(moved);
    const changed = moved.filter((name) => content[name] !== this.content[name]);
    Object.assign(this.content, content);
    return changed;
  }
}

beforeAll(async () => {
  t = await startTestApp();
  const db = t.ownerDb;
  const tables = await sql<{ name: string; has_uuid_id: boolean }>`
    select c.relname as name, exists (select 1 from information_schema.columns k where k.table_schema = 'public' and k.table_name = c.relname and k.column_name = 'id' and k.data_type = 'uuid') as has_uuid_id
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`.execute(db);
  watchedTables = tables.rows.map((r) => r.name).filter((name) => !CHANGING_TABLES.includes(name));
  versionsQuery = watchedTables.map((name) => `select '${name}' as name, (select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from public."${name}" x) as v`).join(' union all ');
  probe = new pg.Client({ connectionString: t.url });
  await probe.connect();
  whichTableQuery = tables.rows
    .filter((r) => r.has_uuid_id)
    .map((r) => `select '${r.name}' as t from public."${r.name}" where id = $ID`)
    .join(' union all ');

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
  const team = await db.selectFrom('people').select('team_id').where('id', '=', person.id).executeTakeFirstOrThrow();
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
  // A representative of Anwen's (a person's representatives have sign-ins; the `payee` choice on a new direct payment names one).
  const rep = await db.insertInto('representatives').values({ person_id: person.id, name: 'Rhodri Price', relationship: 'Husband', kind: 'nominated', receives_payment: true, starts_on: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
  victim = {
    representativeId: rep.id,
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
  victimIdentifiers = ['Anwen Price', 'ANWEN PRICE', 'Rhodri Price', person.reference, dp.reference, person.postcode!, dp.account_number!];
  victimWords = ['Anwen', 'Price', ...victimIdentifiers];
  // The names routes read from the query string (grep req.query), each with the victim's value.
  victimQuery = new URLSearchParams({ review: review.id, team: team.team_id ?? '' }).toString();
  for (const id of Object.values(victim)) {
    if (!ID_VALUE.test(id)) continue;
    const table = await tableOf(id);
    if (table) victimByTable.set(table, id);
  }
  // A representative of Anwen's (the `payee` choice on a new direct payment names one).

  // The attackers' own records, for the passes that mix their ids with Anwen's.
  const personOf = (given: string) => db.selectFrom('people').select('id').where('given_name', '=', given).executeTakeFirstOrThrow();
  const userOf = (username: string) => db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  const peter = await personOf('Peter');
  const cerys = await personOf('Cerys');
  const dewi = await personOf('Dewi');
  await giveOwnRecords(peter.id, (await userOf('peter')).id, false);
  await giveOwnRecords(cerys.id, (await userOf('non')).id, false);
  await giveOwnRecords(dewi.id, (await userOf('rhys')).id, true);
  own.peter = await idsOf(peter.id);
  own.non = await idsOf(cerys.id);
  own.rhys = await idsOf(dewi.id);
  // A draft plan of Dewi's, so that changing an outcome gets as far as looking the outcome up.
  const rhys = await userOf('rhys');
  const draft = await db.insertInto('care_plans').values({ person_id: dewi.id, kind: 'ongoing', created_by: rhys.id }).returning('id').executeTakeFirstOrThrow();
  const draftItem = await db.insertInto('plan_items').values({ plan_id: draft.id, outcome: 'Own outcome', how: 'Own how', met_by: 'direct_payment', position: 1 }).returning('id').executeTakeFirstOrThrow();
  own.rhys.planId = draft.id;
  own.rhys.itemId = draftItem.id;
});
afterAll(async () => {
  await probe?.end();
  await t?.stop();
});

/** A signed-in attacker whose every request is checked: nothing of Anwen's shown, no table changed. */
async function attackerSession(username: string) {
  const agent: Agent = await signedIn(t.app, username);
  const fingerprint = await Fingerprint.take();
  const problems: string[] = [];
  let requests = 0;
  /** Sends one request; `refused` lists the only statuses allowed (else anything but a 5xx). */
  const send = async (label: string, method: 'get' | 'post', url: string, body: Record<string, string | string[]> = {}, refused?: number[]) => {
    requests++;
    const res = method === 'get' ? await agent.get(url) : await agent.post2(url, body);
    const text = res.text ?? '';
    if (refused ? !refused.includes(res.status) : res.status >= 500) problems.push(`${label} answered ${res.status}`);
    for (const word of refused ? victimWords : victimIdentifiers) if (text.includes(word)) problems.push(`${label} shows "${word}"`);
    if (refused && res.headers['content-type']?.includes('pdf')) problems.push(`${label} sent a PDF`);
    const changed = await fingerprint.changed();
    if (changed.length) problems.push(`${label} changed ${changed.join(', ')}`);
    return res;
  };
  return { agent, send, problems, count: () => requests };
}

/** A route's path with each id filled from `pick`, or null when one cannot be filled. */
function fill(route: RouteInfo, pick: (name: string) => string | undefined): string | null {
  let ok = true;
  const url = route.path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = pick(name);
    if (v === undefined) ok = false;
    return v ?? '';
  });
  return ok ? url : null;
}

const decode = (s: string) => s.replaceAll('&amp;', '&').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : undefined;
};

type Form = { action: string; body: Record<string, string | string[]>; carriesId: boolean };

/** The POST forms of a page, each with what it would send as shown (and whether a field carries an id). */
function postForms(html: string, pageUrl: string): Form[] {
  const forms: Form[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, attrs, inner] = m as unknown as [string, string, string];
    if ((attr(attrs, 'method') ?? 'get').toLowerCase() !== 'post') continue;
    const body: Record<string, string | string[]> = {};
    let carriesId = false;
    const add = (name: string, value: string, multiple = false) => {
      if (name === '_csrf') return;
      if (ID_VALUE.test(value)) carriesId = true;
      if (multiple) body[name] = [...((body[name] as string[] | undefined) ?? []), value];
      else body[name] = value;
    };
    for (const [tag] of inner.matchAll(/<input\b[^>]*>/g)) {
      const name = attr(tag, 'name');
      if (!name) continue;
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      const value = attr(tag, 'value') ?? '';
      if (type === 'file' || type === 'submit') continue;
      // Of a group of radios, the one that names a record (else the one checked).
      if (type === 'radio') {
        if (ID_VALUE.test(value) ? !(typeof body[name] === 'string' && ID_VALUE.test(body[name] as string)) : body[name] === undefined && /\schecked/.test(tag)) add(name, value);
        continue;
      }
      if (type === 'checkbox') {
        if (ID_VALUE.test(value) || /\schecked/.test(tag)) add(name, value, true);
        continue;
      }
      add(name, value);
    }
    for (const s of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(s[1]!, 'name');
      const options = [...s[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => attr(o[1]!, 'value') ?? '');
      const value = options.find((v) => ID_VALUE.test(v)) ?? options[0];
      if (name && value !== undefined) add(name, value);
    }
    for (const ta of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attr(ta[1]!, 'name');
      if (name) add(name, decode(ta[2]!.trim()));
    }
    forms.push({ action: attr(attrs, 'action') || pageUrl, body, carriesId });
  }
  return forms;
}

/** Links on a page whose query string carries an id. */
function idLinks(html: string): string[] {
  return [...html.matchAll(/href="(\/[^"?#]*\?[^"#]*)"/g)].map((m) => decode(m[1]!)).filter((href) => new RegExp(UUID.source).test(href.split('?')[1]!));
}

/** Every id in `value` swapped for the victim's id in the same table; null when the victim has none there. */
async function swapIds(value: string): Promise<string | null> {
  let out = value;
  for (const id of value.match(UUID) ?? []) {
    const table = await tableOf(id);
    const theirs = table ? victimByTable.get(table) : undefined;
    if (!theirs) return null;
    out = out.replace(id, theirs);
  }
  return out;
}

describe('nobody reaches a record that is not theirs', () => {
  it('sees a change that leaves every row count the same, and nothing when nothing changed', async () => {
    const f = await Fingerprint.take();
    expect(await f.changed()).toEqual([]);
    const db = t.ownerDb;
    const before = await db.selectFrom('plan_items').select(['id', 'how']).where('id', '=', victim.itemId!).executeTakeFirstOrThrow();
    await db.updateTable('plan_items').set({ how: `${before.how} (changed)` }).where('id', '=', before.id).execute();
    expect(await f.changed()).toEqual(['plan_items']);
    // Put back as it was: the same rows again, though every one written anew.
    await db.updateTable('plan_items').set({ how: before.how }).where('id', '=', before.id).execute();
    expect(await f.changed()).toEqual(['plan_items']);
    await db.updateTable('plan_items').set({ how: before.how }).where('id', '=', before.id).execute();
    expect(await f.changed(), 'rewriting a row with the same values changes nothing').toEqual([]);
  });

  it('knows how to fill every id a route takes', () => {
    const unknown = routesOf(t.app).flatMap((r) => r.params.filter((p) => !(p in victim)).map((p) => `${r.method.toUpperCase()} ${r.path} (:${p})`));
    expect(unknown, 'routes whose ids this test cannot fill: add them to the victim map').toEqual([]);
  });

  for (const attacker of ['peter', 'non', 'rhys']) {
    it(`${attacker} gets nothing of Anwen's from any route that takes an id`, async () => {
      const s = await attackerSession(attacker);
      const routes = routesOf(t.app).filter((r) => r.params.length > 0);
      expect(routes.length).toBeGreaterThan(10);
      for (const route of routes) {
        const url = fill(route, (name) => victim[name])!;
        await s.send(`${route.method.toUpperCase()} ${route.path}`, route.method, route.method === 'get' ? `${url}?${victimQuery}` : url, {}, [403, 404]);
      }
      expect(s.problems).toEqual([]);
    });

    it(`${attacker} gets nothing of Anwen's by mixing ids of their own with hers`, async () => {
      const s = await attackerSession(attacker);
      const mine = own[attacker]!;
      let tried = 0;
      const routes = routesOf(t.app);
      for (const route of routes) {
        const parents = route.params.filter((p) => PARENTS.has(p));
        const children = route.params.filter((p) => !PARENTS.has(p) && ID_VALUE.test(victim[p] ?? ''));
        if (!parents.length || !children.length) continue;
        const ownUrl = fill(route, (name) => mine[name] ?? (ID_VALUE.test(victim[name] ?? '') ? undefined : victim[name]));
        // A POST is sent with the form its own page shows for the attacker's own record, so that a
        // route that validates first gets as far as looking the record up.
        let body: Record<string, string | string[]> = {};
        if (route.method === 'post' && ownUrl && routes.some((r) => r.method === 'get' && r.path === route.path)) {
          const page = await s.send(`GET ${route.path} (own, for its form)`, 'get', ownUrl);
          const form = page.status === 200 ? postForms(page.text, ownUrl).find((f) => f.action === ownUrl) : undefined;
          if (form) body = form.body;
        }
        // Their own parent with Anwen's child (her item on their plan), then the other way round:
        // refused, or sent back to their own page (removing an alternative that is not on their
        // case is a no-op, as for one already removed), with nothing of hers shown or changed.
        for (const [label, parentIds, childIds] of [['own parent', mine, victim], ['own child', victim, mine]] as const) {
          const url = fill(route, (name) => (PARENTS.has(name) ? parentIds[name] : ID_VALUE.test(victim[name] ?? '') ? childIds[name] : victim[name]));
          if (!url) continue;
          tried++;
          const res = await s.send(`${route.method.toUpperCase()} ${route.path} (${label})`, route.method, route.method === 'get' ? `${url}?${victimQuery}` : url, body, [303, 403, 404]);
          if (res.status === 303 && Object.values(victim).some((id) => ID_VALUE.test(id) && res.headers.location?.includes(id))) s.problems.push(`${route.method.toUpperCase()} ${route.path} (${label}) sent to ${res.headers.location}`);
        }
      }
      expect(tried, 'routes tried with mixed ids').toBeGreaterThan(0);
      expect(s.problems).toEqual([]);
    });

    it(`${attacker} gets nothing of Anwen's by putting her ids in the query strings and forms of their own pages`, async () => {
      const s = await attackerSession(attacker);
      const mine = own[attacker]!;
      const forms = new Map<string, Form>();
      const links = new Set<string>();
      // Every page of theirs (with Anwen's ids in the query string as well), gathering forms and links that carry ids.
      for (const route of routesOf(t.app).filter((r) => r.method === 'get')) {
        const url = fill(route, (name) => mine[name] ?? (ID_VALUE.test(victim[name]!) ? undefined : victim[name]));
        if (!url) continue;
        const res = await s.send(`GET ${route.path} (own, her ids in the query)`, 'get', `${url}?${victimQuery}`);
        if (res.status !== 200 || !res.headers['content-type']?.includes('html')) continue;
        const page = res.text;
        for (const form of postForms(page, url).filter((f) => f.carriesId)) forms.set(`${form.action.replace(UUID, ':id')} ${Object.keys(form.body).sort().join(',')}`, form);
        for (const link of idLinks(page)) links.add(link);
      }
      let swapped = 0;
      for (const { action, body } of forms.values()) {
        const theirs: Record<string, string | string[]> = {};
        let ok = true;
        for (const [name, value] of Object.entries(body)) {
          const values = Array.isArray(value) ? value : [value];
          const out: string[] = [];
          for (const v of values) {
            const w = ID_VALUE.test(v) ? await swapIds(v) : v;
            if (w === null) ok = false;
            out.push(w ?? v);
          }
          theirs[name] = Array.isArray(value) ? out : out[0]!;
        }
        if (!ok) continue;
        swapped++;
        await s.send(`POST ${action.replace(UUID, ':own')} with her ids in ${Object.keys(body).filter((k) => [body[k]].flat().some((v) => ID_VALUE.test(v!))).join(', ')}`, 'post', action, theirs);
      }
      for (const link of links) {
        const [path, query] = link.split('?') as [string, string];
        const swappedQuery = await swapIds(query);
        if (swappedQuery === null) continue;
        swapped++;
        await s.send(`GET ${path.replace(UUID, ':own')}?${query.replace(UUID, ':her')}`, 'get', `${path}?${swappedQuery}`);
      }
      // Each attacker has at least one form carrying an id of theirs (a statement line's suggested spending, a review to record).
      expect(swapped, `${attacker}: ${s.count()} requests, ${forms.size} forms and ${links.size} links carrying ids`).toBeGreaterThan(0);
      expect(s.problems).toEqual([]);
    });
  }
});
