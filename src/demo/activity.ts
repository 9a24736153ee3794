import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../platform/db/schema.ts';
import type { CurrentUser } from '../platform/auth/current-user.ts';
import type { Role } from '../platform/auth/roles.ts';
import { addDays } from '../domain/dates.ts';
import { addWorkingDays, isWorkingDay } from '../domain/complaint-deadlines.ts';
import { readStatement } from '../domain/statements/index.ts';
import { loadHolidays } from '../features/payments/holidays.ts';
import { addReply, askCouncil } from '../features/contact/messages.ts';
import { requestFor } from '../features/contact/queries.ts';
import type { ContactKind } from '../features/contact/queries.ts';
import { acknowledge, escalate, makeComplaint, respond, type ReceivedBy } from '../features/complaints/progress.ts';
import { complaintFor } from '../features/complaints/queries.ts';
import { tellPerson } from '../features/complaints/notifications.ts';
import { importStatement } from '../features/statements/import-statement.ts';
import { explainLine } from '../features/statements/explain-line.ts';
import { openCase } from '../features/surplus/cases.ts';
import { openFeedbackInCouncil, saveFeedback, type FeedbackAnswers } from '../features/feedback/queries.ts';
import type { Moment } from '../features/feedback/questions.ts';

type Trx = Transaction<DB>;

/**
 * The newer features' demo data, written through the features' own functions so it is what they
 * would have written: contact requests and replies, complaints (one English, one Welsh at stage 2),
 * an imported bank statement for Anwen, the spending that keeps monitoring quiet for most people,
 * one flagged direct payment with a surplus case at the conversation stage, and survey answers.
 * Dates count back from today. Rows the features date with now() (replies, events, survey answers)
 * carry the time the demo was seeded; the requests are dated back to when they were asked.
 */
export async function seedActivity(trx: Trx, today: string): Promise<void> {
  const w = new ActivityWriter(trx, today, await loadHolidays(trx));
  await spendingThatKeepsMonitoringQuiet(w);
  await trevorsVacancy(w);
  await contactRequests(w);
  await complaints(w);
  await anwensStatement(w);
  await feedback(w);
}

// Monitoring: most people spend what they are paid, so they are low and on no list.
async function spendingThatKeepsMonitoringQuiet(w: ActivityWriter): Promise<void> {
  // Kate's co-operative invoiced her account every four weeks until her direct payment joined the
  // co-operative's pooled budget; since then the pool pays the team (its contributions are in the ledger).
  const kate = await w.dp('Kate');
  const pooledFrom = await w.firstPoolContribution(kate.id);
  for (const start of await w.paidPeriods(kate.id)) {
    const on = addDays(start, 25);
    if (pooledFrom && on >= pooledFrom) break;
    await w.spending(kate, { on, amount: 840_000, paidTo: 'Family First Co-operative', outcome: 'Have the 24-hour support I choose, from people I know', note: 'PA wages and running costs for four weeks' });
  }
  // Non pays Cerys's Saturday support worker through an agency every four weeks.
  const cerys = await w.dp('Cerys');
  for (const start of await w.paidPeriods(cerys.id)) {
    await w.spending(cerys, { on: addDays(start, 27), amount: 21_600, paidTo: 'Cymorth Dyffryn Support Services', outcome: 'Cerys goes to music club with her friends', note: 'Gweithiwr cymorth, pedwar dydd Sadwrn – support worker, four Saturdays' });
  }
}

// Trevor runs his own payroll. His evening PA post was vacant until Jordan started, so for over a
// year he paid one PA from a payment meant for two, and money built up beyond the contingency.
// Monitoring flags it (balance over contingency, with the sums), and Gareth has opened a surplus
// case: the conversation with Trevor about why the money is unspent is the next step.
async function trevorsVacancy(w: ActivityWriter): Promise<void> {
  const trevor = await w.dp('Trevor');
  const jordanStarted = w.d(-250);
  for (const start of await w.paidPeriods(trevor.id)) {
    const on = addDays(start, 25);
    const both = on >= jordanStarted;
    await w.spending(trevor, {
      on,
      amount: both ? 154_000 : 100_000,
      paidTo: 'Trevor Mills payroll (PAYE and NEST pension)',
      outcome: 'Keep running my business',
      note: both ? 'Wages for Sam and Jordan for four weeks, with tax and pension' : 'Wages for Sam for four weeks, with tax and pension (evening post vacant)',
    });
  }
  await openCase(w.trx, { dp: trevor, user: await w.user('practitioner'), today: w.today });
}

