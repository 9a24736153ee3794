import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp } from '../../../test/support/app.ts';
import { buildConversation, buildDirectPayment, buildPerson, buildPlan, demoIds } from '../../../test/support/builders.ts';
import { scheduleFirstReview } from './schedule-review.ts';

// Today is 2026-11-23 in every test (TEST_TODAY).
let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const dp: Record<string, string> = {};
const items: string[] = [];

async function ongoingDirectPayment(personId: string, councilId: string, createdBy: string, planId: string | null = null) {
  const row = await buildDirectPayment(t.db, { councilId, personId, createdBy, planId }, { kind: 'ongoing', status: 'active', amount_pence: null, weekly_amount_pence: 12000, frequency: 'four_weekly' });
  return row.id;
}

async function openReviews(directPaymentId: string) {
  return t.db.selectFrom('reviews').selectAll().where('direct_payment_id', '=', directPaymentId).where('completed_on', 'is', null).orderBy('due_on').execute();
}

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  // The demo's own reviews are set aside so that this file's stories are the only ones on the list.
  await t.ownerDb.deleteFrom('review_outcomes').execute();
  await t.ownerDb.deleteFrom('reviews').execute();
  const gareth = ids.user('practitioner');

  // Peter: ongoing support, first paid 1 March 2026, so his first review was due 1 September 2026.
  const plan = await buildPlan(t.db, ids.person('peter'), gareth, { kind: 'ongoing' });
  for (const [position, outcome] of [[1, 'Cooking my own meals'], [2, 'Getting to the allotment']] as const) {
    const item = await t.db.insertInto('plan_items').values({ plan_id: plan.id, position, outcome, met_by: 'direct_payment', how: 'A personal assistant two mornings a week' }).returning('id').executeTakeFirstOrThrow();
    items.push(item.id);
  }
  dp.peter = await ongoingDirectPayment(ids.person('peter'), ids.england, gareth, plan.id);
  await scheduleFirstReview(t.db, dp.peter, '2026-03-01');

  // Jemima: a one-off year of swimming paid 30 September 2026; the check-back is due 30 December.
  dp.jemima = (await buildDirectPayment(t.db, { councilId: ids.england, personId: ids.person('jemima'), createdBy: gareth }, { status: 'active', purpose: 'A year of swimming' })).id;
  await scheduleFirstReview(t.db, dp.jemima, '2026-09-30');

  // Someone Jo (the manager) is practitioner for, due in 8 days.
  const jos = await buildPerson(t.db, ids.england, { given_name: 'Maureen', family_name: 'Oduya', practitioner_id: ids.user('manager') });
  dp.maureen = await ongoingDirectPayment(jos.id, ids.england, gareth);
  await t.db.insertInto('reviews').values({ direct_payment_id: dp.maureen, kind: 'annual', due_on: '2026-12-01' }).execute();

  // Anwen: a review far off (not on the list) and a draft direct payment with nothing to review.
  dp.anwen = await ongoingDirectPayment(ids.person('anwen'), ids.england, gareth);
  await t.db.insertInto('reviews').values({ direct_payment_id: dp.anwen, kind: 'annual', due_on: '2027-06-01' }).execute();
  dp.draft = (await buildDirectPayment(t.db, { councilId: ids.england, personId: ids.person('kate'), createdBy: gareth })).id;

  // Wales: Dewi (adult) overdue since 1 October; Cerys (a child) assessed 15 September 2026.
  dp.dewi = await ongoingDirectPayment(ids.person('dewi'), ids.wales, ids.user('rhys'));
  await t.db.insertInto('reviews').values({ direct_payment_id: dp.dewi, kind: 'first', due_on: '2026-10-01' }).execute();
  const cerysTalk = await buildConversation(t.db, ids.person('cerys'), ids.user('rhys'), { held_on: '2026-09-15', status: 'completed' });
  const cerysPlan = await buildPlan(t.db, ids.person('cerys'), ids.user('rhys'), { kind: 'ongoing', conversation_id: cerysTalk.id });
  dp.cerys = await ongoingDirectPayment(ids.person('cerys'), ids.wales, ids.user('rhys'), cerysPlan.id);
});
afterAll(async () => {
  await t?.stop();
});

const goodReview = (overrides: Record<string, string> = {}) => ({
  [`outcome-${items[0]}`]: 'met',
  [`outcome-${items[1]}`]: 'partly',
  outcomesMet: 'partly',
  working: 'yes',
  changes: 'different',
  whatChanged: 'Swap one morning for a lift to the allotment',
  notes: 'Peter is cooking most days now.',
  'nextReview-day': '1',
  'nextReview-month': '6',
  'nextReview-year': '2027',
  ...overrides,
});

