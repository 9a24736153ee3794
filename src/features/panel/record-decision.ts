import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { can, isUuid } from '../../platform/permissions.ts';
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import { moveDirectPayment } from '../business-cases/move-direct-payment.ts';
import { DIRECT_PAYMENT_STATUS_AFTER } from './decisions.ts';
import type { DecisionInput } from './forms.ts';

/** Nobody decides a case they wrote: the panel is there to bring a second pair of eyes. */
export class AuthorCannotDecide extends Error {
  constructor() {
    super('The person who wrote a business case cannot decide it');
  }
}

export class NotWithThePanel extends Error {
  constructor() {
    super('This business case is not waiting for a decision');
  }
}

/**
 * Records the panel's decision on a business case. In one transaction: the decision with its
 * reasons, the case marked decided (or back to a draft when the panel asks for more information),
 * the direct payment moved on, and the audit row. The rules are checked here, with the case
 * locked, whatever the pages showed.
 */
export async function recordDecision(db: Database, user: CurrentUser, caseId: string, input: DecisionInput, now: Date, ip?: string): Promise<string> {
  if (!can(user, 'panel:decide')) throw new ForbiddenError();
  if (!isUuid(caseId)) throw new NotFoundError();
  return db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom('business_cases as bc')
      .innerJoin('direct_payments as dp', 'dp.id', 'bc.direct_payment_id')
      .select(['bc.id', 'bc.author_id', 'bc.status', 'bc.direct_payment_id', 'dp.council_id', 'dp.person_id'])
      .where('bc.id', '=', caseId)
      .forUpdate()
      .executeTakeFirst();
    if (!c || c.council_id !== user.councilId) throw new NotFoundError();
    if (c.author_id === user.id) throw new AuthorCannotDecide();
    if (c.status !== 'submitted') throw new NotWithThePanel();
    // Decisions on one case are ordered by when they were made, so each is later than the last
    // even when the clock has not moved (a fixed clock, or two decisions in the same millisecond).
    const last = await trx.selectFrom('panel_decisions').select((eb) => eb.fn.max('decided_at').as('at')).where('business_case_id', '=', c.id).executeTakeFirst();
    const lastAt = last?.at ? new Date(last.at).getTime() : 0;
    const decidedAt = new Date(Math.max(now.getTime(), lastAt + 1));
    const decision = await trx
      .insertInto('panel_decisions')
      .values({ business_case_id: c.id, decided_by: user.id, decision: input.decision, reasons: input.reasons, conditions: input.conditions, decided_at: decidedAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Asking for more information hands the case back to its author to add to and send again.
    const caseStatus = input.decision === 'more_information' ? 'draft' : 'decided';
    await trx.updateTable('business_cases').set({ status: caseStatus, updated_at: now }).where('id', '=', c.id).execute();
    await moveDirectPayment(trx, c.direct_payment_id, DIRECT_PAYMENT_STATUS_AFTER[input.decision], now);
    await audit(trx, user, {
      action: 'decide',
      entityType: 'business-case',
      entityId: c.id,
      personId: c.person_id,
      details: { decision: input.decision, panelDecisionId: decision.id, directPaymentId: c.direct_payment_id },
    }, ip);
    return decision.id;
  });
}
