import { describe, expect, it } from 'vitest';
import { financialYear, financialYearOf, monthsBetween, percentileOf, periodRange } from './periods.ts';

describe('insight periods', () => {
  it('lists the months between two dates, with their first and last days', () => {
    const m = monthsBetween('2025-12-15', '2026-02-03');
    expect(m.map((x) => [x.key, x.first, x.last, x.label])).toEqual([
      ['2025-12', '2025-12-01', '2025-12-31', 'Dec 2025'], ['2026-01', '2026-01-01', '2026-01-31', 'Jan 2026'], ['2026-02', '2026-02-01', '2026-02-28', 'Feb 2026'],
    ]);
    expect(monthsBetween('2028-02-10', '2028-02-10')[0]!.last).toBe('2028-02-29');
  });

  it('knows the financial year: 1 April to 31 March', () => {
    expect(financialYearOf('2026-03-31')).toBe(2025);
    expect(financialYearOf('2026-04-01')).toBe(2026);
    expect(financialYear(2026)).toEqual({ from: '2026-04-01', to: '2027-03-31', label: 'April 2026 to March 2027' });
  });

  it('turns a period choice into dates ending today', () => {
    expect(periodRange('12m', '2026-11-23')).toMatchObject({ from: '2025-12-01', to: '2026-11-23' });
    expect(periodRange('60m', '2026-11-23').from).toBe('2021-12-01');
    expect(periodRange('fy', '2026-11-23')).toMatchObject({ from: '2026-04-01', to: '2027-03-31' });
    expect(periodRange('lastfy', '2026-02-01')).toMatchObject({ from: '2024-04-01', to: '2025-03-31' });
  });

  it('takes the median and the 90th percentile by nearest rank', () => {
    expect(percentileOf([1, 2, 3, 4], 50)).toBe(2);
    expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentileOf([7], 90)).toBe(7);
    expect(percentileOf([], 50)).toBeNull();
  });
});
