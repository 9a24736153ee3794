import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkChosenNextDate, daysOverdue, extraReviewDue, firstReviewDue, isChildOn, nextReviewDue } from './review-dates.ts';

const adult = '1968-03-14';

describe('the first review in England', () => {
  it('is due 6 months after the first payment, citing regulation 7', () => {
    const r = firstReviewDue({ jurisdiction: 'england', kind: 'ongoing', firstPaymentOn: '2026-01-12', dateOfBirth: adult });
    expect(r).toMatchObject({ kind: 'first', dueOn: '2026-07-12' });
    expect(r.explanation).toContain('within 6 months of the first payment (12 January 2026)');
    expect(r.explanation).toContain('regulation 7');
  });

  it('counts from the first payment, not the assessment', () => {
    const r = firstReviewDue({ jurisdiction: 'england', kind: 'ongoing', firstPaymentOn: '2026-03-01', assessedOn: '2025-10-01', dateOfBirth: adult });
    expect(r.dueOn).toBe('2026-09-01');
  });

  it('falls on the last day of a shorter month (31 August + 6 months = 28 February)', () => {
    expect(firstReviewDue({ jurisdiction: 'england', kind: 'ongoing', firstPaymentOn: '2026-08-31', dateOfBirth: adult }).dueOn).toBe('2027-02-28');
    expect(firstReviewDue({ jurisdiction: 'england', kind: 'ongoing', firstPaymentOn: '2027-08-31', dateOfBirth: adult }).dueOn).toBe('2028-02-29');
  });

  it('handles a first payment on 29 February', () => {
    expect(firstReviewDue({ jurisdiction: 'england', kind: 'ongoing', firstPaymentOn: '2028-02-29', dateOfBirth: adult }).dueOn).toBe('2028-08-29');
    expect(firstReviewDue({ jurisdiction: 'england', kind: 'one_off', firstPaymentOn: '2028-02-29', dateOfBirth: adult }).dueOn).toBe('2028-05-29');
  });
});

describe('the next review', () => {
  it('in England is at most 12 months after the last review', () => {
    const r = nextReviewDue({ jurisdiction: 'england', isChild: false, completedOn: '2026-07-10' });
    expect(r).toMatchObject({ kind: 'annual', dueOn: '2027-07-10' });
    expect(r.explanation).toContain('at least every 12 months after the last review (10 July 2026)');
  });

  it('after a review on 29 February is due on 28 February the next year', () => {
    expect(nextReviewDue({ jurisdiction: 'england', isChild: false, completedOn: '2028-02-29' }).dueOn).toBe('2029-02-28');
  });

  it('counts from the day a late review was recorded, not the day it was due', () => {
    // Due on 12 July 2026 but held on 23 November 2026: the next is 12 months from 23 November.
    expect(nextReviewDue({ jurisdiction: 'england', isChild: false, completedOn: '2026-11-23' }).dueOn).toBe('2027-11-23');
  });

  it('in Wales is 6 months for a child and 12 months for an adult', () => {
    expect(nextReviewDue({ jurisdiction: 'wales', isChild: true, completedOn: '2026-11-23' }).dueOn).toBe('2027-05-23');
    expect(nextReviewDue({ jurisdiction: 'wales', isChild: false, completedOn: '2026-11-23' }).dueOn).toBe('2027-11-23');
    expect(nextReviewDue({ jurisdiction: 'wales', isChild: true, completedOn: '2026-11-23' }).explanation).toContain('a child (under 18)');
  });

  it('in England does not depend on age', () => {
    expect(nextReviewDue({ jurisdiction: 'england', isChild: true, completedOn: '2026-11-23' }).dueOn).toBe('2027-11-23');
  });
});

