import { addMonths, ageOn, daysBetween, formatDate, type CalendarDate } from './dates.ts';

// When a direct payment must be reviewed. England: the Care and Support (Direct Payments)
// Regulations 2014, regulation 7. Wales: the Part 4 Code of Practice. A one-off payment has no
// statutory review, but councils check back on whether it worked.

export type Jurisdiction = 'england' | 'wales';
export type DirectPaymentKind = 'one_off' | 'ongoing';

/** The regular reviews the rules schedule, and the extra ones anyone may ask for. */
export const SCHEDULED_KINDS = ['first', 'annual', 'check_back'] as const;
export const EXTRA_KINDS = ['concern', 'capacity', 'breach', 'request'] as const;
export type ScheduledKind = (typeof SCHEDULED_KINDS)[number];
export type ExtraKind = (typeof EXTRA_KINDS)[number];
export type ReviewKind = ScheduledKind | ExtraKind;

export const REVIEW_KIND_NAMES: Record<ReviewKind, string> = {
  first: 'First review',
  annual: 'Regular review',
  check_back: 'Check-back on a one-off payment',
  concern: 'Extra review: a concern',
  capacity: 'Extra review: a change in capacity',
  breach: 'Extra review: the agreement may have been broken',
  request: 'Extra review: asked for',
};

export const EXTRA_REASONS: Record<ExtraKind, string> = {
  concern: 'There is a concern about how the direct payment is working',
  capacity: "The person's capacity to manage it may have changed",
  breach: 'The agreement may have been broken',
  request: 'The person, or someone for them, asked for a review',
};

export const DEFAULT_CHECK_BACK_MONTHS = 3;

export type ReviewDate = {
  kind: ScheduledKind | ExtraKind;
  dueOn: CalendarDate;
  /** Plain English: which rule set the date, so a practitioner can explain it to the person. */
  explanation: string;
};

export function isExtraKind(kind: string): kind is ExtraKind {
  return (EXTRA_KINDS as readonly string[]).includes(kind);
}

/** Under 18 on that day. Someone turning 18 is an adult from their 18th birthday. */
export function isChildOn(dateOfBirth: CalendarDate, on: CalendarDate): boolean {
  return ageOn(dateOfBirth, on) < 18;
}

/**
 * The first review (or, for a one-off payment, the check-back), counted from the first payment in
 * England and from the initial assessment in Wales. Without a recorded assessment date, a Welsh
 * review counts from the first payment instead, and says so.
 */
export function firstReviewDue(args: {
  jurisdiction: Jurisdiction;
  kind: DirectPaymentKind;
  firstPaymentOn: CalendarDate;
  assessedOn?: CalendarDate | null;
  dateOfBirth: CalendarDate;
  checkBackMonths?: number;
}): ReviewDate {
  if (args.kind === 'one_off') {
    const months = args.checkBackMonths ?? DEFAULT_CHECK_BACK_MONTHS;
    return {
      kind: 'check_back',
      dueOn: addMonths(args.firstPaymentOn, months),
      explanation: `A one-off direct payment has no regular reviews. We check back ${plural(months, 'month')} after it was paid (${formatDate(args.firstPaymentOn)}) to find out whether it worked.`,
    };
  }
  if (args.jurisdiction === 'england') {
    return {
      kind: 'first',
      dueOn: addMonths(args.firstPaymentOn, 6),
      explanation: `In England the first review must be within 6 months of the first payment (${formatDate(args.firstPaymentOn)}). This is regulation 7 of the Care and Support (Direct Payments) Regulations 2014.`,
    };
  }
  const from = args.assessedOn ?? args.firstPaymentOn;
  const child = isChildOn(args.dateOfBirth, from);
  const months = child ? 6 : 12;
  const counted = args.assessedOn
    ? `the initial assessment (${formatDate(args.assessedOn)})`
    : `the first payment (${formatDate(args.firstPaymentOn)}), as no assessment date is recorded`;
  return {
    kind: 'first',
    dueOn: addMonths(from, months),
    explanation: `In Wales the review must be no more than ${months} months after ${counted}, because the person ${child ? 'was under 18' : 'was an adult'} then. This is the Part 4 Code of Practice.`,
  };
}

/**
 * The latest date the next regular review may be, counted from the day a review was recorded, not
 * the day it was due: a late review does not shorten the time to the next one.
 */
export function nextReviewDue(args: { jurisdiction: Jurisdiction; isChild: boolean; completedOn: CalendarDate }): ReviewDate {
  if (args.jurisdiction === 'england') {
    return {
      kind: 'annual',
      dueOn: addMonths(args.completedOn, 12),
      explanation: `In England a direct payment must be reviewed at least every 12 months after the last review (${formatDate(args.completedOn)}). This is regulation 7 of the Care and Support (Direct Payments) Regulations 2014.`,
    };
  }
  const months = args.isChild ? 6 : 12;
  return {
    kind: 'annual',
    dueOn: addMonths(args.completedOn, months),
    explanation: `In Wales a direct payment for ${args.isChild ? 'a child (under 18)' : 'an adult'} must be reviewed no more than ${months} months after the last review (${formatDate(args.completedOn)}). This is the Part 4 Code of Practice.`,
  };
}

/** An extra review is due the day it is raised, unless a later date is chosen. */
export function extraReviewDue(args: { kind: ExtraKind; raisedOn: CalendarDate; chosenOn?: CalendarDate | null }): ReviewDate {
  const dueOn = args.chosenOn && args.chosenOn > args.raisedOn ? args.chosenOn : args.raisedOn;
  return {
    kind: args.kind,
    dueOn,
    explanation:
      dueOn === args.raisedOn
        ? `An extra review is due as soon as it is asked for (${formatDate(args.raisedOn)}).`
        : `An extra review was asked for on ${formatDate(args.raisedOn)}, to happen by ${formatDate(dueOn)}.`,
  };
}

export type NextDateCheck = { ok: true } | { ok: false; reason: 'not_after_review' | 'too_late'; message: string };

/** A practitioner may bring the next review earlier than the rules say, never later. */
export function checkChosenNextDate(chosen: CalendarDate, completedOn: CalendarDate, latest: CalendarDate): NextDateCheck {
  if (chosen <= completedOn) {
    return { ok: false, reason: 'not_after_review', message: `The next review date must be after today (${formatDate(completedOn)})` };
  }
  if (chosen > latest) {
    return { ok: false, reason: 'too_late', message: `The next review date must be no later than ${formatDate(latest)}` };
  }
  return { ok: true };
}

/** Whole days a review is overdue on a day (0 when it is not yet due). */
export function daysOverdue(dueOn: CalendarDate, today: CalendarDate): number {
  return Math.max(0, daysBetween(dueOn, today));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
