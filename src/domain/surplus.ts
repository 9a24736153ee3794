import { addDays, type CalendarDate } from './dates.ts';
import type { Pence } from './money.ts';

/**
 * Surplus and recovery, fairly. Surplus = balance − contingency − money already committed. Nothing
 * is recovered automatically: a practitioner first talks with the person about why the money is
 * unspent (a personal assistant vacancy, or saving for something planned, is a good reason to keep
 * it); then the person gets written notice of the amount, the reason and how to challenge it; only
 * after the challenge period, and never for more than the surplus, is the recovery posted.
 */
export type SurplusSum = { balancePence: Pence; contingencyPence: Pence; committedPence: Pence; surplusPence: Pence };

export function surplusOf(balancePence: Pence, contingencyPence: Pence, committedPence: Pence): SurplusSum {
  return { balancePence, contingencyPence, committedPence, surplusPence: balancePence - contingencyPence - committedPence };
}

export const REASONS = {
  pa_vacancy: 'A personal assistant post is vacant',
  saving_for_planned: 'Saving for something planned',
  needs_changed: 'Needs changed for a while (for example a stay in hospital)',
  not_needed: 'The money was not needed',
  other: 'Another reason',
} as const;
export type Reason = keyof typeof REASONS;

/** Reasons that, agreed in the conversation, usually mean the person keeps the money. */
export const USUALLY_GOOD_REASONS: readonly Reason[] = ['pa_vacancy', 'saving_for_planned'];

export const METHODS = {
  refund: 'The person pays it back',
  reduce_payments: 'Reduce future payments',
} as const;
export type Method = keyof typeof METHODS;

export const DEFAULT_CHALLENGE_DAYS = 28;
export const MIN_CHALLENGE_DAYS = 14;

export type CaseStatus = 'conversation_due' | 'no_recovery' | 'notice_due' | 'notice_sent' | 'challenged' | 'recovered' | 'refunded' | 'offsetting';

export const STATUS_NAMES: Record<CaseStatus, string> = {
  conversation_due: 'Conversation to have',
  no_recovery: 'Closed: nothing recovered',
  notice_due: 'Notice to send',
  notice_sent: 'Notice sent',
  challenged: 'Challenged by the person',
  recovered: 'Recovery posted: refund to receive',
  refunded: 'Closed: refund received',
  offsetting: 'Closed: future payments reduced',
};

export const OPEN_STATUSES: readonly CaseStatus[] = ['conversation_due', 'notice_due', 'notice_sent', 'challenged', 'recovered'];

export type CaseState = {
  status: CaseStatus;
  challenge_ends_on: CalendarDate | null;
  challenged_on: CalendarDate | null;
  challenge_upheld: boolean | null;
};

export type Step = 'conversation' | 'notice' | 'wait' | 'challenge_decision' | 'recovery' | 'refund' | 'closed';

/** What happens next in a case. */
export function nextStep(c: CaseState, today: CalendarDate): Step {
  switch (c.status) {
    case 'conversation_due':
      return 'conversation';
    case 'notice_due':
      return 'notice';
    case 'challenged':
      return 'challenge_decision';
    case 'notice_sent':
      return c.challenge_ends_on !== null && today > c.challenge_ends_on ? 'recovery' : 'wait';
    case 'recovered':
      return 'refund';
    default:
      return 'closed';
  }
}

export class SurplusStepRefused extends Error {}

/** Refuses a recovery out of order: before notice, during the challenge period, or while a challenge is undecided. */
export function assertMayRecover(c: CaseState, today: CalendarDate): void {
  if (c.status === 'conversation_due' || c.status === 'notice_due') throw new SurplusStepRefused('The person must be given written notice before anything is recovered');
  if (c.status === 'challenged') throw new SurplusStepRefused('The person has challenged the notice: record a decision on the challenge first');
  if (c.status !== 'notice_sent') throw new SurplusStepRefused('This surplus is closed: there is nothing to recover');
  if (c.challenge_ends_on === null || today <= c.challenge_ends_on) throw new SurplusStepRefused('The person still has time to challenge the notice: recovery can be posted after the challenge period ends');
}

/** The last day to challenge a notice sent on a date. */
export function challengeEndsOn(sentOn: CalendarDate, days: number): CalendarDate {
  return addDays(sentOn, Math.max(MIN_CHALLENGE_DAYS, days));
}

/**
 * What is recovered: what the notice said, but never more than the surplus is now (the person may
 * fairly have spent some of it on their support since). Zero means nothing is left to recover.
 */
export function recoveryAmount(noticePence: Pence, surplusNowPence: Pence): Pence {
  return Math.max(0, Math.min(noticePence, surplusNowPence));
}

/**
 * Reduce future payments: how much of an offset comes off one payment that would otherwise be
 * `duePence`: all that is left of the offset, or the whole payment, whichever is smaller.
 */
export function offsetTake(remainingPence: Pence, duePence: Pence): Pence {
  return Math.max(0, Math.min(remainingPence, duePence));
}
