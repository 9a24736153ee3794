// ASCOF 3D (formerly 1C): the proportion of people using social care who receive self-directed
// support, and of those, direct payments. Computed from the rows of the Client Level Data return,
// so the measure and the return can never disagree. shared/reference/client-level-data.md.
import { ageOn, isCalendarDate } from './dates.ts';
import type { CldRow } from './cld.ts';

export type AscofPart = { numerator: number; denominator: number; /** percentage, one decimal place; null when nobody is counted */ value: number | null };
export type Ascof3d = {
  /** The snapshot: 31 March of the year asked for. */
  snapshot: string;
  /** The year the carers' parts count: 1 April of the year before to the snapshot. */
  yearStart: string;
  part1a: AscofPart;
  part2a: AscofPart;
  part1b: AscofPart;
  part2b: AscofPart;
};

export function ascofPeriod(year: number): { from: string; to: string } {
  return { from: `${year - 1}-04-01`, to: `${year}-03-31` };
}

const SELF_DIRECTED = new Set(['Direct payment', 'CASSR managed personal budget']);

function part(numerator: number, denominator: number): AscofPart {
  return { numerator, denominator, value: denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 10 };
}

function adultOn(row: CldRow, on: string): boolean {
  const dob = row['Date of Birth'];
  if (!dob || !isCalendarDate(dob)) return false;
  const death = row['Date of Death'];
  if (death && death <= on) return false;
  return ageOn(dob, on) >= 18;
}

/**
 * - 1a / 2a: service users aged 18 or over receiving long-term community support on 31 March
 *   (a Service event of type `Long term support: Community` open that day); of them, those with
 *   any such support as a direct payment or a managed personal budget (1a), and as a direct
 *   payment (2a). Each person counts once.
 * - 1b / 2b: unpaid carers aged 18 or over who received carer-specific support
 *   (`Unpaid carer support: …`) at any time in the year; of them, self-directed (1b), direct payments (2b).
 */
export function ascof3d(rows: readonly CldRow[], year: number): Ascof3d {
  const { from: yearStart, to: snapshot } = ascofPeriod(year);
  const clients = new Map<string, { sds: boolean; dp: boolean }>();
  const carers = new Map<string, { sds: boolean; dp: boolean }>();
  for (const row of rows) {
    if (row['Event Type'] !== 'Service') continue;
    const person = row['LA Person Unique Identifier'];
    const start = row['Event Start Date'];
    if (!person || !start || !isCalendarDate(start)) continue;
    const end = row['Event End Date'] || null;
    const type = row['Service Type'] ?? '';
    const mechanism = row['Delivery Mechanism'] ?? '';
    if (row['Client Type'] === 'Service user' && type === 'Long term support: Community') {
      if (start > snapshot || (end !== null && end < snapshot) || !adultOn(row, snapshot)) continue;
      const c = clients.get(person) ?? { sds: false, dp: false };
      c.sds ||= SELF_DIRECTED.has(mechanism);
      c.dp ||= mechanism === 'Direct payment';
      clients.set(person, c);
    } else if (row['Client Type'] === 'Unpaid carer' && type.startsWith('Unpaid carer support')) {
      if (start > snapshot || (end !== null && end < yearStart) || !adultOn(row, snapshot)) continue;
      const c = carers.get(person) ?? { sds: false, dp: false };
      c.sds ||= SELF_DIRECTED.has(mechanism);
      c.dp ||= mechanism === 'Direct payment';
      carers.set(person, c);
    }
  }
  const count = (m: Map<string, { sds: boolean; dp: boolean }>, key: 'sds' | 'dp') => [...m.values()].filter((c) => c[key]).length;
  return {
    snapshot, yearStart,
    part1a: part(count(clients, 'sds'), clients.size),
    part2a: part(count(clients, 'dp'), clients.size),
    part1b: part(count(carers, 'sds'), carers.size),
    part2b: part(count(carers, 'dp'), carers.size),
  };
}
