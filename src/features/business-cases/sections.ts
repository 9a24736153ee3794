import type { BusinessCase, CaseOption } from './queries.ts';

export type Section = {
  id: string;
  title: string;
  path: string;
  done: boolean;
  /** What to say when someone tries to submit without it. */
  missing: string;
};

/** The parts of a business case, in the order the panel reads them. A case goes to the panel only with every part done. */
export function caseSections(c: Pick<BusinessCase, 'id' | 'proposal' | 'why_necessary' | 'context_family' | 'context_community' | 'context_agencies' | 'outcomes_expected'>, options: readonly Pick<CaseOption, 'proposed'>[]): Section[] {
  const base = `/business-cases/${c.id}`;
  return [
    {
      id: 'proposal',
      title: 'What is proposed and why',
      path: `${base}/proposal`,
      done: c.proposal !== '' && c.why_necessary !== '',
      missing: 'Say what is proposed and why it is necessary',
    },
    {
      id: 'context',
      title: 'The context',
      path: `${base}/context`,
      done: c.context_family !== '' && c.context_community !== '' && c.context_agencies !== '',
      missing: 'Give the context: family and friends, the community and other agencies',
    },
    {
      id: 'outcomes',
      title: 'The outcomes expected',
      path: `${base}/outcomes`,
      done: c.outcomes_expected !== '',
      missing: 'Say what outcomes are expected',
    },
    {
      id: 'costs',
      title: 'Alternatives and costs',
      path: `${base}/costs`,
      done: options.some((o) => o.proposed) && options.some((o) => !o.proposed),
      missing: 'Add the cost of the proposal and at least one alternative',
    },
  ];
}
