import { z } from 'zod';
import type { Database } from '../../platform/db/database.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { audit } from '../../platform/audit.ts';
import { f, fieldError, parseForm, type FormResult } from '../../platform/http/validation.ts';
import { formatDate } from '../../domain/dates.ts';
import { EXTRA_KINDS, extraReviewDue, type ReviewDate } from '../../domain/review-dates.ts';
import type { ReviewContext } from './queries.ts';

const extraForm = z.object({
  reason: f.choice(EXTRA_KINDS, 'Select why an extra review is needed'),
  because: f.text('Say what has happened', 2000, 'What has happened must be 2000 characters or fewer'),
  dueOn: f.date('Enter the date the review is due by', 'The date of the review must be a real date, for example 7 12 2026'),
});

export type ExtraInput = z.infer<typeof extraForm>;

export function parseExtraReviewForm(body: unknown, today: string): FormResult<ExtraInput> {
  const parsed = parseForm(extraForm, body, { dates: ['dueOn'] });
  if (!parsed.ok) return parsed;
  if (parsed.data.dueOn < today) {
    return { ok: false, errors: fieldError('dueOn', `The date of the review must be today (${formatDate(today)}) or later`, '#dueOn-day') };
  }
  return parsed;
}

/** Puts an extra review on the list, with who asked for it and why. */
export async function askForExtraReview(db: Database, user: CurrentUser, ctx: ReviewContext, input: ExtraInput, today: string, ip?: string): Promise<{ id: string; due: ReviewDate }> {
  const due = extraReviewDue({ kind: input.reason, raisedOn: today, chosenOn: input.dueOn });
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('reviews')
      .values({ direct_payment_id: ctx.id, kind: due.kind, due_on: due.dueOn, raised_by: user.id, raised_because: input.because })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, user, { action: 'create', entityType: 'review', entityId: row.id, personId: ctx.person_id, details: { kind: due.kind, dueOn: due.dueOn, extra: true } }, ip);
    return { id: row.id, due };
  });
}
