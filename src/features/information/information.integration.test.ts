import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestApp, signedIn, type TestApp } from '../../../test/support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('information before an assessment', () => {
  it('is open to anyone, without signing in', async () => {
    const res = await request(t.app).get('/information');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Sign out');
  });

  it('covers what a person needs to know, in plain English', async () => {
    const { text } = await request(t.app).get('/information');
    for (const phrase of [
      'What a direct payment is',
      'The ‘what matters’ conversation',
      'independent advocate',
      'You can bring family or friends',
      '<strong>one-off</strong>',
      '<strong>ongoing</strong>',
      'The council must offer you support to manage a direct payment',
      'must not refuse you a direct payment just because you are worried about managing it',
      'make a complaint',
    ]) {
      expect(text).toContain(phrase);
    }
  });

  it('tells people how to print it, with a print button only where the CSP-approved script runs', async () => {
    const res = await request(t.app).get('/information');
    expect(res.text).toContain('To print this page');
    expect(res.text).toMatch(/<button[^>]*data-app-print[^>]*hidden/);
    const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))?.[1];
    expect(nonce).toBeTruthy();
    expect(res.text).toContain(`<script nonce="${nonce}">`);
  });

  it('is the same page for someone signed in', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.get('/information');
    expect(res.status).toBe(200);
    expect(res.text).toContain('What a direct payment is');
  });
});