describe('the first review in Wales', () => {
  it('is no more than 6 months after the assessment for a child', () => {
    const r = firstReviewDue({ jurisdiction: 'wales', kind: 'ongoing', firstPaymentOn: '2026-10-01', assessedOn: '2026-09-15', dateOfBirth: '2017-06-11' });
    expect(r).toMatchObject({ kind: 'first', dueOn: '2027-03-15' });
    expect(r.explanation).toContain('6 months after the initial assessment (15 September 2026)');
    expect(r.explanation).toContain('under 18');
  });

  it('is no more than 12 months after the assessment for an adult', () => {
    const r = firstReviewDue({ jurisdiction: 'wales', kind: 'ongoing', firstPaymentOn: '2026-10-01', assessedOn: '2026-09-15', dateOfBirth: '1958-04-22' });
    expect(r.dueOn).toBe('2027-09-15');
    expect(r.explanation).toContain('12 months');
  });

  it('treats someone as a child if they were under 18 on the assessment date, even if 18 by the first payment', () => {
    // Born 20 September 2008: 17 on 15 September 2026, 18 by 1 October 2026.
    const r = firstReviewDue({ jurisdiction: 'wales', kind: 'ongoing', firstPaymentOn: '2026-10-01', assessedOn: '2026-09-15', dateOfBirth: '2008-09-20' });
    expect(r.dueOn).toBe('2027-03-15');
  });

  it('counts from the first payment when no assessment date is recorded, and says so', () => {
    const r = firstReviewDue({ jurisdiction: 'wales', kind: 'ongoing', firstPaymentOn: '2026-10-01', assessedOn: null, dateOfBirth: '1958-04-22' });
    expect(r.dueOn).toBe('2027-10-01');
    expect(r.explanation).toContain('no assessment date is recorded');
  });

  it('for a child turning 18: 6 months while under 18, 12 months from the 18th birthday', () => {
    const dob = '2008-12-01';
    expect(isChildOn(dob, '2026-11-30')).toBe(true);
    expect(isChildOn(dob, '2026-12-01')).toBe(false);
    expect(nextReviewDue({ jurisdiction: 'wales', isChild: isChildOn(dob, '2026-11-30'), completedOn: '2026-11-30' }).dueOn).toBe('2027-05-30');
    expect(nextReviewDue({ jurisdiction: 'wales', isChild: isChildOn(dob, '2026-12-01'), completedOn: '2026-12-01' }).dueOn).toBe('2027-12-01');
  });

  it('takes a 29 February birthday as turning 18 on 1 March', () => {
    expect(isChildOn('2008-02-29', '2026-02-28')).toBe(true);
    expect(isChildOn('2008-02-29', '2026-03-01')).toBe(false);
  });
});

describe('the check-back on a one-off payment', () => {
  it('is 3 months after the payment by default, in England and Wales alike', () => {
    for (const jurisdiction of ['england', 'wales'] as const) {
      const r = firstReviewDue({ jurisdiction, kind: 'one_off', firstPaymentOn: '2026-11-30', assessedOn: '2026-10-01', dateOfBirth: adult });
      expect(r).toMatchObject({ kind: 'check_back', dueOn: '2027-02-28' });
      expect(r.explanation).toContain('check back 3 months after it was paid (30 November 2026)');
    }
  });

  it('can be set to another number of months', () => {
    const r = firstReviewDue({ jurisdiction: 'england', kind: 'one_off', firstPaymentOn: '2026-01-31', dateOfBirth: adult, checkBackMonths: 1 });
    expect(r.dueOn).toBe('2026-02-28');
    expect(r.explanation).toContain('1 month after');
  });
});

describe('extra reviews', () => {
  it('are due the day they are raised', () => {
    const r = extraReviewDue({ kind: 'concern', raisedOn: '2026-11-23' });
    expect(r).toMatchObject({ kind: 'concern', dueOn: '2026-11-23' });
    expect(r.explanation).toContain('as soon as it is asked for');
  });

  it('or on a later date chosen', () => {
    expect(extraReviewDue({ kind: 'capacity', raisedOn: '2026-11-23', chosenOn: '2026-12-07' }).dueOn).toBe('2026-12-07');
  });

  it('are never due before the day they are raised', () => {
    expect(extraReviewDue({ kind: 'breach', raisedOn: '2026-11-23', chosenOn: '2026-11-01' }).dueOn).toBe('2026-11-23');
  });
});

