import { sql, type Transaction } from 'kysely';
import type { DB } from '../platform/db/schema.ts';
import type { DemoCouncil } from './seed.ts';

/**
 * The Client Level Data details of the demo people (made-up but valid NHS numbers, the Release 2
 * values that fit their stories), each direct payment's Service Type, the English council's code in
 * the return, and a direct-payments budget for this financial year and the last.
 */
export async function seedReportsDemo(trx: Transaction<DB>, ctx: { england: DemoCouncil; wales: DemoCouncil; today: string }): Promise<void> {
  await trx.updateTable('councils').set({ cld_la_code: 'E10000998' }).where('id', '=', ctx.england.id).execute();
  const details: Record<string, { nhs: string; gender: string; ethnicity: string; psr: string; accommodation: string; carer: string }> = {
    Peter: { nhs: '9434765919', gender: 'Male', ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British', psr: 'Physical Support: Personal care support', accommodation: 'Supported accommodation, supported lodgings or supported group home', carer: 'No' },
    Jemima: { nhs: '4010232137', gender: 'Female', ethnicity: 'Black, Black British, Caribbean or African: African', psr: 'Physical Support: Access & mobility only', accommodation: 'Tenant: Private landlord', carer: 'No' },
    Fatima: { nhs: '9990001006', gender: 'Female', ethnicity: 'Asian or Asian British: Bangladeshi', psr: 'Social Support: Support to Carer', accommodation: 'Tenant: Local authority or other social housing provider', carer: 'No' },
    Anwen: { nhs: '9990001014', gender: 'Female', ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British', psr: 'Physical Support: Personal care support', accommodation: 'Owner occupier or shared ownership scheme', carer: 'Yes' },
    Kate: { nhs: '9990001022', gender: 'Female', ethnicity: 'White: Irish', psr: 'Learning Disability Support', accommodation: 'Settled mainstream housing with family or friends', carer: 'Yes' },
    John: { nhs: '9990001030', gender: 'Male', ethnicity: 'Mixed or multiple ethnic groups: White and Black Caribbean', psr: 'Mental Health Support', accommodation: 'Tenant: Local authority or other social housing provider', carer: 'No' },
    Trevor: { nhs: '9990001049', gender: 'Male', ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British', psr: 'Physical Support: Personal care support', accommodation: 'Owner occupier or shared ownership scheme', carer: 'Yes' },
    Dewi: { nhs: '9990001065', gender: 'Male', ethnicity: 'White: English, Welsh, Scottish, Northern Irish or British', psr: 'Support with Memory & Cognition', accommodation: 'Owner occupier or shared ownership scheme', carer: 'Yes' },
  };
  for (const [given, d] of Object.entries(details)) {
    await trx.updateTable('people')
      .set({ nhs_number: d.nhs, gender: d.gender, ethnicity: d.ethnicity, primary_support_reason: d.psr, accommodation_status: d.accommodation, has_unpaid_carer: d.carer })
      .where('given_name', '=', given).where('council_id', 'in', [ctx.england.id, ctx.wales.id]).execute();
  }
  await sql`
    update direct_payments d set cld_service_type = case
      when p.kind = 'carer' then 'Unpaid carer support: Direct to unpaid carer'
      when d.kind = 'one_off' then 'Short term support: Other short term'
      else 'Long term support: Community' end
    from people p where p.id = d.person_id and d.council_id in (${ctx.england.id}, ${ctx.wales.id})`.execute(trx);
  await trx.updateTable('conversations').set({ cld_method: 'Face to face' })
    .where('person_id', 'in', (eb) => eb.selectFrom('people').select('id').where('council_id', '=', ctx.england.id)).execute();
  await trx.updateTable('reviews').set({ cld_method: 'Face to face' }).where('completed_on', 'is not', null)
    .where('direct_payment_id', 'in', (eb) => eb.selectFrom('direct_payments').select('id').where('council_id', '=', ctx.england.id)).execute();
  const fy = Number(ctx.today.slice(0, 4)) - (ctx.today.slice(5) < '04-01' ? 1 : 0);
  await trx.insertInto('insight_budgets').values([
    { council_id: ctx.england.id, financial_year: fy, budget_pence: 15_000_000 },
    { council_id: ctx.england.id, financial_year: fy - 1, budget_pence: 12_000_000 },
    { council_id: ctx.wales.id, financial_year: fy, budget_pence: 2_500_000 },
  ]).execute();
}
