// The four questions, as in the Social Care Wales guidance's short survey, asked in the words of
// the service's three promises: does it help (flexible and creative), is it easy (clear and
// simple), did we listen (open and honest), and one thing to do better. Labels are in
// src/locales/{en,cy}/feedback.json under `q.<question>.<answer>`.

export const HELPS = ['a_lot', 'a_little', 'not_really', 'not_at_all'] as const;
export const EASY = ['very_easy', 'fairly_easy', 'fairly_hard', 'very_hard'] as const;
export const LISTENED = ['yes', 'mostly', 'not_really', 'no'] as const;

export const QUESTIONS = { helps: HELPS, easy: EASY, listened: LISTENED } as const;
export type Question = keyof typeof QUESTIONS;

/** The answers that count as good, for the one-line summaries ("8 in 10 said it helps"). */
export const POSITIVE: Record<Question, readonly string[]> = {
  helps: ['a_lot', 'a_little'],
  easy: ['very_easy', 'fairly_easy'],
  listened: ['yes', 'mostly'],
};

export const MOMENTS = ['first_payment', 'review'] as const;
export type Moment = (typeof MOMENTS)[number];

/** How long after a moment the survey is offered. */
export const OFFER_DAYS = 90;

/** 'first_payment' ↔ 'first-payment'; 'review:<id>' ↔ 'review-<id>' (the path segment of the survey). */
export function slugOf(momentKey: string): string {
  return momentKey === 'first_payment' ? 'first-payment' : momentKey.replace(/^review:/, 'review-');
}

const REVIEW_SLUG = /^review-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function momentFromSlug(slug: string): { moment: Moment; momentKey: string; reviewId: string | null } | null {
  if (slug === 'first-payment') return { moment: 'first_payment', momentKey: 'first_payment', reviewId: null };
  const m = REVIEW_SLUG.exec(slug);
  return m ? { moment: 'review', momentKey: `review:${m[1]!.toLowerCase()}`, reviewId: m[1]!.toLowerCase() } : null;
}
