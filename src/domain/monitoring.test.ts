import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_RULES, RULES, evaluate, levelOf, looksLikeAPerson, payeeIsAssistant, rulesFrom, type Facts, type RuleSettings } from './monitoring.ts';

const TODAY = '2026-11-23';

const quiet: Facts = {
  directPaymentId: 'dp', kind: 'ongoing', balancePence: 0, weeklyNetPence: 20_000, contingencyWeeks: 8, committedPence: 0,
  unexplained: { pence: 0, lines: 0 }, lastStatementOn: null, firstPaidOn: '2026-10-01', regularPayees: [], concerns: [],
};

const allOn: RuleSettings = Object.fromEntries(RULES.map((r) => [r, { ...DEFAULT_RULES[r], enabled: true }])) as RuleSettings;
const allOff: RuleSettings = Object.fromEntries(RULES.map((r) => [r, { ...DEFAULT_RULES[r], enabled: false }])) as RuleSettings;

const arbFacts = fc.record({
  directPaymentId: fc.constant('dp'),
  kind: fc.constantFrom('one_off' as const, 'ongoing' as const),
  balancePence: fc.integer({ min: -500_000, max: 5_000_000 }),
  weeklyNetPence: fc.integer({ min: 0, max: 200_000 }),
  contingencyWeeks: fc.integer({ min: 0, max: 52 }),
  committedPence: fc.integer({ min: 0, max: 1_000_000 }),
  unexplained: fc.record({ pence: fc.integer({ min: 0, max: 1_000_000 }), lines: fc.integer({ min: 1, max: 50 }) }),
  lastStatementOn: fc.option(fc.constantFrom('2025-01-31', '2026-05-20', '2026-11-01'), { nil: null }),
  firstPaidOn: fc.option(fc.constantFrom('2024-02-29', '2026-03-01', '2026-11-20'), { nil: null }),
  regularPayees: fc.array(fc.record({
    name: fc.constantFrom('J SMITH', 'TESCO STORES', 'A Jones', 'Leisure Centre Ltd', 'MR K PATEL'),
    payments: fc.integer({ min: 1, max: 12 }), months: fc.integer({ min: 1, max: 6 }), totalPence: fc.integer({ min: 100, max: 500_000 }),
  }), { maxLength: 3 }),
  concerns: fc.array(fc.record({ on: fc.constantFrom('2025-06-01', '2026-01-15', '2026-11-02'), text: fc.constant('A concern.') }), { maxLength: 2 }),
}) satisfies fc.Arbitrary<Facts>;

