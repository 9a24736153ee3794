import type { Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { RULES, type RuleSettings } from '../../domain/monitoring.ts';

type Trx = Transaction<DB>;

/** Saves the council's monitoring rules and challenge period, all together, with one audit row. */
export async function saveRules(trx: Trx, councilId: string, rules: RuleSettings, challengeDays: number, user: Pick<CurrentUser, 'id' | 'username' | 'role'>, ip?: string): Promise<void> {
  const now = new Date();
  await trx
    .insertInto('monitoring_rules')
    .values(RULES.map((rule) => ({ council_id: councilId, rule, enabled: rules[rule].enabled, threshold: rules[rule].threshold, level: rules[rule].level, updated_by: user.id, updated_at: now })))
    .onConflict((oc) => oc.columns(['council_id', 'rule']).doUpdateSet((eb) => ({
      enabled: eb.ref('excluded.enabled'),
      threshold: eb.ref('excluded.threshold'),
      level: eb.ref('excluded.level'),
      updated_by: eb.ref('excluded.updated_by'),
      updated_at: eb.ref('excluded.updated_at'),
    })))
    .execute();
  await trx
    .insertInto('surplus_settings')
    .values({ council_id: councilId, challenge_days: challengeDays, updated_by: user.id, updated_at: now })
    .onConflict((oc) => oc.column('council_id').doUpdateSet({ challenge_days: challengeDays, updated_by: user.id, updated_at: now }))
    .execute();
  await audit(trx, user, { action: 'update', entityType: 'monitoring-rules', entityId: councilId, details: { rules, challengeDays } }, ip);
}

/** A practitioner records a concern on a direct payment. The person can read it: write it for them too. */
export async function recordConcern(
  trx: Trx,
  args: { dp: { id: string; council_id: string; person_id: string }; concern: string; on: string; user: Pick<CurrentUser, 'id' | 'username' | 'role'>; ip?: string },
): Promise<string> {
  const row = await trx
    .insertInto('monitoring_concerns')
    .values({ council_id: args.dp.council_id, direct_payment_id: args.dp.id, recorded_on: args.on, concern: args.concern, recorded_by: args.user.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(trx, args.user, { action: 'create', entityType: 'monitoring-concern', entityId: row.id, personId: args.dp.person_id, details: { directPaymentId: args.dp.id } }, args.ip);
  return row.id;
}
