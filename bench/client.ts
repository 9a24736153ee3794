import { DEMO_PASSWORD } from '../src/demo/accounts.ts';

/** A tiny signed-in HTTP client for benchmarks: one cookie, CSRF tokens read from forms. */
export class BenchClient {
  private cookie = '';
  private readonly base: string;
  constructor(base: string) {
    this.base = base;
  }

  async get(path: string): Promise<{ status: number; text: string; ms: number }> {
    const t = performance.now();
    const res = await fetch(this.base + path, { headers: { cookie: this.cookie }, redirect: 'manual' });
    const text = await res.text();
    const ms = performance.now() - t;
    this.keep(res);
    return { status: res.status, text, ms };
  }

  async signIn(username: string): Promise<void> {
    const page = await this.get('/sign-in');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await fetch(`${this.base}/sign-in`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, username, password: DEMO_PASSWORD }),
      redirect: 'manual',
    });
    this.keep(res);
    if (res.status !== 303) throw new Error(`sign-in as ${username} failed: ${res.status}`);
  }

  private keep(res: Response): void {
    const set = res.headers.get('set-cookie');
    const m = set && /dp\.sid=[^;]+/.exec(set);
    if (m) this.cookie = m[0];
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
