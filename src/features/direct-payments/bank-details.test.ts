import { describe, expect, it } from 'vitest';
import { maskAccountNumber, maskSortCode, normaliseAccountNumber, normaliseSortCode } from './bank-details.ts';

describe('bank details', () => {
  it('reads a sort code typed with or without separators, and refuses anything but 6 digits', () => {
    expect(normaliseSortCode('12-34-56')).toBe('123456');
    expect(normaliseSortCode(' 12 34 56 ')).toBe('123456');
    expect(normaliseSortCode('123456')).toBe('123456');
    for (const bad of ['12-34', '1234567', '12-34-5a', '', 'abcdef']) expect(normaliseSortCode(bad), bad).toBeNull();
  });

  it('reads an account number of 6 to 10 digits', () => {
    expect(normaliseAccountNumber('1234 5678')).toBe('12345678');
    expect(normaliseAccountNumber('123456')).toBe('123456');
    expect(normaliseAccountNumber('1234567890')).toBe('1234567890');
    for (const bad of ['12345', '12345678901', '1234-5678', 'abcdefgh', '']) expect(normaliseAccountNumber(bad), bad).toBeNull();
  });

  it('shows only the last digits', () => {
    expect(maskAccountNumber('12345678')).toBe('••••5678');
    expect(maskSortCode('123456')).toBe('••-••-56');
    expect(maskAccountNumber(null)).toBe('');
    expect(maskSortCode(null)).toBe('');
  });
});
