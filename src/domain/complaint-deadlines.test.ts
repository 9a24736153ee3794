import { describe, expect, it } from 'vitest';
import { addWorkingDays, deadlineState, isWorkingDay, nextStage, stageDeadlines, workingDaysBetween } from './complaint-deadlines.ts';

// England and Wales bank holidays 2026 (shared/reference/calendar-and-rates.md).
const H2026 = new Set(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28', '2027-01-01']);

describe('working days', () => {
  it('leaves out weekends, bank holidays and Christmas Day even when no holiday list has it', () => {
    expect(isWorkingDay('2026-11-23', H2026)).toBe(true);
    expect(isWorkingDay('2026-11-21', H2026)).toBe(false);
    expect(isWorkingDay('2026-04-03', H2026)).toBe(false);
    expect(isWorkingDay('2030-12-25', new Set())).toBe(false);
    expect(addWorkingDays('2026-12-23', 3, H2026)).toBe('2026-12-30');
    expect(addWorkingDays('2026-11-21', 3, H2026)).toBe('2026-11-25');
    expect(addWorkingDays('2026-11-23', 0, H2026)).toBe('2026-11-23');
    expect(workingDaysBetween('2026-12-23', '2026-12-30', H2026)).toBe(3);
    expect(workingDaysBetween('2026-12-30', '2026-12-23', H2026)).toBe(-3);
  });
});

describe('England (2009 Regulations)', () => {
  it('acknowledges within 3 working days and responds within 6 months beginning with the day of receipt', () => {
    expect(stageDeadlines('england', 'stage_1', '2026-12-18', H2026)).toEqual({ acknowledgeBy: '2026-12-23', respondBy: '2027-06-17' });
    expect(stageDeadlines('england', 'stage_1', '2026-12-23', H2026)).toEqual({ acknowledgeBy: '2026-12-30', respondBy: '2027-06-22' });
  });
  it('has one council stage, then the Ombudsman', () => {
    expect(nextStage('england', 'stage_1')).toBe('ombudsman');
    expect(nextStage('england', 'ombudsman')).toBeNull();
    expect(stageDeadlines('england', 'stage_2', '2026-12-18', H2026)).toBeNull();
  });
});

describe('Wales (2014 Regulations)', () => {
  it('stage 1: acknowledge in 2 working days, discuss within 10 working days of the acknowledgement (Easter in the way)', () => {
    expect(stageDeadlines('wales', 'stage_1', '2026-04-02', H2026)).toEqual({ acknowledgeBy: '2026-04-08', respondBy: '2026-04-22' });
    // Acknowledged a day early: the discussion is due a day earlier. Acknowledged late: never later.
    expect(stageDeadlines('wales', 'stage_1', '2026-04-02', H2026, '2026-04-07')!.respondBy).toBe('2026-04-21');
    expect(stageDeadlines('wales', 'stage_1', '2026-04-02', H2026, '2026-04-10')!.respondBy).toBe('2026-04-22');
  });
  it('stage 2: acknowledge in 2 working days, respond within 25 working days (two May bank holidays)', () => {
    expect(stageDeadlines('wales', 'stage_2', '2026-05-01', H2026)).toEqual({ acknowledgeBy: '2026-05-06', respondBy: '2026-06-09' });
    expect(nextStage('wales', 'stage_1')).toBe('stage_2');
    expect(nextStage('wales', 'stage_2')).toBe('ombudsman');
  });
});

describe('deadline state', () => {
  it('says what is overdue, due soon, on track or done', () => {
    expect(deadlineState('2026-11-25', null, '2026-11-26', H2026)).toBe('overdue');
    expect(deadlineState('2026-11-25', null, '2026-11-25', H2026)).toBe('due_soon');
    expect(deadlineState('2026-11-25', null, '2026-11-21', H2026)).toBe('due_soon');
    expect(deadlineState('2026-11-26', null, '2026-11-21', H2026)).toBe('on_track');
    expect(deadlineState('2026-12-01', null, '2026-11-23', H2026)).toBe('on_track');
    expect(deadlineState('2026-11-25', '2026-11-25', '2026-12-25', H2026)).toBe('done');
    expect(deadlineState('2026-11-25', '2026-11-26', '2026-12-25', H2026)).toBe('done_late');
    expect(deadlineState(null, null, '2026-11-25', H2026)).toBeNull();
  });
});
