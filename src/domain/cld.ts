// Adult Social Care Client Level Data (England): the columns of the quarterly return, its
// mandatory rules, the defined lists each field is checked against, and costs the way DHSC reads
// them. Pure: the feature builds rows from the records; this says what they must look like.
// Source: shared/reference/client-level-data.md (Release 2 names and values, DHSC's DQ checks).
import { addDays, addMonths, isCalendarDate } from './dates.ts';

export const CLD_COLUMNS = [
  'LA Code', 'Reporting Period Start Date', 'Reporting Period End Date', 'NHS Number', 'LA Person Unique Identifier',
  'First Name', 'Last Name', 'GP Practice Name', 'GP Practice Code', 'Gender', 'Ethnicity', 'Date of Birth', 'Date of Death',
  'Client Type', 'Primary Support Reason', 'Postcode', 'Accommodation Status', 'Employment Status', 'Has Unpaid Carer',
  'Autism Spectrum Disorder (ASD)', 'Visual Impairment', 'Hearing Impairment', 'Dementia', 'Client Funding Status',
  'Event Type', 'Event Reference', 'Event Start Date', 'Event End Date', 'Event Description', 'Event Outcome',
  'Request: Route of Access', 'Assessment Type', 'Eligible Needs Identified', 'Method of Assessment',
  'Total Hrs Caring per week', 'No. of adults being cared for', 'Adult 1 Linked Person_ID', 'Adult 2 Linked Person_ID',
  'Adult 3 Linked Person_ID', 'Service Type', 'Service Component', 'Delivery Mechanism', 'Provider CQC Location Name',
  'Provider CQC Location ID', 'Review Reason', 'Review Outcomes Achieved', 'Method of Review', 'Unit Cost',
  'Cost Frequency (Unit Type)', 'Planned units per week',
] as const;

export type CldColumn = (typeof CLD_COLUMNS)[number];
export type CldRow = Partial<Record<CldColumn, string | null>>;

/** The defined lists (data an administrator can extend), by the key they are stored under. */
export const LIST_FIELDS = [
  'gender', 'ethnicity', 'client_type', 'primary_support_reason', 'accommodation_status', 'has_unpaid_carer', 'event_type',
  'event_outcome', 'delivery_mechanism', 'service_type', 'service_component', 'client_funding_status', 'cost_frequency',
  'request_route_of_access', 'assessment_type', 'eligible_needs_identified', 'method', 'review_reason', 'review_outcomes_achieved',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];
export type CldLists = Record<ListField, ReadonlySet<string>>;

export const LIST_LABELS: Record<ListField, string> = {
  gender: 'Gender', ethnicity: 'Ethnicity', client_type: 'Client Type', primary_support_reason: 'Primary Support Reason',
  accommodation_status: 'Accommodation Status', has_unpaid_carer: 'Has Unpaid Carer', event_type: 'Event Type',
  event_outcome: 'Event Outcome', delivery_mechanism: 'Delivery Mechanism', service_type: 'Service Type',
  service_component: 'Service Component', client_funding_status: 'Client Funding Status', cost_frequency: 'Cost Frequency (Unit Type)',
  request_route_of_access: 'Request: Route of Access', assessment_type: 'Assessment Type', eligible_needs_identified: 'Eligible Needs Identified',
  method: 'Method of Assessment and Method of Review', review_reason: 'Review Reason', review_outcomes_achieved: 'Review Outcomes Achieved',
};

