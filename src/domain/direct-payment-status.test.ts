import { describe, expect, it } from 'vitest';
import {
  DIRECT_PAYMENT_STATUSES,
  IllegalTransitionError,
  canTransition,
  describeStatus,
  describeStatusForPerson,
  isDirectPaymentStatus,
  nextStatuses,
  statusName,
  transition,
} from './direct-payment-status.ts';

const ALLOWED: Array<[string, string]> = [
  ['draft', 'at_panel'],
  ['at_panel', 'approved'],
  ['at_panel', 'declined'],
  ['at_panel', 'more_information'],
  ['more_information', 'at_panel'],
  ['declined', 'draft'],
  ['approved', 'agreed'],
  ['agreed', 'active'],
  ['active', 'suspended'],
  ['suspended', 'active'],
  ['active', 'ended'],
  ['suspended', 'ended'],
];

describe('the life of a direct payment', () => {
  it('allows exactly the moves of the lifecycle', () => {
    for (const from of DIRECT_PAYMENT_STATUSES) {
      for (const to of DIRECT_PAYMENT_STATUSES) {
        const allowed = ALLOWED.some(([a, b]) => a === from && b === to);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(allowed);
        if (allowed) expect(transition(from, to)).toBe(to);
        else expect(() => transition(from, to), `${from} → ${to}`).toThrow(IllegalTransitionError);
      }
    }
  });

  it('walks the whole happy path, through a request for more information', () => {
    let s = 'draft';
    for (const to of ['at_panel', 'more_information', 'at_panel', 'approved', 'agreed', 'active', 'suspended', 'active', 'ended']) s = transition(s, to);
    expect(s).toBe('ended');
  });

  it('says in plain English why a move is refused and what is possible instead', () => {
    expect(() => transition('draft', 'active')).toThrow('A direct payment that is “draft” cannot become “active”. From here it can only become “with the funding panel”.');
    expect(() => transition('at_panel', 'agreed')).toThrow(/can only become “approved”, “declined” or “more information needed”/);
    expect(() => transition('ended', 'active')).toThrow(/It has ended, so it cannot change again/);
  });

  it('refuses a status that does not exist', () => {
    expect(isDirectPaymentStatus('paid')).toBe(false);
    expect(canTransition('draft', 'paid')).toBe(false);
    expect(() => transition('draft', 'paid')).toThrow(/“paid” is not a status/);
    expect(() => nextStatuses('nonsense')).toThrow(RangeError);
  });

  it('lists the next steps from each status', () => {
    expect(nextStatuses('at_panel')).toEqual(['approved', 'declined', 'more_information']);
    expect(nextStatuses('ended')).toEqual([]);
  });
});

describe('describing a status', () => {
  it('has a name, a staff description and a description for the person, for every status and kind', () => {
    for (const status of DIRECT_PAYMENT_STATUSES) {
      for (const kind of ['one_off', 'ongoing']) {
        expect(statusName(status)).toMatch(/^[A-Z]/);
        expect(describeStatus(status, kind).length).toBeGreaterThan(20);
        expect(describeStatusForPerson(status, kind).length).toBeGreaterThan(20);
      }
    }
  });

  it('tells staff what happens next', () => {
    expect(describeStatus('draft', 'one_off')).toMatch(/Next: write the business case/);
    expect(describeStatus('agreed', 'ongoing')).toMatch(/every 4 weeks in advance/);
    expect(describeStatus('agreed', 'one_off')).toMatch(/one-off payment/);
    expect(describeStatus('active', 'ongoing')).toMatch(/within the first 6 months/);
  });

  it('speaks to the person as “you”, without jargon', () => {
    for (const status of DIRECT_PAYMENT_STATUSES) {
      const text = describeStatusForPerson(status, 'ongoing');
      expect(text).toMatch(/\b[Yy]our?\b/);
      expect(text).not.toMatch(/business case|at_panel|transition/);
    }
    expect(describeStatusForPerson('declined', 'one_off')).toMatch(/complain or ask for a reassessment/);
    expect(describeStatusForPerson('active', 'one_off')).toMatch(/check back/);
  });
});
