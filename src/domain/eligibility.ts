/**
 * Eligibility for care and support, decided at the end of the 'what matters' conversation.
 *
 * England: the Care and Support (Eligibility Criteria) Regulations 2015. Because of an impairment
 * or illness the adult is unable to achieve two or more of ten outcomes, and as a result there is,
 * or is likely to be, a significant impact on their well-being.
 *
 * Wales: the Part 4 Code of Practice. Eligible needs are the ones the person can meet, and can only
 * meet, with the council's care and support.
 */

export const ENGLAND_OUTCOMES = [
  ['nutrition', 'Managing and maintaining nutrition'],
  ['hygiene', 'Maintaining personal hygiene'],
  ['toilet', 'Managing toilet needs'],
  ['clothing', 'Being appropriately clothed'],
  ['home_safety', 'Being able to make use of the home safely'],
  ['habitable_home', 'Maintaining a habitable home environment'],
  ['relationships', 'Developing and maintaining family or other personal relationships'],
  ['work_learning', 'Accessing and engaging in work, training, education or volunteering'],
  ['community', 'Making use of necessary facilities or services in the local community, including public transport and recreational facilities'],
  ['caring', 'Carrying out any caring responsibilities the adult has for a child'],
] as const;

export type EnglandOutcome = (typeof ENGLAND_OUTCOMES)[number][0];
export const ENGLAND_OUTCOME_CODES = ENGLAND_OUTCOMES.map(([code]) => code) as unknown as readonly [EnglandOutcome, ...EnglandOutcome[]];

/** How many outcomes the person must be unable to achieve before the well-being test applies. */
export const OUTCOMES_NEEDED = 2;

export type EligibilityInput =
  | { jurisdiction: 'england'; unableToAchieve: readonly EnglandOutcome[]; significantImpact: boolean }
  | { jurisdiction: 'wales'; canAndCanOnly: boolean };

export type EligibilityDecision = { eligible: boolean; explanation: string };

export function outcomeName(code: string): string {
  return ENGLAND_OUTCOMES.find(([c]) => c === code)?.[1] ?? code;
}

export function decideEligibility(input: EligibilityInput): EligibilityDecision {
  if (input.jurisdiction === 'wales') {
    return input.canAndCanOnly
      ? {
          eligible: true,
          explanation:
            'Eligible. There are needs the person can meet, and can only meet, with the council’s care and support. A care and support plan, which can include a direct payment, should set out how they will be met.',
        }
      : {
          eligible: false,
          explanation:
            'Not eligible. The person’s needs can be met without the council’s care and support: through their own strengths, family and friends who are willing and able to help, or community resources. They should still get information and advice, and can ask for a new assessment if things change.',
        };
  }
  const count = new Set(input.unableToAchieve).size;
  const outcomes = `${count} of the 10 outcomes`;
  if (count < OUTCOMES_NEEDED) {
    return {
      eligible: false,
      explanation: `Not eligible. The person is unable to achieve ${outcomes}. The national eligibility criteria need them to be unable to achieve 2 or more, and a significant impact on their well-being as a result. They should still get information and advice, and can ask for a new assessment if things change.`,
    };
  }
  if (!input.significantImpact) {
    return {
      eligible: false,
      explanation: `Not eligible. The person is unable to achieve ${outcomes}, but this does not have, and is not likely to have, a significant impact on their well-being. Both are needed. They should still get information and advice, and can ask for a new assessment if things change.`,
    };
  }
  return {
    eligible: true,
    explanation: `Eligible. The person is unable to achieve ${outcomes}, and as a result there is, or is likely to be, a significant impact on their well-being. A care and support plan, which can include a direct payment, should set out how their needs will be met.`,
  };
}
