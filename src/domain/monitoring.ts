import { formatPounds, type Pence } from './money.ts';
import { addMonths, formatDate, type CalendarDate } from './dates.ts';

/**
 * Proportionate monitoring: each direct payment gets a level from a few clear rules that a council
 * configures (on or off, a threshold, how serious a flag is). A direct payment with no flags is
 * "low": nobody asks that person for paperwork. Every flag carries one plain sentence that both a
 * finance officer and the person can read, and the evidence behind it.
 *
 * The facts come from one set-based query (features/monitoring/queries.ts); the decisions are here,
 * pure, so they can be tested and explained.
 */
export const RULES = ['balance_over_contingency', 'unexplained_spending', 'no_statements', 'unregistered_payee', 'previous_concern'] as const;
export type Rule = (typeof RULES)[number];
export type FlagLevel = 'medium' | 'high';
export type Level = 'low' | FlagLevel;

export type RuleSetting = { rule: Rule; enabled: boolean; threshold: number; level: FlagLevel };
export type RuleSettings = Record<Rule, RuleSetting>;

export type ThresholdKind = 'pence' | 'months' | 'payments';

/** What each rule checks, in words for the settings page. */
export const RULE_INFO: Record<Rule, { title: string; description: string; threshold: ThresholdKind; thresholdLabel: string; min: number; max: number }> = {
  balance_over_contingency: {
    title: 'Money building up',
    description: 'The account holds more than the contingency (weeks of payments kept for emergencies) plus money already committed.',
    threshold: 'pence',
    thresholdLabel: 'Flag when it is more than the contingency by over',
    min: 0,
    max: 10_000_000,
  },
  unexplained_spending: {
    title: 'Unexplained spending',
    description: 'Money spent from the account in the last 12 months that is not matched to a receipt, a spending record or an explanation.',
    threshold: 'pence',
    thresholdLabel: 'Flag when the unexplained total is over',
    min: 0,
    max: 10_000_000,
  },
  no_statements: {
    title: 'No recent statements',
    description: 'No bank or card statement has been shared for a number of months. Leave this off unless everyone is asked for statements.',
    threshold: 'months',
    thresholdLabel: 'Flag after this many months without a statement',
    min: 1,
    max: 36,
  },
  unregistered_payee: {
    title: 'Regular payments to a person with no payroll record',
    description: 'The statements show regular payments to someone who looks like a person, not a business, and who is not a personal assistant with payroll.',
    threshold: 'payments',
    thresholdLabel: 'Flag after this many payments in different months (in the last 6 months)',
    min: 2,
    max: 12,
  },
  previous_concern: {
    title: 'A previous concern',
    description: 'A practitioner recorded a concern about the direct payment.',
    threshold: 'months',
    thresholdLabel: 'Keep the flag for this many months after the concern',
    min: 1,
    max: 60,
  },
};

/** The rules as a council starts with them. */
export const DEFAULT_RULES: RuleSettings = {
  balance_over_contingency: { rule: 'balance_over_contingency', enabled: true, threshold: 10_000, level: 'medium' },
  unexplained_spending: { rule: 'unexplained_spending', enabled: true, threshold: 25_000, level: 'medium' },
  no_statements: { rule: 'no_statements', enabled: false, threshold: 6, level: 'medium' },
  unregistered_payee: { rule: 'unregistered_payee', enabled: true, threshold: 3, level: 'high' },
  previous_concern: { rule: 'previous_concern', enabled: true, threshold: 12, level: 'high' },
};

/** How far back the unexplained-spending and payee rules look. */
export const UNEXPLAINED_WINDOW_MONTHS = 12;
export const PAYEE_WINDOW_MONTHS = 6;

