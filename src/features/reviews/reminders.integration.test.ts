import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, signedIn, type TestApp } from '../../../test/support/app.ts';
import { buildDirectPayment, buildPerson, demoIds } from '../../../test/support/builders.ts';
import { runDp } from '../../../test/support/cli.ts';
import { newPerson, representativeFor } from '../payments/test-data.ts';
import { fixedClock } from '../../platform/services.ts';
import { runJob } from '../../platform/jobs.ts';
import { reminderKindOn, reminderReference } from './reminders.ts';

// Today is 2026-11-23 (TEST_TODAY). The reminder job runs against this file's own real database.
let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const review: Record<string, string> = {};

async function activeDirectPayment(personId: string, councilId: string, createdBy: string, status = 'active') {
  return (await buildDirectPayment(t.db, { councilId, personId, createdBy }, { kind: 'ongoing', status, amount_pence: null, weekly_amount_pence: 12000, frequency: 'four_weekly' })).id;
}
async function addReview(directPaymentId: string, kind: string, dueOn: string, completedOn: string | null = null) {
  return (await t.db.insertInto('reviews').values({ direct_payment_id: directPaymentId, kind, due_on: dueOn, completed_on: completedOn }).returning('id').executeTakeFirstOrThrow()).id;
}
function remindersFor(reviewId: string) {
  return t.db.selectFrom('notifications').selectAll().where('reference', 'like', `review-reminder:${reviewId}:%`).orderBy('reference').execute();
}

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  // This file's reviews only.
  await t.ownerDb.deleteFrom('review_outcomes').execute();
  await t.ownerDb.deleteFrom('reviews').execute();
  const gareth = ids.user('practitioner');
  await t.ownerDb.updateTable('users').set({ email: 'gareth.hughes@eastmoor.example' }).where('id', '=', gareth).execute();

  // Gareth's people: one due in 10 days, one overdue, one far off, one done, one on an ended payment.
  const soon = await buildPerson(t.db, ids.england, { given_name: 'Soon', practitioner_id: gareth });
  review.soon = await addReview(await activeDirectPayment(soon.id, ids.england, gareth), 'annual', '2026-12-03');
  const late = await buildPerson(t.db, ids.england, { given_name: 'Late', practitioner_id: gareth });
  review.late = await addReview(await activeDirectPayment(late.id, ids.england, gareth, 'suspended'), 'first', '2026-10-01');
  const far = await buildPerson(t.db, ids.england, { given_name: 'Far', practitioner_id: gareth });
  review.far = await addReview(await activeDirectPayment(far.id, ids.england, gareth), 'annual', '2027-03-01');
  const done = await buildPerson(t.db, ids.england, { given_name: 'Done', practitioner_id: gareth });
  review.done = await addReview(await activeDirectPayment(done.id, ids.england, gareth), 'annual', '2026-11-01', '2026-10-28');
  const ended = await buildPerson(t.db, ids.england, { given_name: 'Ended', practitioner_id: gareth });
  review.ended = await addReview(await activeDirectPayment(ended.id, ids.england, gareth, 'ended'), 'annual', '2026-11-01');
  // A one-off payment's check-back stays on the list after the payment has ended.
  const oneOff = await buildPerson(t.db, ids.england, { given_name: 'Oneoff', practitioner_id: gareth });
  const oneOffDp = (await buildDirectPayment(t.db, { councilId: ids.england, personId: oneOff.id, createdBy: gareth }, { status: 'ended' })).id;
  review.checkBack = await addReview(oneOffDp, 'check_back', '2026-12-10');
  // No practitioner: the council's managers hear about it (Eastmoor has one, Jo).
  const orphan = await buildPerson(t.db, ids.england, { given_name: 'Orphan', practitioner_id: null });
  review.orphan = await addReview(await activeDirectPayment(orphan.id, ids.england, gareth), 'concern', '2026-11-20');
  // Wales: Rhys's person, overdue.
  const welsh = await buildPerson(t.db, ids.wales, { given_name: 'Cymro', practitioner_id: ids.user('rhys') });
  review.welsh = await addReview(await activeDirectPayment(welsh.id, ids.wales, ids.user('rhys')), 'first', '2026-11-22');
});
afterAll(async () => {
  await t?.stop();
});

