import { sql } from 'kysely';
import type { Database } from '../platform/db/database.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { DEMO_PASSWORD } from './accounts.ts';
import { addMonths } from '../domain/dates.ts';

export type GenerateOptions = {
  /** People on direct payments (ongoing and one-off). */
  people: number;
  /** Years of history: first conversations and direct payments spread over them. */
  years?: number;
  /** People on council-arranged long-term support only, for each person on a direct payment. */
  arrangedRatio?: number;
  /** Months of payment history posted to the ledger (paid payments), counting back from today. */
  paymentMonths?: number;
  today: string;
  code?: string;
};

export type GenerateResult = {
  councilId: string; code: string; people: number; directPayments: number; payments: number; reviews: number; conversations: number;
  usernames: { manager: string; finance: string; practitioner: string }; ms: number;
};

const TEAMS = ['North', 'South', 'East', 'West', 'Central', 'Transitions'];

/**
 * A national-scale council in the current database, written set-based (generate_series), in one
 * database transaction: people with every field the Client Level Data return needs, a first
 * conversation each, agreed plans, direct payments started over `years` years (85% ongoing, 15%
 * one-off with a business case and the cost it avoided; some suspended, some ended), reviews on
 * England's schedule (most done, some overdue), people on council-arranged support only (the rest of
 * long-term community support), a budget for each year, and the last `paymentMonths` of four-weekly
 * payments posted through the ledger the way payments/move-money.ts posts them (sent, then paid), so
 * `dp ledger verify` holds. Distributions are deterministic (from the row number), so two runs agree.
 */
