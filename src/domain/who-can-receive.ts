import { ageOn, type CalendarDate } from './dates.ts';

/**
 * Who may receive a direct payment (Care Act 2014 ss.31–33 and the 2014 Regulations in England;
 * Part 4 of the Social Services and Well-being (Wales) Act 2014 in Wales): adults; carers aged 16
 * or over; someone with parental responsibility for a disabled child. Someone with capacity may
 * nominate a person to receive it; for someone who lacks capacity an authorised person (England)
 * or a suitable person (Wales) receives it.
 */

export type Jurisdiction = 'england' | 'wales';
export type PersonKind = 'adult' | 'carer' | 'child';
export type RepresentativeKind = 'nominated' | 'authorised' | 'suitable' | 'parental_responsibility';

export type PersonFacts = { kind: PersonKind; dateOfBirth: CalendarDate; hasCapacity: boolean };
export type RepresentativeFacts = { kind: RepresentativeKind; dateOfBirth: CalendarDate | null; receivesPayment: boolean };

export type Decision = { ok: true } | { ok: false; reason: string };
/** A refusal of a representative says whether the kind or the age is the problem, so a form can point at the right answer. */
export type RepresentativeDecision = { ok: true } | { ok: false; reason: string; about: 'kind' | 'age' };

export const ADULT_AGE = 18;
export const CARER_MIN_AGE = 16;
/** The youngest a representative may be and still receive the money. */
export const RECEIVER_MIN_AGE = 16;

export const REPRESENTATIVE_NAMES: Record<RepresentativeKind, string> = {
  nominated: 'Nominated person',
  authorised: 'Authorised person',
  suitable: 'Suitable person',
  parental_responsibility: 'Person with parental responsibility',
};

/** 'an authorised person', 'a suitable person', for use inside a sentence. */
function withArticle(kind: RepresentativeKind): string {
  const name = REPRESENTATIVE_NAMES[kind].toLowerCase();
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

const yes: Decision = { ok: true };
const no = (reason: string): Decision => ({ ok: false, reason });

/** The person acting for someone who lacks capacity has a different name in each country. */
export function lacksCapacityKind(jurisdiction: Jurisdiction): 'authorised' | 'suitable' {
  return jurisdiction === 'wales' ? 'suitable' : 'authorised';
}

/** The kinds of representative a council in this country may record at all. */
export function representativeKindsIn(jurisdiction: Jurisdiction): RepresentativeKind[] {
  return ['nominated', lacksCapacityKind(jurisdiction), 'parental_responsibility'];
}

/** A record's kind must fit the person's age: a child is under 18 and an adult is 18 or over. */
export function checkPersonKind(kind: PersonKind, dateOfBirth: CalendarDate, today: CalendarDate): Decision {
  const age = ageOn(dateOfBirth, today);
  if (kind === 'child' && age >= ADULT_AGE) return no('A child must be under 18. Choose adult or carer for someone aged 18 or over');
  if (kind === 'adult' && age < ADULT_AGE) return no('An adult must be 18 or over. Choose child or carer for someone younger');
  return yes;
}

/** Whether the person may receive a direct payment in their own name. */
export function canReceiveThemselves(jurisdiction: Jurisdiction, person: PersonFacts, today: CalendarDate): Decision {
  const age = ageOn(person.dateOfBirth, today);
  if (person.kind === 'child' || (person.kind === 'adult' && age < ADULT_AGE)) {
    return no('A child under 18 cannot receive a direct payment themselves. A person with parental responsibility can receive it for them.');
  }
  if (person.kind === 'carer' && age < CARER_MIN_AGE) return no('A carer can receive a direct payment from the age of 16.');
  if (!person.hasCapacity) {
    return no(`They lack capacity to decide about a direct payment, so ${withArticle(lacksCapacityKind(jurisdiction))} receives it for them.`);
  }
  return yes;
}

/** Whether this representative fits the person and the council's country, and may hold the money. */
export function checkRepresentative(jurisdiction: Jurisdiction, person: PersonFacts, rep: RepresentativeFacts, today: CalendarDate): RepresentativeDecision {
  const no = (reason: string, about: 'kind' | 'age' = 'kind'): RepresentativeDecision => ({ ok: false, reason, about });
  const forLackOfCapacity = lacksCapacityKind(jurisdiction);
  if (rep.kind === 'authorised' && jurisdiction === 'wales') return no('Authorised person is the English term. In Wales, choose suitable person');
  if (rep.kind === 'suitable' && jurisdiction === 'england') return no('Suitable person is the Welsh term. In England, choose authorised person');
  if (person.kind === 'child') {
    if (rep.kind !== 'parental_responsibility') return no('For a child, choose person with parental responsibility');
  } else if (rep.kind === 'parental_responsibility') {
    return no('A person with parental responsibility acts for a disabled child. This person is not recorded as a child');
  } else if (rep.kind === 'nominated' && !person.hasCapacity) {
    return no(`A nominated person is chosen by someone who has capacity. This person lacks capacity, so choose ${REPRESENTATIVE_NAMES[forLackOfCapacity].toLowerCase()}`);
  } else if (rep.kind === forLackOfCapacity && person.hasCapacity) {
    const name = withArticle(rep.kind);
    return no(`${name[0]!.toUpperCase()}${name.slice(1)} acts only for someone who lacks capacity. This person has capacity, so choose nominated person`);
  }
  if (rep.receivesPayment && rep.dateOfBirth && ageOn(rep.dateOfBirth, today) < RECEIVER_MIN_AGE) {
    return no('Someone who receives a direct payment must be 16 or over', 'age');
  }
  return { ok: true };
}

export type Receiver<Id> = { who: 'person' } | { who: 'representative'; representativeId: Id } | { who: 'nobody'; reason: string };

/**
 * Who the money goes to: a representative recorded as receiving it (when they may), otherwise the
 * person themself (when they may), otherwise nobody yet, with the reason in plain English.
 */
export function whoReceives<Id>(
  jurisdiction: Jurisdiction,
  person: PersonFacts,
  representatives: ReadonlyArray<RepresentativeFacts & { id: Id }>,
  today: CalendarDate,
): Receiver<Id> {
  const rep = representatives.find((r) => r.receivesPayment && checkRepresentative(jurisdiction, person, r, today).ok);
  if (rep) return { who: 'representative', representativeId: rep.id };
  const self = canReceiveThemselves(jurisdiction, person, today);
  if (self.ok) return { who: 'person' };
  return { who: 'nobody', reason: `${self.reason} Record who will receive it.` };
}
