import type { Command } from '../command.ts';
import { dbMigrate } from './db-migrate.ts';
import { demoReset } from './demo-reset.ts';
import { usersAdd } from './users-add.ts';
import { bankCheck } from './bank-check.ts';
import { bankTablesImport } from './bank-tables-import.ts';
import { holidaysImport } from './holidays-import.ts';
import { paymentsRun } from './payments-run.ts';
import { paymentsApprove } from './payments-approve.ts';
import { paymentsFile } from './payments-file.ts';
import { paymentsPaid } from './payments-paid.ts';
import { paymentsReturned } from './payments-returned.ts';
import { ledgerVerify } from './ledger-verify.ts';
import { ledgerExport } from './ledger-export.ts';
import { statementsImport } from './statements-import.ts';
import { jobsRun } from './jobs-run.ts';
import { jobsList } from './jobs-list.ts';
import { reportsCld } from './reports-cld.ts';
import { reportsAscof } from './reports-ascof.ts';
import { demoGenerate } from './demo-generate.ts';
import { monitoringFlags } from './monitoring-flags.ts';

// Every `dp` command, in the order `dp help` lists them. A new command is one file here and one line below.
export const commands: Command[] = [dbMigrate, demoReset, usersAdd, bankTablesImport, bankCheck, holidaysImport, paymentsRun, paymentsApprove, paymentsFile, paymentsPaid, paymentsReturned, ledgerVerify, ledgerExport, statementsImport, jobsList, jobsRun, reportsCld, reportsAscof, demoGenerate, monitoringFlags];