/** Words that show a payee is a business, not a person someone might be employing. */
export const BUSINESS_WORDS = [
  'ltd', 'limited', 'plc', 'llp', 'cic', 'co', 'company', 'inc', 'services', 'service', 'care', 'agency', 'trust', 'council',
  'shop', 'store', 'stores', 'supermarket', 'centre', 'center', 'club', 'leisure', 'group', 'tesco', 'sainsburys', 'asda',
  'morrisons', 'aldi', 'lidl', 'amazon', 'paypal', 'argos', 'boots', 'uber', 'taxis', 'taxi', 'transport', 'rail', 'hmrc', 'payroll',
  'insurance', 'bank', 'cafe', 'restaurant', 'pharmacy', 'gym', 'pool', 'foundation', 'charity', 'association', 'society', 'cooperative', 'coop',
  // Not payees at all: cash, fees and the bank's own entries.
  'cash', 'withdrawal', 'atm', 'fee', 'fees', 'charge', 'charges', 'interest', 'card',
];

/** A payee's name as compared: lower case letters, single spaces, padded so whole words can be found. */
export function payeeKey(name: string): string {
  return ` ${name.toLowerCase().replace(/[^a-z]+/g, ' ').trim()} `;
}

/** True when the payee's name has no business words in it (so it may be a person). */
export function looksLikeAPerson(name: string): boolean {
  const words = payeeKey(name).trim().split(' ').filter(Boolean);
  return words.length > 0 && !words.some((w) => BUSINESS_WORDS.includes(w));
}

/**
 * True when a bank payee names this personal assistant: their surname as a word, and their first
 * name or its initial ("J SMITH", "SMITH JANE", "Jane Smith"). The same test runs in SQL.
 */
export function payeeIsAssistant(payee: string, assistantName: string): boolean {
  const words = payeeKey(assistantName).trim().split(' ').filter(Boolean);
  if (!words.length) return false;
  const key = payeeKey(payee);
  const first = words[0]!;
  const last = words.at(-1)!;
  if (!key.includes(` ${last} `)) return false;
  return words.length === 1 || key.includes(` ${first} `) || key.includes(` ${first[0]} `);
}

/** Everything the rules need to know about one direct payment. */
export type Facts = {
  directPaymentId: string;
  kind: 'one_off' | 'ongoing';
  /** Paid in (the ledger) less spent: the larger of what the person recorded and what statements show going out. */
  balancePence: Pence;
  weeklyNetPence: Pence;
  contingencyWeeks: number;
  committedPence: Pence;
  /** Money out in the window not matched or explained; null when statements are not kept yet. */
  unexplained: { pence: Pence; lines: number } | null;
  /** The latest statement line's date; null when none has been shared. */
  lastStatementOn: CalendarDate | null;
  /** The first payment's arrival, from when statements could be asked for; null when nothing is paid yet. */
  firstPaidOn: CalendarDate | null;
  /** Payees paid in several months of the window with no personal assistant on payroll; null when not known. */
  regularPayees: Array<{ name: string; payments: number; months: number; totalPence: Pence }> | null;
  concerns: Array<{ on: CalendarDate; text: string }>;
};

export type Flag = { rule: Rule; level: FlagLevel; reason: string; evidence: Record<string, unknown> };

