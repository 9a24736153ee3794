import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import type { BusinessCase } from './queries.ts';

type CaseText = Partial<{
  proposal: string;
  why_necessary: string;
  context_family: string;
  context_community: string;
  context_agencies: string;
  outcomes_expected: string;
  horizon_months: number;
}>;

export type OptionInput = { description: string; one_off: number; weekly: number; notes: string };

// Every change below applies only while the case is a draft: once it is with the panel, what the
// panel reads must not move under it. Each returns false when the case is no longer a draft.

export async function saveSection(db: Database, user: CurrentUser, c: BusinessCase, section: string, values: CaseText, now: Date, ip?: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('business_cases')
      .set({ ...values, updated_at: now })
      .where('id', '=', c.id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await audit(trx, user, { action: 'update', entityType: 'business-case', entityId: c.id, personId: c.person_id, details: { section } }, ip);
    return true;
  });
}

async function lockDraft(trx: Database, caseId: string): Promise<boolean> {
  const row = await trx.selectFrom('business_cases').select('status').where('id', '=', caseId).forUpdate().executeTakeFirst();
  return row?.status === 'draft';
}

function optionColumns(input: OptionInput) {
  return { description: input.description, one_off_cost_pence: input.one_off, weekly_cost_pence: input.weekly, notes: input.notes || null };
}

/**
 * Adds or changes an option. The proposal is the one option marked proposed; alternatives are
 * changed by id. Returns false when the case is no longer a draft or the option is not this case's.
 */
export async function saveOption(
  db: Database,
  user: CurrentUser,
  c: BusinessCase,
  target: { proposed: true } | { proposed: false; optionId: string | null },
  input: OptionInput,
  ip?: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockDraft(trx, c.id))) return false;
    const existingId = target.proposed
      ? (await trx.selectFrom('business_case_options').select('id').where('business_case_id', '=', c.id).where('proposed', '=', true).executeTakeFirst())?.id ?? null
      : target.optionId;
    let optionId: string;
    if (existingId) {
      const result = await trx
        .updateTable('business_case_options')
        .set(optionColumns(input))
        .where('id', '=', existingId)
        .where('business_case_id', '=', c.id)
        .where('proposed', '=', target.proposed)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      optionId = existingId;
    } else {
      const row = await trx
        .insertInto('business_case_options')
        .values((eb) => ({
          business_case_id: c.id,
          proposed: target.proposed,
          position: eb
            .selectFrom('business_case_options')
            .select(sql<number>`coalesce(max(position), 0) + 1`.as('next'))
            .where('business_case_id', '=', c.id),
          ...optionColumns(input),
        }))
        .returning('id')
        .executeTakeFirstOrThrow();
      optionId = row.id;
    }
    await audit(trx, user, {
      action: existingId ? 'update' : 'create',
      entityType: 'business-case-option',
      entityId: optionId,
      personId: c.person_id,
      details: { businessCaseId: c.id, proposed: target.proposed },
    }, ip);
    return true;
  });
}

export async function removeAlternative(db: Database, user: CurrentUser, c: BusinessCase, optionId: string, ip?: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await lockDraft(trx, c.id))) return false;
    const result = await trx
      .deleteFrom('business_case_options')
      .where('id', '=', optionId)
      .where('business_case_id', '=', c.id)
      .where('proposed', '=', false)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    await audit(trx, user, { action: 'delete', entityType: 'business-case-option', entityId: optionId, personId: c.person_id, details: { businessCaseId: c.id } }, ip);
    return true;
  });
}
