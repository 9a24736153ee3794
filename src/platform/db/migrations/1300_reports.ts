import { sql, type Kysely } from 'kysely';

// Client Level Data (England's quarterly return to DHSC) and the insight dashboards.
// - cld_list_values: the defined lists (Release 2 values). Rows with no council are the national
//   list seeded here; an administrator adds their council's own values.
// - The fields the return needs that the records did not hold: on people (NHS number, gender,
//   ethnicity, primary support reason, accommodation, …), on direct payments (Service Type and
//   Service Component), on reviews and conversations (how they were carried out).
// - insight_budgets: the council's direct-payments budget for each financial year.
const LISTS: Record<string, string[]> = {
  gender: ['Male', 'Female', 'Other', 'Unknown'],
  ethnicity: [
    'White: English, Welsh, Scottish, Northern Irish or British', 'White: Irish', 'White: Gypsy or Irish Traveller', 'White: Roma',
    'White: Any other White background', 'Mixed or multiple ethnic groups: White and Black Caribbean',
    'Mixed or multiple ethnic groups: White and Black African', 'Mixed or multiple ethnic groups: White and Asian',
    'Mixed or multiple ethnic groups: Any other Mixed or multiple ethnic background', 'Asian or Asian British: Indian',
    'Asian or Asian British: Pakistani', 'Asian or Asian British: Bangladeshi', 'Asian or Asian British: Chinese',
    'Asian or Asian British: Any other Asian background', 'Black, Black British, Caribbean or African: African',
    'Black, Black British, Caribbean or African: Caribbean',
    'Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background',
    'Other ethnic group: Arab', 'Other ethnic group: Any other ethnic group', 'No data: Refused', 'No data: Undeclared or not known',
  ],
  client_type: ['Service user', 'Unpaid carer', 'Unpaid carer known by association'],
  primary_support_reason: [
    'Physical Support: Access & mobility only', 'Physical Support: Personal care support', 'Sensory Support: Support for visual impairment',
    'Sensory Support: Support for hearing impairment', 'Sensory Support: Support for dual impairment', 'Support with Memory & Cognition',
    'Learning Disability Support', 'Mental Health Support', 'Social Support: Substance misuse support', 'Social Support: Asylum seeker support',
    'Social Support: Support for Social Isolation/Other', 'Social Support: Support to Carer', 'Unknown',
  ],
  accommodation_status: [
    'Owner occupier or shared ownership scheme', 'Tenant: Local authority or other social housing provider', 'Tenant: Private landlord',
    'Settled mainstream housing with family or friends', 'Shared Lives scheme', 'Supported accommodation, supported lodgings or supported group home',
    'Sheltered housing, extra care housing or other sheltered housing', 'Registered care home', 'Registered nursing home',
    'Staying with family or friends as a short term guest', 'Rough sleeper or squatting', 'Refuge', 'Other temporary accommodation',
  ],
  has_unpaid_carer: ['Yes', 'No', 'Unknown'],
  event_type: ['Request', 'Assessment', 'Service', 'Review'],
  event_outcome: [
    'Admitted to hospital', 'Continuation of support or services', 'NFA: Deceased', 'NFA: Information and advice or signposting',
    'NFA: No services offered for other reason', 'NFA: Other', 'NFA: Referral to NHS services or NHS funded social care',
    'NFA: Referral to other service within the local authority', 'NFA: Responsibility moved to another local authority',
    'NFA: Self-funded client or under 12wk disregard', 'NFA: Support declined', 'NFA: Support ended as planned',
    'NFA: Support ended for other reason', 'Progress to assessment, review or reassessment', 'Progress to reablement/ST-Max',
    'Progress to support planning or services',
  ],
  delivery_mechanism: ['Direct payment', 'CASSR managed personal budget', 'CASSR commissioned support'],
  service_type: [
    'Long term support: Community', 'Long term support: Nursing care', 'Long term support: Prison', 'Long term support: Residential care',
    'Short term support: Ongoing low level', 'Short term support: Other short term', 'Short term support: ST-Max',
    'Unpaid carer support: Direct to unpaid carer', 'Unpaid carer support: Support involving the person cared-for',
  ],
  service_component: [
    'Direct payment', 'Home support or domiciliary care', 'Shared Lives', 'Community supported living', 'Extra care housing',
    'Short term residential care', 'Short term nursing care', 'Equipment', 'Reablement',
  ],
  client_funding_status: ['Fully social care funded', 'Joint client and social care funded', 'Fully client funded'],
  // DHSC reads the frequency by its first word (week…, fortnight…, 4-week…, month…, quarter…, annual…, one-off).
  cost_frequency: ['Weekly', 'Fortnightly', '4-weekly', 'Monthly', 'Quarterly', 'Annually', 'One-off', 'Hourly', 'Daily', 'Per session'],
  request_route_of_access: ['Community / other route', 'Discharge from hospital', 'Diversion from hospital services', 'Planned entry (transition)', 'Self-funder with depleted funds'],
  assessment_type: ['Long term support needs assessment', 'Unpaid carer assessment', 'Financial assessment'],
  eligible_needs_identified: ['Yes', 'No'],
  method: ['Face to face', 'Telephone', 'Video call', 'Paper or online self-assessment'],
  review_reason: ['Planned', 'Unplanned'],
  review_outcomes_achieved: ['Fully achieved', 'Partially achieved', 'Not achieved'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table cld_list_values (
  id uuid primary key default gen_random_uuid(),
  -- null: the national (Release 2) value; otherwise a value one council added.
  council_id uuid references councils(id),
  field text not null,
  value text not null check (length(value) between 1 and 200),
  position integer not null default 0,
  created_by uuid references users(id),
  created_at timestamptz not null default now()
);
create unique index cld_list_values_unique on cld_list_values (coalesce(council_id, '00000000-0000-0000-0000-000000000000'::uuid), field, value);

alter table people
  add column nhs_number text check (nhs_number ~ '^[0-9]{10}$'),
  add column gender text,
  add column ethnicity text,
  add column primary_support_reason text,
  add column accommodation_status text,
  add column employment_status text,
  add column has_unpaid_carer text,
  add column date_of_death date;

alter table direct_payments
  add column cld_service_type text,
  add column cld_service_component text default 'Direct payment';

-- Services the council arranges in an agreed plan are Service events too (CASSR commissioned support).
alter table plan_items add column cld_service_component text;

-- The council's code in the return (the ONS local authority code, e.g. E10000002).
alter table councils add column cld_la_code text check (cld_la_code ~ '^E[0-9]{8}$');

alter table conversations add column cld_method text;
alter table reviews add column cld_method text;

create table insight_budgets (
  council_id uuid not null references councils(id),
  -- The financial year that starts on 1 April of this year.
  financial_year integer not null check (financial_year between 2000 and 2100),
  budget_pence bigint not null check (budget_pence >= 0),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now(),
  primary key (council_id, financial_year)
);

-- The dashboards count by these.
create index if not exists direct_payments_council_starts on direct_payments (council_id, starts_on);
-- (No new index on payments: a payment run updates 120,000 of them in place, which needs HOT updates.)
create index if not exists conversations_person on conversations (person_id, held_on);
create index if not exists reviews_direct_payment on reviews (direct_payment_id);
`.execute(db);

  const rows = Object.entries(LISTS).flatMap(([field, values]) => values.map((value, i) => ({ field, value, position: i + 1 })));
  await sql`insert into cld_list_values (field, value, position)
    select * from unnest(${rows.map((r) => r.field)}::text[], ${rows.map((r) => r.value)}::text[], ${rows.map((r) => r.position)}::int[])`.execute(db);

  const canGrant = await sql<{ ok: boolean }>`select exists (select 1 from pg_roles where rolname = 'dp_app') as ok`.execute(db);
  if (canGrant.rows[0]?.ok) {
    await sql`revoke all on cld_list_values, insight_budgets from dp_app`.execute(db);
    // Values are added, never edited or removed: a past return must keep meaning what it said.
    await sql`grant select, insert on cld_list_values to dp_app`.execute(db);
    await sql`grant select, insert, update on insight_budgets to dp_app`.execute(db);
  }
}
