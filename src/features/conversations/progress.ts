import { decideEligibility, type EligibilityDecision, type EnglandOutcome } from '../../domain/eligibility.ts';
import type { Jurisdiction } from '../../domain/who-can-receive.ts';
import { TEXT_SECTIONS } from './sections.ts';
import type { LoadedConversation } from './queries.ts';

// The direct-payment offer is answered once the person's response (or, if not yet offered, the
// reason why) is recorded: dp_response is only ever set by that question.
export function offerAnswered(c: LoadedConversation['conversation']): boolean {
  return c.dp_response !== null;
}

export function eligibilityAnswered(jurisdiction: Jurisdiction, c: LoadedConversation['conversation']): boolean {
  return jurisdiction === 'wales' ? c.can_and_can_only !== null : c.significant_impact !== null;
}

/** The decision the answers lead to, or null while the eligibility question is unanswered. */
export function eligibilityDecision({ conversation: c, person, outcomes }: LoadedConversation): EligibilityDecision | null {
  if (!eligibilityAnswered(person.jurisdiction, c)) return null;
  if (person.jurisdiction === 'wales') return decideEligibility({ jurisdiction: 'wales', canAndCanOnly: c.can_and_can_only === true });
  return decideEligibility({
    jurisdiction: 'england',
    unableToAchieve: outcomes.filter((o) => o.unable).map((o) => o.outcome as EnglandOutcome),
    significantImpact: c.significant_impact === true,
  });
}

export type Missing = { text: string; href: string };

/** What must be answered before the conversation can be completed. */
export function missingBeforeCompleting(loaded: LoadedConversation): Missing[] {
  const { conversation: c, person } = loaded;
  const missing: Missing[] = [];
  if (!c.what_matters) missing.push({ text: 'Record what matters to them before you complete the conversation', href: '#what-matters' });
  if (!offerAnswered(c)) missing.push({ text: 'Record whether direct payments were offered before you complete the conversation', href: '#direct-payments' });
  if (!eligibilityAnswered(person.jurisdiction, c)) missing.push({ text: 'Record the eligibility decision before you complete the conversation', href: '#eligibility' });
  return missing;
}

/** One row per task for the GOV.UK task list. */
export function tasks(loaded: LoadedConversation) {
  const { conversation: c, person } = loaded;
  const base = `/conversations/${c.id}`;
  const done = (yes: boolean) => (yes ? { text: 'Completed' } : { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } });
  const [whatMatters, ...rest] = TEXT_SECTIONS;
  const text = (s: (typeof TEXT_SECTIONS)[number]) => ({ title: { text: s.title }, href: `${base}/${s.slug}`, status: done(c[s.column] !== '') });
  return {
    conversation: [
      text(whatMatters!),
      {
        title: { text: 'Direct payments offered' },
        hint: { text: 'Offer direct payments early in the conversation, not as a last resort.' },
        href: `${base}/direct-payments`,
        status: done(offerAnswered(c)),
      },
      ...rest.map(text),
    ],
    decision: [{ title: { text: 'Eligibility' }, href: `${base}/eligibility`, status: done(eligibilityAnswered(person.jurisdiction, c)) }],
  };
}