async function contactRequests(w: ActivityWriter): Promise<void> {
  const anwen = await w.dp('Anwen');
  // A question, answered by Gareth.
  await w.ask(anwen, 'anwen', 'question', w.d(-3),
    'Bethan (my PA) is going on holiday for two weeks in the new year. Can I use my direct payment to pay an agency for cover while she is away, and do I need to ask you first?',
    { by: 'practitioner', message: 'Yes, you can. Cover while your PA is on holiday is what the money in your account for emergencies and cover is for. You do not need to ask first, but please tell me the dates. Keep the agency’s invoice, record it as spending, and if you would like a list of local agencies that work with direct payments, I can send you one.' });
  // A new idea, waiting for an answer.
  await w.ask(anwen, 'anwen', 'idea', w.d(-1),
    'My physiotherapist says an adapted Pilates class would help my strength, so getting ready in the mornings is easier. There is one at Eastmoor Leisure on Saturday mornings at £8 a class. Could I use my direct payment for it? Bethan could come with me instead of one of her weekday hours.');
  // In Wales, Dewi asks in Welsh.
  const dewi = await w.dp('Dewi');
  await w.ask(dewi, 'dewi', 'question', w.d(-2),
    'Pan fydd hi’n bwrw glaw yn drwm, alla i ddim cerdded i’r sesiynau yn Gorwellion Newydd. Ydy hi’n iawn i mi dalu am dacsi o fy nhaliad uniongyrchol ar y dyddiau hynny?');
}

async function complaints(w: ActivityWriter): Promise<void> {
  // England: Fatima's prepaid card arrived late and nobody called her back. Logged from a phone
  // call, acknowledged within 3 working days, with the response date agreed with her.
  const fatima = await w.dp('Fatima');
  const received = w.workingDaysAgo(6);
  const english = await w.complain(fatima, { loggedBy: 'practitioner', receivedOn: received, receivedBy: 'phone',
    summary: 'Fatima was told her prepaid card would arrive within a week of her agreement being signed. It came nearly three weeks later, after she had already paid the rehoming charity’s deposit herself. She rang twice and nobody called her back.',
    wantedOutcome: 'An apology, an explanation of what went wrong, and to know who to call next time.' });
  await w.acknowledge(english, 'manager', w.afterWorkingDays(received, 2), w.afterWorkingDays(received, 15));

  // Wales: Dewi's letters about his direct payment came in English only, though he had asked for
  // Welsh. Stage 1 was answered (partly upheld); he asked for the formal investigation (stage 2),
  // which Ffion has acknowledged: the response is due within 25 working days of his request.
  const dewi = await w.dp('Dewi');
  const letter = w.workingDaysAgo(30);
  const welsh = await w.complain(dewi, { loggedBy: 'rhys', receivedOn: letter, receivedBy: 'letter',
    summary: 'Gofynnais am gael popeth yn Gymraeg, ond daeth y llythyr am fy nghytundeb taliad uniongyrchol a’r llythyr am fy adolygiad yn Saesneg yn unig. Doeddwn i ddim yn deall beth roedd angen i mi ei wneud, a bu’n rhaid i fy merch eu cyfieithu.',
    wantedOutcome: 'Cael pob llythyr yn Gymraeg o hyn ymlaen, ac ymddiheuriad.' });
  const acked = w.afterWorkingDays(letter, 1);
  await w.acknowledge(welsh, 'ffion', acked);
  const answered = w.afterWorkingDays(acked, 8);
  await w.respond(welsh, 'ffion', answered, 'partly_upheld',
    'Buom yn trafod y gŵyn gyda Mr Jenkins ar y ffôn. Roedd ei ddewis iaith wedi’i gofnodi, ond anfonwyd dau lythyr o hen dempled Saesneg. Rydym wedi ymddiheuro ac wedi cywiro’r templedi. Ni allwn ail-anfon y cytundeb wedi’i lofnodi heb ei lofnodi eto, ond rydym wedi anfon cyfieithiad ato.',
    'Ymddiheuriad ysgrifenedig, a chyfieithiad Cymraeg o’r cytundeb.');
  const asked = w.workingDaysAgo(4);
  await escalate(w.trx, { user: await w.user('dewi'), complaintId: welsh, on: asked });
  await w.acknowledge(welsh, 'ffion', w.afterWorkingDays(asked, 1));
}

