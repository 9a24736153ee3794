import type { Pence } from './money.ts';

/**
 * The ledger's rules, stated once:
 * 1. Every amount is a whole number of pence, never zero on a posting.
 * 2. A transaction has at least two postings and they sum to zero (debits positive, credits negative).
 * 3. Nothing is ever changed or removed: a mistake is corrected by a reversal that points at it,
 *    and a transaction can be reversed at most once.
 * 4. Every balance shown anywhere is the sum of postings: nothing stores a balance.
 */
export type Posting = { accountId: string; amountPence: Pence };

export class LedgerRuleBroken extends Error {}

export function assertBalanced(postings: readonly Posting[]): void {
  if (postings.length < 2) throw new LedgerRuleBroken('A ledger transaction needs at least two postings');
  let sum = 0;
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amountPence) || p.amountPence === 0) {
      throw new LedgerRuleBroken(`A posting must be a non-zero whole number of pence, got ${p.amountPence}`);
    }
    sum += p.amountPence;
  }
  if (sum !== 0) throw new LedgerRuleBroken(`Postings must sum to zero, they sum to ${sum} pence`);
}

/** A reversal posts the same amounts the other way. */
export function reversalOf(postings: readonly Posting[]): Posting[] {
  return postings.map((p) => ({ accountId: p.accountId, amountPence: -p.amountPence }));
}

/** The kinds of account a finance officer would recognise. */
export const ACCOUNT_KINDS = {
  budget: "The council's direct-payments budget",
  in_transit: 'Payments in transit',
  direct_payment: "A direct payment's account",
  contributions: "People's contributions",
  owed_back: 'Amounts owed back to the council',
  bank: "The council's bank account",
} as const;
export type AccountKind = keyof typeof ACCOUNT_KINDS;
