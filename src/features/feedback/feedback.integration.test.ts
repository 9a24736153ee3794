import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type Agent, type TestApp } from '../../../test/support/app.ts';
import { approvedDirectPayment, newPerson, representativeFor } from '../payments/test-data.ts';
import { runJob } from '../../platform/jobs.ts';
import { invitationReference } from './invitations.ts';

// Today is 2026-11-23. The survey is offered for 90 days after a first payment and after a review.
let t: TestApp;
let ruth: Agent;
const dp: Record<string, string> = {};
let reviewId: string;

const goodAnswers = { helps: 'a_lot', easy: 'fairly_hard', listened: 'yes', better: 'Tell me sooner when a payment will be late' };

beforeAll(async () => {
  t = await startTestApp();
  // Ruth signs in herself; first paid on 1 October; reviewed on 20 November.
  const ruthPerson = await newPerson(t.db, 'ruth', 'Ruth');
  dp.ruth = (await approvedDirectPayment(t.db, { personId: ruthPerson.id, kind: 'ongoing' })).id;
  await t.db.updateTable('direct_payments').set({ status: 'active', first_payment_on: '2026-10-01' }).where('id', '=', dp.ruth).execute();
  reviewId = (await t.db.insertInto('reviews').values({ direct_payment_id: dp.ruth, kind: 'first', due_on: '2027-04-01', completed_on: '2026-11-20', outcomes_met: 'met', working: true, changes: 'none' }).returning('id').executeTakeFirstOrThrow()).id;
  // Long ago: first paid in 2025, so nothing to offer.
  const old = await newPerson(t.db, 'oldtimer', 'Owain');
  dp.old = (await approvedDirectPayment(t.db, { personId: old.id, kind: 'ongoing' })).id;
  await t.db.updateTable('direct_payments').set({ status: 'active', first_payment_on: '2025-01-10' }).where('id', '=', dp.old).execute();
  // Mair is represented by her son Sam, who answers for her.
  const mair = await newPerson(t.db, undefined, 'Mair');
  dp.mair = (await approvedDirectPayment(t.db, { personId: mair.id, kind: 'one_off' })).id;
  await t.db.updateTable('direct_payments').set({ status: 'active', first_payment_on: '2026-11-02' }).where('id', '=', dp.mair).execute();
  await representativeFor(t.db, 'samcarer', [mair.id]);
  ruth = await signedIn(t.app, 'ruth');
});
afterAll(async () => {
  await t?.stop();
});

