import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { DEFAULT_HORIZON_MONTHS } from '../../domain/cost-comparison.ts';

/** Direct payments that go to the panel start as drafts; any other has been decided already. */
export function needsBusinessCase(directPaymentStatus: string): boolean {
  return directPaymentStatus === 'draft';
}

/**
 * Starts the business case for a direct payment, written by the signed-in user, or finds the one
 * already started (there is one per direct payment): pressing the button twice makes one case.
 */
export async function startCase(db: Database, user: CurrentUser, dp: { id: string; person_id: string }, ip?: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('business_cases')
      .values({ direct_payment_id: dp.id, author_id: user.id, proposal: '', why_necessary: '', outcomes_expected: '', horizon_months: DEFAULT_HORIZON_MONTHS })
      .onConflict((oc) => oc.column('direct_payment_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!created) {
      const existing = await trx.selectFrom('business_cases').select('id').where('direct_payment_id', '=', dp.id).executeTakeFirstOrThrow();
      return existing.id;
    }
    await audit(trx, user, { action: 'create', entityType: 'business-case', entityId: created.id, personId: dp.person_id, details: { directPaymentId: dp.id } }, ip);
    return created.id;
  });
}