describe('scheduling the first review', () => {
  it('puts the first review 6 months after the first payment in England, and only once', async () => {
    const [first] = await openReviews(dp.peter!);
    expect(first).toMatchObject({ kind: 'first', due_on: '2026-09-01' });
    const again = await scheduleFirstReview(t.db, dp.peter!, '2026-04-01');
    expect(again.id).toBe(first!.id);
    expect(await openReviews(dp.peter!)).toHaveLength(1);
  });

  it('puts a one-off check-back 3 months after the payment', async () => {
    expect((await openReviews(dp.jemima!))[0]).toMatchObject({ kind: 'check_back', due_on: '2026-12-30' });
  });

  it('counts a Welsh child’s review from the assessment, 6 months on', async () => {
    const review = await scheduleFirstReview(t.db, dp.cerys!, '2026-10-20');
    expect(review).toMatchObject({ kind: 'first', due_on: '2027-03-15' });
  });
});

describe('the Reviews due list', () => {
  it('shows overdue reviews first with the days overdue, then those due within 60 days, for the council only', async () => {
    const agent = await signedIn(t.app, 'manager');
    const res = await agent.get('/reviews');
    expect(res.status).toBe(200);
    const text = res.text;
    expect(text).toContain('Overdue by 83 days');
    const order = ['Peter Walsh', 'Maureen Oduya', 'Jemima Okafor'].map((n) => text.indexOf(n));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text.indexOf('Overdue (1)')).toBeLessThan(text.indexOf('Due in the next 60 days (2)'));
    expect(text).not.toContain('Dewi');
    expect(text).not.toContain('Anwen');
    const audited = await t.db.selectFrom('audit_log').select('details').where('entity_type', '=', 'reviews-due-list').where('username', '=', 'manager').executeTakeFirst();
    expect(audited?.details).toMatchObject({ show: 'all', count: 3 });
  });

  it('shows a practitioner only their own people unless they ask for everyone', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const mine = await agent.get('/reviews');
    expect(mine.text).toContain('Peter Walsh');
    expect(mine.text).not.toContain('Maureen Oduya');
    const all = await agent.get('/reviews?show=all');
    expect(all.text).toContain('Maureen Oduya');
  });

  it('shows Welsh practitioners their own council’s reviews', async () => {
    const agent = await signedIn(t.app, 'rhys');
    const res = await agent.get('/reviews');
    expect(res.text).toContain('Dewi Jenkins');
    expect(res.text).toContain('Overdue by 53 days');
    expect(res.text).not.toContain('Peter Walsh');
  });

  it('refuses people receiving direct payments, panel members, finance and administrators', async () => {
    for (const username of ['peter', 'panel', 'finance', 'admin']) {
      const agent = await signedIn(t.app, username);
      expect((await agent.get('/reviews')).status, username).toBe(403);
    }
    const peter = await signedIn(t.app, 'peter');
    expect((await peter.get(`/direct-payments/${dp.peter}/reviews/new`)).status).toBe(403);
    expect((await peter.post2(`/direct-payments/${dp.peter}/reviews/new`, goodReview())).status).toBe(403);
    expect((await peter.get(`/direct-payments/${dp.peter}/reviews/extra`)).status).toBe(403);
  });
});

