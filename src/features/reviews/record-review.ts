import { z } from 'zod';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { f, fieldError, parseForm, type FormErrors, type FormResult } from '../../platform/http/validation.ts';
import { dateFromParts, formatDate } from '../../domain/dates.ts';
import { canTransition, transition } from '../../domain/direct-payment-status.ts';
import {
  REVIEW_KIND_NAMES, SCHEDULED_KINDS, checkChosenNextDate, isChildOn, nextReviewDue,
  type ReviewDate, type ReviewKind,
} from '../../domain/review-dates.ts';
import type { ReviewContext } from './queries.ts';
import { applySupportChange, parseNewRate, type NewRate } from './support-change.ts';

export const MET = { met: 'Met', partly: 'Partly met', not_met: 'Not met' } as const;
export const CHANGES = {
  none: 'No, the support stays as it is',
  more: 'Yes, more support',
  less: 'Yes, less support',
  different: 'Yes, different support',
} as const;
const MET_VALUES = ['met', 'partly', 'not_met'] as const;
const CHANGE_VALUES = ['none', 'more', 'less', 'different'] as const;

/** Statuses in which there is something to review: from the signed agreement on. */
export function canBeReviewed(ctx: Pick<ReviewContext, 'status' | 'open'>): boolean {
  return ['agreed', 'active', 'suspended'].includes(ctx.status) || (ctx.status === 'ended' && ctx.open.length > 0);
}

export type DueChoice = { value: string; kind: ReviewKind; text: string };

/**
 * Which due review this record completes: one of those still open or, when no regular review is on
 * the list yet, a new one of the kind the rules expect next.
 */
export function dueChoices(ctx: Pick<ReviewContext, 'open' | 'kind' | 'reviewedBefore'>): DueChoice[] {
  const choices: DueChoice[] = ctx.open.map((r) => ({
    value: r.id,
    kind: r.kind as ReviewKind,
    text: `${REVIEW_KIND_NAMES[r.kind as ReviewKind]}, due ${formatDate(r.due_on)}`,
  }));
  if (!ctx.open.some((r) => (SCHEDULED_KINDS as readonly string[]).includes(r.kind))) {
    const kind: ReviewKind = ctx.kind === 'one_off' ? 'check_back' : ctx.reviewedBefore ? 'annual' : 'first';
    choices.push({ value: 'new', kind, text: REVIEW_KIND_NAMES[kind] });
  }
  return choices;
}

/** The latest the next regular review may be if this review is recorded today; none for a one-off payment. */
export function latestNextReview(ctx: Pick<ReviewContext, 'kind' | 'jurisdiction' | 'date_of_birth'>, today: string): ReviewDate | null {
  if (ctx.kind === 'one_off') return null;
  return nextReviewDue({ jurisdiction: ctx.jurisdiction, isChild: isChildOn(ctx.date_of_birth, today), completedOn: today });
}

export type ReviewInput = {
  dueReview: string;
  outcomes: { planItemId: string; met: (typeof MET_VALUES)[number] }[];
  outcomesMet: (typeof MET_VALUES)[number];
  working: boolean;
  changes: (typeof CHANGE_VALUES)[number];
  whatChanged: string;
  notes: string;
  nextReview: string | null;
  /** A new weekly amount from a date, when the support changes and the money with it. */
  newRate: NewRate | null;
};

/** Validates the review form against this direct payment's outcomes and the review rules. */
export function parseReviewForm(ctx: ReviewContext, body: unknown, today: string): FormResult<ReviewInput> {
  const choices = dueChoices(ctx).map((c) => c.value) as [string, ...string[]];
  const latest = latestNextReview(ctx, today);
  const schema = z.object({
    dueReview: f.choice(choices, 'Select which review you are recording'),
    ...Object.fromEntries(ctx.outcomes.map((o) => [`outcome-${o.id}`, f.choice(MET_VALUES, `Select whether “${o.outcome}” was met`)])),
    outcomesMet: f.choice(MET_VALUES, 'Select whether the outcomes in the plan were met overall'),
    working: f.yesNo('Select yes if the direct payment is working for the person'),
    changes: f.choice(CHANGE_VALUES, 'Select whether the support needs to change'),
    whatChanged: f.optionalText(2000, 'What needs to change must be 2000 characters or fewer'),
    notes: f.optionalText(5000, 'Notes must be 5000 characters or fewer'),
    ...(latest ? { nextReview: f.date('Enter the date of the next review', 'The date of the next review must be a real date, for example 23 5 2027') } : {}),
  });
  const parsed = parseForm(schema, body, { dates: latest ? ['nextReview'] : [] });
  const order = ['dueReview', ...ctx.outcomes.map((o) => `outcome-${o.id}`), 'outcomesMet', 'working', 'changes', 'whatChanged', 'newWeekly', 'newWeeklyFrom', 'notes', 'nextReview'];
  const errors: FormErrors = parsed.ok ? { list: [], fields: {} } : parsed.errors;
  // Checks across fields come after zod, so that every problem on the page is listed at once.
  const raw = (body ?? {}) as Record<string, unknown>;
  const changes = String(raw.changes ?? '');
  if (changes && changes !== 'none' && !String(raw.whatChanged ?? '').trim() && !errors.fields.whatChanged) {
    add(errors, fieldError('whatChanged', 'Say what needs to change'));
  }
  const newRate = parseNewRate(raw, changes, ctx.support ?? null);
  add(errors, newRate.errors);
  const chosenNext = dateFromParts(String(raw['nextReview-day'] ?? ''), String(raw['nextReview-month'] ?? ''), String(raw['nextReview-year'] ?? ''));
  if (latest && chosenNext) {
    const check = checkChosenNextDate(chosenNext, today, latest.dueOn);
    if (!check.ok) add(errors, fieldError('nextReview', check.message, '#nextReview-day'));
  }
  if (errors.list.length) {
    errors.list.sort((a, b) => order.indexOf(fieldOf(a.href)) - order.indexOf(fieldOf(b.href)));
    return { ok: false, errors };
  }
  if (!parsed.ok) return parsed;
  const data = parsed.data as Record<string, unknown>;
  return {
    ok: true,
    data: {
      dueReview: data.dueReview as string,
      outcomes: ctx.outcomes.map((o) => ({ planItemId: o.id, met: data[`outcome-${o.id}`] as ReviewInput['outcomesMet'] })),
      outcomesMet: data.outcomesMet as ReviewInput['outcomesMet'],
      working: data.working as boolean,
      changes: data.changes as ReviewInput['changes'],
      whatChanged: data.changes === 'none' ? '' : (data.whatChanged as string),
      notes: data.notes as string,
      nextReview: (data.nextReview as string | null) ?? null,
      newRate: data.changes === 'none' ? null : newRate.rate,
    },
  };
}

