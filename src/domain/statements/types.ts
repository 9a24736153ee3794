import { problemText, type ProblemCode, type ProblemVars } from './messages.ts';

/** What a bank statement says about one movement of money, before it is stored. */
export type StatementLine = {
  /** Where the line starts in the file (1-based), for messages. */
  line: number;
  postedOn: string; // YYYY-MM-DD
  /** Signed: + money in, − money out. */
  amountPence: number;
  description: string;
  counterparty: string | null;
  /** The bank's own id for the line (OFX FITID, Monzo's transaction id, camt's AcctSvcrRef), when it gives one. */
  bankId: string | null;
};

export const FORMATS = ['csv', 'ofx', 'qif', 'camt053'] as const;
export type StatementFormat = (typeof FORMATS)[number];

export type DateOrder = 'dmy' | 'mdy';

/** A file refused whole: `line` names where (null when the problem is the whole file). */
export class StatementError extends Error {
  readonly line: number | null;
  readonly code: ProblemCode;
  readonly vars: ProblemVars;
  constructor(line: number | null, code: ProblemCode, vars: ProblemVars = {}) {
    const problem = problemText(code, vars);
    super(line === null ? problem : `Line ${line}: ${problem}`);
    this.line = line;
    this.code = code;
    this.vars = vars;
  }
}