/** Which list each column's value must come from. */
export const COLUMN_LISTS: Partial<Record<CldColumn, ListField>> = {
  Gender: 'gender', Ethnicity: 'ethnicity', 'Client Type': 'client_type', 'Primary Support Reason': 'primary_support_reason',
  'Accommodation Status': 'accommodation_status', 'Has Unpaid Carer': 'has_unpaid_carer', 'Event Type': 'event_type',
  'Event Outcome': 'event_outcome', 'Delivery Mechanism': 'delivery_mechanism', 'Service Type': 'service_type',
  'Service Component': 'service_component', 'Client Funding Status': 'client_funding_status', 'Cost Frequency (Unit Type)': 'cost_frequency',
  'Request: Route of Access': 'request_route_of_access', 'Assessment Type': 'assessment_type', 'Eligible Needs Identified': 'eligible_needs_identified',
  'Method of Assessment': 'method', 'Method of Review': 'method', 'Review Reason': 'review_reason', 'Review Outcomes Achieved': 'review_outcomes_achieved',
};

const LISTED = Object.entries(COLUMN_LISTS) as [CldColumn, ListField][];
const DATE_COLUMNS: CldColumn[] = ['Reporting Period Start Date', 'Reporting Period End Date', 'Date of Birth', 'Date of Death', 'Event Start Date', 'Event End Date'];

export type CldProblem = {
  /** The person's LA reference and the event's reference, so the council can find and fix the record. */
  person: string;
  event: string;
  eventType: string;
  column: CldColumn;
  kind: 'missing' | 'invalid';
  value: string | null;
  message: string;
};

const blank = (v: string | null | undefined): boolean => v === undefined || v === null || v.trim() === '';

/** A valid NHS number: ten digits whose last is the modulus 11 check digit of the first nine. */
export function isNhsNumber(value: string): boolean {
  if (value.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (i < 9) sum += d * (10 - i);
  }
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === value.charCodeAt(9) - 48;
}

// The same dates come up again and again (dates of birth, the period): remember each answer.
const knownDates = new Map<string, boolean>();
function isDate(value: string): boolean {
  let ok = knownDates.get(value);
  if (ok === undefined) {
    ok = isCalendarDate(value);
    if (knownDates.size > 100_000) knownDates.clear();
    knownDates.set(value, ok);
  }
  return ok;
}

const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

/** Whether a long-term or carer service must carry its costs (the reference's cost rule). */
export function costsRequired(row: CldRow): boolean {
  if (row['Event Type'] !== 'Service') return false;
  if (row['Delivery Mechanism'] === 'CASSR commissioned support') return false;
  const type = row['Service Type'] ?? '';
  const component = row['Service Component'] ?? '';
  return type.startsWith('Long term support') || type.startsWith('Unpaid carer support') || component === 'Short term residential care' || component === 'Short term nursing care';
}

/** The columns a row must fill, by DHSC's rules for its client type and event type. */
export function mandatoryColumns(row: CldRow): CldColumn[] {
  const cols: CldColumn[] = [
    'LA Code', 'Reporting Period Start Date', 'Reporting Period End Date', 'NHS Number', 'LA Person Unique Identifier', 'Gender',
    'Ethnicity', 'Date of Birth', 'Client Type', 'Postcode', 'Accommodation Status', 'Has Unpaid Carer',
  ];
  const event = row['Event Type'] ?? '';
  const byAssociation = row['Client Type'] === 'Unpaid carer known by association';
  if (event !== 'Request') cols.push('Primary Support Reason');
  if (row['Client Type'] === 'Service user' && (event === 'Service' || event === 'Review')) cols.push('Client Funding Status');
  if (row['Assessment Type'] === 'Financial assessment') cols.push('Client Funding Status');
  if (!byAssociation) {
    cols.push('Event Type', 'Event Start Date');
    if (row['Assessment Type'] !== 'Financial assessment') cols.push('Event Outcome');
  }
  if (event !== 'Service' || !blank(row['Date of Death'])) cols.push('Event End Date');
  if (event === 'Service') cols.push('Service Type', 'Service Component');
  if (costsRequired(row)) {
    cols.push('Unit Cost', 'Cost Frequency (Unit Type)');
    if (!/^one-off/i.test(row['Cost Frequency (Unit Type)'] ?? '')) cols.push('Planned units per week');
  }
  return [...new Set(cols)];
}

