import { sql } from 'kysely';
import type { Services } from '../platform/services.ts';
import type { Database } from '../platform/db/database.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { DEMO_PASSWORD } from './accounts.ts';
import { seedStories } from './stories.ts';
import { seedEmployersAndPools } from './employers.ts';
import { seedReportsDemo } from './reports.ts';
import { seedDemoReceipts } from './receipts.ts';
import { seedActivity } from './activity.ts';
import { welshCouncilGuidance } from './guidance.ts';
import { defaultGuidance } from '../features/guidance/default-guidance.ts';
import { importDemoModulusTables } from '../features/bank-details/demo-tables.ts';

/** Seeds the demo councils, staff and people when the database has no councils yet. */
export async function seedDemoIfEmpty(services: Services): Promise<boolean> {
  const existing = await services.db.selectFrom('councils').select('id').limit(1).execute();
  if (existing.length) return false;
  await seedDemo(services, { withActivity: true });
  return true;
}

export type DemoCouncil = { id: string; teamId: string };
export type DemoStaff = Record<string, string>;

/**
 * Writes the whole demo in one transaction: either all of it lands or none of it. `withActivity`
 * adds the newer features' data (demo/activity.ts: contact requests, complaints, a statement,
 * monitoring and a surplus case, survey answers). The app's demo (`npm start`, `dp demo reset`)
 * always has it; tests that build on the stories alone call seedDemo without it.
 */
export async function seedDemo(services: Services, opts: { withActivity?: boolean } = {}): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await services.db.transaction().execute(async (trx) => {
    const england = await council(trx, { code: 'EASTMOOR', name: 'Eastmoor County Council', jurisdiction: 'england', team: 'Adult social care – north' });
    const wales = await council(trx, { code: 'DYFFRYN', name: 'Cyngor Sir Dyffryn – Dyffryn County Council', jurisdiction: 'wales', team: 'Tîm oedolion – adults team' });
    const staff: DemoStaff = {};
    const addStaff = async (c: DemoCouncil, username: string, displayName: string, role: string) => {
      const row = await trx
        .insertInto('users')
        .values({ username, display_name: displayName, role, council_id: c.id, team_id: c.teamId, password_hash: passwordHash, email: `${username}@example.gov.uk` })
        .returning('id')
        .executeTakeFirstOrThrow();
      staff[username] = row.id;
    };
    await addStaff(england, 'practitioner', 'Gareth Hughes', 'practitioner');
    await addStaff(england, 'manager', 'Jo Clarke', 'manager');
    await addStaff(england, 'panel', 'Priya Shah', 'panel');
    await addStaff(england, 'finance', 'Alex Morgan', 'finance');
    await addStaff(england, 'admin', 'Chris Lee', 'admin');
    await addStaff(wales, 'rhys', 'Rhys Evans', 'practitioner');
    await addStaff(wales, 'ffion', 'Ffion Davies', 'manager');
    // Made-up Bacs details (a service user number and the council's own account), so a demo
    // payment run can be approved and its file written.
    await trx
      .insertInto('council_payment_settings')
      .values([
        { council_id: england.id, service_user_number: '123456', service_user_name: 'EASTMOOR CC', originating_sort_code: '309634', originating_account_number: '48213302', originating_account_name: 'EASTMOOR CC DP' },
        { council_id: wales.id, service_user_number: '654321', service_user_name: 'DYFFRYN CC', originating_sort_code: '200000', originating_account_number: '66374956', originating_account_name: 'DYFFRYN CC DP' },
      ])
      .execute();
    // Eastmoor starts from the suggested guidance in English; Dyffryn writes its own in both languages.
    await trx
      .insertInto('guidance_items')
      .values(defaultGuidance().map((g, i) => ({ council_id: england.id, position: i + 1, title: g.title, body: g.body, examples: g.examples })))
      .execute();
    await trx
      .insertInto('guidance_items')
      .values(welshCouncilGuidance().map((g, i) => ({ council_id: wales.id, position: i + 1, ...g })))
      .execute();
    await seedStories(trx, { england, wales, staff, passwordHash, today: services.clock.today() });
    await seedEmployersAndPools(trx, { england, wales, staff, passwordHash, today: services.clock.today() });
    await seedReportsDemo(trx, { england, wales, today: services.clock.today() });
    await seedDemoReceipts(trx, services);
    if (opts.withActivity) await seedActivity(trx, services.clock.today());
  });
  await importDemoModulusTables(services);
}

async function council(
  trx: Database,
  c: { code: string; name: string; jurisdiction: 'england' | 'wales'; team: string },
): Promise<DemoCouncil> {
  const row = await trx
    .insertInto('councils')
    // The Welsh council shows its people Welsh first (issue 4); each person may switch.
    .values({ code: c.code, name: c.name, jurisdiction: c.jurisdiction, first_language: c.jurisdiction === 'wales' ? 'cy' : 'en', contact_email: `direct.payments@${c.code.toLowerCase()}.example.gov.uk`, contact_phone: '0300 123 4567' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const team = await trx.insertInto('teams').values({ council_id: row.id, name: c.team }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, teamId: team.id };
}

/**
 * Empties every table (the audit log and ledger included, whose append-only triggers are set aside
 * for this one statement only) and seeds the demo again. Only ever run in demo mode. Emptying needs
 * `ownerDb`, a connection as the database owner: the app's own role may not truncate.
 */
export async function resetDemo(services: Services, ownerDb: Database): Promise<void> {
  await ownerDb.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    const tables = await sql<{ tablename: string }>`
      select tablename from pg_tables where schemaname = 'public' and tablename not like 'kysely_%'`.execute(trx);
    const names = tables.rows.map((r) => `"${r.tablename}"`).join(', ');
    await sql.raw(`truncate ${names} restart identity cascade`).execute(trx);
    await sql`alter sequence person_reference_seq restart with 1`.execute(trx);
    await sql`alter sequence direct_payment_reference_seq restart with 1`.execute(trx);
    await sql`alter sequence complaint_reference_seq restart with 1`.execute(trx);
  });
  await seedDemo(services, { withActivity: true });
}
