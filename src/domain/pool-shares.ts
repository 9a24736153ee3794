import type { Pence } from './money.ts';

/**
 * Sharing a pool's money between its members. Each member holds a number of parts (the pool
 * agreement says, e.g., Dewi 2 parts, Gwen 1 part); a purchase is shared out in proportion, by the
 * largest-remainder method in whole-number arithmetic, so the parts always sum to the purchase to
 * the penny and the same inputs always give the same split (ties go to the member listed first).
 */
export type Share = { id: string; parts: number };

export function shareOut(totalPence: Pence, shares: readonly Share[]): Array<{ id: string; amountPence: Pence }> {
  if (!Number.isSafeInteger(totalPence) || totalPence < 0) throw new RangeError(`A pool amount must be whole pence, 0 or more: ${totalPence}`);
  if (!shares.length) throw new RangeError('A pool purchase needs at least one member to share it');
  for (const s of shares) if (!Number.isInteger(s.parts) || s.parts <= 0) throw new RangeError(`A share must be a whole number of parts above 0: ${s.parts}`);
  const whole = shares.reduce((sum, s) => sum + s.parts, 0);
  if (!Number.isSafeInteger(totalPence * whole)) throw new RangeError('A pool amount that large cannot be shared exactly');
  const rows = shares.map((s, i) => {
    const exact = totalPence * s.parts; // the member's amount is exact / whole
    return { i, id: s.id, amount: Math.floor(exact / whole), remainder: exact % whole };
  });
  let left = totalPence - rows.reduce((sum, r) => sum + r.amount, 0);
  const byRemainder = [...rows].sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const r of byRemainder) {
    if (left === 0) break;
    r.amount += 1;
    left -= 1;
  }
  return rows.map((r) => ({ id: r.id, amountPence: r.amount }));
}

/**
 * What a member leaving the pool gets back: what they put in, less what was given back before,
 * less their part of what the pool bought. Never negative: a pool may not spend more of someone's
 * money than they put in (recording a purchase checks this first).
 */
export function settlementOnLeaving(m: { contributedPence: Pence; returnedPence: Pence; spentPence: Pence }): Pence {
  return Math.max(0, m.contributedPence - m.returnedPence - m.spentPence);
}

/** A share as words: "2 of 5 parts (40%)". */
export function describeShare(parts: number, whole: number): string {
  const percent = Math.round((parts * 1000) / whole) / 10;
  return `${parts} of ${whole} ${whole === 1 ? 'part' : 'parts'} (${percent}%)`;
}
