import crypto from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../platform/db/schema.ts';
import { addDays } from '../domain/dates.ts';
import { shareOut } from '../domain/pool-shares.ts';
import { accountFor, postTransaction } from '../features/payments/ledger.ts';
import type { StoryContext } from './stories.ts';

type Trx = Transaction<DB>;

/**
 * The employers and pools of the case studies, at realistic stages (dates counted back from today):
 * - Anwen employs Bethan through a payroll provider. Her insurance renews next month, and Bethan's
 *   £13.00 an hour is lawful now but not once next April's rate (added by the administrator) starts.
 * - Trevor runs his own payroll for two PAs; everything is in order.
 * - Kate's PAs are employed through the Family First Co-operative, a pool her direct payment pays
 *   into; her brother, who lives with her, covers nights after the council decided it was necessary.
 * - Gorwellion Newydd: Dewi and two other members pool their payments for re-ablement sessions;
 *   Alun left at the end of the last period but one, and his share came back to him.
 */
export async function seedEmployersAndPools(trx: Trx, ctx: StoryContext): Promise<void> {
  const d = (days: number) => addDays(ctx.today, days);
  const practitioner = ctx.staff.practitioner!;
  const rhys = ctx.staff.rhys!;
  const dpOf = async (given: string) =>
    trx.selectFrom('direct_payments').innerJoin('people', 'people.id', 'direct_payments.person_id')
      .select(['direct_payments.id', 'direct_payments.council_id', 'direct_payments.person_id'])
      .where('people.given_name', '=', given).executeTakeFirstOrThrow();

  // Next April's rates, as an administrator adds them once the government announces them
  // (illustrative figures for the demo).
  const year = Number(ctx.today.slice(0, 4)) + (ctx.today.slice(5) >= '04-01' ? 1 : 0);
  const nextApril = `${year}-04-01`;
  await trx
    .insertInto('minimum_wage_rates')
    .values([['age_21_plus', 1318], ['age_18_20', 1140], ['age_16_17', 840], ['apprentice', 840]].map(([band, pence]) => ({ band: band as string, effective_from: nextApril, hourly_pence: pence as number, source: 'administrator', added_by: ctx.staff.admin! })))
    .onConflict((oc) => oc.columns(['band', 'effective_from']).doNothing())
    .execute();

  const pa = (dpId: string, p: { name: string; role: string; startsOn: string; minutes: number; pattern: string; rate: number; dob: string; payroll: string; provider?: string; period?: string; relative?: string; contract?: string | null; rtw?: string | null; dbs?: [string, string, string | null]; training?: string }) =>
    trx.insertInto('personal_assistants').values({
      direct_payment_id: dpId, name: p.name, role: p.role, starts_on: p.startsOn, weekly_minutes: p.minutes, hours_pattern: p.pattern, hourly_rate_pence: p.rate,
      date_of_birth: p.dob, payroll: p.payroll, payroll_provider: p.provider ?? null, pay_period: p.period ?? 'monthly',
      is_close_relative_in_household: !!p.relative, relationship: p.relative ?? null,
      contract_issued_on: p.contract === undefined ? p.startsOn : p.contract, right_to_work_checked_on: p.rtw === undefined ? addDays(p.startsOn, -7) : p.rtw,
      dbs_level: p.dbs?.[0] ?? 'not_done', dbs_checked_on: p.dbs?.[1] ?? null, dbs_renew_by: p.dbs?.[2] ?? null, training: p.training ?? '', created_by: practitioner,
    }).returning('id').executeTakeFirstOrThrow();
  const checklist = (dpId: string, c: { insurer: string; policy: string; renews: string; paye: string | null; pension: string | null; scheme?: string }) =>
    trx.insertInto('employer_checklists').values({
      direct_payment_id: dpId, insurer: c.insurer, insurance_policy: c.policy, insurance_cover_pence: 10_000_000_00, insurance_renews_on: c.renews,
      paye_registered: !!c.paye, paye_reference: c.paye, pension_assessed_on: c.pension, pension_scheme: c.scheme ?? null, holiday_explained: true, updated_by: practitioner,
    }).execute();

  // Anwen and Bethan.
  const anwen = await dpOf('Anwen');
  await pa(anwen.id, { name: 'Bethan Lloyd', role: 'Morning support: washing, dressing and getting ready for work', startsOn: d(-168), minutes: 600, pattern: 'Weekdays, 7am to 9am', rate: 1300, dob: '1994-08-12', payroll: 'provider', provider: 'Eastmoor Payroll Services', dbs: ['enhanced_barred', d(-180), d(915)], training: 'Moving and handling (this year); first aid' });
  await checklist(anwen.id, { insurer: 'Eastmoor Mutual', policy: 'EL-448120', renews: d(25), paye: '120/AB45678', pension: d(-160), scheme: 'NEST' });

  // Trevor and his two PAs.
  const trevor = await dpOf('Trevor');
  await pa(trevor.id, { name: 'Sam Okoye', role: 'Support at work: travel, meetings and paperwork', startsOn: d(-760), minutes: 1080, pattern: 'Monday to Thursday, office hours', rate: 1360, dob: '1988-02-03', payroll: 'self', period: 'four_weekly', dbs: ['enhanced_barred', d(-770), d(325)], training: 'First aid; moving and handling; data protection' });
  await pa(trevor.id, { name: 'Jordan Pike', role: 'Support at home, evenings and weekends', startsOn: d(-250), minutes: 720, pattern: 'Evenings and Saturday mornings', rate: 1340, dob: '2001-10-19', payroll: 'self', period: 'four_weekly', dbs: ['enhanced_barred', d(-260), d(835)], training: 'Moving and handling' });
  await checklist(trevor.id, { insurer: 'Tannery Insurance Brokers', policy: 'TIB-99-2231', renews: d(230), paye: '120/TM12345', pension: d(-700), scheme: 'NEST' });

  // Kate's team, employed through the Family First Co-operative.
  const kate = await dpOf('Kate');
  const coop = 'Family First Co-operative';
  await pa(kate.id, { name: 'Rhian Davies', role: 'Day support (team leader)', startsOn: d(-600), minutes: 2400, pattern: 'Four days a week, 8am to 6pm', rate: 1420, dob: '1985-06-30', payroll: 'provider', provider: coop, dbs: ['enhanced_barred', d(-610), d(485)], training: 'Team leading; epilepsy awareness; first aid' });
  await pa(kate.id, { name: 'Marcus Bell', role: 'Day and evening support', startsOn: d(-420), minutes: 2400, pattern: 'Rota: days and evenings', rate: 1380, dob: '1998-11-02', payroll: 'provider', provider: coop, dbs: ['enhanced_barred', d(-430), d(665)], training: 'Epilepsy awareness; moving and handling' });
  const brother = await pa(kate.id, { name: 'Daniel Fletcher', role: 'Waking nights, three a week', startsOn: d(-300), minutes: 1800, pattern: 'Sunday, Tuesday and Thursday nights, 10pm to 8am', rate: 1380, dob: '1993-04-14', payroll: 'none', relative: 'Brother', dbs: ['enhanced_barred', d(-310), d(785)], training: 'Epilepsy awareness; first aid' });
  await trx.insertInto('family_payment_decisions').values({
    personal_assistant_id: brother.id, necessary: true, decided_by: ctx.staff.manager!, decided_on: d(-305),
    reasons: 'Kate has tonic-clonic seizures at night and needs someone she trusts who can respond at once. The co-operative could not recruit waking-night cover for two years; Daniel already lives with Kate and is trained. Kate asked for him. Paying him is necessary to meet her night-time needs.',
  }).execute();
  await trx.updateTable('personal_assistants').set({ payroll: 'provider', payroll_provider: coop }).where('id', '=', brother.id).execute();
  await checklist(kate.id, { insurer: 'Co-operative Mutual', policy: 'FFC-2024-017', renews: d(140), paye: '120/FF77881', pension: d(-580), scheme: 'The People’s Pension' });

  const kateAccount = await accountFor(trx, kate.council_id, 'direct_payment', kate.id);
  const family = await pool(trx, { councilId: kate.council_id, name: coop, kind: 'shared_pas', description: 'The co-operative employs Kate’s team of personal assistants for 24-hour support, with emergency cover, recruitment and training organised by its committee.', managedBy: 'The co-operative’s committee (chair: Margaret Fletcher)', signedOn: d(-90), createdBy: practitioner });
  const kateMember = await member(trx, family, { dpId: kate.id, parts: 1, contribution: 800000, joinedOn: d(-84) });
  for (const start of [-84, -56, -28, 0]) {
    await contribute(trx, family, kateMember, kate.id, kateAccount, 800000, d(start), practitioner);
    if (start < 0) await purchase(trx, family, [[kateMember, kate.id, 1]], { on: d(start + 27), what: 'Four weeks of PA wages, National Insurance and pension for Kate’s team', supplier: `${coop} payroll`, amount: 786000, by: practitioner });
  }

  // Gorwellion Newydd, in Wales: Dewi, Gwen and Alun pool their payments for group re-ablement.
  const dewi = await dpOf('Dewi');
  const gwen = await welshMember(trx, ctx, { given: 'Gwen', family: 'Parry', dob: '1949-09-03', weekly: 3000, startsOn: d(-110), practitioner: rhys });
  const alun = await welshMember(trx, ctx, { given: 'Alun', family: 'Roberts', dob: '1962-01-27', weekly: 3000, startsOn: d(-110), practitioner: rhys });
  const gn = await pool(trx, { councilId: dewi.council_id, name: 'Gorwellion Newydd', kind: 'session_series', description: 'Re-ablement group sessions at Gorwellion Newydd, in Welsh and English: confidence, well-being and getting out again.', managedBy: 'Gorwellion Newydd co-operative (members’ committee)', signedOn: d(-105), createdBy: rhys });
  const members: Array<[string, string, number, number]> = [];
  for (const [dp, parts, contribution] of [[dewi.id, 2, 24000], [gwen.id, 1, 12000], [alun.id, 1, 12000]] as const) {
    members.push([await member(trx, gn, { dpId: dp, parts, contribution, joinedOn: d(-110) }), dp, parts, contribution]);
  }
  for (const start of [-110, -82, -54, -26]) {
    for (const [m, dp, , contribution] of members) {
      if (dp === alun.id && start > -30) continue;
      await contribute(trx, gn, m, dp, await accountFor(trx, dewi.council_id, 'direct_payment', dp), contribution, d(start), rhys);
    }
    const taking = start > -30 ? members.filter(([, dp]) => dp !== alun.id) : members;
    await purchase(trx, gn, taking.map(([m, dp, parts]) => [m, dp, parts]), { on: d(start + 7), what: start > -30 ? 'Six re-ablement group sessions' : 'Eight re-ablement group sessions', supplier: 'Gorwellion Newydd', amount: start > -30 ? 27000 : 36000, by: rhys });
  }
  // Alun moved to live with his daughter: his share still in the pool came back to him when he left.
  const [alunMember] = members.filter(([, dp]) => dp === alun.id)[0]!;
  const alunHeld = await heldIn(trx, gn, alunMember, alun.id);
  const settle = alunHeld > 0
    ? await postTransaction(trx, {
        idempotencyKey: `pool:${gn.id}:member:${alunMember}:settlement`, councilId: dewi.council_id, kind: 'pool_settlement', description: 'Share returned on leaving Gorwellion Newydd',
        effectiveOn: d(-27), directPaymentId: alun.id, createdBy: rhys,
        postings: [{ accountId: gn.account, amountPence: -alunHeld }, { accountId: await accountFor(trx, dewi.council_id, 'direct_payment', alun.id), amountPence: alunHeld }],
      })
    : null;
  await trx.updateTable('pool_members').set({ left_on: d(-27), settlement_transaction_id: settle?.id ?? null }).where('id', '=', alunMember).execute();
}

