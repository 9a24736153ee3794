import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import request from 'supertest';
import { createApp } from '../../src/app.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { DEMO_PASSWORD } from '../../src/demo/accounts.ts';
import { freshServices, type TestServices } from './database.ts';

export type TestApp = TestServices & { app: ReturnType<typeof createApp>; baseUrl: string; stop: () => Promise<void> };

/** The real app on a fresh database seeded with the demo stories, listening on a free port. */
export async function startTestApp(opts: { seed?: boolean } = {}): Promise<TestApp> {
  const services = await freshServices();
  if (opts.seed !== false) await seedDemo(services);
  const app = createApp(services);
  const server: http.Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...services,
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
    },
  };
}

/** Reads the CSRF token out of a rendered form. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('No CSRF token on the page');
  return m[1]!;
}

export type Agent = ReturnType<typeof request.agent> & { csrf: () => Promise<string>; post2: (path: string, form: Record<string, string | string[]>) => Promise<request.Response> };

/** A supertest agent signed in as a demo user, with a helper that posts forms with a fresh CSRF token. */
export async function signedIn(app: TestApp['app'], username: string): Promise<Agent> {
  const agent = request.agent(app) as Agent;
  const page = await agent.get('/sign-in');
  const res = await agent.post('/sign-in').type('form').send({ _csrf: csrfFrom(page.text), username, password: DEMO_PASSWORD });
  if (res.status !== 303) throw new Error(`Could not sign in as ${username}: ${res.status}`);
  agent.csrf = async () => csrfFrom((await agent.get('/sign-out')).text);
  agent.post2 = async (path, form) => agent.post(path).type('form').send({ ...form, _csrf: await agent.csrf() });
  return agent;
}