describe('recording a review', () => {
  it('explains the rule and offers the latest allowed next date', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.get(`/direct-payments/${dp.peter}/reviews/new`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('at least every 12 months after the last review (23 November 2026)');
    expect(res.text).toContain('no later than 23 November 2027');
    expect(res.text).toMatch(/name="nextReview-year"[^>]*value="2027"/);
    expect(res.text).toContain('Cooking my own meals');
    expect(res.text).toContain('Getting to the allotment');
  });

  it('refuses bad input, lists every problem and keeps what was typed', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/direct-payments/${dp.peter}/reviews/new`, goodReview({ [`outcome-${items[1]}`]: '', working: '', whatChanged: '', 'nextReview-month': '13' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Select whether “Getting to the allotment” was met');
    expect(res.text).toContain('Select yes if the direct payment is working for the person');
    expect(res.text).toContain('Say what needs to change');
    expect(res.text).toContain('The date of the next review must be a real date');
    expect(res.text).toContain('Peter is cooking most days now.');
    expect(res.text).toMatch(new RegExp(`name="outcome-${items[0]}" type="radio" value="met" checked`));
    expect(res.text).toMatch(/name="nextReview-month"[^>]*value="13"/);
    // The summary lists problems in the order of the page.
    const summary = res.text.slice(res.text.indexOf('govuk-error-summary'), res.text.indexOf('</ul>', res.text.indexOf('govuk-error-summary')));
    expect(summary.indexOf('allotment')).toBeLessThan(summary.indexOf('working for the person'));
    expect(summary.indexOf('Say what needs to change')).toBeLessThan(summary.indexOf('real date'));
    expect((await openReviews(dp.peter!))[0]!.kind).toBe('first');
  });

  it('refuses a next review later than the rules allow', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/direct-payments/${dp.peter}/reviews/new`, goodReview({ 'nextReview-day': '24', 'nextReview-month': '11', 'nextReview-year': '2027' }));
    expect(res.status).toBe(400);
    expect(res.text).toContain('The next review date must be no later than 23 November 2027');
    expect(res.text).toContain('href="#nextReview-day"');
    const today = await agent.post2(`/direct-payments/${dp.peter}/reviews/new`, goodReview({ 'nextReview-day': '23', 'nextReview-month': '11', 'nextReview-year': '2026' }));
    expect(today.status).toBe(400);
    expect(today.text).toContain('The next review date must be after today');
    expect(await t.db.selectFrom('reviews').select('id').where('direct_payment_id', '=', dp.peter!).where('completed_on', 'is not', null).execute()).toHaveLength(0);
  });

  it('completes the due review, records each outcome and puts the next review on the list', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const [due] = await openReviews(dp.peter!);
    const res = await agent.post2(`/direct-payments/${dp.peter}/reviews/new`, { ...goodReview(), dueReview: due!.id });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/reviews/${due!.id}`);
    const done = await t.db.selectFrom('reviews').selectAll().where('id', '=', due!.id).executeTakeFirstOrThrow();
    expect(done).toMatchObject({ completed_on: '2026-11-23', due_on: '2026-09-01', outcomes_met: 'partly', working: true, changes: 'different', what_changed: 'Swap one morning for a lift to the allotment', reviewer_id: ids.user('practitioner') });
    const outcomes = await t.db.selectFrom('review_outcomes').select(['plan_item_id', 'met']).where('review_id', '=', due!.id).execute();
    expect(outcomes).toEqual(expect.arrayContaining([{ plan_item_id: items[0], met: 'met' }, { plan_item_id: items[1], met: 'partly' }]));
    const open = await openReviews(dp.peter!);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ kind: 'annual', due_on: '2027-06-01' });
    const audited = await t.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'review').where('entity_id', '=', due!.id).where('action', '=', 'create').executeTakeFirst();
    expect(audited?.person_id).toBe(ids.person('peter'));

    const page = await agent.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Review recorded');
    expect(page.text).toContain('The next review is due by 1 June 2027');
    expect(page.text).toContain('Swap one morning for a lift to the allotment');
    expect(page.text).toContain('Partly met');
  });

  it('does nothing more when the same review is sent twice', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const done = await t.db.selectFrom('reviews').select('id').where('direct_payment_id', '=', dp.peter!).where('completed_on', 'is not', null).executeTakeFirstOrThrow();
    const before = await t.db.selectFrom('reviews').select('id').where('direct_payment_id', '=', dp.peter!).execute();
    const res = await agent.post2(`/direct-payments/${dp.peter}/reviews/new`, { ...goodReview(), dueReview: done.id });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/reviews/${done.id}`);
    expect((await agent.get(res.headers.location!)).text).toContain('This review was already recorded');
    expect(await t.db.selectFrom('reviews').select('id').where('direct_payment_id', '=', dp.peter!).execute()).toHaveLength(before.length);
  });

  it('closes a one-off payment when its check-back is recorded, with no next review', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const form = await agent.get(`/direct-payments/${dp.jemima}/reviews/new`);
    expect(form.text).toContain('there is no next review');
    expect(form.text).not.toContain('nextReview-day');
    const [checkBack] = await openReviews(dp.jemima!);
    expect(form.text).toContain(`name="dueReview" value="${checkBack!.id}"`);
    const res = await agent.post2(`/direct-payments/${dp.jemima}/reviews/new`, { dueReview: checkBack!.id, outcomesMet: 'met', working: 'yes', changes: 'none', notes: 'Jemima swims twice a week and sleeps better.' });
    expect(res.status).toBe(303);
    expect(await openReviews(dp.jemima!)).toHaveLength(0);
    const closed = await t.db.selectFrom('direct_payments').select(['status', 'ends_on']).where('id', '=', dp.jemima!).executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'ended', ends_on: '2026-11-23' });
    const page = await agent.get(res.headers.location!);
    expect(page.text).toContain('Check-back recorded');
    expect(page.text).toContain('is now closed');
  });

  it('sets a Welsh child’s next review no more than 6 months on', async () => {
    const agent = await signedIn(t.app, 'rhys');
    const form = await agent.get(`/direct-payments/${dp.cerys}/reviews/new`);
    expect(form.text).toContain('no later than 23 May 2027');
    const late = await agent.post2(`/direct-payments/${dp.cerys}/reviews/new`, { outcomesMet: 'met', working: 'yes', changes: 'none', 'nextReview-day': '24', 'nextReview-month': '5', 'nextReview-year': '2027' });
    expect(late.status).toBe(400);
    expect(late.text).toContain('no later than 23 May 2027');
  });

  it('says there is nothing to review on a direct payment not yet agreed', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.get(`/direct-payments/${dp.draft}/reviews/new`);
    expect(res.text).toContain('There is nothing to review yet');
    expect((await agent.post2(`/direct-payments/${dp.draft}/reviews/new`, goodReview())).status).toBe(409);
  });

  it('answers 404 to another council’s direct payments and reviews, and to made-up ids', async () => {
    const rhys = await signedIn(t.app, 'rhys');
    const peterReview = await t.db.selectFrom('reviews').select('id').where('direct_payment_id', '=', dp.peter!).executeTakeFirstOrThrow();
    expect((await rhys.get(`/direct-payments/${dp.peter}/reviews/new`)).status).toBe(404);
    expect((await rhys.post2(`/direct-payments/${dp.maureen}/reviews/new`, goodReview())).status).toBe(404);
    expect((await rhys.get(`/direct-payments/${dp.peter}/reviews/extra`)).status).toBe(404);
    expect((await rhys.post2(`/direct-payments/${dp.peter}/reviews/extra`, { reason: 'concern', because: 'x', 'dueOn-day': '23', 'dueOn-month': '11', 'dueOn-year': '2026' })).status).toBe(404);
    expect((await rhys.get(`/reviews/${peterReview.id}`)).status).toBe(404);
    expect((await rhys.get('/reviews/not-an-id')).status).toBe(404);
    expect((await rhys.get('/direct-payments/00000000-0000-4000-8000-000000000000/reviews/new')).status).toBe(404);
    expect(await openReviews(dp.maureen!)).toHaveLength(1);
  });
});

