import { addDays, addMonths, isCalendarDate, type CalendarDate } from './dates.ts';

/**
 * Statutory complaint timescales, per jurisdiction, as data. Pure: the caller passes in the England
 * and Wales bank holidays (features/payments/holidays.ts), so nothing here reads a database or a clock.
 *
 * England — The Local Authority Social Services and National Health Service Complaints (England)
 * Regulations 2009 (SI 2009/309): one local stage, then the Local Government and Social Care Ombudsman.
 *   reg 13(1): acknowledge "not later than 3 working days after the day on which it receives the complaint";
 *   reg 13(3): offer to discuss how the complaint will be handled and the period for the response;
 *   reg 14(2): respond within the period agreed, or within 6 months beginning with the day of receipt.
 * Wales — The Social Services Complaints Procedure (Wales) Regulations 2014 (SI 2014/1794) and the
 * Welsh Government's "A guide to handling complaints and representations by local authority social
 * services" (2014): two stages, then the Public Services Ombudsman for Wales.
 *   Stage 1, local resolution: acknowledge within 2 working days; offer to discuss within 10 working
 *   days of the acknowledgement.
 *   Stage 2, formal investigation: acknowledge within 2 working days of the request; the investigation's
 *   response within 25 working days of the start date.
 * A working day is any day except Saturday, Sunday, Christmas Day, Good Friday or an England and Wales
 * bank holiday (reg 2 of each). The day a complaint is received is day 0: "within 3 working days" of a
 * Friday is the Wednesday after.
 */

export type Jurisdiction = 'england' | 'wales';
export type ComplaintStage = 'stage_1' | 'stage_2' | 'ombudsman';
export const COMPLAINT_STAGES = ['stage_1', 'stage_2', 'ombudsman'] as const;

export type ResponsePeriod =
  | { kind: 'working_days'; days: number; from: 'received' | 'acknowledgement' }
  | { kind: 'months'; months: number; from: 'received' };

export type StageRule = {
  stage: Exclude<ComplaintStage, 'ombudsman'>;
  /** What the stage is called, for staff. */
  name: string;
  acknowledgeWorkingDays: number;
  respond: ResponsePeriod;
  /** What the response deadline means, in a sentence, for staff. */
  respondMeaning: string;
  source: string;
};

export type Ombudsman = { name: string; shortName: string; website: string; phone: string; email?: string; monthsToComplain: number; source: string };

export type JurisdictionRules = { stages: StageRule[]; ombudsman: Ombudsman; source: string };

export const COMPLAINT_RULES: Record<Jurisdiction, JurisdictionRules> = {
  england: {
    source: 'The Local Authority Social Services and National Health Service Complaints (England) Regulations 2009, regs 13 and 14',
    stages: [
      {
        stage: 'stage_1',
        name: 'Stage 1: the council’s response',
        acknowledgeWorkingDays: 3,
        respond: { kind: 'months', months: 6, from: 'received' },
        respondMeaning: 'The response is due by the date agreed with the person; if none was agreed, within 6 months of receiving the complaint.',
        source: '2009 Regulations reg 13(1) (acknowledge within 3 working days) and reg 14(2) (respond within the agreed period, or 6 months)',
      },
    ],
    ombudsman: {
      name: 'Local Government and Social Care Ombudsman',
      shortName: 'LGSCO',
      website: 'https://www.lgo.org.uk',
      phone: '0300 061 0614',
      monthsToComplain: 12,
      source: 'Local Government Act 1974 Part 3 and Part 3A (adult social care); complaints normally within 12 months (s.26B)',
    },
  },
  wales: {
    source: 'The Social Services Complaints Procedure (Wales) Regulations 2014 and the Welsh Government guide to handling complaints (2014)',
    stages: [
      {
        stage: 'stage_1',
        name: 'Stage 1: local resolution',
        acknowledgeWorkingDays: 2,
        respond: { kind: 'working_days', days: 10, from: 'acknowledgement' },
        respondMeaning: 'Offer to discuss the complaint with the person within 10 working days of acknowledging it.',
        source: '2014 Regulations and guide: local resolution — acknowledge within 2 working days, discussion within 10 working days',
      },
      {
        stage: 'stage_2',
        name: 'Stage 2: formal investigation',
        acknowledgeWorkingDays: 2,
        respond: { kind: 'working_days', days: 25, from: 'received' },
        respondMeaning: 'Send the investigation’s written response within 25 working days of the request for a formal investigation.',
        source: '2014 Regulations and guide: formal consideration — acknowledge within 2 working days, response within 25 working days',
      },
    ],
    ombudsman: {
      name: 'Public Services Ombudsman for Wales',
      shortName: 'PSOW',
      website: 'https://www.ombudsman.wales',
      phone: '0300 790 0203',
      email: 'ask@ombudsman.wales',
      monthsToComplain: 12,
      source: 'Public Services Ombudsman (Wales) Act 2019; complaints normally within 12 months (s.11)',
    },
  },
};

