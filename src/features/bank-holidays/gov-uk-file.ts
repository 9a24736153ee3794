import { z } from 'zod';
import { isCalendarDate } from '../../domain/dates.ts';

/** One England and Wales bank holiday, as the service keeps it. */
export type BankHoliday = { date: string; title: string; notes: string };

export type ReadResult = { ok: true; holidays: BankHoliday[] } | { ok: false; problem: string };

// The shape of GOV.UK's bank-holidays.json (www.gov.uk/bank-holidays.json). Only the England and
// Wales division moves Bacs days; Scotland and Northern Ireland are ignored, whatever they hold.
// Messages finish the sentence "The selected file was not imported because …".
const event = z.object({
  title: z.string({ error: 'it has no title' }).trim().min(1, { error: 'its title is empty' }).max(200, { error: 'its title is longer than 200 characters' }),
  date: z
    .string({ error: 'it has no date' })
    .refine((d) => isCalendarDate(d), { error: 'its date is not a real date written like 2027-12-27' })
    .refine((d) => d >= '2000-01-01' && d <= '2099-12-31', { error: 'its date is not between 2000 and 2099' }),
  notes: z.string({ error: 'its notes are not text' }).trim().max(200, { error: 'its notes are longer than 200 characters' }).optional(),
});

const govUkFile = z.object(
  {
    'england-and-wales': z.object(
      {
        division: z.literal('england-and-wales', { error: 'the England and Wales section does not say "division": "england-and-wales"' }),
        events: z
          .array(event, { error: 'the England and Wales section has no list of events' })
          .min(1, { error: 'the England and Wales section lists no bank holidays' })
          .max(2000, { error: 'the England and Wales section lists more than 2,000 bank holidays' }),
      },
      { error: 'it has no England and Wales section ("england-and-wales")' },
    ),
  },
  { error: 'it is not a list of bank holidays' },
);

/** GOV.UK’s file is about 20 KB; anything over 1 MB is not it. */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads a GOV.UK bank-holidays.json file. A file with anything wrong is refused whole, with the
 * first problem in plain English, so an import never leaves the calendar half updated.
 */
export function readGovUkBankHolidays(bytes: Buffer): ReadResult {
  const refuse = (why: string): ReadResult => ({ ok: false, problem: `The selected file was not imported because ${why}` });
  if (bytes.length === 0) return refuse('it is empty');
  if (bytes.length > MAX_FILE_BYTES) return refuse('it is larger than 1 MB');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''));
  } catch {
    return refuse('it is not a JSON file. Download bank-holidays.json from GOV.UK and select that file');
  }
  const parsed = govUkFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [, , index] = issue.path;
    if (typeof index !== 'number') return refuse(issue.message);
    const raw = (json as { 'england-and-wales': { events: Record<string, unknown>[] } })['england-and-wales'].events[index];
    const date = typeof raw?.date === 'string' && raw.date.length <= 20 ? ` (${raw.date})` : '';
    return refuse(`England and Wales bank holiday ${index + 1}${date} has a problem: ${issue.message}`);
  }
  const holidays = parsed.data['england-and-wales'].events.map((e) => ({ date: e.date, title: e.title, notes: e.notes ?? '' }));
  const seen = new Set<string>();
  for (const h of holidays) {
    if (seen.has(h.date)) return refuse(`it lists ${h.date} twice for England and Wales`);
    seen.add(h.date);
  }
  return { ok: true, holidays: holidays.sort((a, b) => a.date.localeCompare(b.date)) };
}
