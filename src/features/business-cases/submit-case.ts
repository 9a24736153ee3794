import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { findCase, listOptions } from './queries.ts';
import { caseSections, type Section } from './sections.ts';
import { moveDirectPayment } from './move-direct-payment.ts';

export type SubmitResult = { ok: true } | { ok: false; missing: Section[] } | { ok: false; notDraft: true };

/**
 * Sends a complete business case to the funding panel: the case becomes 'submitted' and the direct
 * payment 'at_panel', together or not at all. Checked again here, inside the transaction, so an
 * incomplete case can never reach the panel whatever the page showed.
 */
export async function submitCase(db: Database, user: CurrentUser, caseId: string, now: Date, ip?: string): Promise<SubmitResult> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('business_cases').select('id').where('id', '=', caseId).forUpdate().execute();
    const c = await findCase(trx, caseId);
    if (!c || c.status !== 'draft') return { ok: false, notDraft: true };
    const missing = caseSections(c, await listOptions(trx, caseId)).filter((s) => !s.done);
    if (missing.length) return { ok: false, missing };
    await trx.updateTable('business_cases').set({ status: 'submitted', submitted_at: now, updated_at: now }).where('id', '=', caseId).execute();
    await moveDirectPayment(trx, c.direct_payment_id, 'at_panel', now);
    await audit(trx, user, { action: 'update', entityType: 'business-case', entityId: caseId, personId: c.person_id, details: { status: 'submitted' } }, ip);
    return { ok: true };
  });
}