/** A working day: Monday to Friday, not Christmas Day, not an England and Wales bank holiday (which includes Good Friday). */
export function isWorkingDay(date: CalendarDate, holidays: ReadonlySet<string>): boolean {
  if (!isCalendarDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (date.endsWith('-12-25')) return false;
  return !holidays.has(date);
}

/** The date `days` working days after `date` (which itself is not counted). */
export function addWorkingDays(date: CalendarDate, days: number, holidays: ReadonlySet<string>): CalendarDate {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`Working days must be a whole number, 0 or more: ${days}`);
  let day = date;
  let counted = 0;
  // Never more than a fortnight of non-working days in a row; far more would mean a broken holiday list.
  for (let guard = 0; counted < days; guard++) {
    if (guard > days * 3 + 31) throw new RangeError(`Could not count ${days} working days from ${date}: check the bank holiday list`);
    day = addDays(day, 1);
    if (isWorkingDay(day, holidays)) counted++;
  }
  return day;
}

/** Working days from `from` to `to` (positive when `to` is later), counting `to` and not `from`. */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate, holidays: ReadonlySet<string>): number {
  if (from === to) return 0;
  const sign = to > from ? 1 : -1;
  let [a, b] = sign > 0 ? [from, to] : [to, from];
  let n = 0;
  while (a < b) {
    a = addDays(a, 1);
    if (isWorkingDay(a, holidays)) n++;
  }
  return sign * n;
}

export function stageRule(jurisdiction: Jurisdiction, stage: ComplaintStage): StageRule | null {
  return COMPLAINT_RULES[jurisdiction].stages.find((s) => s.stage === stage) ?? null;
}

/** The stage a complaint moves to when the person is not satisfied: England goes straight to the Ombudsman. */
export function nextStage(jurisdiction: Jurisdiction, stage: ComplaintStage): ComplaintStage | null {
  if (stage === 'ombudsman') return null;
  const stages = COMPLAINT_RULES[jurisdiction].stages;
  const i = stages.findIndex((s) => s.stage === stage);
  if (i < 0) throw new RangeError(`${stage} is not a complaint stage in ${jurisdiction}`);
  return stages[i + 1]?.stage ?? 'ombudsman';
}

export type StageDeadlines = { acknowledgeBy: CalendarDate; respondBy: CalendarDate };

/**
 * The acknowledgement and response deadlines of a stage that started on `startedOn` (the day the
 * complaint, or the request for the next stage, was received). Where the response runs from the
 * acknowledgement, an early acknowledgement brings it forward; a late one never pushes it back.
 */
export function stageDeadlines(
  jurisdiction: Jurisdiction,
  stage: ComplaintStage,
  startedOn: CalendarDate,
  holidays: ReadonlySet<string>,
  acknowledgedOn?: CalendarDate | null,
): StageDeadlines | null {
  const rule = stageRule(jurisdiction, stage);
  if (!rule) return null;
  const acknowledgeBy = addWorkingDays(startedOn, rule.acknowledgeWorkingDays, holidays);
  const r = rule.respond;
  let respondBy: CalendarDate;
  if (r.kind === 'months') {
    // "6 months beginning with the day on which the complaint was received": the day before the same date 6 months on.
    respondBy = addDays(addMonths(startedOn, r.months), -1);
  } else if (r.from === 'acknowledgement') {
    const anchor = acknowledgedOn && acknowledgedOn < acknowledgeBy ? (acknowledgedOn < startedOn ? startedOn : acknowledgedOn) : acknowledgeBy;
    respondBy = addWorkingDays(anchor, r.days, holidays);
  } else {
    respondBy = addWorkingDays(startedOn, r.days, holidays);
  }
  return { acknowledgeBy, respondBy };
}

export type DeadlineState = 'done' | 'done_late' | 'overdue' | 'due_soon' | 'on_track';

/** Due within this many working days counts as "due soon" on the manager's list. */
export const DUE_SOON_WORKING_DAYS = 3;

export function deadlineState(dueBy: CalendarDate | null, doneOn: CalendarDate | null, today: CalendarDate, holidays: ReadonlySet<string>): DeadlineState | null {
  if (!dueBy) return null;
  if (doneOn) return doneOn <= dueBy ? 'done' : 'done_late';
  if (today > dueBy) return 'overdue';
  return workingDaysBetween(today, dueBy, holidays) <= DUE_SOON_WORKING_DAYS ? 'due_soon' : 'on_track';
}
