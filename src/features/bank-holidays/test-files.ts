// GOV.UK bank-holidays.json files for the tests, in the shape GOV.UK publishes (only the tests use this).

type Event = { title: string; date: string; notes?: string; bunting?: boolean };

/** England and Wales 2028, which the service does not know until a file is imported. */
export const ENGLAND_AND_WALES_2028: Event[] = [
  { title: 'New Year’s Day', date: '2028-01-03', notes: 'Substitute day', bunting: true },
  { title: 'Good Friday', date: '2028-04-14', notes: '', bunting: false },
  { title: 'Easter Monday', date: '2028-04-17', notes: '', bunting: true },
  { title: 'Early May bank holiday', date: '2028-05-01', notes: '', bunting: true },
  { title: 'Spring bank holiday', date: '2028-05-29', notes: '', bunting: true },
  { title: 'Summer bank holiday', date: '2028-08-28', notes: '', bunting: true },
  { title: 'Christmas Day', date: '2028-12-25', notes: '', bunting: true },
  { title: 'Boxing Day', date: '2028-12-26', notes: '', bunting: true },
];

/** 2027 as the service already has it. */
export const ENGLAND_AND_WALES_2027: Event[] = [
  { title: 'New Year’s Day', date: '2027-01-01', notes: '', bunting: true },
  { title: 'Good Friday', date: '2027-03-26', notes: '', bunting: false },
  { title: 'Easter Monday', date: '2027-03-29', notes: '', bunting: true },
  { title: 'Early May bank holiday', date: '2027-05-03', notes: '', bunting: true },
  { title: 'Spring bank holiday', date: '2027-05-31', notes: '', bunting: true },
  { title: 'Summer bank holiday', date: '2027-08-30', notes: '', bunting: true },
  { title: 'Christmas Day', date: '2027-12-27', notes: 'Substitute day', bunting: true },
  { title: 'Boxing Day', date: '2027-12-28', notes: 'Substitute day', bunting: true },
];

/** A whole file: England and Wales as given, and Scotland and Northern Ireland with dates of their own. */
export function govUkFile(englandAndWales: unknown[] = [...ENGLAND_AND_WALES_2027, ...ENGLAND_AND_WALES_2028]): string {
  return JSON.stringify({
    'england-and-wales': { division: 'england-and-wales', events: englandAndWales },
    scotland: { division: 'scotland', events: [{ title: 'St Andrew’s Day', date: '2028-11-30', notes: '', bunting: true }] },
    'northern-ireland': { division: 'northern-ireland', events: [{ title: 'Battle of the Boyne (Orangemen’s Day)', date: '2028-07-12', notes: '', bunting: false }] },
  });
}