/** Every missing mandatory field and every invalid value in one row. */
export function validateRow(row: CldRow, lists: CldLists): CldProblem[] {
  const problems: CldProblem[] = [];
  const at = { person: row['LA Person Unique Identifier'] || '(no reference)', event: row['Event Reference'] || '(no reference)', eventType: row['Event Type'] || '(none)' };
  for (const column of mandatoryColumns(row)) {
    if (blank(row[column])) problems.push({ ...at, column, kind: 'missing', value: null, message: `${column} is missing` });
  }
  const bad = (column: CldColumn, message: string) => problems.push({ ...at, column, kind: 'invalid', value: row[column] ?? null, message });
  for (const [column, list] of LISTED) {
    const v = row[column];
    if (!blank(v) && !lists[list].has(v!)) bad(column, `${column} “${v}” is not in the ${LIST_LABELS[list]} list`);
  }
  for (const column of DATE_COLUMNS) {
    const v = row[column];
    if (!blank(v) && !isDate(v!)) bad(column, `${column} “${v}” is not a date (YYYY-MM-DD)`);
  }
  const nhs = row['NHS Number'];
  if (!blank(nhs) && !isNhsNumber(nhs!)) bad('NHS Number', 'NHS Number is not a valid NHS number (10 digits with the right check digit)');
  const postcode = row.Postcode;
  if (!blank(postcode) && !POSTCODE.test(postcode!.trim())) bad('Postcode', `Postcode “${postcode}” is not a UK postcode`);
  const start = row['Event Start Date'];
  const end = row['Event End Date'];
  if (start && end && isDate(start) && isDate(end) && end < start) bad('Event End Date', 'Event End Date is before Event Start Date');
  const death = row['Date of Death'];
  if (death && end && isDate(death) && isDate(end) && end > death) bad('Event End Date', 'Event End Date is after Date of Death');
  for (const column of ['Unit Cost', 'Planned units per week'] as const) {
    const v = row[column];
    if (!blank(v) && !(/^\d+(\.\d+)?$/.test(v!) && Number(v) > 0)) bad(column, `${column} “${v}” is not a positive number`);
  }
  return problems;
}

// ---- Costs ---------------------------------------------------------------------------------

/**
 * Units per week implied by a cost frequency, the way DHSC's costs script reads it (by the
 * frequency's first word): weekly 1, fortnightly ½, 4-weekly ¼, monthly 12/52, quarterly 4/52,
 * annually 1/52. Null for one-off costs (which stand alone) and for hourly, daily and per-session
 * costs, whose units come from Planned units per week.
 */
export function unitsPerWeekOf(frequency: string): number | null {
  const f = frequency.trim().toLowerCase();
  if (f.startsWith('week')) return 1;
  if (f.startsWith('fortnight')) return 1 / 2;
  if (f.startsWith('4-week') || f.startsWith('four-week') || f.startsWith('4 week')) return 1 / 4;
  if (f.startsWith('month')) return 12 / 52;
  if (f.startsWith('quarter')) return 4 / 52;
  if (f.startsWith('annual')) return 1 / 52;
  return null;
}

/** DHSC's cost per week: unit cost × units per week (from the frequency where it says, else the planned units); null for one-off costs. */
export function costPerWeek(unitCost: number, frequency: string, plannedUnitsPerWeek: number | null): number | null {
  if (/^one-off/i.test(frequency.trim())) return null;
  const units = unitsPerWeekOf(frequency) ?? plannedUnitsPerWeek;
  return units === null ? null : Math.abs(unitCost) * Math.abs(units);
}

export type DirectPaymentCost = { kind: 'one_off' | 'ongoing'; frequency: string; amountPence: number | null; weeklyAmountPence: number | null };

const pounds = (pence: number): string => (pence / 100).toFixed(2);
/** Up to four decimal places, no trailing zeros: 0.25, 0.2308, 1. */
const units = (n: number): string => String(Number(n.toFixed(4)));