// Anwen uploads her bank statement: the council's payments in and the PA's wages out match by
// themselves; three lines are left, and she has already explained one of them.
async function anwensStatement(w: ActivityWriter): Promise<void> {
  const anwen = await w.dp('Anwen');
  const from = w.d(-62);
  const to = w.d(-1);
  const payments = await w.trx
    .selectFrom('payments')
    .innerJoin('ledger_transactions', 'ledger_transactions.id', 'payments.ledger_transaction_id')
    .select(['payments.amount_pence', 'ledger_transactions.effective_on'])
    .where('payments.direct_payment_id', '=', anwen.id)
    .where('payments.status', '=', 'paid')
    .where('ledger_transactions.effective_on', '>=', from)
    .where('ledger_transactions.effective_on', '<=', to)
    .execute();
  const spending = await w.trx
    .selectFrom('spending_records')
    .select(['amount_pence', 'spent_on'])
    .where('direct_payment_id', '=', anwen.id)
    .where('spent_on', '>=', from)
    .where('spent_on', '<=', to)
    .execute();
  const lines: StatementRow[] = [
    ...payments.map((p) => ({ on: p.effective_on, type: 'BGC', description: `EASTMOOR CC DP ${anwen.reference}`, pence: p.amount_pence })),
    ...spending.map((s) => ({ on: s.spent_on, type: 'FPO', description: 'EASTMOOR PAYROLL SERVICES LTD', pence: -s.amount_pence })),
    { on: w.d(-47), type: 'DEB', description: 'EASTMOOR HOME SUPPORT', pence: -6_240 },
    { on: w.d(-33), type: 'DEB', description: 'BOOTS 1142 EASTMOOR', pence: -1_485 },
    { on: w.d(-12), type: 'DEB', description: 'EASTMOOR TAXIS', pence: -1_850 },
  ];
  const bytes = lloydsCsv(lines, { sortCode: '20-00-00', account: '55779911', closingPence: 14_425 });
  const read = readStatement(bytes);
  if (read.kind !== 'lines') throw new Error(`The demo statement was not read as lines: ${read.kind}`);
  const user = await w.user('anwen');
  await importStatement(insideTransaction(w.trx), {
    directPaymentId: anwen.id, personId: anwen.person_id, user, via: 'web', fileName: 'Statement 55779911.csv',
    format: read.format, preset: read.preset, batches: read.batches,
  });
  const cover = await w.trx.selectFrom('statement_lines').select('id').where('direct_payment_id', '=', anwen.id).where('description', '=', 'EASTMOOR HOME SUPPORT').executeTakeFirstOrThrow();
  await explainLine(w.trx, { lineId: cover.id, personId: anwen.person_id, user, explanation: 'Cover from a care agency for two mornings when Bethan was ill.' });
}

// Survey answers for the recent first payments, so managers' feedback page and the reports show them.
async function feedback(w: ActivityWriter): Promise<void> {
  await w.answer('Peter', 'first_payment', { helps: 'a_lot', easy: 'very_easy', listened: 'yes', better: 'Tell me sooner when the money is coming. I waited a week not knowing.' }, 'recipient', 'en');
  await w.answer('Fatima', 'first_payment', { helps: 'a_lot', easy: 'fairly_hard', listened: 'mostly', better: 'The prepaid card took too long to arrive.' }, 'recipient', 'en');
  await w.answer('Cerys', 'first_payment', { helps: 'a_little', easy: 'fairly_easy', listened: 'yes', better: 'Byddai’n haws cael y llythyrau i gyd yn Gymraeg.' }, 'representative', 'cy');
}

type StatementRow = { on: string; type: string; description: string; pence: number };

