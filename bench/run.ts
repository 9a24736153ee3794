// npm run bench: measures what the issues set targets for, on this machine, and prints a table.
// Each section is its own file under bench/; they run one after another so they don't compete
// for the two cores.
import { benchStartup } from './startup.ts';
import { benchPages } from './pages.ts';

const sections: Array<[string, () => Promise<string[]>]> = [
  ['Start-up', benchStartup],
  ['Main pages (server time on loopback, demo data)', benchPages],
  ['Payment run: 120,000 ongoing direct payments', async () => (await import('./payment-run.ts')).benchPaymentRun()],
];

for (const [title, run] of sections) {
  console.log(`\n## ${title}`);
  for (const line of await run()) console.log(line);
}