/**
 * A direct payment's Unit Cost, Cost Frequency (Unit Type) and Planned units per week: the amount
 * paid each period at the frequency it is paid, so that DHSC's conversion gives back the weekly
 * budget. Ongoing amounts are gross (the council's cost before the person's contribution).
 * Monthly amounts are the weekly amount × 52 / 12, rounded to the penny.
 */
export function directPaymentCost(dp: DirectPaymentCost): { unitCost: string; frequency: string; plannedUnitsPerWeek: string } | null {
  if (dp.kind === 'one_off') return dp.amountPence ? { unitCost: pounds(dp.amountPence), frequency: 'One-off', plannedUnitsPerWeek: '' } : null;
  const weekly = dp.weeklyAmountPence;
  if (!weekly) return null;
  switch (dp.frequency) {
    case 'four_weekly':
      return { unitCost: pounds(weekly * 4), frequency: '4-weekly', plannedUnitsPerWeek: units(1 / 4) };
    case 'monthly':
      return { unitCost: pounds(Math.round((weekly * 52) / 12)), frequency: 'Monthly', plannedUnitsPerWeek: units(12 / 52) };
    default:
      return { unitCost: pounds(weekly), frequency: 'Weekly', plannedUnitsPerWeek: '1' };
  }
}

// ---- Values the records imply ----------------------------------------------------------------

export function clientTypeOf(kind: string): string | null {
  if (kind === 'adult') return 'Service user';
  if (kind === 'carer') return 'Unpaid carer';
  return null; // children are not in the adult return
}

export function fundingStatusOf(weeklyContributionPence: number): string {
  return weeklyContributionPence > 0 ? 'Joint client and social care funded' : 'Fully social care funded';
}

export function reviewReasonOf(kind: string): string {
  return ['first', 'annual', 'check_back'].includes(kind) ? 'Planned' : 'Unplanned';
}

export function reviewOutcomesOf(met: string | null): string | null {
  return met === 'met' ? 'Fully achieved' : met === 'partly' ? 'Partially achieved' : met === 'not_met' ? 'Not achieved' : null;
}

/** A completed review: its outcome by what it changed; a check-back that ended the payment ends the support as planned. */
export function reviewOutcomeOf(review: { changes: string | null; endedTheSupport: boolean }): string | null {
  if (review.endedTheSupport) return 'NFA: Support ended as planned';
  if (review.changes === 'none') return 'Continuation of support or services';
  if (review.changes === 'more' || review.changes === 'less' || review.changes === 'different') return 'Progress to support planning or services';
  return null;
}

export function assessmentOutcomeOf(conv: { completed: boolean; eligible: boolean | null }): string | null {
  if (!conv.completed || conv.eligible === null) return null;
  return conv.eligible ? 'Progress to support planning or services' : 'NFA: Information and advice or signposting';
}

export function serviceOutcomeOf(service: { endsOn: string | null; periodEnd: string; status: string }): string {
  if (service.endsOn && service.endsOn <= service.periodEnd) return service.status === 'ended' ? 'NFA: Support ended as planned' : 'NFA: Support ended for other reason';
  return 'Continuation of support or services';
}

// ---- CSV -----------------------------------------------------------------------------------

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: ReadonlyArray<string | null | undefined>): string {
  return values.map(csvField).join(',') + '\r\n';
}

export function cldHeader(): string {
  return csvLine(CLD_COLUMNS);
}

export function cldLine(row: CldRow): string {
  return csvLine(CLD_COLUMNS.map((c) => row[c]));
}

// ---- Reporting periods ----------------------------------------------------------------------

/** The last whole quarter of the financial year before today (April–June, July–September, …). */
export function lastQuarter(today: string): { from: string; to: string } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const startMonth = [1, 4, 7, 10].filter((q) => q <= m).at(-1)!;
  const thisQuarter = `${y}-${String(startMonth).padStart(2, '0')}-01`;
  const from = addMonths(thisQuarter, -3);
  return { from, to: addDays(thisQuarter, -1) };
}

