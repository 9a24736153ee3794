export type GuidanceSeed = { title: string; body: string; examples: string };

/**
 * A starting point for a council's guidance on what direct payments can buy, drawn from the
 * Hertfordshire 'Connect and Enable' guide and Social Care Wales' guidance. It is advisory: ideas
 * outside it go to the funding panel, never straight to "no". Examples are one per line.
 */
export function defaultGuidance(): GuidanceSeed[] {
  return [
    {
      title: 'Equipment that increases independence',
      body: 'Equipment that helps the person do more for themselves, so they rely less on paid support.',
      examples: 'A communication aid\nA mobility aid\nA cooker, so someone can cook their own fresh meals instead of having a homecare visit',
    },
    {
      title: 'A course to help someone work or volunteer',
      body: 'A training course, or short-term support to learn a new job or new skills, where it helps the person meet an outcome in their plan.',
      examples: 'A college or online course\nA first aid or food hygiene certificate for a volunteering role',
    },
    {
      title: 'Memberships of clubs, groups and subscriptions',
      body: 'A membership that helps the person stay active, meet people or follow an interest. These can be renewed each year if they keep working for the person.',
      examples: 'A year’s membership of a swimming pool or gym\nA social group or sports club\nAn online subscription',
    },
    {
      title: 'A minor adaptation to the home',
      body: 'A small change to the person’s home that makes it safer or easier to use. Larger adaptations usually go through a Disabled Facilities Grant.',
      examples: 'Grab rails\nA lever tap\nA key safe',
    },
    {
      title: 'A personal assistant',
      body: 'Employing a personal assistant (PA), or paying an agency, so the person chooses who supports them, when and how. The council gives support with being an employer: contracts, payroll, insurance and checks. A close relative living in the same household can be paid only if the council agrees it is necessary.',
      examples: 'A PA to help with getting up and going out\nA team of PAs organised through a co-operative',
    },
    {
      title: 'Short-term support',
      body: 'Support for a short time that builds skills and confidence and prevents needs from growing.',
      examples: 'Travel training, so the person can use public transport on their own\nA dog walker, so someone can keep a dog for company',
    },
    {
      title: 'Equipment for a new activity or interest, or a pet',
      body: 'Something that opens up a new activity, or a pet, where it meets an outcome in the person’s plan, such as getting out, meeting people or having a break from caring.',
      examples: 'A musical instrument\nExercise equipment\nA computer\nA dog that helps a carer get out and gives them a break',
    },
    {
      title: 'What a direct payment cannot normally buy',
      body: 'A direct payment is for meeting assessed needs. It cannot normally pay for things the person would usually pay for anyway, or for anything that could cause harm. If you are not sure, ask: the funding panel can look at the reasons.',
      examples: 'Everyday living costs, such as food, rent and bills\nGambling\nAlcohol\nTobacco\nPaying off debts',
    },
  ];
}
