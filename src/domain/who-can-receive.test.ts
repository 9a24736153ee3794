import { describe, expect, it } from 'vitest';
import {
  canReceiveThemselves,
  checkPersonKind,
  checkRepresentative,
  representativeKindsIn,
  whoReceives,
  type PersonFacts,
  type RepresentativeFacts,
} from './who-can-receive.ts';

const TODAY = '2026-11-23';
const adult: PersonFacts = { kind: 'adult', dateOfBirth: '1968-03-14', hasCapacity: true };
const adultLackingCapacity: PersonFacts = { ...adult, hasCapacity: false };
const child: PersonFacts = { kind: 'child', dateOfBirth: '2017-06-11', hasCapacity: true };
const rep = (kind: RepresentativeFacts['kind'], more: Partial<RepresentativeFacts> = {}): RepresentativeFacts => ({ kind, dateOfBirth: null, receivesPayment: true, ...more });

describe('who can receive a direct payment themselves', () => {
  it('an adult of 18 or over with capacity can', () => {
    expect(canReceiveThemselves('england', adult, TODAY).ok).toBe(true);
  });

  it('a carer aged 16 can, the day they turn 16', () => {
    expect(canReceiveThemselves('england', { kind: 'carer', dateOfBirth: '2010-11-23', hasCapacity: true }, TODAY).ok).toBe(true);
  });

  it('a carer aged 17 can', () => {
    expect(canReceiveThemselves('wales', { kind: 'carer', dateOfBirth: '2009-06-01', hasCapacity: true }, TODAY).ok).toBe(true);
  });

  it('a carer a day short of 16 cannot', () => {
    const d = canReceiveThemselves('england', { kind: 'carer', dateOfBirth: '2010-11-24', hasCapacity: true }, TODAY);
    expect(d).toEqual({ ok: false, reason: expect.stringContaining('16') });
  });

  it('a child cannot; a person with parental responsibility receives it', () => {
    const d = canReceiveThemselves('wales', child, TODAY);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.reason).toContain('parental responsibility');
  });

  it('an adult who lacks capacity cannot: an authorised person in England, a suitable person in Wales', () => {
    const england = canReceiveThemselves('england', adultLackingCapacity, TODAY);
    const wales = canReceiveThemselves('wales', adultLackingCapacity, TODAY);
    expect(!england.ok && england.reason).toContain('an authorised person');
    expect(!wales.ok && wales.reason).toContain('a suitable person');
  });
});

describe('representatives', () => {
  it('offers authorised person in England and suitable person in Wales, never both', () => {
    expect(representativeKindsIn('england')).toEqual(['nominated', 'authorised', 'parental_responsibility']);
    expect(representativeKindsIn('wales')).toEqual(['nominated', 'suitable', 'parental_responsibility']);
  });

  it('a person with capacity may nominate someone; an authorised person is refused for them', () => {
    expect(checkRepresentative('england', adult, rep('nominated'), TODAY).ok).toBe(true);
    const d = checkRepresentative('england', adult, rep('authorised'), TODAY);
    expect(!d.ok && d.reason).toMatch(/^An authorised person acts only for someone who lacks capacity/);
  });

  it('for a person who lacks capacity: authorised in England, suitable in Wales, not nominated', () => {
    expect(checkRepresentative('england', adultLackingCapacity, rep('authorised'), TODAY).ok).toBe(true);
    expect(checkRepresentative('wales', adultLackingCapacity, rep('suitable'), TODAY).ok).toBe(true);
    expect(checkRepresentative('england', adultLackingCapacity, rep('nominated'), TODAY).ok).toBe(false);
  });

  it('refuses the other country’s term', () => {
    const wales = checkRepresentative('wales', adultLackingCapacity, rep('authorised'), TODAY);
    const england = checkRepresentative('england', adultLackingCapacity, rep('suitable'), TODAY);
    expect(!wales.ok && wales.reason).toContain('In Wales, choose suitable person');
    expect(!england.ok && england.reason).toContain('In England, choose authorised person');
  });

  it('a child’s representative is a person with parental responsibility, and only a child has one', () => {
    expect(checkRepresentative('wales', child, rep('parental_responsibility'), TODAY).ok).toBe(true);
    expect(checkRepresentative('wales', child, rep('nominated'), TODAY).ok).toBe(false);
    expect(checkRepresentative('england', adult, rep('parental_responsibility'), TODAY).ok).toBe(false);
  });

  it('someone who receives the payment must be 16 or over; a younger one may be recorded without receiving it', () => {
    const fifteen = '2011-01-01';
    const d = checkRepresentative('england', adult, rep('nominated', { dateOfBirth: fifteen }), TODAY);
    expect(!d.ok && d.reason).toBe('Someone who receives a direct payment must be 16 or over');
    expect(checkRepresentative('england', adult, rep('nominated', { dateOfBirth: fifteen, receivesPayment: false }), TODAY).ok).toBe(true);
    expect(checkRepresentative('england', adult, rep('nominated', { dateOfBirth: '2010-11-23' }), TODAY).ok).toBe(true);
  });
});

describe('who receives the money', () => {
  it('the person themself when no representative receives it', () => {
    expect(whoReceives('england', adult, [{ id: 'r1', ...rep('nominated', { receivesPayment: false }) }], TODAY)).toEqual({ who: 'person' });
  });

  it('the representative recorded as receiving it', () => {
    expect(whoReceives('england', adult, [{ id: 'r1', ...rep('nominated') }], TODAY)).toEqual({ who: 'representative', representativeId: 'r1' });
    expect(whoReceives('wales', child, [{ id: 'p1', ...rep('parental_responsibility') }], TODAY)).toEqual({ who: 'representative', representativeId: 'p1' });
  });

  it('nobody yet for a child without a person with parental responsibility', () => {
    const r = whoReceives('wales', child, [], TODAY);
    expect(r.who).toBe('nobody');
  });

  it('ignores a representative who may not hold the money', () => {
    const r = whoReceives('wales', adultLackingCapacity, [{ id: 'r1', ...rep('authorised') }], TODAY);
    expect(r.who).toBe('nobody');
  });
});

describe('the kind of record fits the age', () => {
  it('a child is under 18 and an adult is 18 or over; a carer may be any age', () => {
    expect(checkPersonKind('child', '2008-11-23', TODAY).ok).toBe(false);
    expect(checkPersonKind('child', '2008-11-24', TODAY).ok).toBe(true);
    expect(checkPersonKind('adult', '2008-11-24', TODAY).ok).toBe(false);
    expect(checkPersonKind('adult', '2008-11-23', TODAY).ok).toBe(true);
    expect(checkPersonKind('carer', '2012-01-01', TODAY).ok).toBe(true);
  });
});