/** A statement as Lloyds exports it (the preset's headings, a trailing comma, newest line first). */
function lloydsCsv(rows: StatementRow[], account: { sortCode: string; account: string; closingPence: number }): Buffer {
  const ukDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  const pounds = (p: number) => `${Math.floor(p / 100)}.${String(p % 100).padStart(2, '0')}`;
  const sorted = [...rows].sort((a, b) => (a.on < b.on ? 1 : a.on > b.on ? -1 : 0));
  let balance = account.closingPence;
  const out = ['Transaction Date,Transaction Type,Sort Code,Account Number,Transaction Description,Debit Amount,Credit Amount,Balance'];
  for (const r of sorted) {
    out.push(`${ukDate(r.on)},${r.type},'${account.sortCode},${account.account},${r.description},${r.pence < 0 ? pounds(-r.pence) : ''},${r.pence > 0 ? pounds(r.pence) : ''},${pounds(balance)},`);
    balance -= r.pence;
  }
  return Buffer.from(out.join('\r\n') + '\r\n');
}

/**
 * The seed's transaction, offered to a function that opens its own (importStatement): its
 * `transaction()` runs inside the seed's, so the demo still lands whole or not at all.
 */
function insideTransaction(trx: Trx): Kysely<DB> {
  return new Proxy(trx, {
    get(target, prop) {
      if (prop === 'transaction') return () => ({ execute: <T>(fn: (t: Trx) => Promise<T>) => fn(target) });
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as Kysely<DB>;
}

type DemoDp = { id: string; council_id: string; person_id: string; reference: string };

class ActivityWriter {
  readonly trx: Trx;
  readonly today: string;
  private readonly holidays: ReadonlySet<string>;
  private readonly users = new Map<string, CurrentUser>();

  constructor(trx: Trx, today: string, holidays: ReadonlySet<string>) {
    this.trx = trx;
    this.today = today;
    this.holidays = holidays;
  }

  d(days: number): string {
    return addDays(this.today, days);
  }

  afterWorkingDays(date: string, n: number): string {
    return addWorkingDays(date, n, this.holidays);
  }

  /** The working day n working days before today (0: today, or the last working day before it). */
  workingDaysAgo(n: number): string {
    let day = this.today;
    while (!isWorkingDay(day, this.holidays)) day = addDays(day, -1);
    for (let i = 0; i < n; i++) {
      day = addDays(day, -1);
      while (!isWorkingDay(day, this.holidays)) day = addDays(day, -1);
    }
    return day;
  }

  async dp(given: string): Promise<DemoDp> {
    return this.trx
      .selectFrom('direct_payments')
      .innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['direct_payments.id', 'direct_payments.council_id', 'direct_payments.person_id', 'direct_payments.reference'])
      .where('people.given_name', '=', given)
      .where('direct_payments.status', '=', 'active')
      .executeTakeFirstOrThrow();
  }

  /** A demo user as the app would load them on sign-in. */
  async user(username: string): Promise<CurrentUser> {
    const known = this.users.get(username);
    if (known) return known;
    const row = await this.trx
      .selectFrom('users')
      .innerJoin('councils', 'councils.id', 'users.council_id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.council_id', 'users.team_id', 'users.preferred_language', 'councils.name as council_name', 'councils.jurisdiction', 'councils.first_language'])
      .where('users.username', '=', username)
      .executeTakeFirstOrThrow();
    const user: CurrentUser = {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      role: row.role as Role,
      councilId: row.council_id,
      councilName: row.council_name,
      jurisdiction: row.jurisdiction as 'england' | 'wales',
      teamId: row.team_id,
      preferredLanguage: row.preferred_language === 'cy' || row.preferred_language === 'en' ? row.preferred_language : null,
      councilFirstLanguage: row.first_language === 'cy' ? 'cy' : 'en',
    };
    this.users.set(username, user);
    return user;
  }

  /** When this direct payment first paid into a pooled budget (through the ledger), if it has. */
  async firstPoolContribution(dpId: string): Promise<string | null> {
    const row = await this.trx.selectFrom('ledger_transactions').select((eb) => eb.fn.min('effective_on').as('on')).where('direct_payment_id', '=', dpId).where('kind', '=', 'pool_contribution').executeTakeFirst();
    return (row?.on as string | null | undefined) ?? null;
  }

  /** The first day of each period the council has paid. */
  async paidPeriods(dpId: string): Promise<string[]> {
    const rows = await this.trx.selectFrom('payments').select('period_starts_on').where('direct_payment_id', '=', dpId).where('status', '=', 'paid').orderBy('period_starts_on').execute();
    return rows.map((r) => r.period_starts_on);
  }

  /** What the person recorded spending (their own record; not a movement of council money). Nothing in the future. */
  async spending(dp: DemoDp, s: { on: string; amount: number; paidTo: string; outcome: string; note: string }): Promise<void> {
    if (s.on > this.today) return;
    const person = await this.trx.selectFrom('people').select('user_id').where('id', '=', dp.person_id).executeTakeFirstOrThrow();
    const rep = await this.trx.selectFrom('representatives').select('user_id').where('person_id', '=', dp.person_id).where('user_id', 'is not', null).executeTakeFirst();
    const by = person.user_id ?? rep?.user_id ?? (await this.trx.selectFrom('direct_payments').select('created_by').where('id', '=', dp.id).executeTakeFirstOrThrow()).created_by;
    await this.trx.insertInto('spending_records').values({ direct_payment_id: dp.id, spent_on: s.on, amount_pence: s.amount, paid_to: s.paidTo, outcome: s.outcome, note: s.note, recorded_by: by }).execute();
  }

  /** A contact request from the person, dated back to when they asked; with the council's reply if given. */
  async ask(dp: DemoDp, username: string, kind: ContactKind, on: string, message: string, reply?: { by: string; message: string }): Promise<void> {
    const asker = await this.user(username);
    const id = await askCouncil(this.trx, { user: asker, dp, kind, message });
    const askedAt = new Date(`${on}T09:30:00Z`);
    await this.trx.updateTable('contact_requests').set({ created_at: askedAt, last_activity_at: askedAt }).where('id', '=', id).execute();
    if (!reply) return;
    const staff = await this.user(reply.by);
    const request = await requestFor(this.trx, staff, id, this.today);
    await addReply(this.trx, { user: staff, request, message: reply.message, fromCouncil: true, today: this.today });
  }

  async complain(dp: DemoDp, c: { loggedBy: string; receivedOn: string; receivedBy: ReceivedBy; summary: string; wantedOutcome: string }): Promise<string> {
    const user = await this.user(c.loggedBy);
    const made = await makeComplaint(this.trx, { user, councilId: dp.council_id, jurisdiction: user.jurisdiction, personId: dp.person_id, directPaymentId: dp.id, receivedOn: c.receivedOn, receivedBy: c.receivedBy, summary: c.summary, wantedOutcome: c.wantedOutcome });
    return made.id;
  }

  /** The acknowledgement, and the person told in-app, as the manager's page does it. */
  async acknowledge(complaintId: string, by: string, on: string, agreedRespondBy?: string): Promise<void> {
    const user = await this.user(by);
    const k = await complaintFor(this.trx, user, complaintId, this.today);
    await acknowledge(this.trx, { user, complaintId, on, agreedRespondBy: agreedRespondBy ?? null });
    await tellPerson(this.trx, k, 'acknowledged', `complaint:${k.id}:${k.stage}:acknowledged`, this.today);
  }

  async respond(complaintId: string, by: string, on: string, outcome: 'upheld' | 'partly_upheld' | 'not_upheld', summary: string, remedy: string): Promise<void> {
    const user = await this.user(by);
    const k = await complaintFor(this.trx, user, complaintId, this.today);
    await respond(this.trx, { user, complaintId, on, outcome, summary, remedy });
    await tellPerson(this.trx, k, 'responded', `complaint:${k.id}:${k.stage}:responded`, this.today);
  }

  /** A survey answer to a moment the feedback feature offers the person now (its own query finds it). */
  async answer(given: string, moment: Moment, answers: FeedbackAnswers, role: 'recipient' | 'representative', language: 'en' | 'cy'): Promise<void> {
    const dp = await this.dp(given);
    const offer = (await openFeedbackInCouncil(this.trx, dp.council_id, this.today)).find((o) => o.directPaymentId === dp.id && o.moment === moment);
    if (!offer) throw new Error(`No open ${moment} survey for ${given}`);
    const saved = await saveFeedback(this.trx, offer, answers, { role, language });
    if (!saved.created) throw new Error(`Feedback for ${given} was already there`);
  }
}

