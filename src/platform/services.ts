import type pg from 'pg';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './logger.ts';

/** Everything the app and the worker lean on, built once at boot and passed in as plain arguments. */
export type Services = {
  config: Config;
  db: Database;
  pool: pg.Pool;
  logger: Logger;
  /** Today's date and the current moment; tests and the demo can fix it. */
  clock: Clock;
};

export type Clock = { now: () => Date; today: () => string };

/** Today's calendar date in the council's time zone (Europe/London), as YYYY-MM-DD. */
export function londonDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export const systemClock: Clock = { now: () => new Date(), today: () => londonDate(new Date()) };

export function fixedClock(date: string): Clock {
  return { now: () => new Date(`${date}T12:00:00Z`), today: () => date };
}
