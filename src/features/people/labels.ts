// Words for the codes stored by other steps of the journey, as practitioners say them.

export const PLAN_STATUS: Record<string, string> = { draft: 'Draft', agreed: 'Agreed', replaced: 'Replaced' };

export const PAYMENT_KIND: Record<string, string> = { one_off: 'One-off', ongoing: 'Ongoing' };

export const DIRECT_PAYMENT_STATUS: Record<string, string> = {
  draft: 'Draft',
  at_panel: 'At funding panel',
  more_information: 'Panel asked for more information',
  approved: 'Approved',
  declined: 'Declined',
  agreed: 'Agreement signed',
  active: 'Active',
  suspended: 'Suspended',
  ended: 'Ended',
};

export const REVIEW_KIND: Record<string, string> = {
  first: 'First review',
  annual: 'Annual review',
  check_back: 'Checking back',
  concern: 'Review after a concern',
  capacity: 'Review of capacity',
  breach: 'Review after the agreement was broken',
  request: 'Review someone asked for',
};
