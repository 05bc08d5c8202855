import { describe, expect, it } from 'vitest';
import { createTranslate, englishT } from '@/lib/shared/i18n';
import { ApiError } from './api';
import { describeError } from './errors';

const germanT = createTranslate({ locale: 'de', tag: 'de-DE' });

describe('describeError', () => {
  it('says the server could not be reached when fetch got no answer, in both languages', () => {
    for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed']) {
      expect(describeError(new TypeError(message), englishT)).toBe('The server could not be reached, so this step was not completed. Check your connection and try again.');
      expect(describeError(new TypeError(message), germanT)).toMatch(/^Der Server war nicht erreichbar/);
    }
  });

  it('shows a server refusal by its reason, and an unrelated error as it is', () => {
    expect(describeError(ApiError.local('unavailable', 'database_unavailable', 503), germanT)).toMatch(/^Der Server hat die Verbindung zur Datenbank verloren/);
    expect(describeError(new TypeError('x is not a function'), englishT)).toBe('x is not a function');
  });
});
