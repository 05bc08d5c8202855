import { CATALOGS, type MessageKey, type Messages } from './messages';
import type { ResolvedLocale, UiLocale } from './locales';
import { formatMessage, type MessageParams } from './translate';

export type { MessageKey, Messages } from './messages';
export type { MessageParams } from './translate';

/** A message chosen where it arises and worded where it is shown, in the reader's language. */
export interface MessageRef {
  key: MessageKey;
  params?: MessageParams;
}

/** A server refusal's reason: the part after `error.` of the catalog's error keys. */
export type ErrorReason = MessageKey extends infer K ? (K extends `error.${infer R}` ? R : never) : never;

export interface Translate {
  (key: MessageKey, params?: MessageParams): string;
  readonly locale: UiLocale;
  /** BCP 47 tag for Intl and `<html lang>`. */
  readonly tag: string;
  /** A key built at run time (a status or event name from data), checked against the catalog. */
  has(key: string): key is MessageKey;
}

/** The messages of a locale; the pseudo-locale uses English and marks it while formatting. */
export function messagesFor(locale: UiLocale): Messages {
  return locale === 'de' ? CATALOGS.de : CATALOGS.en;
}

export function createTranslate(resolved: ResolvedLocale, messages: Messages = messagesFor(resolved.locale)): Translate {
  const pseudo = resolved.locale === 'pseudo';
  const t = (key: MessageKey, params?: MessageParams) => {
    const source = messages[key];
    if (source === undefined) return key;
    return formatMessage(source, params, { tag: resolved.tag, pseudo });
  };
  return Object.assign(t, {
    locale: resolved.locale,
    tag: resolved.tag,
    has: (key: string): key is MessageKey => Object.hasOwn(messages, key),
  });
}

/** English messages for server logs and the `message` field older clients show. */
export const englishT: Translate = createTranslate({ locale: 'en', tag: 'en-US' });