export async function generateCouncil(db: Database, opts: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const n = opts.people;
  const years = opts.years ?? 5;
  const arranged = Math.round(n * (opts.arrangedRatio ?? 1));
  const months = opts.paymentMonths ?? 12;
  const today = opts.today;
  const code = opts.code ?? `GEN${n}`;
  const since = addMonths(today, -12 * years);
  const paymentsFrom = addMonths(today, -months);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const lower = code.toLowerCase();
  const usernames = { manager: `${lower}-manager`, finance: `${lower}-finance`, practitioner: `${lower}-practitioner` };

  const result = await db.transaction().execute(async (trx) => {
    await sql`set local synchronous_commit = off`.execute(trx);
    const council = await trx.insertInto('councils')
      .values({ code, name: `Generated County Council (${n.toLocaleString('en-GB')} people)`, jurisdiction: 'england', cld_la_code: 'E10000999' })
      .returning('id').executeTakeFirstOrThrow();
    const c = council.id;
    await sql`insert into teams (council_id, name) select ${c}, unnest(${TEAMS}::text[])`.execute(trx);
    const teamIds = (await trx.selectFrom('teams').select('id').where('council_id', '=', c).orderBy('name').execute()).map((t) => t.id);
    const firstTeam = teamIds[0]!;
    for (const [role, username] of [['manager', usernames.manager], ['finance', usernames.finance], ['practitioner', usernames.practitioner]] as const) {
      await trx.insertInto('users').values({ username, display_name: `Generated ${role}`, role, council_id: c, team_id: firstTeam, password_hash: passwordHash }).execute();
    }
    const staff = await trx.selectFrom('users').select('id').where('username', '=', usernames.practitioner).executeTakeFirstOrThrow();
    const by = staff.id;

    const lists = await sql<{ field: string; values: string[] }>`
      select field, array_agg(value order by position) as values from cld_list_values where council_id is null group by field`.execute(trx);
    const list = (f: string) => lists.rows.find((r) => r.field === f)!.values;

    // People: 1..n on direct payments (one in ten a carer), n+1..n+arranged on council-arranged support.
    await sql`
      insert into people (council_id, team_id, practitioner_id, given_name, family_name, date_of_birth, kind, postcode, nhs_number,
                          gender, ethnicity, primary_support_reason, accommodation_status, has_unpaid_carer, created_at)
      select ${c}, (${teamIds}::uuid[])[1 + g % ${teamIds.length}], ${by}, 'Person', 'Number ' || g,
        ${today}::date - ((18 * 365) + (hashint % (75 * 365))) ,
        case when g <= ${n} and g % 10 = 0 then 'carer' else 'adult' end,
        'GN' || (1 + g % 20) || ' ' || (g % 10) || chr(65 + g % 26) || chr(65 + (g / 26) % 26),
        case when g % 97 = 0 then null else nhs end,
        (${list('gender')}::text[])[1 + hashint % 2],
        (${list('ethnicity')}::text[])[case when hashint % 100 < 80 then 1 else 1 + hashint % 21 end],
        case when g <= ${n} and g % 10 = 0 then 'Social Support: Support to Carer' else (${list('primary_support_reason')}::text[])[1 + hashint % 12] end,
        (${list('accommodation_status')}::text[])[1 + hashint % 9],
        (array['Yes', 'No', 'No', 'Unknown'])[1 + hashint % 4],
        ${since}::timestamptz + (g % 1800) * interval '1 day'
      from (
        select g, abs(hashint4(g)) as hashint,
          case when chk = 10 then (b + 1)::text || ((11 - ((s + 2) % 11)) % 11)::text else b::text || (chk % 11)::text end as nhs
        from (
          select g, b, s, 11 - (s % 11) as chk from (
            select g, b, (select sum(substr(b::text, i, 1)::int * (11 - i)) from generate_series(1, 9) i) as s
            from (select g, 400000000 + 2 * g as b from generate_series(1, ${n + arranged}) g) x
          ) y
        ) z
      ) p`.execute(trx);

    // The people of this council in order, numbered 1..n+arranged.
    await sql`create temporary table gen_people on commit drop as
      select id, kind, team_id, substr(family_name, 8)::int as g from people where council_id = ${c}`.execute(trx);
    await sql`create index on gen_people (g)`.execute(trx);

    // Each person's first conversation, somewhere in the years of history (more of them recently).
    await sql`create temporary table gen_start on commit drop as
      select g, id as person_id, kind,
        (${since}::date + (floor(sqrt(random_frac) * (${today}::date - ${since}::date - 60)))::int) as first_on
      from (select g, id, kind, (abs(hashint4(g * 7 + 1)) % 100000) / 100000.0 as random_frac from gen_people) x`.execute(trx);
    await sql`
      insert into conversations (person_id, practitioner_id, held_on, status, what_matters, wanted_outcomes, dp_offered, dp_offered_on, dp_response,
                                 significant_impact, eligible, completed_at, cld_method)
      select person_id, ${by}, first_on, 'completed', 'Generated', 'Generated', g <= ${n}, first_on, case when g <= ${n} then 'accepted' end,
        true, true, first_on + 7, (array['Face to face', 'Face to face', 'Telephone', 'Video call'])[1 + g % 4]
      from gen_start`.execute(trx);

    // Agreed plans: ongoing for people on ongoing support, one-off for one-off direct payments (every seventh).
    await sql`
      insert into care_plans (person_id, status, kind, weekly_cost_pence, weekly_contribution_pence, agreed_on, created_by)
      select person_id, 'agreed', case when g <= ${n} and g % 7 = 3 then 'one_off' else 'ongoing' end,
        case when g <= ${n} and g % 7 = 3 then null else 10000 + (abs(hashint4(g * 3)) % 140) * 1000 end,
        case when g <= ${n} and g % 7 = 3 then null else (g % 4) * 1500 end, first_on + 21, ${by}
      from gen_start`.execute(trx);
    await sql`
      insert into plan_items (plan_id, position, outcome, met_by, how, cost_pence, cost_frequency, cld_service_component)
      select cp.id, 1, 'Generated outcome', case when s.g <= ${n} then 'direct_payment' else 'council_service' end, 'Generated',
        coalesce(cp.weekly_cost_pence, 50000), case when cp.kind = 'one_off' then 'one_off' else 'weekly' end,
        case when s.g > ${n} then (array['Home support or domiciliary care', 'Community supported living', 'Shared Lives'])[1 + s.g % 3] end
      from care_plans cp join gen_start s on s.person_id = cp.person_id`.execute(trx);

    // Direct payments for people 1..n, starting four weeks after the conversation.
    await sql`
      insert into direct_payments (council_id, person_id, plan_id, kind, status, purpose, amount_pence, weekly_amount_pence, weekly_contribution_pence,
                                   frequency, payment_method, starts_on, ends_on, first_payment_on, created_by, cld_service_type, cld_service_component, created_at)
      select ${c}, s.person_id, cp.id, cp.kind,
        case when cp.kind = 'one_off' then (case when s.first_on + 28 > ${today}::date - 180 then 'active' else 'ended' end)
             when s.g % 25 = 0 then 'ended' when s.g % 60 = 1 then 'suspended' else 'active' end,
        'Generated direct payment',
        case when cp.kind = 'one_off' then 20000 + (abs(hashint4(s.g * 5)) % 200) * 1000 end,
        cp.weekly_cost_pence, coalesce(cp.weekly_contribution_pence, 0),
        case when cp.kind = 'one_off' then 'once' else 'four_weekly' end, 'bank_account',
        s.first_on + 28,
        case when cp.kind = 'one_off' and s.first_on + 28 <= ${today}::date - 180 then s.first_on + 28 + 150
             when cp.kind = 'ongoing' and s.g % 25 = 0 then least(${today}::date - 1, s.first_on + 28 + (abs(hashint4(s.g)) % 700)) end,
        s.first_on + 28, ${by},
        case when s.kind = 'carer' then 'Unpaid carer support: Direct to unpaid carer'
             when cp.kind = 'one_off' then 'Short term support: Other short term' else 'Long term support: Community' end,
        'Direct payment', s.first_on + 28
      from gen_start s join care_plans cp on cp.person_id = s.person_id
      where s.g <= ${n}`.execute(trx);

    // One-off payments replace ongoing support: a business case with the cost comparison, approved.
    await sql`
      insert into business_cases (direct_payment_id, author_id, proposal, why_necessary, outcomes_expected, horizon_months, status, submitted_at)
      select id, ${by}, 'Generated', 'Generated', 'Generated', 12, 'decided', starts_on - 14 from direct_payments where council_id = ${c} and kind = 'one_off'`.execute(trx);
    await sql`
      insert into business_case_options (business_case_id, position, description, proposed, one_off_cost_pence, weekly_cost_pence)
      select b.id, o.position, o.description, o.position = 1, case when o.position = 1 then d.amount_pence else 0 end,
        case when o.position = 2 then 3000 + (abs(hashint4(length(d.reference) + d.amount_pence::int)) % 150) * 100 else 0 end
      from business_cases b join direct_payments d on d.id = b.direct_payment_id
      cross join (values (1, 'One-off direct payment'), (2, 'Ongoing support instead')) o(position, description)
      where d.council_id = ${c}`.execute(trx);
    await sql`
      insert into panel_decisions (business_case_id, decided_by, decision, reasons, decided_at)
      select b.id, ${by}, 'approved', 'Generated', d.starts_on - 7 from business_cases b join direct_payments d on d.id = b.direct_payment_id where d.council_id = ${c}`.execute(trx);

    // Reviews: ongoing ones 6 months after the start, then every 12 months; one-off ones a check-back
    // after 3 months. Those due more than a month ago are done (one in fifty still waiting: overdue).
    await sql`
      insert into reviews (direct_payment_id, kind, due_on, completed_on, reviewer_id, outcomes_met, working, changes, cld_method)
      select d.id, r.kind, r.due_on,
        case when r.due_on < ${today}::date - 30 and abs(hashtext(d.reference || r.k::text)) % 50 <> 0 then r.due_on + (abs(hashint4(r.k + 1)) % 20) end,
        case when r.due_on < ${today}::date - 30 and abs(hashtext(d.reference || r.k::text)) % 50 <> 0 then ${by}::uuid end,
        case when r.due_on < ${today}::date - 30 and abs(hashtext(d.reference || r.k::text)) % 50 <> 0 then (array['met', 'met', 'met', 'partly', 'not_met'])[1 + abs(hashtext(d.reference)) % 5] end,
        case when r.due_on < ${today}::date - 30 and abs(hashtext(d.reference || r.k::text)) % 50 <> 0 then true end,
        case when r.due_on < ${today}::date - 30 and abs(hashtext(d.reference || r.k::text)) % 50 <> 0 then (array['none', 'none', 'none', 'more', 'less', 'different'])[1 + r.k % 6] end,
        case when r.due_on < ${today}::date - 30 then 'Face to face' end
      from direct_payments d
      cross join lateral (
        select k, case when d.kind = 'one_off' then 'check_back' when k = 0 then 'first' else 'annual' end as kind,
          case when d.kind = 'one_off' then d.starts_on + 91 else (d.starts_on + interval '6 months' + k * interval '12 months')::date end as due_on
        from generate_series(0, case when d.kind = 'one_off' then 0 else ${years} end) k
      ) r
      where d.council_id = ${c} and r.due_on <= coalesce(d.ends_on, ${today}::date + 365)
        and (r.k = 0 or r.due_on <= ${today}::date + 365)`.execute(trx);
    // Only the next review stays open: drop open ones beyond the first open one per direct payment.
    await sql`
      delete from reviews r using (
        select id, row_number() over (partition by direct_payment_id order by due_on) as nth
        from reviews where completed_on is null and direct_payment_id in (select id from direct_payments where council_id = ${c})
      ) x where x.id = r.id and x.nth > 1`.execute(trx);

    // Payments: each ongoing direct payment every four weeks from its start (within the months of
    // history) to today; each one-off once. All paid, each posted sent then paid. Ids are chosen
    // first, so each payment is written once, already pointing at its 'paid' transaction.
    await sql`create temporary table gen_pay on commit drop as
      select gen_random_uuid() as payment_id, d.id as direct_payment_id, d.reference, p.starts, p.ends, p.amount_pence,
        gen_random_uuid() as sent_tx, gen_random_uuid() as paid_tx
      from direct_payments d
      cross join lateral (
        select (d.starts_on + 28 * k) as starts, (d.starts_on + 28 * k + 27) as ends, (d.weekly_amount_pence - d.weekly_contribution_pence) * 4 as amount_pence
        from generate_series(greatest(0, ceil((${paymentsFrom}::date - d.starts_on) / 28.0)::int), (${today}::date - d.starts_on) / 28) k
      ) p
      where d.council_id = ${c} and d.kind = 'ongoing' and d.weekly_amount_pence > d.weekly_contribution_pence
        and p.starts <= coalesce(d.ends_on, ${today}::date)
        and (d.status <> 'suspended' or p.starts < ${today}::date - 56)
      union all
      select gen_random_uuid(), id, reference, starts_on, starts_on, amount_pence, gen_random_uuid(), gen_random_uuid()
      from direct_payments where council_id = ${c} and kind = 'one_off'`.execute(trx);

    // Schedules for ongoing direct payments still running, as signing the agreement makes them.
    await sql`
      insert into payment_schedules (direct_payment_id, frequency, starts_on, weekly_amount_pence, weekly_contribution_pence, status, created_by)
      select id, 'four_weekly', starts_on, weekly_amount_pence, weekly_contribution_pence, case when status = 'suspended' then 'suspended' else 'active' end, ${by}
      from direct_payments where council_id = ${c} and kind = 'ongoing' and status in ('active', 'suspended')`.execute(trx);
    await sql`
      insert into payment_schedule_suspensions (schedule_id, suspended_from, reason, suspended_by)
      select s.id, ${today}::date - 56, 'Generated: waiting for bank statements', ${by}
      from payment_schedules s join direct_payments d on d.id = s.direct_payment_id where d.council_id = ${c} and s.status = 'suspended'`.execute(trx);

    await sql`insert into ledger_accounts (council_id, code, name, kind) values
      (${c}, 'BUDGET', 'Direct payments budget', 'budget'), (${c}, 'IN_TRANSIT', 'Payments in transit', 'in_transit')`.execute(trx);
    await sql`insert into ledger_accounts (council_id, code, name, kind, direct_payment_id)
      select ${c}, 'DP:' || d.id, 'Direct payment account', 'direct_payment', d.id
      from direct_payments d where d.council_id = ${c} and exists (select 1 from gen_pay g where g.direct_payment_id = d.id)`.execute(trx);
    await sql`
      insert into ledger_transactions (id, idempotency_key, council_id, kind, description, effective_on, direct_payment_id, created_by)
      select case when s.step = 'sent' then g.sent_tx else g.paid_tx end, 'payment:' || g.payment_id || ':' || s.step, ${c}, 'payment_' || s.step,
        g.reference || ': payment for ' || to_char(g.starts, 'FMDD FMMonth YYYY') || case when s.step = 'sent' then ' sent to the bank' else ' arrived' end,
        case when s.step = 'sent' then g.starts - 1 else g.starts end, g.direct_payment_id, ${by}
      from gen_pay g cross join (values ('sent'), ('paid')) s(step)`.execute(trx);
    await sql`
      insert into payments (id, direct_payment_id, period_starts_on, period_ends_on, due_on, amount_pence, status, ledger_transaction_id)
      select payment_id, direct_payment_id, starts, ends, starts, amount_pence, 'paid', paid_tx from gen_pay`.execute(trx);
    await sql`
      with acc as (
        select (select id from ledger_accounts where council_id = ${c} and code = 'BUDGET') as budget,
               (select id from ledger_accounts where council_id = ${c} and code = 'IN_TRANSIT') as transit
      )
      insert into ledger_postings (transaction_id, account_id, amount_pence)
      select x.tx, x.account_id, x.amount
      from gen_pay g cross join acc
      join ledger_accounts da on da.council_id = ${c} and da.direct_payment_id = g.direct_payment_id
      cross join lateral (values
        (g.sent_tx, acc.budget, -g.amount_pence), (g.sent_tx, acc.transit, g.amount_pence),
        (g.paid_tx, acc.transit, -g.amount_pence), (g.paid_tx, da.id, g.amount_pence)
      ) x(tx, account_id, amount)`.execute(trx);

    // A budget for each financial year of the history: what was planned, a little above the weekly costs.
    await sql`
      insert into insight_budgets (council_id, financial_year, budget_pence)
      select ${c}, y, (select coalesce(sum(weekly_amount_pence - weekly_contribution_pence), 0) * 53 from direct_payments where council_id = ${c} and kind = 'ongoing')
      from generate_series(extract(year from ${since}::date)::int, extract(year from ${today}::date)::int) y`.execute(trx);

    const counts = await sql<{ dps: number; payments: number; reviews: number; conversations: number }>`
      select (select count(*)::int from direct_payments where council_id = ${c}) as dps,
        (select count(*)::int from payments p join direct_payments d on d.id = p.direct_payment_id where d.council_id = ${c}) as payments,
        (select count(*)::int from reviews r join direct_payments d on d.id = r.direct_payment_id where d.council_id = ${c}) as reviews,
        (select count(*)::int from conversations v join people p on p.id = v.person_id where p.council_id = ${c}) as conversations`.execute(trx);
    const k = counts.rows[0]!;
    return { councilId: c, directPayments: k.dps, payments: k.payments, reviews: k.reviews, conversations: k.conversations };
  });
  await sql`analyze`.execute(db);
  return { ...result, code, people: n + arranged, usernames, ms: performance.now() - started };
}
