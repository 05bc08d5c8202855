import { describe, expect, it } from 'vitest';
import { mailTranslate } from './mail';
import { de, en } from './messages/mail';
import { parseMessage } from './translate';

describe('mail catalog', () => {
  it('has every message in both languages with the same parameters, and each parses', () => {
    const names = (source: string) => [...source.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(names(de[key]), key).toEqual(names(en[key]));
      expect(() => parseMessage(de[key])).not.toThrow();
      expect(() => parseMessage(en[key])).not.toThrow();
    }
  });

  it('writes times the reader’s way, in UTC and saying so', () => {
    const moment = new Date('2026-11-30T14:05:00Z');
    expect(mailTranslate('de').time(moment)).toBe('30.11.2026, 14:05 UTC');
    expect(mailTranslate('en').time(moment)).toBe('Nov 30, 2026, 2:05 PM UTC');
    expect(mailTranslate('de')('mail.received.subject', { supplier: 'Acme' })).toBe('Neue Rechnung von Acme');
  });
});
