import { describe, expect, it } from 'vitest';
import { nameLikeness, proposeMatches, suggestFor } from './reconcile.ts';

const line = (id: string, postedOn: string, amountPence: number, description: string) => ({ id, postedOn, amountPence, description, counterparty: null });

describe('reconciliation', () => {
  it('matches money in to the council payment of that amount nearest in date, each once', () => {
    const matches = proposeMatches(
      [line('l1', '2026-10-27', 56000, 'EASTMOOR CC'), line('l2', '2026-11-24', 56000, 'EASTMOOR CC'), line('l3', '2026-12-30', 56000, 'EASTMOOR CC')],
      [{ id: 'p1', amountPence: 56000, on: '2026-10-26' }, { id: 'p2', amountPence: 56000, on: '2026-11-23' }],
      [],
    );
    expect(matches).toEqual([
      { lineId: 'l1', kind: 'council_payment', paymentId: 'p1' },
      { lineId: 'l2', kind: 'council_payment', paymentId: 'p2' },
    ]);
  });

  it('does not match a payment a week and more away, nor a different amount', () => {
    expect(proposeMatches([line('l1', '2026-11-02', 56000, 'X')], [{ id: 'p1', amountPence: 56000, on: '2026-10-25' }], [])).toEqual([]);
    expect(proposeMatches([line('l1', '2026-10-26', 55999, 'X')], [{ id: 'p1', amountPence: 56000, on: '2026-10-26' }], [])).toEqual([]);
  });

  it('matches money out to recorded spending, preferring the payee named alike', () => {
    const matches = proposeMatches(
      [line('l1', '2026-11-06', -4500, 'SWIM ACADEMY CD 4821'), line('l2', '2026-11-06', -4500, 'TESCO STORES 3297')],
      [],
      [
        { id: 's-tesco', amountPence: 4500, spentOn: '2026-11-05', paidTo: 'Tesco' },
        { id: 's-swim', amountPence: 4500, spentOn: '2026-11-05', paidTo: 'Eastmoor Swim Academy' },
      ],
    );
    expect(matches).toEqual(expect.arrayContaining([
      { lineId: 'l1', kind: 'spending', spendingId: 's-swim' },
      { lineId: 'l2', kind: 'spending', spendingId: 's-tesco' },
    ]));
  });

  it('suggests recorded spending and what the person said before about the same payee', () => {
    expect(nameLikeness('MRS J JONES PA WAGES WK46', 'Jane Jones (PA)')).toBe(0.5);
    const suggestions = suggestFor(
      line('l1', '2026-11-17', -36000, 'MRS J JONES PA WAGES WK46'),
      [{ id: 's1', amountPence: 36000, spentOn: '2026-11-01', paidTo: 'Jane Jones' }, { id: 's2', amountPence: 999, spentOn: '2026-11-16', paidTo: 'Boots' }],
      [{ name: 'MRS J JONES PA WAGES WK44', explanation: 'Jane’s wages as my PA' }, { name: 'ARGOS LTD', explanation: 'A kettle' }],
    );
    expect(suggestions).toEqual([
      { kind: 'spending', spendingId: 's1', reason: 'amount-and-date' },
      { kind: 'explanation', text: 'Jane’s wages as my PA', reason: 'past-choice' },
    ]);
  });
});