describe('asking for an extra review', () => {
  it('refuses bad input and keeps what was typed', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const missing = await agent.post2(`/direct-payments/${dp.anwen}/reviews/extra`, { because: 'Her PA has left', 'dueOn-day': '1', 'dueOn-month': '11', 'dueOn-year': '2026' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Select why an extra review is needed');
    expect(missing.text).toContain('Her PA has left');
    const past = await agent.post2(`/direct-payments/${dp.anwen}/reviews/extra`, { reason: 'concern', because: 'Her PA has left', 'dueOn-day': '1', 'dueOn-month': '11', 'dueOn-year': '2026' });
    expect(past.status).toBe(400);
    expect(past.text).toContain('must be today (23 November 2026) or later');
    expect(past.text).toMatch(/name="dueOn-day"[^>]*value="1"/);
  });

  it('puts the extra review on the list, due when asked for, with why', async () => {
    const agent = await signedIn(t.app, 'practitioner');
    const res = await agent.post2(`/direct-payments/${dp.anwen}/reviews/extra`, { reason: 'concern', because: 'Her PA has left and the account is building up', 'dueOn-day': '23', 'dueOn-month': '11', 'dueOn-year': '2026' });
    expect(res.status).toBe(303);
    const open = await openReviews(dp.anwen!);
    expect(open[0]).toMatchObject({ kind: 'concern', due_on: '2026-11-23', raised_by: ids.user('practitioner'), raised_because: 'Her PA has left and the account is building up' });
    const page = await agent.get(res.headers.location!);
    expect(page.text).toContain('Extra review asked for');
    expect(page.text).toContain('Her PA has left and the account is building up');
    const list = await agent.get('/reviews');
    expect(list.text).toContain('Anwen Price');
    expect(list.text).toContain('Extra review: a concern');
    expect(list.text).toContain('Due today');

    // Recording the extra review also counts as the regular one, which moves to the chosen date.
    const form = await agent.get(`/direct-payments/${dp.anwen}/reviews/new`);
    expect(form.text).toContain('Which review are you recording?');
    const done = await agent.post2(`/direct-payments/${dp.anwen}/reviews/new`, { dueReview: open[0]!.id, outcomesMet: 'partly', working: 'no', changes: 'more', whatChanged: 'Help to recruit a new PA', 'nextReview-day': '1', 'nextReview-month': '3', 'nextReview-year': '2027' });
    expect(done.status).toBe(303);
    const after = await openReviews(dp.anwen!);
    expect(after.map((r) => [r.kind, r.due_on])).toEqual([['annual', '2027-03-01']]);
  });
});
