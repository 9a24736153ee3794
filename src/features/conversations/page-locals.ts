import { outcomeName } from '../../domain/eligibility.ts';
import { fullName } from '../people/access.ts';
import { eligibilityDecision } from './progress.ts';
import { TEXT_SECTIONS } from './sections.ts';
import type { LoadedConversation } from './queries.ts';

/** What every conversation page shows: the person, the answers so far and where they lead. */
export function pageLocals(loaded: LoadedConversation) {
  const { conversation, person, outcomes } = loaded;
  return {
    conversation,
    person,
    name: fullName(person),
    sections: TEXT_SECTIONS,
    unableTo: outcomes.filter((o) => o.unable).map((o) => ({ name: outcomeName(o.outcome), reason: o.reason })),
    decision: eligibilityDecision(loaded),
    backLink: `/people/${person.id}#conversations`,
  };
}
