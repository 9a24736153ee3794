// npm run bench: measures what the issues set targets for, on this machine, and prints a table.
// Each section is its own file under bench/; they run one after another so they don't compete
// for the two cores.
import { benchStartup } from './startup.ts';
import { benchPages } from './pages.ts';

const sections: Array<[string, () => Promise<string[]>]> = [
  ['Start-up', benchStartup],
  ['Main pages (server time on loopback, demo data)', benchPages],
  ['Payment run: 120,000 ongoing direct payments', async () => (await import('./payment-run.ts')).benchPaymentRun()],
  ['Statement import: 1,000,000-line CSV against csv-parse alone', async () => (await import('./statement-import.ts')).benchStatementImport()],
  ['Reports and insight: 120,000 people on direct payments, five years of history', async () => (await import('./reports.ts')).benchReports()],
  ['Monitoring rules: 120,000 direct payments, 1,200,000 statement lines', async () => (await import('./monitoring.ts')).benchMonitoring()],
  ['Review reminders and feedback invitations: 120,000 people on direct payments', async () => (await import('./reviews-reminders.ts')).benchReviewReminders()],
];

// `npm run bench -- payment-run` runs only the sections whose title contains one of the words
// given (case-insensitive, hyphens read as spaces); with none, every section runs.
const wanted = process.argv.slice(2).map((w) => w.toLowerCase().replaceAll('-', ' '));
const chosen = sections.filter(([title]) => wanted.length === 0 || wanted.some((w) => title.toLowerCase().replaceAll('-', ' ').includes(w)));
if (chosen.length === 0) {
  console.error(`No bench section matches ${wanted.join(', ')}. Sections: ${sections.map(([t]) => t).join('; ')}`);
  process.exit(2);
}

for (const [title, run] of chosen) {
  console.log(`\n## ${title}`);
  for (const line of await run()) console.log(line);
}