describe('monitoring rules', () => {
  it('flags nobody when the council turns every rule off', () => {
    fc.assert(fc.property(arbFacts, (facts) => evaluate(facts, allOff, TODAY).length === 0));
  });

  it('explains every flag in one plain sentence, and gives the level of the most serious flag', () => {
    fc.assert(fc.property(arbFacts, (facts) => {
      const flags = evaluate(facts, allOn, TODAY);
      for (const f of flags) {
        expect(f.reason).toMatch(/^[A-Z£].*\.$/);
        expect(f.reason).not.toMatch(/\.\s+[A-Z]/);
        expect(f.reason.length).toBeLessThan(300);
      }
      const level = levelOf(flags);
      expect(level === 'low').toBe(flags.length === 0);
      expect(level === 'high').toBe(flags.some((f) => f.level === 'high'));
    }));
  });

  it('flags the balance exactly when it is more than the contingency, the committed money and the margin', () => {
    fc.assert(fc.property(arbFacts, (facts) => {
      const flagged = evaluate(facts, allOn, TODAY).some((f) => f.rule === 'balance_over_contingency');
      const over = facts.balancePence - facts.weeklyNetPence * facts.contingencyWeeks - facts.committedPence;
      return flagged === (facts.kind === 'ongoing' && over > allOn.balance_over_contingency.threshold);
    }));
  });

  it('flags unexplained spending only above the threshold', () => {
    const rules = { ...allOff, unexplained_spending: { ...DEFAULT_RULES.unexplained_spending, threshold: 25_000 } };
    expect(evaluate({ ...quiet, unexplained: { pence: 25_000, lines: 3 } }, rules, TODAY)).toEqual([]);
    const [flag] = evaluate({ ...quiet, unexplained: { pence: 25_001, lines: 1 } }, rules, TODAY);
    expect(flag!.reason).toBe('£250.01 spent from the account in the last 12 months (1 payment) has not been matched to a receipt or explained yet.');
  });

  it('counts months without statements from the last statement, or from the first payment', () => {
    const rules = { ...allOff, no_statements: { rule: 'no_statements' as const, enabled: true, threshold: 6, level: 'medium' as const } };
    expect(evaluate({ ...quiet, firstPaidOn: '2026-05-23' }, rules, TODAY)).toEqual([]);
    expect(evaluate({ ...quiet, firstPaidOn: '2026-05-22' }, rules, TODAY)[0]!.reason).toBe('No bank statement has been shared since payments started on 22 May 2026, more than 6 months ago.');
    expect(evaluate({ ...quiet, firstPaidOn: '2025-01-01', lastStatementOn: '2026-06-01' }, rules, TODAY)).toEqual([]);
    expect(evaluate({ ...quiet, firstPaidOn: null }, rules, TODAY)).toEqual([]);
  });

  it('keeps a concern for the council’s number of months', () => {
    const rules = { ...allOff, previous_concern: { ...DEFAULT_RULES.previous_concern, enabled: true, threshold: 12 } };
    expect(evaluate({ ...quiet, concerns: [{ on: '2025-11-22', text: 'x' }] }, rules, TODAY)).toEqual([]);
    expect(evaluate({ ...quiet, concerns: [{ on: '2025-11-23', text: 'x' }] }, rules, TODAY)[0]).toMatchObject({ rule: 'previous_concern', level: 'high' });
  });

  it('names regular payees that look like people, not businesses', () => {
    const rules = { ...allOff, unregistered_payee: { ...DEFAULT_RULES.unregistered_payee, enabled: true, threshold: 3 } };
    const payees = [
      { name: 'J SMITH', payments: 4, months: 3, totalPence: 40_000 },
      { name: 'TESCO STORES', payments: 6, months: 5, totalPence: 9_000 },
      { name: 'A Jones', payments: 2, months: 2, totalPence: 9_000 },
    ];
    const [flag] = evaluate({ ...quiet, regularPayees: payees }, rules, TODAY);
    expect(flag!.reason).toBe('Regular payments went to J SMITH (4 payments over 3 months), but there is no payroll record for them.');
    expect(looksLikeAPerson('Leisure Centre Ltd')).toBe(false);
    expect(looksLikeAPerson('MR K PATEL')).toBe(true);
  });

  it('matches a bank payee to a personal assistant by surname and first name or initial', () => {
    expect(payeeIsAssistant('FPO J SMITH', 'Jane Smith')).toBe(true);
    expect(payeeIsAssistant('SMITH JANE', 'Jane Smith')).toBe(true);
    expect(payeeIsAssistant('K SMITH', 'Jane Smith')).toBe(false);
    expect(payeeIsAssistant('J SMITHSON', 'Jane Smith')).toBe(false);
  });

  it('reads stored rules over the defaults, ignoring unknown ones', () => {
    const rules = rulesFrom([{ rule: 'no_statements', enabled: true, threshold: 3, level: 'high' }, { rule: 'made_up', enabled: true, threshold: 1, level: 'high' }]);
    expect(rules.no_statements).toEqual({ rule: 'no_statements', enabled: true, threshold: 3, level: 'high' });
    expect(rules.previous_concern).toEqual(DEFAULT_RULES.previous_concern);
    expect(Object.keys(rules)).toEqual([...RULES]);
  });
});
