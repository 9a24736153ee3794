import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Starts `node src/main.ts` as `npm start` does and times it until /health answers ok. */
async function timeStart(dataDir: string, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port + 1), LOG_LEVEL: 'silent', DATABASE_URL: '' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error('the service exited during start-up');
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function benchStartup(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-bench-start-'));
  const port = 41000 + Math.floor(Math.random() * 2000);
  try {
    const cold = await timeStart(path.join(dir, 'data'), port);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await timeStart(path.join(dir, 'data'), port));
    return [
      `first start (new database: initdb, migrations, demo data): ${cold.toFixed(0)} ms`,
      `restart (existing database), median of 3: ${warm.sort((a, b) => a - b)[1]!.toFixed(0)} ms`,
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