describe('the feedback survey for the person', () => {
  it('is offered after the first payment and after each review, within 90 days, and only for their own', async () => {
    const page = await ruth.get('/my/feedback');
    expect(page.status).toBe(200);
    expect(page.text).toContain('After the review on 20 November 2026');
    expect(page.text).toContain('After the first payment, on 1 October 2026');
    expect(page.text).toContain(`href="/my/feedback/${dp.ruth}/review-${reviewId}"`);
    expect(page.text).not.toContain(dp.mair);
    const owain = await signedIn(t.app, 'oldtimer');
    expect((await owain.get('/my/feedback')).text).toContain('There is nothing to answer at the moment');
    // Someone else's survey, an unknown moment and a made-up id all look the same.
    expect((await owain.get(`/my/feedback/${dp.ruth}/first-payment`)).status).toBe(404);
    expect((await ruth.get(`/my/feedback/${dp.ruth}/review-00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await ruth.get(`/my/feedback/not-an-id/first-payment`)).status).toBe(404);
    expect((await owain.post2(`/my/feedback/${dp.ruth}/first-payment`, goodAnswers)).status).toBe(404);
  });

  it('lists every missing answer, keeps what was typed, and saves nothing', async () => {
    const res = await ruth.post2(`/my/feedback/${dp.ruth}/first-payment`, { easy: 'very_easy', better: 'More time' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Select whether the direct payment is helping');
    expect(res.text).toContain('Select whether we listened to what matters to you');
    expect(res.text).not.toContain('Select how easy it is to manage');
    expect(res.text).toContain('More time');
    expect(res.text).toMatch(/value="very_easy" checked/);
    const long = await ruth.post2(`/my/feedback/${dp.ruth}/first-payment`, { ...goodAnswers, better: 'x'.repeat(1001) });
    expect(long.status).toBe(400);
    expect(long.text).toContain('1000 characters or fewer');
    expect(await t.db.selectFrom('feedback_responses').selectAll().execute()).toEqual([]);
  });

  it('stores one answer per moment, and stops offering it', async () => {
    const res = await ruth.post2(`/my/feedback/${dp.ruth}/first-payment`, goodAnswers);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/my/feedback');
    expect((await ruth.get('/my/feedback')).text).toContain('Thank you for your answers');
    const rows = await t.db.selectFrom('feedback_responses').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ direct_payment_id: dp.ruth, moment: 'first_payment', moment_key: 'first_payment', helps: 'a_lot', easy: 'fairly_hard', listened: 'yes', better: goodAnswers.better, answered_as: 'recipient', language: 'en' });
    // Again: the moment is closed.
    expect((await ruth.post2(`/my/feedback/${dp.ruth}/first-payment`, goodAnswers)).status).toBe(404);
    expect(await t.db.selectFrom('feedback_responses').selectAll().execute()).toHaveLength(1);
    expect((await ruth.get('/my/feedback')).text).not.toContain('After the first payment');
    // The answers are kept as given: the app may not change or remove them.
    await expect(t.db.updateTable('feedback_responses').set({ helps: 'not_at_all' }).execute()).rejects.toThrow();
    await expect(t.ownerDb.deleteFrom('feedback_responses').execute()).rejects.toThrow(/append-only|may not|refuse|not allowed/i);
  });

  it('lets a representative answer for the person they act for, and in Welsh when that is their language', async () => {
    const sam = await signedIn(t.app, 'samcarer');
    await sam.post2('/language', { lang: 'cy', returnTo: '/my/feedback' });
    const page = await sam.get(`/my/feedback/${dp.mair}/first-payment`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ydy’r taliad uniongyrchol yn helpu Mair Tester i fyw’r bywyd maen nhw ei eisiau?');
    const bad = await sam.post2(`/my/feedback/${dp.mair}/first-payment`, {});
    expect(bad.text).toContain('Dewiswch a yw’r taliad uniongyrchol yn helpu');
    expect((await sam.post2(`/my/feedback/${dp.mair}/first-payment`, { helps: 'a_little', easy: 'very_easy', listened: 'mostly', better: '' })).status).toBe(303);
    const row = await t.db.selectFrom('feedback_responses').selectAll().where('direct_payment_id', '=', dp.mair!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ answered_as: 'representative', language: 'cy', better: null });
  });
});

describe('inviting people: the feedback.invitations job', () => {
  it('invites each person once per open moment, in the app, in their language, and never again', async () => {
    const first = await runJob(t, 'feedback.invitations');
    const ruthUser = await t.db.selectFrom('users').select('id').where('username', '=', 'ruth').executeTakeFirstOrThrow();
    const ruthInvites = await t.db.selectFrom('notifications').selectAll().where('to_user_id', '=', ruthUser.id).execute();
    // The first payment was answered already; the review was not.
    expect(ruthInvites.map((n) => n.reference)).toEqual([invitationReference(dp.ruth!, `review:${reviewId}`, ruthUser.id)]);
    expect(ruthInvites[0]).toMatchObject({ template_id: 'feedback-after-review', subject: 'How did the review go?', link: `/my/feedback/${dp.ruth}/review-${reviewId}` });
    expect(first.processed).toBeGreaterThanOrEqual(1);
    const again = await runJob(t, 'feedback.invitations');
    expect(again.processed).toBe(0);
    // The invitation leads to the survey.
    const inbox = await ruth.get('/notifications');
    expect(inbox.text).toContain(`href="/my/feedback/${dp.ruth}/review-${reviewId}"`);
  });

  it('writes to a representative who chose Welsh in Welsh', async () => {
    // Mair's check-back is recorded; Sam chose Cymraeg earlier.
    const checkBack = await t.db.insertInto('reviews').values({ direct_payment_id: dp.mair!, kind: 'check_back', due_on: '2027-02-02', completed_on: '2026-11-21', outcomes_met: 'met', working: true, changes: 'none' }).returning('id').executeTakeFirstOrThrow();
    await runJob(t, 'feedback.invitations');
    const sam = await t.db.selectFrom('users').select(['id', 'preferred_language']).where('username', '=', 'samcarer').executeTakeFirstOrThrow();
    expect(sam.preferred_language).toBe('cy');
    const invite = await t.db.selectFrom('notifications').selectAll().where('to_user_id', '=', sam.id).executeTakeFirstOrThrow();
    expect(invite).toMatchObject({ template_id: 'feedback-after-review', subject: 'Sut aeth yr adolygiad?', link: `/my/feedback/${dp.mair}/review-${checkBack.id}` });
    expect(invite.body).toContain('21 Tachwedd 2026');
  });
});

describe('the results for managers', () => {
  it('adds up the answers by question, shows comments without names, and is for managers only', async () => {
    const jo = await signedIn(t.app, 'manager');
    const page = await jo.get('/feedback');
    expect(page.status).toBe(200);
    expect(page.text).toContain('2 answers');
    expect(page.text).toContain('Is the direct payment helping?');
    expect(page.text).toMatch(/2 of 2 \(100%\) gave a good answer/);
    expect(page.text).toMatch(/1 of 2 \(50%\) gave a good answer/);
    expect(page.text).toContain(goodAnswers.better);
    expect(page.text).not.toContain('Ruth');
    const reviews = await jo.get('/feedback?moment=review&period=3');
    expect(reviews.text).toContain('Nobody has answered the survey in this period yet');
    const gareth = await signedIn(t.app, 'practitioner');
    expect((await gareth.get('/feedback')).status).toBe(403);
    expect((await ruth.get('/feedback')).status).toBe(403);
    // Another council's manager sees none of it.
    const ffion = await signedIn(t.app, 'ffion');
    expect((await ffion.get('/feedback')).text).toContain('Nobody has answered the survey in this period yet');
  });
});
