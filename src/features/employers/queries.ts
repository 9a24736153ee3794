import { sql } from 'kysely';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { addDays, daysBetween, type CalendarDate } from '../../domain/dates.ts';
import { wageFindings, type PayPeriod, type WageBand, type WageFinding, type WageFloor, type WageRate } from '../../domain/minimum-wage.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type Assistant = Awaited<ReturnType<typeof assistantsFor>>[number];

/** The PAs employed with a direct payment (current and past), with the council's latest decision on paying a relative. */
export async function assistantsFor(db: Db, directPaymentId: string) {
  const rows = await db
    .selectFrom('personal_assistants')
    .selectAll()
    .where('direct_payment_id', '=', directPaymentId)
    .orderBy('ends_on', (ob) => ob.desc().nullsFirst())
    .orderBy('starts_on')
    .orderBy('name')
    .execute();
  const decisions = rows.length
    ? await db
        .selectFrom('family_payment_decisions')
        .innerJoin('users', 'users.id', 'family_payment_decisions.decided_by')
        .select(['family_payment_decisions.personal_assistant_id', 'necessary', 'reasons', 'decided_on', 'users.display_name as decided_by_name', 'family_payment_decisions.created_at'])
        .where('personal_assistant_id', 'in', rows.map((r) => r.id))
        .orderBy('family_payment_decisions.created_at', 'desc')
        .execute()
    : [];
  return rows.map((r) => ({
    ...r,
    payPeriod: r.pay_period as PayPeriod,
    weeklyHours: r.weekly_minutes / 60,
    familyDecision: decisions.find((d) => d.personal_assistant_id === r.id) ?? null,
  }));
}

/** One PA with the direct payment it belongs to (callers check the user may see that direct payment). */
export async function assistantById(db: Db, assistantId: string) {
  return db.selectFrom('personal_assistants').selectAll().where('id', '=', assistantId).executeTakeFirst();
}

/** The wage a PA earns over the days of a window they are employed, at their planned weekly hours. */
function plannedPence(pa: { starts_on: string; ends_on: string | null; weekly_minutes: number; hourly_rate_pence: number }, from: CalendarDate, to: CalendarDate): number {
  const start = pa.starts_on > from ? pa.starts_on : from;
  const end = pa.ends_on && pa.ends_on < to ? pa.ends_on : to;
  if (start > end) return 0;
  const days = daysBetween(start, end) + 1;
  return Math.round((pa.hourly_rate_pence * pa.weekly_minutes * days) / (60 * 7));
}

/** Leaves out a close relative in the household whom the council's latest decision says may not be paid (reg 3). */
const NOT_REFUSED_RELATIVE = sql<boolean>`not (personal_assistants.is_close_relative_in_household and coalesce((
  select d.necessary from family_payment_decisions d where d.personal_assistant_id = personal_assistants.id
  order by d.created_at desc limit 1), true) = false)`;

/**
 * Money already committed to PAs' wages between two dates (inclusive): each PA's hourly rate ×
 * planned weekly hours, for the days of the window they are employed. Gross wages only (employer's
 * costs such as National Insurance and pension are in the plan's other lines). The surplus
 * calculation subtracts this from what is in the account.
 */
export async function committedWagesPence(db: Db, directPaymentId: string, fromDate: CalendarDate, toDate: CalendarDate): Promise<number> {
  const pas = await db
    .selectFrom('personal_assistants')
    .select(['starts_on', 'ends_on', 'weekly_minutes', 'hourly_rate_pence'])
    .where('direct_payment_id', '=', directPaymentId)
    .where('starts_on', '<=', toDate)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', fromDate)]))
    .where(NOT_REFUSED_RELATIVE)
    .execute();
  return pas.reduce((sum, pa) => sum + plannedPence(pa, fromDate, toDate), 0);
}

/**
 * The wages the statement should show going out between two dates: for weeks with a timesheet,
 * the hours worked; for the rest, the planned hours. For the statement reconciliation.
 */
export async function expectedWagesFor(db: Db, directPaymentId: string, from: CalendarDate, to: CalendarDate) {
  const pas = await db
    .selectFrom('personal_assistants')
    .select(['id', 'name', 'starts_on', 'ends_on', 'weekly_minutes', 'hourly_rate_pence'])
    .where('direct_payment_id', '=', directPaymentId)
    .where('starts_on', '<=', to)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', from)]))
    .where(NOT_REFUSED_RELATIVE)
    .orderBy('name')
    .execute();
  const sheets = pas.length
    ? await db
        .selectFrom('pa_timesheets')
        .select(['personal_assistant_id', 'week_starts_on', 'minutes'])
        .where('personal_assistant_id', 'in', pas.map((p) => p.id))
        .where('week_starts_on', '>=', from)
        .where('week_starts_on', '<=', addDays(to, -6))
        .execute()
    : [];
  const byAssistant = pas.map((pa) => {
    const own = sheets.filter((s) => s.personal_assistant_id === pa.id);
    let pence = plannedPence(pa, from, to);
    const start = pa.starts_on > from ? pa.starts_on : from;
    const end = pa.ends_on && pa.ends_on < to ? pa.ends_on : to;
    const plannedMinutes = Math.round((pa.weekly_minutes * (daysBetween(start, end) + 1)) / 7);
    let workedMinutes = 0;
    for (const s of own) {
      // Replace the plan for that week with the hours worked.
      pence += Math.round((pa.hourly_rate_pence * s.minutes) / 60) - plannedPence(pa, s.week_starts_on, addDays(s.week_starts_on, 6));
      workedMinutes += s.minutes;
    }
    return { assistantId: pa.id, name: pa.name, weeksWithTimesheets: own.length, plannedMinutes, workedMinutes, expectedPence: pence };
  });
  return { totalPence: byAssistant.reduce((s, a) => s + a.expectedPence, 0), byAssistant };
}

