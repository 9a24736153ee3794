import { assertPence, formatPounds, type Pence } from './money.ts';

/**
 * Comparing the cost of a proposal with the other ways of meeting the same need, over a period the
 * practitioner picks (the cooker against months of homecare).
 *
 * Weeks in N months: a year is 52 weeks, so N months are N × 52 ÷ 12 weeks (12 months = 52 weeks,
 * 1 month ≈ 4.33 weeks). The weekly cost is multiplied by that exact fraction and rounded once, at
 * the end, to the nearest whole penny: weekly × N × 52 ÷ 12, all in integers (an exact half cannot
 * arise, as 52 × weekly × N is a multiple of 4).
 */

export const MIN_HORIZON_MONTHS = 1;
export const MAX_HORIZON_MONTHS = 120;
export const DEFAULT_HORIZON_MONTHS = 12;

export type CostOption = {
  description: string;
  proposed: boolean;
  oneOffPence: Pence;
  weeklyPence: Pence;
};

export type CostedOption = CostOption & { ongoingPence: Pence; totalPence: Pence };

export type Saving = {
  alternative: CostedOption;
  /** The alternative's total less the proposal's: positive when the proposal costs less. */
  savingPence: Pence;
};

export type CostComparison = {
  months: number;
  options: CostedOption[];
  cheapest: CostedOption;
  proposal: CostedOption | null;
  savings: Saving[];
};

function assertHorizon(months: number): void {
  if (!Number.isInteger(months) || months < MIN_HORIZON_MONTHS || months > MAX_HORIZON_MONTHS) {
    throw new RangeError(`The period must be a whole number of months from ${MIN_HORIZON_MONTHS} to ${MAX_HORIZON_MONTHS}, got ${months}`);
  }
}

/** The weekly cost over N months, to the nearest penny. */
export function weeklyCostOver(weeklyPence: Pence, months: number): Pence {
  assertHorizon(months);
  assertPence(weeklyPence);
  if (weeklyPence < 0) throw new RangeError('A weekly cost cannot be negative');
  const twelfths = weeklyPence * months * 52;
  return assertPence(Math.floor((twelfths + 6) / 12));
}

/** How many weeks N months are, for showing beside the comparison ("52 weeks", "about 4.3 weeks"). */
export function weeksInMonthsText(months: number): string {
  assertHorizon(months);
  // N × 52 ÷ 12 = N × 13 ÷ 3: whole when N is a multiple of 3.
  const tenths = Math.round((months * 130) / 3);
  if (months % 3 === 0) return `${(months * 13) / 3} weeks`;
  return `about ${Math.floor(tenths / 10)}.${tenths % 10} weeks`;
}

export function compareCosts(options: readonly CostOption[], months: number): CostComparison {
  assertHorizon(months);
  if (options.length === 0) throw new RangeError('There is nothing to compare');
  const costed: CostedOption[] = options.map((o) => {
    assertPence(o.oneOffPence);
    if (o.oneOffPence < 0) throw new RangeError('A one-off cost cannot be negative');
    const ongoingPence = weeklyCostOver(o.weeklyPence, months);
    return { ...o, ongoingPence, totalPence: assertPence(o.oneOffPence + ongoingPence) };
  });
  // On a tie the proposal counts as the cheapest, then the option listed first.
  const cheapest = costed.reduce((best, o) =>
    o.totalPence < best.totalPence || (o.totalPence === best.totalPence && o.proposed && !best.proposed) ? o : best,
  );
  const proposal = costed.find((o) => o.proposed) ?? null;
  const savings = proposal
    ? costed.filter((o) => o !== proposal).map((alternative) => ({ alternative, savingPence: alternative.totalPence - proposal.totalPence }))
    : [];
  return { months, options: costed, cheapest, proposal, savings };
}

// "A cooker" reads as "a cooker" mid-sentence; names and acronyms ("NHS wheelchair") keep their case.
function midSentence(description: string): string {
  return description.replace(/^(A|An|The|Some|One)\b/, (w) => w.toLowerCase());
}

function period(months: number): string {
  return months === 1 ? '1 month' : `${months} months`;
}

/**
 * One plain-English sentence per alternative, for people who never met the person:
 * "Over 12 months, a cooker costs £450.00 and a homecare package would cost £8,112.00: £7,662.00 less."
 */
export function describeComparison(c: CostComparison): string[] {
  if (!c.proposal) return [];
  const proposal = c.proposal;
  return c.savings.map(({ alternative, savingPence }) => {
    const difference =
      savingPence > 0 ? `${formatPounds(savingPence)} less` : savingPence < 0 ? `${formatPounds(-savingPence)} more` : 'no difference';
    return `Over ${period(c.months)}, ${midSentence(proposal.description)} costs ${formatPounds(proposal.totalPence)} and ${midSentence(alternative.description)} would cost ${formatPounds(alternative.totalPence)}: ${difference}.`;
  });
}
