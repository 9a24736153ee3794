/** The panel's four answers, in the words the panel and the person see. */
export const DECISIONS = {
  approved: 'Approve',
  approved_with_conditions: 'Approve with conditions',
  declined: 'Decline',
  more_information: 'Ask for more information',
} as const;

export type Decision = keyof typeof DECISIONS;
export const DECISION_VALUES = Object.keys(DECISIONS) as [Decision, ...Decision[]];

/** How a decision reads once made, in lists and letters. */
export const DECIDED = {
  approved: 'Approved',
  approved_with_conditions: 'Approved with conditions',
  declined: 'Declined',
  more_information: 'More information asked for',
} as const satisfies Record<Decision, string>;

/** Where the direct payment goes after each decision. */
export const DIRECT_PAYMENT_STATUS_AFTER = {
  approved: 'approved',
  approved_with_conditions: 'approved',
  declined: 'declined',
  more_information: 'more_information',
} as const satisfies Record<Decision, string>;

export function isDecision(value: string): value is Decision {
  return value in DECISIONS;
}
