import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addDays, type CalendarDate } from '../../domain/dates.ts';
import { contingencyPence } from '../../domain/monitoring.ts';
import { surplusOf, type SurplusSum } from '../../domain/surplus.ts';
import { monitoringFor, recordedCommitment } from '../monitoring/queries.ts';
import { committedWagesPence } from '../employers/queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Direct payments whose unspent money can be looked at: paid, or ended with money left. */
export const SURPLUS_STATUSES = ['active', 'suspended', 'ended'] as const;

export type SurplusNow = SurplusSum & {
  committedSource: 'payroll' | 'recorded' | 'none';
  committedFor: string | null;
  contingencyWeeks: number;
  paidInPence: number;
  recordedSpendingPence: number;
  statementOutPence: number;
};

/**
 * The surplus today: balance (paid in less spent) − contingency (the council's weeks of payments) −
 * money already committed: personal assistants' wages over the next four weeks from payroll when
 * the employers' records know them, else the amount a practitioner recorded as committed.
 */
export async function surplusNow(db: Db, directPaymentId: string, today: CalendarDate): Promise<SurplusNow | null> {
  const m = await monitoringFor(db, directPaymentId, { today, statuses: SURPLUS_STATUSES });
  if (!m?.facts || !m.spent) return null;
  const contingency = m.facts.kind === 'ongoing' ? contingencyPence(m.facts.weeklyNetPence, m.facts.contingencyWeeks) : 0;
  const payroll = await committedWagesPence(db, directPaymentId, today, addDays(today, 27));
  const recorded = await recordedCommitment(db, directPaymentId);
  let committed = 0;
  let source: SurplusNow['committedSource'] = 'none';
  let committedFor: string | null = null;
  if (payroll > 0) {
    committed = payroll;
    source = 'payroll';
    committedFor = "Personal assistants' wages for the next 4 weeks";
  } else if (recorded && recorded.amount_pence > 0) {
    committed = recorded.amount_pence;
    source = 'recorded';
    committedFor = recorded.committed_for;
  }
  return {
    ...surplusOf(m.facts.balancePence, contingency, committed),
    committedSource: source,
    committedFor,
    contingencyWeeks: m.facts.kind === 'ongoing' ? m.facts.contingencyWeeks : 0,
    paidInPence: m.spent.paidInPence,
    recordedSpendingPence: m.spent.recordedPence,
    statementOutPence: m.spent.statementOutPence,
  };
}
