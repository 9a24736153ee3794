import { daysBetween } from '../dates.ts';

// Reconciliation: which statement line is which council payment (money in) or which spending the
// person recorded (money out). Pure: the feature loads the candidates and stores the choices.

export type LineToMatch = { id: string; postedOn: string; amountPence: number; description: string; counterparty: string | null };
export type PaymentToMatch = { id: string; amountPence: number; /** The day it was paid, or due when not yet marked paid. */ on: string };
export type SpendingToMatch = { id: string; amountPence: number; spentOn: string; paidTo: string };

export type Match = { lineId: string; kind: 'council_payment'; paymentId: string } | { lineId: string; kind: 'spending'; spendingId: string };

/** A council payment shows on the statement from a few days before its date (early Bacs) to a week after. */
export const PAYMENT_WINDOW = { before: 3, after: 7 };
/** Card payments post a few days after the purchase; a person may record the day they paid or the day it showed. */
export const SPENDING_WINDOW = 7;

const STOP = new Set(['the', 'and', 'ltd', 'limited', 'plc', 'payment', 'card', 'ref', 'bgc', 'fpo', 'deb', 'pos', 'www', 'com', 'gbr', 'on']);

/** The words of a name that tell payees apart: "MRS J JONES PA WAGES" → jones, wages. */
export function nameWords(text: string | null | undefined): Set<string> {
  return new Set((text ?? '').toLowerCase().replace(/[’']/g, '').split(/[^a-z0-9]+/).filter((w) => w.length >= 3 && !STOP.has(w) && !/^\d+$/.test(w)));
}

/** How alike two payee names are: the share of the shorter name's words that the other has (0–1). */
export function nameLikeness(a: string | null | undefined, b: string | null | undefined): number {
  const wa = nameWords(a);
  const wb = nameWords(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w) || [...wb].some((x) => x.length >= 4 && w.length >= 4 && (x.startsWith(w) || w.startsWith(x)))) shared++;
  return shared / Math.min(wa.size, wb.size);
}

const lineName = (l: LineToMatch) => `${l.counterparty ?? ''} ${l.description}`;

/**
 * One-to-one matches, closest first: a line money in of exactly a payment's amount within the
 * payment window; a line money out of exactly a spending record's amount within a week, the more
 * alike the payee names the better. Each line, payment and spending record is used once.
 */
export function proposeMatches(lines: LineToMatch[], payments: PaymentToMatch[], spending: SpendingToMatch[]): Match[] {
  type Pair = { lineId: string; targetId: string; kind: 'council_payment' | 'spending'; score: number };
  const pairs: Pair[] = [];
  for (const l of lines) {
    if (l.amountPence > 0) {
      for (const p of payments) {
        if (p.amountPence !== l.amountPence) continue;
        const d = daysBetween(p.on, l.postedOn);
        if (d < -PAYMENT_WINDOW.before || d > PAYMENT_WINDOW.after) continue;
        pairs.push({ lineId: l.id, targetId: p.id, kind: 'council_payment', score: Math.abs(d) });
      }
    } else if (l.amountPence < 0) {
      for (const s of spending) {
        if (s.amountPence !== -l.amountPence) continue;
        const d = Math.abs(daysBetween(s.spentOn, l.postedOn));
        if (d > SPENDING_WINDOW) continue;
        pairs.push({ lineId: l.id, targetId: s.id, kind: 'spending', score: d - 10 * nameLikeness(lineName(l), s.paidTo) });
      }
    }
  }
  pairs.sort((a, b) => a.score - b.score || a.lineId.localeCompare(b.lineId) || a.targetId.localeCompare(b.targetId));
  const usedLines = new Set<string>();
  const usedTargets = new Set<string>();
  const out: Match[] = [];
  for (const p of pairs) {
    if (usedLines.has(p.lineId) || usedTargets.has(p.targetId)) continue;
    usedLines.add(p.lineId);
    usedTargets.add(p.targetId);
    out.push(p.kind === 'council_payment' ? { lineId: p.lineId, kind: 'council_payment', paymentId: p.targetId } : { lineId: p.lineId, kind: 'spending', spendingId: p.targetId });
  }
  return out;
}

export type Suggestion =
  | { kind: 'spending'; spendingId: string; reason: 'amount-and-date' | 'payee' }
  | { kind: 'explanation'; text: string; reason: 'past-choice' };

/**
 * What an unmatched line might be, for the person to choose: spending records not yet matched
 * with the same amount (within a month) or a payee named alike (within a fortnight), and what they
 * said last time about lines from the same payee (their past choices).
 */
export function suggestFor(
  line: LineToMatch,
  spending: SpendingToMatch[],
  pastExplanations: Array<{ name: string; explanation: string }>,
): Suggestion[] {
  const out: Suggestion[] = [];
  if (line.amountPence < 0) {
    const ranked = spending
      .map((s) => {
        const days = Math.abs(daysBetween(s.spentOn, line.postedOn));
        const sameAmount = s.amountPence === -line.amountPence && days <= 31;
        const alike = nameLikeness(lineName(line), s.paidTo) >= 0.5 && days <= 14;
        return { s, days, sameAmount, alike };
      })
      .filter((x) => x.sameAmount || x.alike)
      .sort((a, b) => Number(b.sameAmount) - Number(a.sameAmount) || Number(b.alike) - Number(a.alike) || a.days - b.days)
      .slice(0, 3);
    for (const x of ranked) out.push({ kind: 'spending', spendingId: x.s.id, reason: x.sameAmount ? 'amount-and-date' : 'payee' });
  }
  const seen = new Set<string>();
  for (const p of pastExplanations) {
    if (nameLikeness(lineName(line), p.name) < 0.5 || seen.has(p.explanation)) continue;
    seen.add(p.explanation);
    out.push({ kind: 'explanation', text: p.explanation, reason: 'past-choice' });
    if (seen.size === 2) break;
  }
  return out;
}
