/**
 * Where a direct payment is in its life, and where it may go next. Every feature that moves a
 * direct payment on calls transition(), so an illegal move is refused in one place, in plain
 * English, and every page describes a status the same way.
 *
 *   draft → at_panel (business case submitted) → approved | declined | more_information
 *   more_information → at_panel (resubmitted);  declined → draft (reconsideration)
 *   approved → agreed (agreement signed) → active (first payment made)
 *   active ↔ suspended;  active or suspended → ended
 */
export const DIRECT_PAYMENT_STATUSES = ['draft', 'at_panel', 'more_information', 'approved', 'declined', 'agreed', 'active', 'suspended', 'ended'] as const;
export type DirectPaymentStatus = (typeof DIRECT_PAYMENT_STATUSES)[number];
export type DirectPaymentKind = 'one_off' | 'ongoing';

const NEXT: Record<DirectPaymentStatus, readonly DirectPaymentStatus[]> = {
  draft: ['at_panel'],
  at_panel: ['approved', 'declined', 'more_information'],
  more_information: ['at_panel'],
  approved: ['agreed'],
  declined: ['draft'],
  agreed: ['active'],
  active: ['suspended', 'ended'],
  suspended: ['active', 'ended'],
  ended: [],
};

const NAMES: Record<DirectPaymentStatus, string> = {
  draft: 'Draft',
  at_panel: 'With the funding panel',
  more_information: 'More information needed',
  approved: 'Approved',
  declined: 'Declined',
  agreed: 'Agreement signed',
  active: 'Active',
  suspended: 'Suspended',
  ended: 'Ended',
};

export function isDirectPaymentStatus(value: unknown): value is DirectPaymentStatus {
  return typeof value === 'string' && (DIRECT_PAYMENT_STATUSES as readonly string[]).includes(value);
}

function known(status: string): DirectPaymentStatus {
  if (!isDirectPaymentStatus(status)) throw new RangeError(`“${status}” is not a status a direct payment can have`);
  return status;
}

/** A short name for the status, as on a tag: "With the funding panel". */
export function statusName(status: string): string {
  return NAMES[known(status)];
}

export function nextStatuses(from: string): readonly DirectPaymentStatus[] {
  return NEXT[known(from)];
}

export function canTransition(from: string, to: string): boolean {
  return isDirectPaymentStatus(from) && isDirectPaymentStatus(to) && NEXT[from].includes(to);
}

export class IllegalTransitionError extends Error {}

function listOr(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** Checks a move and returns the new status; an illegal move throws, saying what is possible instead. */
export function transition(from: string, to: string): DirectPaymentStatus {
  const current = known(from);
  const wanted = known(to);
  if (NEXT[current].includes(wanted)) return wanted;
  const options = NEXT[current].map((s) => `“${NAMES[s].toLowerCase()}”`);
  const instead = options.length ? `From here it can only become ${listOr(options)}.` : 'It has ended, so it cannot change again.';
  throw new IllegalTransitionError(
    `A direct payment that is “${NAMES[current].toLowerCase()}” cannot become “${NAMES[wanted].toLowerCase()}”. ${instead}`,
  );
}

/** What the status means and what happens next, for council staff. */
export function describeStatus(status: string, kind: DirectPaymentKind | string): string {
  const oneOff = kind === 'one_off';
  switch (known(status)) {
    case 'draft':
      return 'Not yet sent to the funding panel. Next: write the business case and submit it to the panel.';
    case 'at_panel':
      return 'The business case is with the funding panel. Next: the panel approves it, declines it or asks for more information, and gives its reasons.';
    case 'more_information':
      return 'The panel has asked for more information. Next: add what the panel asked for to the business case and submit it again.';
    case 'approved':
      return 'The panel has approved the funding. Next: prepare the direct payment agreement and have it signed.';
    case 'declined':
      return 'The panel has declined the funding and given its reasons. Tell the person why and how to complain or ask for a reassessment. Next: the case can be reconsidered and sent to the panel again.';
    case 'agreed':
      return oneOff
        ? 'The agreement is signed. Next: finance make the one-off payment.'
        : 'The agreement is signed. Next: finance set up the payments, paid every 4 weeks in advance unless agreed otherwise.';
    case 'active':
      return oneOff
        ? 'The payment has been made. Next: check back with the person that it has worked for them.'
        : 'Payments are being made. Next: review within the first 6 months, then at least every 12 months, or sooner if there is a concern.';
    case 'suspended':
      return 'Payments are paused. Next: resolve what caused the pause, then restart the payments or end the direct payment.';
    case 'ended':
      return 'The direct payment has ended. No more payments will be made.';
  }
}

/** What the status means and what happens next, for the person receiving the direct payment (or their representative). */
export function describeStatusForPerson(status: string, kind: DirectPaymentKind | string): string {
  const oneOff = kind === 'one_off';
  switch (known(status)) {
    case 'draft':
      return 'Your social worker is getting your request ready. They will tell you when it goes to the council’s funding panel.';
    case 'at_panel':
      return 'Your request is with the council’s funding panel. They will decide and tell you why.';
    case 'more_information':
      return 'The funding panel needs more information before it can decide. Your social worker will talk to you about it.';
    case 'approved':
      return 'The money has been approved. Next, you will be asked to sign an agreement that says what the money is for.';
    case 'declined':
      return 'The funding panel said no this time. Your social worker will explain why. You can complain or ask for a reassessment, and your request can be looked at again.';
    case 'agreed':
      return oneOff
        ? 'You have signed the agreement. The council will now make the payment.'
        : 'You have signed the agreement. The council will now set up your payments, usually every 4 weeks in advance.';
    case 'active':
      return oneOff
        ? 'The money has been paid. Keep your receipts. Your social worker will check back with you to see how it is going.'
        : 'Your payments are being made. Keep a record of what you spend. Your social worker will review how it is going with you.';
    case 'suspended':
      return 'Your payments are paused for now. Your social worker will talk to you about why and what happens next.';
    case 'ended':
      return 'Your direct payment has ended. No more payments will be made.';
  }
}
