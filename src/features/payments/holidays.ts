import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * England and Wales bank holidays, as 'YYYY-MM-DD', for the Bacs calendar (domain/bacs-calendar.ts).
 * Both the English and the Welsh councils pay through Bacs, which closes on these days.
 */
export async function loadHolidays(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('bank_holidays').select('falls_on').execute();
  return new Set(rows.map((r) => r.falls_on));
}

/**
 * The last bank holiday the service knows of. Dates after the end of that year are worked out
 * with weekends only, so a payment run that far ahead should say so.
 */
export async function holidaysKnownUntil(db: Db): Promise<string | null> {
  const row = await db.selectFrom('bank_holidays').select((eb) => eb.fn.max('falls_on').as('last')).executeTakeFirst();
  return row?.last ?? null;
}
