import type { z } from 'zod';
import { contextForm, outcomesForm, proposalForm } from './forms.ts';
import type { BusinessCase } from './queries.ts';

type Field = { name: keyof BusinessCase & string; label: string; hint: string; rows?: number };

export type TextSection = {
  slug: string;
  title: string;
  /** Shown under the heading: what the panel, who never met the person, needs from this part. */
  intro: string;
  schema: z.ZodType;
  fields: Field[];
  initialValues: (c: BusinessCase) => Record<string, string>;
};

const valuesOf = (fields: Field[], c: BusinessCase) => Object.fromEntries(fields.map((f) => [f.name, String(c[f.name] ?? '')]));

const proposalFields: Field[] = [
  { name: 'proposal', label: 'What is proposed?', hint: 'What the direct payment will pay for, for example a cooker, a year of swimming or a dog walker.' },
  {
    name: 'why_necessary',
    label: 'Why is it necessary?',
    hint: 'The needs it meets and what matters to the person. Say what it will make possible that nothing else does.',
    rows: 8,
  },
];

const contextFields: Field[] = [
  {
    name: 'context_family',
    label: 'Family and friends',
    hint: 'What family and friends already do, and only where they are willing and able to. If there is no one, say so.',
  },
  { name: 'context_community', label: 'The community', hint: 'Groups, clubs, services and places nearby that help, or why they do not fit.' },
  { name: 'context_agencies', label: 'Other agencies', hint: 'For example health, housing or a charity: what they do and what they cannot do.' },
];

const outcomesFields: Field[] = [
  {
    name: 'outcomes_expected',
    label: 'What outcomes are expected?',
    hint: 'How the person’s life will be different, and how you will both know it has worked when you check back.',
    rows: 8,
  },
];

export const TEXT_SECTIONS: TextSection[] = [
  {
    slug: 'proposal',
    title: 'What is proposed and why',
    intro: 'The panel has not met the person. Explain not only what is needed but why it is needed.',
    schema: proposalForm,
    fields: proposalFields,
    initialValues: (c) => ({ ...valuesOf(proposalFields, c), proposal: c.proposal || c.dp_purpose }),
  },
  {
    slug: 'context',
    title: 'The context',
    intro: 'Show how the proposal fits with the support that family, friends, the community and other agencies give.',
    schema: contextForm,
    fields: contextFields,
    initialValues: (c) => valuesOf(contextFields, c),
  },
  {
    slug: 'outcomes',
    title: 'The outcomes expected',
    intro: 'Say what the direct payment should achieve for the person.',
    schema: outcomesForm,
    fields: outcomesFields,
    initialValues: (c) => valuesOf(outcomesFields, c),
  },
];
