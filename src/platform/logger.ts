import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    // Personal data never goes to the log: only ids, and never request bodies.
    redact: ['req.headers.cookie', 'password', '*.password'],
  });
}
