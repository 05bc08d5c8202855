import { describe, expect, it } from 'vitest';
import { dueDateFor } from './org-profile';

describe('due date from payment terms', () => {
  it('counts calendar days across month and year ends and leap days', () => {
    expect(dueDateFor('2026-11-30', 30)).toBe('2026-12-30');
    expect(dueDateFor('2026-12-15', 30)).toBe('2027-01-14');
    expect(dueDateFor('2028-02-15', 14)).toBe('2028-02-29');
    expect(dueDateFor('2026-03-01', 0)).toBe('2026-03-01');
  });
  it('gives nothing for a date that is not one', () => {
    expect(dueDateFor('', 30)).toBe('');
    expect(dueDateFor('2026-13-45', 30)).toBe('');
  });
});
