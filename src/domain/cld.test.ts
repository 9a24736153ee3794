import { describe, expect, it } from 'vitest';
import {
  CLD_COLUMNS, LIST_FIELDS, cldHeader, cldLine, costPerWeek, directPaymentCost, isNhsNumber, mandatoryColumns, unitsPerWeekOf, validateRow,
  type CldLists, type CldRow, type ListField,
} from './cld.ts';

const lists = Object.fromEntries(LIST_FIELDS.map((f) => [f, new Set<string>()])) as Record<ListField, Set<string>>;
const add = (f: ListField, ...v: string[]) => v.forEach((x) => lists[f].add(x));
add('gender', 'Female', 'Male');
add('ethnicity', 'White: Irish', 'No data: Refused');
add('client_type', 'Service user', 'Unpaid carer', 'Unpaid carer known by association');
add('primary_support_reason', 'Physical Support: Personal care support', 'Social Support: Support to Carer');
add('accommodation_status', 'Tenant: Private landlord');
add('has_unpaid_carer', 'Yes', 'No');
add('event_type', 'Request', 'Assessment', 'Service', 'Review');
add('event_outcome', 'Continuation of support or services', 'Progress to support planning or services');
add('delivery_mechanism', 'Direct payment', 'CASSR commissioned support');
add('service_type', 'Long term support: Community', 'Short term support: Other short term', 'Unpaid carer support: Direct to unpaid carer');
add('service_component', 'Direct payment', 'Short term residential care');
add('client_funding_status', 'Fully social care funded');
add('cost_frequency', 'Weekly', '4-weekly', 'Monthly', 'One-off', 'Hourly');
add('assessment_type', 'Financial assessment', 'Long term support needs assessment');
const LISTS: CldLists = lists;

const person: CldRow = {
  'LA Code': 'E10000999', 'Reporting Period Start Date': '2026-07-01', 'Reporting Period End Date': '2026-09-30', 'NHS Number': '9434765919',
  'LA Person Unique Identifier': 'P-000001', Gender: 'Female', Ethnicity: 'White: Irish', 'Date of Birth': '1970-01-01', 'Client Type': 'Service user',
  'Primary Support Reason': 'Physical Support: Personal care support', Postcode: 'EM1 4MC', 'Accommodation Status': 'Tenant: Private landlord', 'Has Unpaid Carer': 'No',
};
const service: CldRow = {
  ...person, 'Client Funding Status': 'Fully social care funded', 'Event Type': 'Service', 'Event Reference': 'DP-000001', 'Event Start Date': '2026-01-05',
  'Event Outcome': 'Continuation of support or services', 'Service Type': 'Long term support: Community', 'Service Component': 'Direct payment',
  'Delivery Mechanism': 'Direct payment', 'Unit Cost': '1200.00', 'Cost Frequency (Unit Type)': '4-weekly', 'Planned units per week': '0.25',
};

describe('CLD columns', () => {
  it('are the 50 Release 2 names, in order, as the CSV header', () => {
    expect(CLD_COLUMNS).toHaveLength(50);
    expect(CLD_COLUMNS[0]).toBe('LA Code');
    expect(CLD_COLUMNS.at(-3)).toBe('Unit Cost');
    expect(CLD_COLUMNS.at(-2)).toBe('Cost Frequency (Unit Type)');
    expect(CLD_COLUMNS.at(-1)).toBe('Planned units per week');
    expect(cldHeader()).toContain(',Autism Spectrum Disorder (ASD),');
    expect(cldHeader()).toContain(',Request: Route of Access,');
    expect(cldHeader().startsWith('LA Code,Reporting Period Start Date,Reporting Period End Date,NHS Number,')).toBe(true);
  });

  it('quotes values with commas and quotes, and puts every value under its column', () => {
    const line = cldLine({ ...service, 'Event Description': 'Cooker, "fitted"' });
    const fields = line.trimEnd().match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, ''));
    expect(fields[CLD_COLUMNS.indexOf('Event Description')]).toBe('"Cooker, ""fitted"""');
    expect(fields[CLD_COLUMNS.indexOf('Delivery Mechanism')]).toBe('Direct payment');
    expect(line.endsWith('\r\n')).toBe(true);
  });
});

