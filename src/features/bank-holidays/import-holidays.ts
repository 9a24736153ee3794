import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { formatDate } from '../../domain/dates.ts';
import type { BankHoliday } from './gov-uk-file.ts';

export type ImportResult = { added: number; updated: number; unchanged: number; first: string; last: string };

/**
 * Adds the file's dates and updates titles that have changed. Importing the same file twice
 * changes nothing the second time. Dates the file does not mention are kept: GOV.UK's file covers
 * only a few years, and older years still explain past payment dates.
 */
export async function importHolidays(
  db: Kysely<DB>,
  holidays: BankHoliday[],
  actor: Pick<CurrentUser, 'id' | 'username' | 'role'> | null,
  how: { ip?: string; via: string; fileName?: string },
): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    const changed = await trx
      .insertInto('bank_holidays')
      .values(holidays.map((h) => ({ falls_on: h.date, title: h.title, notes: h.notes, source: 'GOV.UK file', updated_by: actor?.id ?? null })))
      .onConflict((oc) =>
        oc.column('falls_on').doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          notes: eb.ref('excluded.notes'),
          source: eb.ref('excluded.source'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: sql<Date>`now()`,
        }))
          .where(sql<boolean>`(bank_holidays.title, bank_holidays.notes) is distinct from (excluded.title, excluded.notes)`),
      )
      // xmax is 0 on a freshly inserted row and set on an updated one.
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .execute();
    const added = changed.filter((r) => r.inserted).length;
    const result: ImportResult = {
      added,
      updated: changed.length - added,
      unchanged: holidays.length - changed.length,
      first: holidays[0]!.date,
      last: holidays[holidays.length - 1]!.date,
    };
    await audit(trx, actor, { action: 'update', entityType: 'bank-holidays', details: { ...result, via: how.via, fileName: how.fileName ?? null } }, how.ip);
    return result;
  });
}

/** "3 added, 1 title changed, 60 already known": what an import did, for the person who ran it. */
export function describeImport(r: ImportResult): string {
  const parts = [
    `${r.added} ${r.added === 1 ? 'date' : 'dates'} added`,
    ...(r.updated ? [`${r.updated} ${r.updated === 1 ? 'title' : 'titles'} changed`] : []),
    `${r.unchanged} already known`,
  ];
  return `${parts.join(', ')}. The file covers ${formatDate(r.first)} to ${formatDate(r.last)}.`;
}