describe('which reminder a review needs on a day', () => {
  it('is due_soon from 28 days before, overdue from the day after the due date, and nothing before', () => {
    expect(reminderKindOn('2026-12-21', '2026-11-23')).toBe('due_soon');
    expect(reminderKindOn('2026-12-22', '2026-11-23')).toBeNull();
    expect(reminderKindOn('2026-11-23', '2026-11-23')).toBe('due_soon');
    expect(reminderKindOn('2026-11-22', '2026-11-23')).toBe('overdue');
  });
});

describe('the reviews.reminders job, against the real database', () => {
  it('records one in-app and email reminder per review and kind, to the right person, with no names', async () => {
    const result = await runJob(t, 'reviews.reminders');
    const gareth = ids.user('practitioner');
    const soon = await remindersFor(review.soon!);
    expect(soon).toHaveLength(1);
    expect(soon[0]).toMatchObject({
      reference: reminderReference(review.soon!, 'due_soon', gareth),
      template_id: 'review-due-soon',
      to_user_id: gareth,
      email_address: 'gareth.hughes@eastmoor.example',
      email_status: 'recorded',
      link: `/reviews/${review.soon}`,
      subject: expect.stringContaining('Review due by 3 December 2026'),
    });
    expect(soon[0]!.body).not.toMatch(/Soon/);
    const late = await remindersFor(review.late!);
    expect(late.map((n) => n.template_id)).toEqual(['review-overdue']);
    expect(late[0]!.body).toContain('was due by 1 October 2026 and is now 53 days overdue');
    expect(await remindersFor(review.far!)).toEqual([]);
    expect(await remindersFor(review.done!)).toEqual([]);
    expect(await remindersFor(review.ended!)).toEqual([]);
    expect((await remindersFor(review.checkBack!)).map((n) => n.template_id)).toEqual(['review-due-soon']);
    const orphan = await remindersFor(review.orphan!);
    expect(orphan.map((n) => n.to_user_id)).toEqual([ids.user('manager')]);
    const welsh = await remindersFor(review.welsh!);
    expect(welsh.map((n) => [n.to_user_id, n.council_id])).toEqual([[ids.user('rhys'), ids.wales]]);
    expect(result.processed).toBe(5);
  });

  it('records nothing more when it runs again, or twice at once', async () => {
    const before = await t.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const [a, b] = await Promise.all([runJob(t, 'reviews.reminders'), runJob(t, 'reviews.reminders')]);
    expect(a.processed + b.processed).toBe(0);
    const after = await t.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('sends the overdue reminder once the review that was coming up passes its date', async () => {
    const later = { ...t, clock: fixedClock('2026-12-04') };
    const result = await runJob(later, 'reviews.reminders');
    const soon = await remindersFor(review.soon!);
    expect(soon.map((n) => n.template_id)).toEqual(['review-due-soon', 'review-overdue']);
    expect(result.processed).toBeGreaterThanOrEqual(1);
    // Far (due 1 March 2027) is still more than 4 weeks away on 4 December.
    expect(await remindersFor(review.far!)).toEqual([]);
  });

  it('tells the person and their representative, once, in their language, that a review is coming up', async () => {
    const gareth = ids.user('practitioner');
    const bryn = await newPerson(t.db, 'bryn', 'Bryn');
    const brynReview = await addReview(await activeDirectPayment(bryn.id, ids.england, gareth), 'annual', '2026-12-10');
    const brynLate = await addReview(await activeDirectPayment(bryn.id, ids.england, gareth), 'annual', '2026-11-01');
    const carerId = await representativeFor(t.db, 'brynscarer', [bryn.id]);
    await t.ownerDb.updateTable('users').set({ preferred_language: 'cy' }).where('id', '=', carerId).execute();
    const brynUser = await t.db.selectFrom('people').select('user_id').where('id', '=', bryn.id).executeTakeFirstOrThrow();
    await runJob(t, 'reviews.reminders');
    await runJob(t, 'reviews.reminders');
    const told = await t.db.selectFrom('notifications').selectAll().where('reference', 'like', `review-reminder:${brynReview}:coming_up:%`).execute();
    expect(told.map((n) => n.to_user_id).sort()).toEqual([brynUser.user_id, carerId].sort());
    const english = told.find((n) => n.to_user_id === brynUser.user_id)!;
    const welsh = told.find((n) => n.to_user_id === carerId)!;
    expect(english).toMatchObject({ template_id: 'review-coming-up', subject: 'Your direct payment review is coming up', link: '/my' });
    expect(english.body).toContain('due to be reviewed by 10 December 2026');
    expect(welsh.subject).toBe('Mae adolygiad eich taliad uniongyrchol yn dod');
    expect(welsh.body).toContain('erbyn 10 Rhagfyr 2026');
    // An overdue review is the council's to chase, not the person's: no message to them about it.
    expect(await t.db.selectFrom('notifications').select('id').where('reference', 'like', `review-reminder:${brynLate}:coming_up:%`).execute()).toEqual([]);
  });

  it('shows the practitioner the reminder in the app, and the administrator the outbox', async () => {
    const gareth = await signedIn(t.app, 'practitioner');
    const people = await gareth.get('/people');
    expect(people.text).toMatch(/Notifications \(\d+ new\)/);
    const inbox = await gareth.get('/notifications');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('Review due by 3 December 2026');
    expect(inbox.text).toContain(`href="/reviews/${review.soon}"`);
    expect(inbox.text).toMatch(/govuk-tag--blue[^>]*>\s*New\s*</);
    // Seen once: no longer new.
    expect((await gareth.get('/notifications')).text).not.toMatch(/govuk-tag--blue[^>]*>\s*New\s*</);
    expect((await gareth.get('/people')).text).not.toMatch(/Notifications \(\d+ new\)/);
    // Another user's messages are not there.
    const jo = await signedIn(t.app, 'manager');
    const joInbox = await jo.get('/notifications');
    expect(joInbox.text).not.toContain('Review due by 3 December 2026');
    expect(joInbox.text).toContain('Review overdue');

    expect((await gareth.get('/admin/outbox')).status).toBe(403);
    const admin = await signedIn(t.app, 'admin');
    const outbox = await admin.get('/admin/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.text).toContain('gareth.hughes@eastmoor.example');
    expect(outbox.text).toContain('Recorded, not sent');
    // Each job's last run, for operators.
    expect(outbox.text).toContain('reviews.reminders');
    expect(outbox.text).toMatch(/\d+ done/);
    // Eastmoor's administrator does not see Dyffryn's messages.
    expect(outbox.text).not.toContain(review.welsh);
    const filtered = await admin.get('/admin/outbox?template=review-overdue');
    expect(filtered.text).toContain('Template: review-overdue');
    expect(filtered.text).not.toContain('Template: review-due-soon');
    const audited = await t.db.selectFrom('audit_log').select('entity_type').where('entity_type', '=', 'outbox').execute();
    expect(audited.length).toBeGreaterThanOrEqual(2);
  });
});

describe('dp jobs', () => {
  const dp = (args: string[]) => runDp(args, { databaseUrl: t.url });

  it('lists the jobs, runs one by name (recording the run), and refuses an unknown one with exit 2', async () => {
    const list = await dp(['jobs', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('reviews.reminders\t0 7 * * *');
    const run = await dp(['jobs', 'run', 'reviews.reminders']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // The real clock's today is later than the tests' day, so there may be new overdue reminders.
    expect(run.stdout).toMatch(/^reviews\.reminders: processed \d+\n$/);
    const cliRun = await t.db.selectFrom('job_runs').selectAll().where('trigger', '=', 'cli').executeTakeFirstOrThrow();
    expect(cliRun).toMatchObject({ name: 'reviews.reminders', error: null });
    const bad = await dp(['jobs', 'run', 'no.such']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('There is no job called "no.such"');
  });
});