export async function wageRates(db: Db): Promise<WageRate[]> {
  const rows = await db.selectFrom('minimum_wage_rates').select(['band', 'effective_from', 'hourly_pence']).orderBy('effective_from').execute();
  return rows.map((r) => ({ band: r.band as WageBand, effectiveFrom: r.effective_from, hourlyPence: r.hourly_pence }));
}

export async function wageFloors(db: Db, councilId: string): Promise<WageFloor[]> {
  const rows = await db.selectFrom('council_wage_floors').select(['name', 'effective_from', 'hourly_pence']).where('council_id', '=', councilId).orderBy('effective_from').execute();
  return rows.map((r) => ({ name: r.name, effectiveFrom: r.effective_from, hourlyPence: r.hourly_pence }));
}

/** How far ahead wages are checked: a year, so next April's rate is always in view once added. */
export const WAGE_LOOKAHEAD_DAYS = 366;

/** Each current PA's wage findings from today for a year, with what the uplift costs. */
export async function wageCheckFor(db: Db, councilId: string, assistants: Assistant[], today: CalendarDate) {
  const [rates, floors] = await Promise.all([wageRates(db), wageFloors(db, councilId)]);
  const to = addDays(today, WAGE_LOOKAHEAD_DAYS);
  const rows: Array<{ assistant: Assistant; finding: WageFinding }> = [];
  for (const a of assistants) {
    if (a.ends_on && a.ends_on < today) continue;
    const found = wageFindings(
      { hourlyRatePence: a.hourly_rate_pence, dateOfBirth: a.date_of_birth, isApprentice: a.is_apprentice, startsOn: a.starts_on, endsOn: a.ends_on, payPeriod: a.payPeriod, weeklyMinutes: a.weekly_minutes },
      rates, floors, today, to,
    );
    for (const finding of found) rows.push({ assistant: a, finding });
  }
  // The cost to the council of paying everyone what is required: the largest uplift per PA, a week.
  const perAssistant = new Map<string, number>();
  for (const r of rows) perAssistant.set(r.assistant.id, Math.max(perAssistant.get(r.assistant.id) ?? 0, r.finding.weeklyUpliftPence));
  const weeklyUplift = [...perAssistant.values()].reduce((a, b) => a + b, 0);
  return { findings: rows, weeklyUpliftPence: weeklyUplift, fourWeeklyUpliftPence: weeklyUplift * 4, yearlyUpliftPence: weeklyUplift * 52 };
}

export async function checklistFor(db: Db, directPaymentId: string) {
  return (await db.selectFrom('employer_checklists').selectAll().where('direct_payment_id', '=', directPaymentId).executeTakeFirst()) ?? null;
}

/** How many days before a renewal date the reminder comes. */
export const RENEWAL_NOTICE_DAYS = 42;

export type ChecklistItem = { key: string; status: 'done' | 'due' | 'todo'; dueOn?: string | null; detail?: Record<string, string> };

/**
 * The employer's checklist as plain facts: what is done, what is due (and when), what is still to
 * do. Words come from the page's catalogue; this only decides.
 */
export function checklistItems(c: Awaited<ReturnType<typeof checklistFor>>, assistants: Assistant[], today: CalendarDate): ChecklistItem[] {
  const current = assistants.filter((a) => !a.ends_on || a.ends_on >= today);
  const soon = addDays(today, RENEWAL_NOTICE_DAYS);
  const items: ChecklistItem[] = [];
  if (!c?.insurance_renews_on) items.push({ key: 'insurance', status: 'todo' });
  else if (c.insurance_renews_on < today) items.push({ key: 'insuranceLapsed', status: 'due', dueOn: c.insurance_renews_on });
  else items.push({ key: 'insurance', status: c.insurance_renews_on <= soon ? 'due' : 'done', dueOn: c.insurance_renews_on });
  items.push({ key: 'paye', status: c?.paye_registered ? 'done' : 'todo' });
  items.push({ key: 'pension', status: c?.pension_assessed_on ? 'done' : 'todo', dueOn: c?.pension_assessed_on ?? null });
  items.push({ key: 'holiday', status: c?.holiday_explained ? 'done' : 'todo' });
  const withoutContract = current.filter((a) => !a.contract_issued_on).length;
  items.push({ key: 'contracts', status: current.length && !withoutContract ? 'done' : 'todo', detail: { count: String(withoutContract) } });
  const rightToWork = current.filter((a) => !a.right_to_work_checked_on).length;
  items.push({ key: 'rightToWork', status: current.length && !rightToWork ? 'done' : 'todo', detail: { count: String(rightToWork) } });
  const dbsMissing = current.filter((a) => a.dbs_level === 'not_done').length;
  const dbsDue = current.filter((a) => a.dbs_renew_by && a.dbs_renew_by <= soon).map((a) => a.dbs_renew_by!).sort();
  items.push({ key: 'dbs', status: dbsMissing ? 'todo' : dbsDue.length ? 'due' : current.length ? 'done' : 'todo', dueOn: dbsDue[0] ?? null, detail: { count: String(dbsMissing) } });
  return items;
}
