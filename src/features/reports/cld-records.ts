import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import {
  LIST_FIELDS, assessmentOutcomeOf, clientTypeOf, directPaymentCost, fundingStatusOf, reviewOutcomeOf, reviewOutcomesOf, reviewReasonOf,
  serviceOutcomeOf, type CldLists, type CldRow, type ListField,
} from '../../domain/cld.ts';

type Db = Kysely<DB> | Transaction<DB>;
export type CldPeriod = { from: string; to: string };

/** The defined lists for a council: the national values and any the council has added. */
export async function loadLists(db: Db, councilId: string): Promise<CldLists> {
  const rows = await db
    .selectFrom('cld_list_values')
    .select(['field', 'value'])
    .where((eb) => eb.or([eb('council_id', 'is', null), eb('council_id', '=', councilId)]))
    .orderBy('field').orderBy('council_id', (ob) => ob.nullsFirst()).orderBy('position').orderBy('value')
    .execute();
  const lists = Object.fromEntries(LIST_FIELDS.map((f) => [f, new Set<string>()])) as Record<ListField, Set<string>>;
  for (const r of rows) lists[r.field as ListField]?.add(r.value);
  return lists;
}

/** The same lists as ordered arrays, for the radios and selects on forms. */
export async function listOptions(db: Db, councilId: string): Promise<Record<ListField, string[]>> {
  const lists = await loadLists(db, councilId);
  return Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, [...v]])) as Record<ListField, string[]>;
}

type PersonCols = {
  person_id: string; person_ref: string; nhs_number: string | null; given_name: string; family_name: string; gender: string | null;
  ethnicity: string | null; date_of_birth: string; date_of_death: string | null; kind: string; primary_support_reason: string | null;
  postcode: string | null; accommodation_status: string | null; employment_status: string | null; has_unpaid_carer: string | null;
};

const PERSON = sql`p.id as person_id, p.reference as person_ref, p.nhs_number, p.given_name, p.family_name, p.gender, p.ethnicity,
  p.date_of_birth, p.date_of_death, p.kind, p.primary_support_reason, p.postcode, p.accommodation_status, p.employment_status, p.has_unpaid_carer`;

export type CldRecord = { row: CldRow; personId: string; link: string };
export type CldData = { laCode: string | null; records: CldRecord[]; childrenLeftOut: number };

/**
 * Every event of the period for the council's adults and carers, as rows of the return, in one
 * pass per event type (set-based: 120,000 people take a few seconds). Children are not in the
 * adult return: they are counted, never dropped silently.
 *
 * - Service: each direct payment running at any time in the period (Delivery Mechanism
 *   `Direct payment`), and each council-arranged service in an agreed ongoing plan
 *   (`CASSR commissioned support`).
 * - Assessment: each 'what matters' conversation held or completed in the period.
 * - Review: each review completed in the period.
 * - Request: each extra review asked for in the period (a concern, a change in capacity, a breach,
 *   a request), and each reassessment request where the contact feature records them.
 */