describe('CLD mandatory rules', () => {
  it('a complete direct payment Service row passes', () => {
    expect(validateRow(service, LISTS)).toEqual([]);
  });

  it('reports each missing always-mandatory field by person and event', () => {
    const problems = validateRow({ ...service, 'NHS Number': null, Ethnicity: '', 'Has Unpaid Carer': undefined }, LISTS);
    expect(problems.map((p) => [p.column, p.kind, p.person, p.event])).toEqual([
      ['NHS Number', 'missing', 'P-000001', 'DP-000001'], ['Ethnicity', 'missing', 'P-000001', 'DP-000001'], ['Has Unpaid Carer', 'missing', 'P-000001', 'DP-000001'],
    ]);
  });

  it('Service events need Service Type and Component, and no End Date; other events need an End Date', () => {
    expect(mandatoryColumns(service)).toEqual(expect.arrayContaining(['Service Type', 'Service Component', 'Client Funding Status']));
    expect(mandatoryColumns(service)).not.toContain('Event End Date');
    expect(mandatoryColumns({ ...service, 'Date of Death': '2026-08-01' })).toContain('Event End Date');
    const review: CldRow = { ...person, 'Event Type': 'Review', 'Event Reference': 'REV-1', 'Event Start Date': '2026-08-01' };
    expect(mandatoryColumns(review)).toEqual(expect.arrayContaining(['Event End Date', 'Event Outcome', 'Client Funding Status']));
    expect(mandatoryColumns(review)).not.toContain('Service Type');
  });

  it('Primary Support Reason is not needed on a Request; Client Funding Status only for service users on Service or Review', () => {
    expect(mandatoryColumns({ ...person, 'Event Type': 'Request' })).not.toContain('Primary Support Reason');
    expect(mandatoryColumns({ ...person, 'Event Type': 'Assessment' })).toContain('Primary Support Reason');
    expect(mandatoryColumns({ ...person, 'Event Type': 'Assessment' })).not.toContain('Client Funding Status');
    expect(mandatoryColumns({ ...service, 'Client Type': 'Unpaid carer' })).not.toContain('Client Funding Status');
    expect(mandatoryColumns({ ...person, 'Event Type': 'Assessment', 'Assessment Type': 'Financial assessment' })).toEqual(expect.arrayContaining(['Client Funding Status']));
    expect(mandatoryColumns({ ...person, 'Event Type': 'Assessment', 'Assessment Type': 'Financial assessment' })).not.toContain('Event Outcome');
  });

  it('a carer known by association needs no event type, start date or outcome', () => {
    const cols = mandatoryColumns({ ...person, 'Client Type': 'Unpaid carer known by association', 'Event Type': 'Assessment' });
    expect(cols).not.toContain('Event Outcome');
    expect(cols).not.toContain('Event Start Date');
  });

  it('costs are mandatory for long-term, carer and short-term residential services not commissioned by the council', () => {
    const noCosts = { ...service, 'Unit Cost': null, 'Cost Frequency (Unit Type)': null, 'Planned units per week': null };
    expect(validateRow(noCosts, LISTS).map((p) => p.column)).toEqual(['Unit Cost', 'Cost Frequency (Unit Type)', 'Planned units per week']);
    expect(validateRow({ ...noCosts, 'Delivery Mechanism': 'CASSR commissioned support' }, LISTS)).toEqual([]);
    expect(validateRow({ ...noCosts, 'Service Type': 'Short term support: Other short term' }, LISTS)).toEqual([]);
    expect(validateRow({ ...noCosts, 'Service Type': 'Short term support: Other short term', 'Service Component': 'Short term residential care' }, LISTS)).toHaveLength(3);
    expect(validateRow({ ...noCosts, 'Service Type': 'Unpaid carer support: Direct to unpaid carer' }, LISTS)).toHaveLength(3);
    // A one-off cost stands alone: no planned units.
    expect(validateRow({ ...service, 'Unit Cost': '450.00', 'Cost Frequency (Unit Type)': 'One-off', 'Planned units per week': '' }, LISTS)).toEqual([]);
  });

  it('values must come from the lists, and an administrator’s added value is accepted', () => {
    const row = { ...service, Gender: 'F', 'Service Type': 'Long-term support' };
    expect(validateRow(row, LISTS).map((p) => [p.column, p.kind])).toEqual([['Gender', 'invalid'], ['Service Type', 'invalid']]);
    const extended: CldLists = { ...LISTS, gender: new Set([...LISTS.gender, 'F']) };
    expect(validateRow(row, extended).map((p) => p.column)).toEqual(['Service Type']);
  });

  it('checks NHS numbers, postcodes, dates and their order, and positive costs', () => {
    const problems = validateRow({
      ...service, 'NHS Number': '9434765918', Postcode: 'NOT A CODE', 'Date of Birth': '1970-02-30', 'Event Start Date': '2026-09-01',
      'Event End Date': '2026-08-01', 'Unit Cost': '-3', 'Planned units per week': 'lots',
    }, LISTS);
    expect(problems.map((p) => p.column)).toEqual(['Date of Birth', 'NHS Number', 'Postcode', 'Event End Date', 'Unit Cost', 'Planned units per week']);
    expect(problems.every((p) => p.kind === 'invalid')).toBe(true);
  });

  it('knows a valid NHS number by its modulus 11 check digit', () => {
    expect(isNhsNumber('9434765919')).toBe(true);
    expect(isNhsNumber('9434765918')).toBe(false);
    expect(isNhsNumber('943476591')).toBe(false);
    expect(isNhsNumber('4010232137')).toBe(true);
  });
});

