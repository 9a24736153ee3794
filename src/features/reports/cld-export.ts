import fs from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { cldHeader, cldLine, csvLine, validateRow, type CldProblem } from '../../domain/cld.ts';
import { cldData, loadLists, type CldPeriod, type CldRecord } from './cld-records.ts';

type Db = Kysely<DB> | Transaction<DB>;

export type LocatedProblem = CldProblem & { personId: string; link: string };
export type CldCheck = {
  period: CldPeriod;
  records: CldRecord[];
  problems: LocatedProblem[];
  /** Rows with at least one problem. */
  rowsWithProblems: number;
  byEventType: Record<string, number>;
  childrenLeftOut: number;
};

/** Builds every row of the return and checks each against the mandatory rules and the lists. */
export async function checkCld(db: Db, councilId: string, period: CldPeriod): Promise<CldCheck> {
  const [data, lists] = await Promise.all([cldData(db, councilId, period), loadLists(db, councilId)]);
  const problems: LocatedProblem[] = [];
  const byEventType: Record<string, number> = { Request: 0, Assessment: 0, Service: 0, Review: 0 };
  let rowsWithProblems = 0;
  for (const r of data.records) {
    byEventType[r.row['Event Type'] ?? ''] = (byEventType[r.row['Event Type'] ?? ''] ?? 0) + 1;
    const found = validateRow(r.row, lists);
    if (found.length) rowsWithProblems++;
    for (const p of found) problems.push({ ...p, personId: r.personId, link: r.link });
  }
  return { period, records: data.records, problems, rowsWithProblems, byEventType, childrenLeftOut: data.childrenLeftOut };
}

/** The whole return as CSV text: the header, then one line per event. Nothing is left out. */
export function cldCsv(check: CldCheck): string {
  let out = cldHeader();
  for (const r of check.records) out += cldLine(r.row);
  return out;
}

/** The validation report as CSV: one line per missing or invalid field, by person and event. */
export function problemsCsv(check: CldCheck): string {
  let out = csvLine(['LA Person Unique Identifier', 'Event Type', 'Event Reference', 'Field', 'Problem', 'Value', 'What to do']);
  for (const p of check.problems) out += csvLine([p.person, p.eventType, p.event, p.column, p.kind, p.value, p.message]);
  return out;
}

/** One line per problem, for the terminal. */
export function problemsText(check: CldCheck): string {
  return check.problems.map((p) => `${p.person}  ${p.eventType} ${p.event}  ${p.message}`).join('\n');
}

/** A bulk read of every person in the return: one audit row saying who exported which period and how much. */
export async function auditExport(db: Db, user: Pick<CurrentUser, 'id' | 'username' | 'role'> | null, check: CldCheck, via: 'web' | 'cli', ip?: string): Promise<void> {
  await audit(db, user, {
    action: 'export', entityType: 'cld_return', entityId: null,
    details: { from: check.period.from, to: check.period.to, rows: check.records.length, people: new Set(check.records.map((r) => r.personId)).size, problems: check.problems.length, via },
  }, ip);
}

export function writeCsvFile(file: string, text: string): void {
  const tmp = `${file}.partial`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
