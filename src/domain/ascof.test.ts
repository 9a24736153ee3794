import { describe, expect, it } from 'vitest';
import { ascof3d } from './ascof.ts';
import type { CldRow } from './cld.ts';

const svc = (person: string, o: Partial<CldRow>): CldRow => ({
  'LA Person Unique Identifier': person, 'Client Type': 'Service user', 'Date of Birth': '1960-05-05', 'Event Type': 'Service',
  'Service Type': 'Long term support: Community', 'Delivery Mechanism': 'Direct payment', 'Event Start Date': '2025-06-01', 'Event End Date': null, ...o,
});

describe('ASCOF 3D at 31 March 2026', () => {
  // Hand-computed: adults on long-term community support on 31 March 2026 are A, B, C, D, E (5).
  //   Self-directed (direct payment or managed personal budget): A (DP), B (DP and commissioned), C (PB) → 3 → 60.0%.
  //   Direct payments: A, B → 2 → 40.0%.
  // Not counted: F ended on 30 March; G starts in April; H is 17 on 31 March; I's support is residential;
  // J died before the snapshot; K is a carer (counted in part b); A's second event counts A once.
  const rows: CldRow[] = [
    svc('A', {}), svc('A', { 'Event Reference': 'second' }),
    svc('B', { 'Delivery Mechanism': 'Direct payment' }), svc('B', { 'Delivery Mechanism': 'CASSR commissioned support' }),
    svc('C', { 'Delivery Mechanism': 'CASSR managed personal budget' }),
    svc('D', { 'Delivery Mechanism': 'CASSR commissioned support', 'Event End Date': '2026-03-31' }),
    svc('E', { 'Delivery Mechanism': 'CASSR commissioned support', 'Event Start Date': '2026-03-31' }),
    svc('F', { 'Event End Date': '2026-03-30' }),
    svc('G', { 'Event Start Date': '2026-04-01' }),
    svc('H', { 'Date of Birth': '2008-04-01' }),
    svc('I', { 'Service Type': 'Long term support: Residential care' }),
    svc('J', { 'Date of Death': '2026-02-01' }),
    svc('A', { 'Event Type': 'Review' }),
    // Carers, the year 1 April 2025 – 31 March 2026: K (DP), L (DP ended in May 2025), M (commissioned), N (PB); O's support ended before the year.
    svc('K', { 'Client Type': 'Unpaid carer', 'Service Type': 'Unpaid carer support: Direct to unpaid carer' }),
    svc('L', { 'Client Type': 'Unpaid carer', 'Service Type': 'Unpaid carer support: Direct to unpaid carer', 'Event Start Date': '2024-01-01', 'Event End Date': '2025-05-01' }),
    svc('M', { 'Client Type': 'Unpaid carer', 'Service Type': 'Unpaid carer support: Support involving the person cared-for', 'Delivery Mechanism': 'CASSR commissioned support' }),
    svc('N', { 'Client Type': 'Unpaid carer', 'Service Type': 'Unpaid carer support: Direct to unpaid carer', 'Delivery Mechanism': 'CASSR managed personal budget' }),
    svc('O', { 'Client Type': 'Unpaid carer', 'Service Type': 'Unpaid carer support: Direct to unpaid carer', 'Event Start Date': '2024-01-01', 'Event End Date': '2025-03-31' }),
  ];

  it('parts 1a and 2a: adults on long-term community support on the day', () => {
    const m = ascof3d(rows, 2026);
    expect(m.snapshot).toBe('2026-03-31');
    expect(m.part1a).toEqual({ numerator: 3, denominator: 5, value: 60 });
    expect(m.part2a).toEqual({ numerator: 2, denominator: 5, value: 40 });
  });

  it('parts 1b and 2b: carers with carer-specific support during the year', () => {
    const m = ascof3d(rows, 2026);
    expect(m.yearStart).toBe('2025-04-01');
    // K, L, M, N (4); self-directed K, L, N (3) = 75.0%; direct payments K, L (2) = 50.0%.
    expect(m.part1b).toEqual({ numerator: 3, denominator: 4, value: 75 });
    expect(m.part2b).toEqual({ numerator: 2, denominator: 4, value: 50 });
  });

  it('rounds to one decimal place and says n/a (null) when nobody is counted', () => {
    const three = [svc('A', {}), svc('B', { 'Delivery Mechanism': 'CASSR commissioned support' }), svc('C', { 'Delivery Mechanism': 'CASSR commissioned support' })];
    expect(ascof3d(three, 2026).part2a).toEqual({ numerator: 1, denominator: 3, value: 33.3 });
    expect(ascof3d([], 2026).part1b).toEqual({ numerator: 0, denominator: 0, value: null });
  });
});
