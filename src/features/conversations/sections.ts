import type { Conversations } from '../../platform/db/schema.ts';

type TextColumn = 'what_matters' | 'wanted_outcomes' | 'strengths' | 'informal_support' | 'community_resources' | 'barriers';

export type TextSection = {
  slug: string;
  column: TextColumn & keyof Conversations;
  title: string;
  /** The question, with {name} for the person's first name. */
  question: string;
  hint: string;
  missing: string;
};

/**
 * The free-text parts of the 'what matters' conversation, in the order it usually runs: what matters,
 * then outcomes in the person's own words, then what already helps (strengths, informal support,
 * community), and finally the barriers nothing else solves, which are the basis of eligibility.
 */
export const TEXT_SECTIONS: readonly TextSection[] = [
  {
    slug: 'what-matters',
    column: 'what_matters',
    title: 'What matters to the person',
    question: 'What matters to {name}?',
    hint: 'Their life, the people and things that are important to them, and what a good day looks like.',
    missing: 'Enter what matters to them',
  },
  {
    slug: 'outcomes',
    column: 'wanted_outcomes',
    title: 'Outcomes they want',
    question: 'What outcomes does {name} want?',
    hint: 'Use their own words, for example “I want to cook my own meals again”.',
    missing: 'Enter the outcomes they want, in their own words',
  },
  {
    slug: 'strengths',
    column: 'strengths',
    title: 'Strengths',
    question: 'What are {name}’s strengths?',
    hint: 'What they can do, their skills and interests, and what has worked for them before.',
    missing: 'Enter their strengths',
  },
  {
    slug: 'informal-support',
    column: 'informal_support',
    title: 'Informal support',
    question: 'What informal support does {name} have?',
    hint: 'Only support that family, friends or neighbours are willing and able to give. Being a husband, wife or parent does not make someone a carer. If there is none, say so.',
    missing: 'Enter the informal support they have, or say there is none',
  },
  {
    slug: 'community',
    column: 'community_resources',
    title: 'Community resources',
    question: 'What in the community could help {name}?',
    hint: 'For example, clubs, groups, leisure centres, libraries, faith groups or voluntary organisations. If there is nothing, say so.',
    missing: 'Enter the community resources that could help, or say there are none',
  },
  {
    slug: 'barriers',
    column: 'barriers',
    title: 'Barriers',
    question: 'What barriers are left for {name}?',
    hint: 'What still stops them achieving their outcomes after their strengths, informal support and community resources. This is the basis of eligibility.',
    missing: 'Enter the barriers that are left, or say there are none',
  },
];

export function questionFor(section: TextSection, givenName: string): string {
  return section.question.replace('{name}', givenName);
}
