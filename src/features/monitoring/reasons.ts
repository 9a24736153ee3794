import { formatPounds } from '../../domain/money.ts';
import { UNEXPLAINED_WINDOW_MONTHS, type Flag } from '../../domain/monitoring.ts';
import { formatDateIn, translator, type Lang } from '../../platform/i18n/index.ts';

/**
 * A flag's one-sentence reason in the person's language, from the catalogue (locales/<lang>/monitoring.json)
 * and the flag's evidence. In English it reads exactly as the reason domain/monitoring.ts writes for
 * staff (a unit test holds them together), so the person and the finance officer read the same words.
 */
export function reasonIn(flag: Flag, lang: Lang): string {
  const t = translator(lang);
  const e = flag.evidence as Record<string, any>;
  const count = (what: 'payments' | 'months' | 'weeks', n: number) => t(`monitoring:count.${what}`, { count: n });
  const date = (d: string) => formatDateIn(lang, d);
  const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${t('monitoring:and')} ${items.at(-1)}`);
  switch (flag.rule) {
    case 'balance_over_contingency':
      return t(e.committedPence > 0 ? 'monitoring:reason.balanceCommitted' : 'monitoring:reason.balance', {
        balance: formatPounds(e.balancePence), over: formatPounds(e.overPence), contingency: formatPounds(e.contingencyPence),
        weeks: count('weeks', e.contingencyWeeks), committed: formatPounds(e.committedPence),
      });
    case 'unexplained_spending':
      return t('monitoring:reason.unexplained', { amount: formatPounds(e.unexplainedPence), months: count('months', UNEXPLAINED_WINDOW_MONTHS), payments: count('payments', e.lines) });
    case 'no_statements':
      return e.lastStatementOn
        ? t('monitoring:reason.noStatements', { date: date(e.lastStatementOn), months: count('months', e.months) })
        : t('monitoring:reason.noStatementsFirst', { date: date(e.firstPaidOn), months: count('months', e.months) });
    case 'unregistered_payee': {
      const payees = e.payees as Array<{ name: string; payments: number; months: number }>;
      const named = list(payees.map((p) => t('monitoring:reason.payeeItem', { name: p.name, payments: count('payments', p.payments), months: count('months', p.months) })));
      return t(payees.length === 1 ? 'monitoring:reason.payeeOne' : 'monitoring:reason.payeeMany', { payees: named });
    }
    case 'previous_concern':
      return t('monitoring:reason.concern', { date: date(e.concerns[0].on), months: count('months', e.months) });
  }
}