function add(errors: FormErrors, more: FormErrors): void {
  errors.list.push(...more.list);
  Object.assign(errors.fields, more.fields);
}

function fieldOf(href: string): string {
  return href.replace(/^#/, '').replace(/-day$/, '');
}

export type Recorded = { reviewId: string; alreadyRecorded: boolean; nextDueOn: string | null; ended: boolean };

/**
 * Records a review in one transaction: completes the due review, notes how each outcome went, and
 * moves the next regular review to the chosen date. A one-off payment's check-back has no next
 * review; it closes the direct payment if it is still active.
 */
export async function recordReview(db: Database, user: CurrentUser, ctx: ReviewContext, input: ReviewInput, today: string, ip?: string): Promise<Recorded> {
  return db.transaction().execute(async (trx) => {
    const dp = await trx
      .selectFrom('direct_payments')
      .select(['id', 'status', 'kind', 'person_id', 'council_id', 'plan_id'])
      .where('id', '=', ctx.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const result = {
      completed_on: today,
      reviewer_id: user.id,
      outcomes_met: input.outcomesMet,
      working: input.working,
      changes: input.changes,
      what_changed: input.whatChanged || null,
      notes: input.notes || null,
    };
    let review: { id: string; kind: string } | undefined;
    if (input.dueReview === 'new') {
      const kind = dueChoices(ctx).find((c) => c.value === 'new')!.kind;
      review = await trx.insertInto('reviews').values({ direct_payment_id: dp.id, kind, due_on: today, ...result }).returning(['id', 'kind']).executeTakeFirstOrThrow();
    } else {
      review = await trx
        .updateTable('reviews')
        .set(result)
        .where('id', '=', input.dueReview)
        .where('direct_payment_id', '=', dp.id)
        .where('completed_on', 'is', null)
        .returning(['id', 'kind'])
        .executeTakeFirst();
      // Sent twice (a double click, or Back and submit again): the first one counts, nothing changes.
      if (!review) return { reviewId: input.dueReview, alreadyRecorded: true, nextDueOn: null, ended: false };
    }
    if (input.outcomes.length) {
      await trx.insertInto('review_outcomes').values(input.outcomes.map((o) => ({ review_id: review.id, plan_item_id: o.planItemId, met: o.met }))).execute();
    }
    // More, less or different support goes back into the plan and, with a new amount, the schedule.
    if (input.changes !== 'none') {
      await applySupportChange(trx, { user, today, ip, reviewId: review.id, dp, change: input.changes, whatChanged: input.whatChanged, rate: input.newRate });
    }
    let nextDueOn: string | null = null;
    let ended = false;
    if (dp.kind === 'ongoing' && input.nextReview) {
      nextDueOn = input.nextReview;
      // Any review counts as the regular one: the next regular review moves to the chosen date.
      const moved = await trx
        .updateTable('reviews')
        .set({ due_on: nextDueOn, kind: 'annual' })
        .where('direct_payment_id', '=', dp.id)
        .where('completed_on', 'is', null)
        .where('kind', 'in', ['first', 'annual'])
        .returning('id')
        .execute();
      if (!moved.length) await trx.insertInto('reviews').values({ direct_payment_id: dp.id, kind: 'annual', due_on: nextDueOn }).execute();
    } else if (review.kind === 'check_back' && canTransition(dp.status, 'ended')) {
      await trx.updateTable('direct_payments').set({ status: transition(dp.status, 'ended'), ends_on: today, updated_at: new Date() }).where('id', '=', dp.id).execute();
      ended = true;
      await audit(trx, user, { action: 'update', entityType: 'direct-payment', entityId: dp.id, personId: ctx.person_id, details: { status: 'ended', because: 'check-back recorded' } }, ip);
    }
    await audit(trx, user, { action: 'create', entityType: 'review', entityId: review.id, personId: ctx.person_id, details: { kind: review.kind, nextDueOn } }, ip);
    return { reviewId: review.id, alreadyRecorded: false, nextDueOn, ended };
  });
}