describe('costs, the way DHSC converts them', () => {
  it('turns each frequency into units per week', () => {
    expect(unitsPerWeekOf('Weekly')).toBe(1);
    expect(unitsPerWeekOf('Fortnightly')).toBe(0.5);
    expect(unitsPerWeekOf('4-weekly')).toBe(0.25);
    expect(unitsPerWeekOf('Monthly')).toBeCloseTo(12 / 52, 12);
    expect(unitsPerWeekOf('Quarterly')).toBeCloseTo(4 / 52, 12);
    expect(unitsPerWeekOf('Annually')).toBeCloseTo(1 / 52, 12);
    expect(unitsPerWeekOf('One-off')).toBeNull();
    expect(unitsPerWeekOf('Hourly')).toBeNull();
  });

  it('cost per week: frequency wins over planned units; hourly uses planned units; one-off stands alone', () => {
    expect(costPerWeek(1200, '4-weekly', 7)).toBe(300);
    expect(costPerWeek(520, 'Annually', null)).toBe(10);
    expect(costPerWeek(1300, 'Monthly', null)).toBe(300);
    expect(costPerWeek(20, 'Hourly', 12.5)).toBe(250);
    expect(costPerWeek(450, 'One-off', null)).toBeNull();
  });

  it('a direct payment’s cost round-trips to its weekly budget', () => {
    const four = directPaymentCost({ kind: 'ongoing', frequency: 'four_weekly', amountPence: null, weeklyAmountPence: 31250 })!;
    expect(four).toEqual({ unitCost: '1250.00', frequency: '4-weekly', plannedUnitsPerWeek: '0.25' });
    expect(costPerWeek(Number(four.unitCost), four.frequency, Number(four.plannedUnitsPerWeek))).toBe(312.5);
    const weekly = directPaymentCost({ kind: 'ongoing', frequency: 'weekly', amountPence: null, weeklyAmountPence: 15610 })!;
    expect(weekly).toEqual({ unitCost: '156.10', frequency: 'Weekly', plannedUnitsPerWeek: '1' });
    const monthly = directPaymentCost({ kind: 'ongoing', frequency: 'monthly', amountPence: null, weeklyAmountPence: 30000 })!;
    expect(monthly).toEqual({ unitCost: '1300.00', frequency: 'Monthly', plannedUnitsPerWeek: '0.2308' });
    expect(costPerWeek(Number(monthly.unitCost), monthly.frequency, null)).toBeCloseTo(300, 9);
    expect(directPaymentCost({ kind: 'one_off', frequency: 'once', amountPence: 45000, weeklyAmountPence: null })).toEqual({ unitCost: '450.00', frequency: 'One-off', plannedUnitsPerWeek: '' });
  });
});

describe('the reporting period', () => {
  it('defaults to the last whole quarter before today', async () => {
    const { lastQuarter } = await import('./cld.ts');
    expect(lastQuarter('2026-11-23')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(lastQuarter('2026-04-01')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(lastQuarter('2026-02-15')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
  });
});
