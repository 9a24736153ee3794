import { describe, expect, it } from 'vitest';
import { ENGLAND_OUTCOMES, decideEligibility, outcomeName } from './eligibility.ts';

describe('eligibility in England (Eligibility Criteria Regulations 2015)', () => {
  it('lists the ten outcomes of the regulations', () => {
    expect(ENGLAND_OUTCOMES).toHaveLength(10);
    expect(outcomeName('nutrition')).toBe('Managing and maintaining nutrition');
  });

  it('is not eligible when the person is unable to achieve only one outcome, even with a significant impact', () => {
    const d = decideEligibility({ jurisdiction: 'england', unableToAchieve: ['nutrition'], significantImpact: true });
    expect(d.eligible).toBe(false);
    expect(d.explanation).toContain('1 of the 10 outcomes');
    expect(d.explanation).toContain('2 or more');
  });

  it('is not eligible with no outcomes at all', () => {
    expect(decideEligibility({ jurisdiction: 'england', unableToAchieve: [], significantImpact: false }).eligible).toBe(false);
  });

  it('is not eligible when two outcomes are not achieved but there is no significant impact on well-being', () => {
    const d = decideEligibility({ jurisdiction: 'england', unableToAchieve: ['nutrition', 'hygiene'], significantImpact: false });
    expect(d.eligible).toBe(false);
    expect(d.explanation).toContain('significant impact');
  });

  it('is eligible when two or more outcomes are not achieved and there is a significant impact', () => {
    const d = decideEligibility({ jurisdiction: 'england', unableToAchieve: ['nutrition', 'community'], significantImpact: true });
    expect(d.eligible).toBe(true);
    expect(d.explanation).toMatch(/^Eligible\. .*2 of the 10 outcomes/);
  });

  it('counts an outcome once even if it is given twice', () => {
    expect(decideEligibility({ jurisdiction: 'england', unableToAchieve: ['nutrition', 'nutrition'], significantImpact: true }).eligible).toBe(false);
  });
});

describe("eligibility in Wales (the 'can and can only' test)", () => {
  it('is eligible when there are needs the person can only meet with the council’s care and support', () => {
    const d = decideEligibility({ jurisdiction: 'wales', canAndCanOnly: true });
    expect(d.eligible).toBe(true);
    expect(d.explanation).toContain('can only meet');
  });

  it('is not eligible when their needs can be met another way', () => {
    const d = decideEligibility({ jurisdiction: 'wales', canAndCanOnly: false });
    expect(d.eligible).toBe(false);
    expect(d.explanation).toContain('community resources');
  });
});