describe('choosing the next review date', () => {
  it('may be earlier than the rules allow but never later', () => {
    expect(checkChosenNextDate('2027-05-01', '2026-11-23', '2027-11-23')).toEqual({ ok: true });
    expect(checkChosenNextDate('2027-11-23', '2026-11-23', '2027-11-23')).toEqual({ ok: true });
    const late = checkChosenNextDate('2027-11-24', '2026-11-23', '2027-11-23');
    expect(late).toMatchObject({ ok: false, reason: 'too_late' });
    expect(late.ok === false && late.message).toBe('The next review date must be no later than 23 November 2027');
  });

  it('must be after the review', () => {
    expect(checkChosenNextDate('2026-11-23', '2026-11-23', '2027-11-23')).toMatchObject({ ok: false, reason: 'not_after_review' });
  });

  it('never accepts a date after the rule date, whatever the dates (property)', () => {
    const day = fc.integer({ min: 0, max: 20_000 }).map((n) => new Date(Date.UTC(2000, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, fc.boolean(), fc.constantFrom('england' as const, 'wales' as const), (completedOn, chosen, isChild, jurisdiction) => {
        const latest = nextReviewDue({ jurisdiction, isChild, completedOn }).dueOn;
        const check = checkChosenNextDate(chosen, completedOn, latest);
        expect(check.ok).toBe(chosen > completedOn && chosen <= latest);
      }),
    );
  });
});

describe('days overdue', () => {
  it('counts whole days past the due date, and 0 before it', () => {
    expect(daysOverdue('2026-11-20', '2026-11-23')).toBe(3);
    expect(daysOverdue('2026-11-23', '2026-11-23')).toBe(0);
    expect(daysOverdue('2026-12-01', '2026-11-23')).toBe(0);
    expect(daysOverdue('2026-03-28', '2026-03-30')).toBe(2); // across the clocks going forward
  });
});

describe('the rules across the 18 line and 29 February, in both countries', () => {
  it('in Wales counts a child assessed on 29 February 6 months on, and an adult 12 months on (28 February)', () => {
    expect(firstReviewDue({ jurisdiction: 'wales', kind: 'ongoing', firstPaymentOn: '2028-03-20', assessedOn: '2028-02-29', dateOfBirth: '2015-05-05' }).dueOn).toBe('2028-08-29');
    expect(firstReviewDue({ jurisdiction: 'wales', kind: 'ongoing', firstPaymentOn: '2028-03-20', assessedOn: '2028-02-29', dateOfBirth: adult }).dueOn).toBe('2029-02-28');
  });

  it('in Wales treats someone assessed on their 18th birthday as an adult', () => {
    const r = firstReviewDue({ jurisdiction: 'wales', kind: 'ongoing', firstPaymentOn: '2026-12-01', assessedOn: '2026-11-23', dateOfBirth: '2008-11-23' });
    expect(r.dueOn).toBe('2027-11-23');
    expect(r.explanation).toContain('was an adult');
  });

  it('in Wales keeps a 17-year-old’s next review within 6 months, even though they turn 18 before it', () => {
    const dob = '2009-02-01';
    const completedOn = '2026-11-23';
    const r = nextReviewDue({ jurisdiction: 'wales', isChild: isChildOn(dob, completedOn), completedOn });
    expect(r.dueOn).toBe('2027-05-23');
  });

  it('in England ignores the 18 line altogether: 6 months from the first payment, then 12', () => {
    const dob = '2008-12-10';
    const first = firstReviewDue({ jurisdiction: 'england', kind: 'ongoing', firstPaymentOn: '2026-11-23', assessedOn: '2026-09-01', dateOfBirth: dob });
    expect(first.dueOn).toBe('2027-05-23');
    expect(nextReviewDue({ jurisdiction: 'england', isChild: isChildOn(dob, '2026-12-01'), completedOn: '2026-12-01' }).dueOn).toBe('2027-12-01');
  });

  it('never gives a next regular review more than 12 months (adults) or 6 months (Welsh children) after the day it was recorded (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
        fc.constantFrom('england', 'wales'),
        fc.boolean(),
        (d, jurisdiction, isChild) => {
          const completedOn = d.toISOString().slice(0, 10);
          const due = nextReviewDue({ jurisdiction: jurisdiction as 'england' | 'wales', isChild, completedOn }).dueOn;
          const months = jurisdiction === 'wales' && isChild ? 6 : 12;
          const [y, m] = completedOn.split('-').map(Number) as [number, number];
          const monthIndex = y * 12 + (m - 1) + months;
          const latest = `${Math.floor(monthIndex / 12)}-${String((monthIndex % 12) + 1).padStart(2, '0')}-31`;
          return due > completedOn && due <= latest;
        },
      ),
    );
  });
});
