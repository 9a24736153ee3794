import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';

/** The project folder: `dp` runs from here, as an operator would type it. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
const DP = path.join(ROOT, 'src/cli/dp.ts');

export type DpRun = { code: number | null; stdout: string; stderr: string };

export type DpOptions = {
  /** The database `dp` works on (a test file's own, e.g. `t.url`). */
  databaseUrl: string;
  /** Typed on standard input, which is then closed (empty without it). */
  stdin?: string;
  /** More environment. DEMO_MODE is removed unless given here, so a run is not in demo mode. */
  env?: Record<string, string>;
};

/** Runs the real `dp` command in its own process (Node 24, NODE_ENV=test) and collects its output. */
export function runDp(args: string[], opts: DpOptions): Promise<DpRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATABASE_URL: opts.databaseUrl, ...opts.env };
    if (!opts.env?.DEMO_MODE) delete env.DEMO_MODE;
    const child = spawn(process.execPath, [DP, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

/** A command's messages are for people: no stack trace on either stream. */
export function expectNoStackTrace(run: DpRun): void {
  expect(run.stderr + run.stdout).not.toMatch(/\n\s+at .+:\d+/);
}
