import { sql, type Kysely } from 'kysely';

// England and Wales bank holidays, which move Bacs processing days. They are data, not code: an
// administrator imports GOV.UK's bank-holidays.json as new years are announced. The service starts
// with 2018 to 2027 (shared/reference/calendar-and-rates.md, with 2019, which that table leaves
// out, from GOV.UK), so payment dates are right from the first run.
const KNOWN: [date: string, title: string, notes?: string][] = [
  ['2018-01-01', 'New Year’s Day'], ['2018-03-30', 'Good Friday'], ['2018-04-02', 'Easter Monday'],
  ['2018-05-07', 'Early May bank holiday'], ['2018-05-28', 'Spring bank holiday'], ['2018-08-27', 'Summer bank holiday'],
  ['2018-12-25', 'Christmas Day'], ['2018-12-26', 'Boxing Day'],

  ['2019-01-01', 'New Year’s Day'], ['2019-04-19', 'Good Friday'], ['2019-04-22', 'Easter Monday'],
  ['2019-05-06', 'Early May bank holiday'], ['2019-05-27', 'Spring bank holiday'], ['2019-08-26', 'Summer bank holiday'],
  ['2019-12-25', 'Christmas Day'], ['2019-12-26', 'Boxing Day'],

  ['2020-01-01', 'New Year’s Day'], ['2020-04-10', 'Good Friday'], ['2020-04-13', 'Easter Monday'],
  ['2020-05-08', 'Early May bank holiday (VE day)'], ['2020-05-25', 'Spring bank holiday'], ['2020-08-31', 'Summer bank holiday'],
  ['2020-12-25', 'Christmas Day'], ['2020-12-28', 'Boxing Day', 'Substitute day'],

  ['2021-01-01', 'New Year’s Day'], ['2021-04-02', 'Good Friday'], ['2021-04-05', 'Easter Monday'],
  ['2021-05-03', 'Early May bank holiday'], ['2021-05-31', 'Spring bank holiday'], ['2021-08-30', 'Summer bank holiday'],
  ['2021-12-27', 'Christmas Day', 'Substitute day'], ['2021-12-28', 'Boxing Day', 'Substitute day'],

  ['2022-01-03', 'New Year’s Day', 'Substitute day'], ['2022-04-15', 'Good Friday'], ['2022-04-18', 'Easter Monday'],
  ['2022-05-02', 'Early May bank holiday'], ['2022-06-02', 'Spring bank holiday'], ['2022-06-03', 'Platinum Jubilee bank holiday'],
  ['2022-08-29', 'Summer bank holiday'], ['2022-09-19', 'Bank Holiday for the State Funeral of Queen Elizabeth II'],
  ['2022-12-26', 'Boxing Day'], ['2022-12-27', 'Christmas Day', 'Substitute day'],

  ['2023-01-02', 'New Year’s Day', 'Substitute day'], ['2023-04-07', 'Good Friday'], ['2023-04-10', 'Easter Monday'],
  ['2023-05-01', 'Early May bank holiday'], ['2023-05-08', 'Bank holiday for the coronation of King Charles III'],
  ['2023-05-29', 'Spring bank holiday'], ['2023-08-28', 'Summer bank holiday'],
  ['2023-12-25', 'Christmas Day'], ['2023-12-26', 'Boxing Day'],

  ['2024-01-01', 'New Year’s Day'], ['2024-03-29', 'Good Friday'], ['2024-04-01', 'Easter Monday'],
  ['2024-05-06', 'Early May bank holiday'], ['2024-05-27', 'Spring bank holiday'], ['2024-08-26', 'Summer bank holiday'],
  ['2024-12-25', 'Christmas Day'], ['2024-12-26', 'Boxing Day'],

  ['2025-01-01', 'New Year’s Day'], ['2025-04-18', 'Good Friday'], ['2025-04-21', 'Easter Monday'],
  ['2025-05-05', 'Early May bank holiday'], ['2025-05-26', 'Spring bank holiday'], ['2025-08-25', 'Summer bank holiday'],
  ['2025-12-25', 'Christmas Day'], ['2025-12-26', 'Boxing Day'],

  ['2026-01-01', 'New Year’s Day'], ['2026-04-03', 'Good Friday'], ['2026-04-06', 'Easter Monday'],
  ['2026-05-04', 'Early May bank holiday'], ['2026-05-25', 'Spring bank holiday'], ['2026-08-31', 'Summer bank holiday'],
  ['2026-12-25', 'Christmas Day'], ['2026-12-28', 'Boxing Day', 'Substitute day'],

  ['2027-01-01', 'New Year’s Day'], ['2027-03-26', 'Good Friday'], ['2027-03-29', 'Easter Monday'],
  ['2027-05-03', 'Early May bank holiday'], ['2027-05-31', 'Spring bank holiday'], ['2027-08-30', 'Summer bank holiday'],
  ['2027-12-27', 'Christmas Day', 'Substitute day'], ['2027-12-28', 'Boxing Day', 'Substitute day'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
create table bank_holidays (
  falls_on date primary key,
  title text not null check (length(title) between 1 and 200),
  notes text not null default '' check (length(notes) <= 200),
  -- 'built in' for the dates above; 'GOV.UK file' once an administrator has imported one.
  source text not null check (source in ('built in', 'GOV.UK file')),
  updated_by uuid references users(id),
  updated_at timestamptz not null default now()
);
`.execute(db);
  await sql`
insert into bank_holidays (falls_on, title, notes, source)
select d::date, t, n, 'built in' from unnest(${KNOWN.map((k) => k[0])}::text[], ${KNOWN.map((k) => k[1])}::text[], ${KNOWN.map((k) => k[2] ?? '')}::text[]) as k(d, t, n)
`.execute(db);
}
