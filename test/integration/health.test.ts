import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createApp } from '../../src/app.ts';
import { createDatabase, createPool } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { Services } from '../../src/platform/services.ts';
import { freshServices, type TestServices } from '../support/database.ts';

/** A port on this machine that nothing listens on: one the system just gave out, closed again. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The app as main.ts builds it, but on a pool of our own choosing. */
function appOn(base: TestServices, url: string) {
  const pool = createPool(url, { max: 2 });
  const db = createDatabase(pool);
  const services: Services = { config: base.config, db, pool, logger: createLogger('silent'), clock: base.clock };
  return { app: createApp(services), pool, db };
}

/** What /health sent, checked for the things an outage must never show. */
function expectPlainAnswer(res: request.Response, status: number, body: { status: string }) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual(body);
  // Only the one field: no error message, code, host, port or stack.
  expect(res.text).toBe(JSON.stringify(body));
  expect(res.text).not.toMatch(/ECONNREFUSED|Error|\bat \w|127\.0\.0\.1|postgres/i);
}

let base: TestServices;
beforeAll(async () => {
  base = await freshServices();
});
afterAll(async () => base?.close());

describe('/health', () => {
  it('answers 200 {"status":"ok"} while the database answers', async () => {
    const res = await request(createApp(base)).get('/health');
    expectPlainAnswer(res, 200, { status: 'ok' });
  });

  it('answers 503 with a plain status, never a stack trace, when nothing listens where the database should be', async () => {
    const port = await closedPort();
    const { app, db } = appOn(base, `postgres://dp@127.0.0.1:${port}/dp`);
    try {
      const started = Date.now();
      const res = await request(app).get('/health');
      expectPlainAnswer(res, 503, { status: 'unavailable' });
      expect(Date.now() - started, 'a refused connection answers at once').toBeLessThan(5_000);
      // Asked again, it says the same (the failed connection did not break the app).
      expectPlainAnswer(await request(app).get('/health'), 503, { status: 'unavailable' });
    } finally {
      await db.destroy();
    }
  });

  it('turns from 200 to 503 when its pool of connections has ended', async () => {
    const { app, pool } = appOn(base, base.url);
    expectPlainAnswer(await request(app).get('/health'), 200, { status: 'ok' });
    await pool.end();
    expectPlainAnswer(await request(app).get('/health'), 503, { status: 'unavailable' });
  });

  it('is not a page: it needs no sign-in and sets no session cookie', async () => {
    const res = await request(createApp(base)).get('/health');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
