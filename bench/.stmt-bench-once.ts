import { benchStatementImport } from './statement-import.ts';
for (const l of await benchStatementImport()) console.log(l);
process.exit(0);
