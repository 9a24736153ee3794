import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_RULES, RULES, evaluate, type Facts, type RuleSettings } from '../../domain/monitoring.ts';
import { reasonIn } from './reasons.ts';

const TODAY = '2026-11-23';
const allOn = Object.fromEntries(RULES.map((r) => [r, { ...DEFAULT_RULES[r], enabled: true, threshold: r === 'no_statements' ? 2 : DEFAULT_RULES[r].threshold }])) as RuleSettings;

const arbFacts = fc.record({
  directPaymentId: fc.constant('dp'),
  kind: fc.constant('ongoing' as const),
  balancePence: fc.integer({ min: 0, max: 5_000_000 }),
  weeklyNetPence: fc.integer({ min: 0, max: 50_000 }),
  contingencyWeeks: fc.integer({ min: 1, max: 12 }),
  committedPence: fc.constantFrom(0, 12_345),
  unexplained: fc.record({ pence: fc.integer({ min: 0, max: 1_000_000 }), lines: fc.integer({ min: 1, max: 9 }) }),
  lastStatementOn: fc.option(fc.constantFrom('2026-01-31', '2026-11-01'), { nil: null }),
  firstPaidOn: fc.constantFrom('2025-03-01', '2026-11-20'),
  regularPayees: fc.array(fc.record({ name: fc.constantFrom('J SMITH', 'MR K PATEL', 'A JONES'), payments: fc.integer({ min: 1, max: 9 }), months: fc.integer({ min: 3, max: 6 }), totalPence: fc.constant(100) }), { maxLength: 3 }),
  concerns: fc.array(fc.record({ on: fc.constantFrom('2026-01-15', '2026-11-02'), text: fc.constant('x') }), { maxLength: 2 }),
}) satisfies fc.Arbitrary<Facts>;

describe('a flag’s reason for the person', () => {
  it('reads in English exactly as the reason staff see', () => {
    fc.assert(fc.property(arbFacts, (facts) => {
      for (const flag of evaluate(facts, allOn, TODAY)) expect(reasonIn(flag, 'en')).toBe(flag.reason);
    }), { numRuns: 300 });
  });

  it('is in Welsh for a Welsh speaker, with the amounts and dates the same', () => {
    const [flag] = evaluate({ ...(fc.sample(arbFacts, 1)[0] as Facts), concerns: [{ on: '2026-11-02', text: 'x' }], balancePence: 0, unexplained: { pence: 0, lines: 0 }, regularPayees: [], lastStatementOn: '2026-11-01' }, allOn, TODAY);
    expect(flag!.rule).toBe('previous_concern');
    expect(reasonIn(flag!, 'cy')).toBe('Cofnodwyd pryder ar 2 Tachwedd 2026, felly mae’r cyfrif yn cael ei wirio’n fanylach am 12 mis wedi hynny.');
  });
});