export function contingencyPence(weeklyNetPence: Pence, weeks: number): Pence {
  return Math.max(0, weeklyNetPence) * Math.max(0, weeks);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "A, B and C". */
export function listOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Applies the council's rules to one direct payment's facts. Pure: same facts, same flags. */
export function evaluate(facts: Facts, rules: RuleSettings, today: CalendarDate): Flag[] {
  const flags: Flag[] = [];
  const on = (rule: Rule) => rules[rule].enabled;
  const flag = (rule: Rule, reason: string, evidence: Record<string, unknown>) => flags.push({ rule, level: rules[rule].level, reason, evidence });

  if (on('balance_over_contingency') && facts.kind === 'ongoing') {
    const contingency = contingencyPence(facts.weeklyNetPence, facts.contingencyWeeks);
    const over = facts.balancePence - contingency - facts.committedPence;
    if (over > rules.balance_over_contingency.threshold) {
      const kept = `the ${formatPounds(contingency)} kept for emergencies (${plural(facts.contingencyWeeks, 'week')} of payments)`;
      const committed = facts.committedPence > 0 ? ` and the ${formatPounds(facts.committedPence)} already committed` : '';
      flag('balance_over_contingency', `The account holds about ${formatPounds(facts.balancePence)}, which is ${formatPounds(over)} more than ${kept}${committed}.`, {
        balancePence: facts.balancePence, contingencyPence: contingency, committedPence: facts.committedPence, overPence: over, contingencyWeeks: facts.contingencyWeeks,
      });
    }
  }

  if (on('unexplained_spending') && facts.unexplained && facts.unexplained.pence > rules.unexplained_spending.threshold) {
    const u = facts.unexplained;
    flag('unexplained_spending', `${formatPounds(u.pence)} spent from the account in the last ${UNEXPLAINED_WINDOW_MONTHS} months (${plural(u.lines, 'payment')}) has not been matched to a receipt or explained yet.`, {
      unexplainedPence: u.pence, lines: u.lines, thresholdPence: rules.unexplained_spending.threshold,
    });
  }

  if (on('no_statements') && facts.firstPaidOn) {
    const months = rules.no_statements.threshold;
    const since = facts.lastStatementOn ?? facts.firstPaidOn;
    if (addMonths(since, months) < today) {
      const reason = facts.lastStatementOn
        ? `No bank statement has been shared since ${formatDate(facts.lastStatementOn)}, more than ${plural(months, 'month')} ago.`
        : `No bank statement has been shared since payments started on ${formatDate(facts.firstPaidOn)}, more than ${plural(months, 'month')} ago.`;
      flag('no_statements', reason, { lastStatementOn: facts.lastStatementOn, firstPaidOn: facts.firstPaidOn, months });
    }
  }

  if (on('unregistered_payee') && facts.regularPayees) {
    const min = rules.unregistered_payee.threshold;
    const payees = facts.regularPayees.filter((p) => p.months >= min && looksLikeAPerson(p.name));
    if (payees.length) {
      const named = listOf(payees.map((p) => `${p.name} (${plural(p.payments, 'payment')} over ${plural(p.months, 'month')})`));
      flag('unregistered_payee', `Regular payments went to ${named}, but there is no payroll record for ${payees.length === 1 ? 'them' : 'these people'}.`, { payees });
    }
  }

  if (on('previous_concern')) {
    const months = rules.previous_concern.threshold;
    const recent = facts.concerns.filter((c) => c.on <= today && addMonths(c.on, months) >= today).sort((a, b) => (a.on < b.on ? 1 : -1));
    if (recent.length) {
      flag('previous_concern', `A concern was recorded on ${formatDate(recent[0]!.on)}, so the account is looked at more closely for ${plural(months, 'month')} after it.`, {
        concerns: recent, months,
      });
    }
  }
  return flags;
}

/** The direct payment's level: its most serious flag, or low with none. */
export function levelOf(flags: readonly Pick<Flag, 'level'>[]): Level {
  if (flags.some((f) => f.level === 'high')) return 'high';
  if (flags.length) return 'medium';
  return 'low';
}

export const LEVEL_NAMES: Record<Level, string> = { low: 'Low', medium: 'Medium', high: 'High' };

/** Settings from stored rows, the defaults filling any rule a council has not set. */
export function rulesFrom(rows: ReadonlyArray<{ rule: string; enabled: boolean; threshold: number; level: string }>): RuleSettings {
  const rules: RuleSettings = { ...DEFAULT_RULES };
  for (const r of rows) {
    if ((RULES as readonly string[]).includes(r.rule)) {
      rules[r.rule as Rule] = { rule: r.rule as Rule, enabled: r.enabled, threshold: r.threshold, level: r.level === 'high' ? 'high' : 'medium' };
    }
  }
  return rules;
}
