import { de, en, type MailKey } from './messages/mail';
import { formatMessage, type MessageParams } from './translate';

export type { MailKey } from './messages/mail';

/** The languages e-mail is written in: the interface's, without the pseudo-locale. */
export const MAIL_LOCALES = ['en', 'de'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

export function isMailLocale(value: unknown): value is MailLocale {
  return value === 'en' || value === 'de';
}

export interface MailTranslate {
  (key: MailKey, params?: MessageParams): string;
  readonly locale: MailLocale;
  /** A moment as the reader writes dates, in UTC and saying so (the server does not know the reader's zone). */
  time(date: Date): string;
}

const TAG: Record<MailLocale, string> = { en: 'en-US', de: 'de-DE' };

export function mailTranslate(locale: MailLocale): MailTranslate {
  const messages: Readonly<Record<MailKey, string>> = locale === 'de' ? de : en;
  const tag = TAG[locale];
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  const t = (key: MailKey, params?: MessageParams) => formatMessage(messages[key], params, { tag });
  return Object.assign(t, { locale, time: (date: Date) => `${dateTime.format(date)} UTC` });
}
