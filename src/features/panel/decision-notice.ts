import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { londonDate } from '../../platform/services.ts';
import { isUuid } from '../../platform/permissions.ts';
import { isDecision, type Decision } from './decisions.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type DecisionNotice = {
  decision: Decision;
  /** The date of the decision, YYYY-MM-DD. */
  decidedOn: string;
  /** What was decided and what happens next, spoken to the person: whatWasDecided then whatHappensNext. */
  plainEnglish: string;
  whatWasDecided: string;
  whatHappensNext: string;
  reasons: string;
  conditions: string | null;
  howToChallenge: string;
};

type Council = { name: string; jurisdiction: string; contact_email: string | null; contact_phone: string | null };

function what(decision: Decision, purpose: string): string {
  const forWhat = `your direct payment for “${purpose.trim().replace(/[.\s]+$/, '')}”`;
  switch (decision) {
    case 'approved':
      return `The council’s funding panel said yes to ${forWhat}.`;
    case 'approved_with_conditions':
      return `The council’s funding panel said yes to ${forWhat}, with some conditions. The conditions and the reasons for the decision are below.`;
    case 'declined':
      return `The council’s funding panel said no to ${forWhat}. The reasons are below.`;
    case 'more_information':
      return `The council’s funding panel has not decided yet about ${forWhat}. It needs more information first. What it asked for is below.`;
  }
}

function next(decision: Decision): string {
  switch (decision) {
    case 'approved':
      return 'Your social worker will be in touch to set up a written agreement. It says how much you will get, how it is paid and what records to keep. The money is paid once the agreement is in place.';
    case 'approved_with_conditions':
      return 'Your social worker will be in touch to go through the conditions with you and set up a written agreement. It says how much you will get, how it is paid and what records to keep. The money is paid once the agreement is in place.';
    case 'declined':
      return 'Your social worker will talk with you about other ways to meet your needs. The council must still meet the needs it has assessed you as having.';
    case 'more_information':
      return 'Your social worker will talk with you about what the panel asked, then send your case back to the panel to decide.';
  }
}

function contactLine(council: Council): string {
  const ways = [council.contact_email ? `email ${council.contact_email}` : null, council.contact_phone ? `phone ${council.contact_phone}` : null].filter(Boolean);
  return ways.length ? ` To contact ${council.name}, ${ways.join(' or ')}.` : '';
}

/** Complaints and reassessment: the council first, then the ombudsman for its country. */
export function howToChallenge(council: Council): string {
  const ombudsman =
    council.jurisdiction === 'wales'
      ? 'the Public Services Ombudsman for Wales'
      : 'the Local Government and Social Care Ombudsman';
  return (
    'If you disagree with the decision, you can ask the council to look at it again or to reassess your needs. ' +
    `You can also complain to the council using its complaints procedure. If you are still unhappy after that, you can complain to ${ombudsman}. ` +
    'It is free and independent.' +
    contactLine(council)
  );
}

/**
 * The latest panel decision on a direct payment, in plain English for the person it is about, or
 * null when the panel has not decided anything yet. It does not check who is asking: callers show
 * it only to someone already allowed to see this direct payment.
 */
export async function decisionNoticeFor(db: Db, directPaymentId: string): Promise<DecisionNotice | null> {
  if (!isUuid(directPaymentId)) return null;
  const row = await db
    .selectFrom('panel_decisions as d')
    .innerJoin('business_cases as bc', 'bc.id', 'd.business_case_id')
    .innerJoin('direct_payments as dp', 'dp.id', 'bc.direct_payment_id')
    .innerJoin('councils as council', 'council.id', 'dp.council_id')
    .select([
      'd.decision', 'd.decided_at', 'd.reasons', 'd.conditions', 'dp.purpose',
      'council.name', 'council.jurisdiction', 'council.contact_email', 'council.contact_phone',
    ])
    .where('bc.direct_payment_id', '=', directPaymentId)
    .orderBy('d.decided_at', 'desc')
    .orderBy('d.id')
    .executeTakeFirst();
  if (!row || !isDecision(row.decision)) return null;
  const whatWasDecided = what(row.decision, row.purpose);
  const whatHappensNext = next(row.decision);
  return {
    decision: row.decision,
    decidedOn: londonDate(new Date(row.decided_at)),
    plainEnglish: `${whatWasDecided} ${whatHappensNext}`,
    whatWasDecided,
    whatHappensNext,
    reasons: row.reasons,
    conditions: row.conditions,
    howToChallenge: howToChallenge(row),
  };
}
