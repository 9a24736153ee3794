import { describe, expect, it } from 'vitest';
import { earliestArrival, fileSerial, lineTransition, paymentReference, runDates, runTransition, RunStateError } from './payment-run.ts';

const HOLIDAYS = new Set(['2026-12-25', '2026-12-28', '2027-01-01']);

describe('a payment run’s dates', () => {
  it('pays a Friday run’s weekend too: everything due before the next day money could arrive', () => {
    expect(runDates('2026-11-27', HOLIDAYS)).toEqual({ arrival: '2026-11-27', processing: '2026-11-26', latestInput: '2026-11-25', dueBy: '2026-11-29' });
  });

  it('moves a run wanted on a bank holiday to the processing day before, and covers the holidays after it', () => {
    // Christmas Day 2026 is a Friday and 28 December the substitute holiday.
    expect(runDates('2026-12-25', HOLIDAYS)).toEqual({ arrival: '2026-12-24', processing: '2026-12-23', latestInput: '2026-12-22', dueBy: '2026-12-28' });
  });

  it('knows the first day money can still arrive when the file is sent today', () => {
    expect(earliestArrival('2026-11-23', HOLIDAYS)).toBe('2026-11-25');
    // Sent on Wednesday 23 December, the money arrives on Tuesday 29th: three processing days.
    expect(earliestArrival('2026-12-23', HOLIDAYS)).toBe('2026-12-29');
    expect(earliestArrival('2026-11-28', HOLIDAYS)).toBe('2026-12-02');
  });
});

describe('the run and its lines move only forwards', () => {
  it('goes draft → approved → file created → paid', () => {
    expect(runTransition('draft', 'approved')).toBe('approved');
    expect(runTransition('approved', 'file_generated')).toBe('file_generated');
    expect(runTransition('file_generated', 'paid')).toBe('paid');
  });

  it('refuses to skip a step or go back, in plain English', () => {
    expect(() => runTransition('draft', 'paid')).toThrow(new RunStateError('A payment run that is “waiting for approval” cannot become “paid”.'));
    expect(() => runTransition('paid', 'approved')).toThrow(RunStateError);
  });

  it('returns a payment only once it has been sent', () => {
    expect(lineTransition('in_transit', 'returned')).toBe('returned');
    expect(lineTransition('paid', 'returned')).toBe('returned');
    expect(() => lineTransition('pending', 'returned')).toThrow('A payment that is “not sent yet” cannot become “returned”.');
    expect(() => lineTransition('returned', 'returned')).toThrow(RunStateError);
  });
});

describe('what goes in the file', () => {
  it('gives each payment a reference the person can match to the period', () => {
    expect(paymentReference('DP-000123', '2026-11-23')).toBe('DP-000123 231126');
  });

  it('numbers files from 000001 and never writes 000000', () => {
    expect(fileSerial(0)).toBe('000001');
    expect(fileSerial(41)).toBe('000042');
    expect(fileSerial(999_998)).toBe('999999');
    expect(fileSerial(999_999)).toBe('000001');
  });
});