export async function cldData(db: Db, councilId: string, period: CldPeriod, opts: { teamId?: string | null } = {}): Promise<CldData> {
  const council = await db.selectFrom('councils').select(['cld_la_code']).where('id', '=', councilId).executeTakeFirstOrThrow();
  const team = opts.teamId ? sql`and p.team_id = ${opts.teamId}` : sql``;
  const { from, to } = period;

  const servicesQ = sql<PersonCols & {
    dp_id: string; dp_ref: string; dp_kind: 'one_off' | 'ongoing'; status: string; frequency: string; amount_pence: number | null;
    weekly_amount_pence: number | null; weekly_contribution_pence: number; starts: string; ends_on: string | null; service_type: string | null;
    service_component: string | null;
  }>`
    select ${PERSON}, d.id as dp_id, d.reference as dp_ref, d.kind as dp_kind, d.status, d.frequency, d.amount_pence, d.weekly_amount_pence,
      d.weekly_contribution_pence, coalesce(d.starts_on, d.first_payment_on) as starts, d.ends_on, d.cld_service_type as service_type,
      d.cld_service_component as service_component
    from direct_payments d join people p on p.id = d.person_id
    where d.council_id = ${councilId} and d.status in ('active', 'suspended', 'ended') ${team}
      and coalesce(d.starts_on, d.first_payment_on) <= ${to} and (d.ends_on is null or d.ends_on >= ${from})
    order by p.reference, d.reference`;

  const arrangedQ = sql<PersonCols & { item_id: string; plan_id: string; agreed_on: string; cost_pence: number; ended_on: string | null; how: string; service_component: string | null }>`
    select ${PERSON}, i.id as item_id, c.id as plan_id, c.agreed_on, i.cost_pence, i.how, i.cld_service_component as service_component,
      case when c.status = 'replaced' then c.updated_at::date end as ended_on
    from plan_items i join care_plans c on c.id = i.plan_id join people p on p.id = c.person_id
    where p.council_id = ${councilId} and c.kind = 'ongoing' and c.status in ('agreed', 'replaced') and i.met_by = 'council_service'
      and i.cost_frequency = 'weekly' and i.cost_pence > 0 and c.agreed_on <= ${to}
      and (c.status = 'agreed' or c.updated_at::date >= ${from}) ${team}
    order by p.reference, c.agreed_on, i.position`;

  const assessmentsQ = sql<PersonCols & { conv_id: string; held_on: string; completed_on: string | null; eligible: boolean | null; method: string | null }>`
    select ${PERSON}, c.id as conv_id, c.held_on, case when c.status = 'completed' then coalesce(c.completed_at::date, c.held_on) end as completed_on,
      c.eligible, c.cld_method as method
    from conversations c join people p on p.id = c.person_id
    where p.council_id = ${councilId} ${team}
      and ((c.held_on between ${from} and ${to}) or (c.status = 'completed' and c.completed_at::date between ${from} and ${to}))
    order by p.reference, c.held_on`;

  const reviewsQ = sql<PersonCols & {
    review_id: string; review_kind: string; created_on: string; completed_on: string; outcomes_met: string | null; changes: string | null;
    method: string | null; weekly_contribution_pence: number; dp_status: string; dp_ends_on: string | null; dp_ref: string;
  }>`
    select ${PERSON}, r.id as review_id, r.kind as review_kind, r.created_at::date as created_on, r.completed_on, r.outcomes_met, r.changes, r.cld_method as method,
      d.weekly_contribution_pence, d.status as dp_status, d.ends_on as dp_ends_on, d.reference as dp_ref
    from reviews r join direct_payments d on d.id = r.direct_payment_id join people p on p.id = d.person_id
    where d.council_id = ${councilId} and r.completed_on between ${from} and ${to} ${team}
    order by p.reference, r.completed_on`;

  const requestsQ = sql<PersonCols & { review_id: string; asked_on: string; completed_on: string | null; dp_ref: string }>`
    select ${PERSON}, r.id as review_id, r.created_at::date as asked_on, r.completed_on, d.reference as dp_ref
    from reviews r join direct_payments d on d.id = r.direct_payment_id join people p on p.id = d.person_id
    where d.council_id = ${councilId} and r.kind in ('concern', 'capacity', 'breach', 'request')
      and r.created_at::date between ${from} and ${to} ${team}
    order by p.reference, r.created_at`;


  // Independent reads: run them side by side (the pool has room; in a transaction they simply queue).
  const [services, arranged, assessments, reviews, requests, contactRequests] = await Promise.all([
    servicesQ.execute(db), arrangedQ.execute(db), assessmentsQ.execute(db), reviewsQ.execute(db), requestsQ.execute(db),
    reassessmentRequests(db, councilId, period, opts.teamId ?? null),
  ]);

  let childrenLeftOut = 0;
  const records: CldRecord[] = [];
  const seenChildren = new Set<string>();
  const person = (p: PersonCols): CldRow | null => {
    const clientType = clientTypeOf(p.kind);
    if (!clientType) {
      if (!seenChildren.has(p.person_id)) childrenLeftOut++;
      seenChildren.add(p.person_id);
      return null;
    }
    return {
      'LA Code': council.cld_la_code, 'Reporting Period Start Date': from, 'Reporting Period End Date': to, 'NHS Number': p.nhs_number,
      'LA Person Unique Identifier': p.person_ref, 'First Name': p.given_name, 'Last Name': p.family_name, Gender: p.gender,
      Ethnicity: p.ethnicity, 'Date of Birth': p.date_of_birth, 'Date of Death': p.date_of_death, 'Client Type': clientType,
      'Primary Support Reason': p.primary_support_reason, Postcode: p.postcode, 'Accommodation Status': p.accommodation_status,
      'Employment Status': p.employment_status, 'Has Unpaid Carer': p.has_unpaid_carer,
    };
  };
  const fix = (personId: string) => `/client-level-data/people/${personId}`;

  for (const s of services.rows) {
    const base = person(s);
    if (!base) continue;
    const cost = directPaymentCost({ kind: s.dp_kind, frequency: s.frequency, amountPence: s.amount_pence, weeklyAmountPence: s.weekly_amount_pence });
    records.push({
      personId: s.person_id, link: fix(s.person_id),
      row: {
        ...base, 'Client Funding Status': fundingStatusOf(s.dp_kind === 'ongoing' ? s.weekly_contribution_pence : 0), 'Event Type': 'Service',
        'Event Reference': s.dp_ref, 'Event Start Date': s.starts, 'Event End Date': s.ends_on && s.ends_on <= to ? s.ends_on : null,
        'Event Description': s.dp_kind === 'one_off' ? 'One-off direct payment' : 'Ongoing direct payment',
        'Event Outcome': serviceOutcomeOf({ endsOn: s.ends_on, periodEnd: to, status: s.status }), 'Service Type': s.service_type,
        'Service Component': s.service_component, 'Delivery Mechanism': 'Direct payment', 'Unit Cost': cost?.unitCost ?? null,
        'Cost Frequency (Unit Type)': cost?.frequency ?? null, 'Planned units per week': cost?.plannedUnitsPerWeek ?? null,
      },
    });
  }
  for (const a of arranged.rows) {
    const base = person(a);
    if (!base) continue;
    records.push({
      personId: a.person_id, link: fix(a.person_id),
      row: {
        ...base, 'Client Funding Status': 'Fully social care funded', 'Event Type': 'Service', 'Event Reference': `SVC-${a.item_id}`,
        'Event Start Date': a.agreed_on, 'Event End Date': a.ended_on && a.ended_on <= to ? a.ended_on : null,
        'Event Description': 'Support the council arranges', 'Event Outcome': serviceOutcomeOf({ endsOn: a.ended_on, periodEnd: to, status: 'ended' }),
        'Service Type': a.kind === 'carer' ? 'Unpaid carer support: Direct to unpaid carer' : 'Long term support: Community',
        'Service Component': a.service_component, 'Delivery Mechanism': 'CASSR commissioned support',
        'Unit Cost': (a.cost_pence / 100).toFixed(2), 'Cost Frequency (Unit Type)': 'Weekly', 'Planned units per week': '1',
      },
    });
  }
  for (const c of assessments.rows) {
    const base = person(c);
    if (!base) continue;
    records.push({
      personId: c.person_id, link: fix(c.person_id),
      row: {
        ...base, 'Event Type': 'Assessment', 'Event Reference': `ASM-${c.conv_id}`, 'Event Start Date': c.held_on, 'Event End Date': c.completed_on,
        'Event Description': 'What matters conversation and eligibility', 'Event Outcome': assessmentOutcomeOf({ completed: c.completed_on !== null, eligible: c.eligible }),
        'Assessment Type': c.kind === 'carer' ? 'Unpaid carer assessment' : 'Long term support needs assessment',
        'Eligible Needs Identified': c.completed_on === null || c.eligible === null ? null : c.eligible ? 'Yes' : 'No', 'Method of Assessment': c.method,
      },
    });
  }
  for (const r of reviews.rows) {
    const base = person(r);
    if (!base) continue;
    records.push({
      personId: r.person_id, link: fix(r.person_id),
      row: {
        ...base, 'Client Funding Status': fundingStatusOf(r.weekly_contribution_pence), 'Event Type': 'Review', 'Event Reference': `REV-${r.review_id}`,
        'Event Start Date': r.completed_on, 'Event End Date': r.completed_on, 'Event Description': `Review of ${r.dp_ref}`,
        'Event Outcome': reviewOutcomeOf({ changes: r.changes, endedTheSupport: r.dp_status === 'ended' && r.dp_ends_on !== null && r.dp_ends_on <= to && r.review_kind === 'check_back' }),
        'Review Reason': reviewReasonOf(r.review_kind), 'Review Outcomes Achieved': reviewOutcomesOf(r.outcomes_met), 'Method of Review': r.method,
      },
    });
  }
  for (const q of [...requests.rows.map((r) => ({ ...r, ref: `REQ-${r.review_id}`, description: `Request for a review of ${r.dp_ref}` })), ...contactRequests]) {
    const base = person(q);
    if (!base) continue;
    records.push({
      personId: q.person_id, link: fix(q.person_id),
      row: {
        ...base, 'Event Type': 'Request', 'Event Reference': q.ref, 'Event Start Date': q.asked_on, 'Event End Date': q.asked_on,
        'Event Description': q.description, 'Event Outcome': 'Progress to assessment, review or reassessment', 'Request: Route of Access': 'Community / other route',
      },
    });
  }
  return { laCode: council.cld_la_code, records, childrenLeftOut };
}

/** Reassessment requests from the contact feature's table, when it exists in this database. */
async function reassessmentRequests(db: Db, councilId: string, period: CldPeriod, teamId: string | null) {
  const exists = await sql<{ ok: boolean }>`select to_regclass('public.contact_requests') is not null as ok`.execute(db);
  if (!exists.rows[0]?.ok) return [];
  const cols = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'contact_requests'`.execute(db);
  const names = new Set(cols.rows.map((c) => c.column_name));
  if (!names.has('person_id') || !names.has('kind') || !names.has('created_at')) return [];
  const team = teamId ? sql`and p.team_id = ${teamId}` : sql``;
  const rows = await sql<PersonCols & { request_id: string; asked_on: string }>`
    select ${PERSON}, r.id as request_id, r.created_at::date as asked_on
    from contact_requests r join people p on p.id = r.person_id
    where p.council_id = ${councilId} and r.kind = 'reassessment' and r.created_at::date between ${period.from} and ${period.to} ${team}
    order by p.reference, r.created_at`.execute(db);
  return rows.rows.map((r) => ({ ...r, ref: `REQ-${r.request_id}`, description: 'Request for a reassessment' }));
}