type Pool = { id: string; account: string; councilId: string; name: string };

async function pool(trx: Trx, p: { councilId: string; name: string; kind: string; description: string; managedBy: string; signedOn: string; createdBy: string }): Promise<Pool> {
  const id = crypto.randomUUID();
  const account = await trx.insertInto('ledger_accounts').values({ council_id: p.councilId, code: `POOL:${id}`, name: `Pool: ${p.name}`, kind: 'pool' }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('pools').values({ id, council_id: p.councilId, name: p.name, service_kind: p.kind, service_description: p.description, managed_by: p.managedBy, agreement_signed_on: p.signedOn, ledger_account_id: account.id, created_by: p.createdBy }).execute();
  return { id, account: account.id, councilId: p.councilId, name: p.name };
}

async function member(trx: Trx, pool: Pool, m: { dpId: string; parts: number; contribution: number; joinedOn: string }): Promise<string> {
  const row = await trx.insertInto('pool_members').values({ pool_id: pool.id, direct_payment_id: m.dpId, share_parts: m.parts, contribution_pence: m.contribution, joined_on: m.joinedOn }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

async function contribute(trx: Trx, pool: Pool, memberId: string, dpId: string, dpAccount: string, amount: number, on: string, by: string): Promise<void> {
  await postTransaction(trx, {
    idempotencyKey: `pool:${pool.id}:member:${memberId}:contribution:${on}`, councilId: pool.councilId, kind: 'pool_contribution', description: `Contribution to ${pool.name}`,
    effectiveOn: on, directPaymentId: dpId, createdBy: by,
    postings: [{ accountId: dpAccount, amountPence: -amount }, { accountId: pool.account, amountPence: amount }],
  });
}

async function purchase(trx: Trx, pool: Pool, taking: Array<[memberId: string, dpId: string, parts: number]>, p: { on: string; what: string; supplier: string; amount: number; by: string }): Promise<void> {
  const row = await trx.insertInto('pool_purchases').values({ pool_id: pool.id, bought_on: p.on, description: p.what, supplier: p.supplier, amount_pence: p.amount, recorded_by: p.by }).returning('id').executeTakeFirstOrThrow();
  const parts = shareOut(p.amount, taking.map(([id, , parts]) => ({ id, parts })));
  await trx.insertInto('pool_purchase_shares').values(taking.map(([m, dp], i) => ({ purchase_id: row.id, pool_member_id: m, direct_payment_id: dp, amount_pence: parts[i]!.amountPence }))).execute();
}

async function heldIn(trx: Trx, pool: Pool, memberId: string, dpId: string): Promise<number> {
  const put = await trx.selectFrom('ledger_postings').innerJoin('ledger_transactions', 'ledger_transactions.id', 'ledger_postings.transaction_id')
    .select((eb) => eb.fn.sum<string>('ledger_postings.amount_pence').as('n'))
    .where('ledger_postings.account_id', '=', pool.account).where('ledger_transactions.direct_payment_id', '=', dpId).executeTakeFirstOrThrow();
  const spent = await trx.selectFrom('pool_purchase_shares').select((eb) => eb.fn.sum<string>('amount_pence').as('n')).where('pool_member_id', '=', memberId).executeTakeFirstOrThrow();
  return Number(put.n ?? 0) - Number(spent.n ?? 0);
}

/** Another member of Gorwellion Newydd: a Welsh adult with an active direct payment, paid every 4 weeks. */
async function welshMember(trx: Trx, ctx: StoryContext, p: { given: string; family: string; dob: string; weekly: number; startsOn: string; practitioner: string }) {
  const council = ctx.wales;
  const person = await trx.insertInto('people').values({ council_id: council.id, team_id: council.teamId, practitioner_id: p.practitioner, given_name: p.given, family_name: p.family, date_of_birth: p.dob, kind: 'adult', preferred_language: 'cy' }).returning('id').executeTakeFirstOrThrow();
  const plan = await trx.insertInto('care_plans').values({ person_id: person.id, status: 'agreed', kind: 'ongoing', weekly_cost_pence: p.weekly, weekly_contribution_pence: 0, co_produced_with: 'The person, with their practitioner', agreed_on: addDays(p.startsOn, -14), created_by: p.practitioner }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('plan_items').values({ plan_id: plan.id, position: 1, outcome: 'Feel confident and less lonely', met_by: 'direct_payment', how: 'Re-ablement group sessions at Gorwellion Newydd, once a week', cost_pence: p.weekly, cost_frequency: 'weekly' }).execute();
  const dp = await trx.insertInto('direct_payments').values({
    council_id: council.id, person_id: person.id, plan_id: plan.id, kind: 'ongoing', status: 'active', purpose: 'Re-ablement sessions at Gorwellion Newydd, shared with other members',
    meets_needs: 'all', weekly_amount_pence: p.weekly, weekly_contribution_pence: 0, frequency: 'four_weekly', payment_method: 'prepaid_card', payee: 'person', starts_on: p.startsOn, first_payment_on: p.startsOn, created_by: p.practitioner,
  }).returning('id').executeTakeFirstOrThrow();
  const schedule = await trx.insertInto('payment_schedules').values({ direct_payment_id: dp.id, frequency: 'four_weekly', starts_on: p.startsOn, weekly_amount_pence: p.weekly, weekly_contribution_pence: 0, created_by: ctx.staff.finance! }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('agreements').values({ direct_payment_id: dp.id, version: 1, amount_pence: p.weekly * 4, frequency: 'four_weekly', account_summary: 'Prepaid card', purpose: 'Re-ablement sessions at Gorwellion Newydd, shared with other members', records_to_keep: 'Gorwellion Newydd sends each member a statement of their share.', review_on: addDays(p.startsOn, 180), created_by: p.practitioner, signed_on: addDays(p.startsOn, -5), signed_by_name: `${p.given} ${p.family}`, signed_recorded_by: p.practitioner }).execute();
  const budget = await accountFor(trx, council.id, 'budget');
  const transit = await accountFor(trx, council.id, 'in_transit');
  const holder = await accountFor(trx, council.id, 'direct_payment', dp.id);
  for (let start = p.startsOn; start <= ctx.today; start = addDays(start, 28)) {
    const amount = p.weekly * 4;
    const payment = await trx.insertInto('payments').values({ direct_payment_id: dp.id, schedule_id: schedule.id, period_starts_on: start, period_ends_on: addDays(start, 27), due_on: start, amount_pence: amount, status: 'paid' }).returning('id').executeTakeFirstOrThrow();
    await postTransaction(trx, { idempotencyKey: `payment:${payment.id}:sent`, councilId: council.id, kind: 'payment_sent', description: 'Payment sent to the bank', effectiveOn: addDays(start, -2), directPaymentId: dp.id, createdBy: ctx.staff.finance!, postings: [{ accountId: budget, amountPence: -amount }, { accountId: transit, amountPence: amount }] });
    const paid = await postTransaction(trx, { idempotencyKey: `payment:${payment.id}:paid`, councilId: council.id, kind: 'payment_paid', description: 'Payment arrived', effectiveOn: start, directPaymentId: dp.id, createdBy: ctx.staff.finance!, postings: [{ accountId: transit, amountPence: -amount }, { accountId: holder, amountPence: amount }] });
    await trx.updateTable('payments').set({ ledger_transaction_id: paid.id }).where('id', '=', payment.id).execute();
  }
  await trx.insertInto('reviews').values({ direct_payment_id: dp.id, kind: 'first', due_on: addDays(p.startsOn, 180) }).execute();
  return { id: dp.id, personId: person.id };
}
